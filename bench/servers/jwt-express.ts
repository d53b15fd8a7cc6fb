// An Express 5 app for the JWT benchmark. BENCH_MODE picks the middleware in front of one JSON route:
// bare (none), bulwark (requireJwt), express-jwt, jose (a middleware on jose's jwtVerify), or hmac
// (only an HS256 signature check, the floor of any HS256 verification).
import { createHmac, createPublicKey, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

import { requireJwt } from 'bulwark';
import express, { type RequestHandler } from 'express';
import { expressjwt } from 'express-jwt';
import { jwtVerify } from 'jose';

import { announce } from './listen.js';

const mode = process.env.BENCH_MODE ?? 'bare';
const algorithm = process.env.BENCH_ALG ?? 'HS256';
const keyText = process.env.BENCH_KEY ?? '';
const isHmac = algorithm.startsWith('HS');

function joseKey(): KeyObject {
  return isHmac ? createSecretKey(Buffer.from(keyText)) : createPublicKey(keyText);
}

function middleware(): RequestHandler[] {
  switch (mode) {
    case 'bare':
      return [];
    case 'bulwark':
      return [requireJwt({ key: keyText, algorithms: [algorithm as 'HS256'], cache: process.env.BENCH_CACHE === 'on' }) as RequestHandler];
    case 'express-jwt':
      // As express-jwt's README shows: the secret or public key and the algorithm list.
      return [expressjwt({ secret: keyText, algorithms: [algorithm as 'HS256'] })];
    case 'hmac': {
      const key = createSecretKey(Buffer.from(keyText));
      return [
        (req, res, next) => {
          const token = (req.headers.authorization ?? '').slice(7);
          const dot = token.lastIndexOf('.');
          const expected = createHmac('sha256', key).update(token.slice(0, dot)).digest();
          const actual = Buffer.from(token.slice(dot + 1), 'base64url');
          if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
            res.status(401).end();
            return;
          }
          next();
        },
      ];
    }
    case 'jose': {
      const key = joseKey();
      return [
        async (req, res, next) => {
          const header = req.headers.authorization ?? '';
          try {
            const { payload } = await jwtVerify(header.slice(7), key, { algorithms: [algorithm] });
            (req as unknown as { auth: unknown }).auth = payload;
            next();
          } catch {
            res.status(401).end();
          }
        },
      ];
    }
    default:
      throw new Error(`unknown BENCH_MODE ${mode}`);
  }
}

const app = express();
app.disable('x-powered-by');
app.get('/', ...middleware(), (_req, res) => {
  res.json({ ok: true });
});
announce(app.listen(0, '127.0.0.1'));
