// An Express 5 app for the full-pipeline benchmark. BENCH_MODE: bare (express.json() and the route),
// helmet (helmet() alone in front), or bulwark (securityHeaders, requireJwt HS256 and validateBody).
import { requireJwt, securityHeaders, validateBody } from 'bulwark';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';

import { serveOrders } from './order-app.js';
import { orderJsonSchema } from './order-body.js';

const mode = process.env.BENCH_MODE ?? 'bare';
const secret = process.env.BENCH_KEY ?? '';

function middleware(): RequestHandler[] {
  switch (mode) {
    case 'bare':
      return [express.json()];
    case 'helmet':
      return [helmet(), express.json()];
    case 'bulwark':
      return [
        securityHeaders() as unknown as RequestHandler,
        requireJwt({ key: secret, algorithms: ['HS256'] }) as unknown as RequestHandler,
        validateBody(orderJsonSchema) as unknown as RequestHandler,
      ];
    default:
      throw new Error(`unknown BENCH_MODE ${mode}`);
  }
}

serveOrders(middleware());
