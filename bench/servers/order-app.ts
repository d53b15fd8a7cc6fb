import express, { type RequestHandler } from 'express';

import { announce } from './listen.js';

/** Starts an Express 5 app with `middleware` in front of POST /orders, which answers 201 with the order's SKU. */
export function serveOrders(middleware: RequestHandler[]): void {
  const app = express();
  app.disable('x-powered-by');
  app.post('/orders', ...middleware, (req, res) => {
    res.status(201).json({ accepted: true, sku: (req.body as { sku: string }).sku });
  });
  announce(app.listen(0, '127.0.0.1'));
}
