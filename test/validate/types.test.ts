import express from 'express';
import Koa from 'koa';
import Router from '@koa/router';
import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';

import { validateBody, validateQuery } from 'bulwark';
import { validateBody as koaValidateBody, type KoaBodyContext } from 'bulwark/koa';
import { validate, type InferOutput } from 'bulwark/core';

// These tests run at type level: `tsc --noEmit -p .` fails when an inferred type is wrong.
const order = z.object({
  sku: z.string(),
  quantity: z.number().int().default(1),
  note: z.string().transform((text) => text.length),
});
type Order = { sku: string; quantity: number; note: number };

describe('validateBody types', () => {
  it('types req.body as the zod output on Express 5', () => {
    const app = express();
    app.post('/orders', validateBody(order), (req, res) => {
      expectTypeOf(req.body).toEqualTypeOf<Order>();
      res.json(req.body.quantity);
    });
  });

  it('types req.body as the valibot output', () => {
    const app = express();
    const schema = v.object({ name: v.string(), age: v.optional(v.number(), 18) });
    app.post('/people', validateBody(schema), (req) => {
      expectTypeOf(req.body).toEqualTypeOf<{ name: string; age: number }>();
    });
  });

  it('types req.query as the schema output', () => {
    const app = express();
    const page = z.object({ page: z.coerce.number() });
    app.get('/orders', validateQuery(page), (req) => {
      expectTypeOf(req.query).toEqualTypeOf<{ page: number }>();
    });
  });

  it('mounts with app.use on Express and Koa', () => {
    express().use(validateBody(order), validateQuery(z.object({})));
    new Koa().use(koaValidateBody(order));
  });

  it('types a JSON Schema output as unknown', () => {
    expectTypeOf<InferOutput<{ type: 'object' }>>().toEqualTypeOf<unknown>();
  });

  it('types ctx.request.body on Koa through KoaBodyContext', () => {
    const router = new Router();
    router.post('/orders', koaValidateBody(order), (ctx: KoaBodyContext<z.output<typeof order>>) => {
      expectTypeOf(ctx.request.body).toEqualTypeOf<Order>();
    });
  });

  it('types the validate result', async () => {
    const result = await validate({}, order);
    if (result.ok) {
      expectTypeOf(result.value).toEqualTypeOf<Order>();
    }
  });
});
