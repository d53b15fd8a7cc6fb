// A Koa 3 app for the JWT benchmark. BENCH_MODE picks the middleware in front of one JSON response:
// bare (none), bulwark (requireJwt from bulwark/koa), koa-jwt, jose (a middleware on jwtVerify), or
// hmac (only an HS256 signature check, the floor of any HS256 verification).
import { createHmac, createPublicKey, createSecretKey, timingSafeEqual } from 'node:crypto';

import { requireJwt } from 'bulwark/koa';
import { jwtVerify } from 'jose';
import Koa, { type Middleware } from 'koa';
import koaJwt from 'koa-jwt';

import { announce } from './listen.js';

const mode = process.env.BENCH_MODE ?? 'bare';
const algorithm = process.env.BENCH_ALG ?? 'HS256';
const keyText = process.env.BENCH_KEY ?? '';

function middleware(): Middleware | undefined {
  switch (mode) {
    case 'bare':
      return undefined;
    case 'bulwark':
      return requireJwt({ key: keyText, algorithms: [algorithm as 'HS256'], cache: process.env.BENCH_CACHE === 'on' }) as unknown as Middleware;
    case 'koa-jwt':
      // As koa-jwt's README shows: the secret and the algorithm list.
      return koaJwt({ secret: keyText, algorithms: [algorithm] }) as unknown as Middleware;
    case 'hmac': {
      const key = createSecretKey(Buffer.from(keyText));
      return async (ctx, next) => {
        const token = ctx.get('authorization').slice(7);
        const dot = token.lastIndexOf('.');
        const expected = createHmac('sha256', key).update(token.slice(0, dot)).digest();
        const actual = Buffer.from(token.slice(dot + 1), 'base64url');
        if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
          ctx.status = 401;
          return;
        }
        await next();
      };
    }
    case 'jose': {
      const key = algorithm.startsWith('HS') ? createSecretKey(Buffer.from(keyText)) : createPublicKey(keyText);
      return async (ctx, next) => {
        const header = ctx.get('authorization');
        try {
          const { payload } = await jwtVerify(header.slice(7), key, { algorithms: [algorithm] });
          ctx.state.user = payload;
        } catch {
          ctx.status = 401;
          return;
        }
        await next();
      };
    }
    default:
      throw new Error(`unknown BENCH_MODE ${mode}`);
  }
}

const app = new Koa();
const guard = middleware();
if (guard) {
  app.use(guard);
}
app.use((ctx) => {
  ctx.body = { ok: true };
});
announce(app.listen(0, '127.0.0.1'));
