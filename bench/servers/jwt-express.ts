// An Express 5 app for the JWT benchmark. BENCH_MODE picks the middleware in front of one JSON route:
// bare (none), bulwark (requireJwt), express-jwt, or jose (a middleware on jose's jwtVerify).
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';

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
