// An Express 5 app for the encryption benchmark: one route that sends a 1 KiB JSON body, with
// encryptResponse in front of it when BENCH_MODE is bulwark.
import { encryptResponse } from 'bulwark';
import express, { type RequestHandler } from 'express';

import { announce } from './listen.js';

const mode = process.env.BENCH_MODE ?? 'bare';
const key = process.env.BENCH_KEY ?? '';

// About 1 KiB of JSON once serialized.
const body = {
  items: Array.from({ length: 16 }, (_, index) => ({ sku: `SKU-${1000 + index}`, quantity: index + 1, note: 'x'.repeat(24) })),
};

const app = express();
app.disable('x-powered-by');
const guard: RequestHandler[] = mode === 'bulwark' ? [encryptResponse({ key }) as RequestHandler] : [];
app.get('/', ...guard, (_req, res) => {
  res.json(body);
});
announce(app.listen(0, '127.0.0.1'));
