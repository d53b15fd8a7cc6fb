// An Express 5 app for the validation benchmark. BENCH_MODE picks the middleware in front of the route:
// json (express.json() alone), jsonschema or zod (validateBody), express-validator (express.json()
// and a check per field, as its documentation shows).
import { validateBody } from 'bulwark';
import express, { type RequestHandler } from 'express';
import { body, validationResult } from 'express-validator';

import { serveOrders } from './order-app.js';
import { orderJsonSchema, orderZodSchema } from './order-body.js';

const mode = process.env.BENCH_MODE ?? 'json';

function middleware(): RequestHandler[] {
  switch (mode) {
    case 'json':
      return [express.json()];
    case 'jsonschema':
      return [validateBody(orderJsonSchema) as unknown as RequestHandler];
    case 'zod':
      return [validateBody(orderZodSchema) as unknown as RequestHandler];
    case 'express-validator':
      return [
        express.json(),
        body('sku').isString().matches(/^SKU-[0-9]{4}$/),
        body('quantity').isInt({ min: 1, max: 100 }),
        body('unitPriceCents').isInt({ min: 0 }),
        body('currency').isIn(['EUR', 'USD', 'GBP']),
        body('customerEmail').isEmail().isLength({ max: 254 }),
        body('giftWrap').isBoolean({ strict: true }),
        body('note').isString().isLength({ max: 200 }),
        body('priority').isIn(['standard', 'express']),
        body('couponCode').isString().isLength({ max: 32 }),
        body('shipBy').isISO8601({ strict: true }),
        (req, res, next) => {
          if (!validationResult(req).isEmpty()) {
            res.status(422).end();
            return;
          }
          next();
        },
      ];
    default:
      throw new Error(`unknown BENCH_MODE ${mode}`);
  }
}

serveOrders(middleware());
