import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { frameworks, type RunningApp } from '../helpers/frameworks.js';
import { send, type SentResponse } from './send.js';

const SECRET = 'hunter2-secret-value';

const zodOrder = z.object({
  sku: z.string().trim(),
  quantity: z.number().int().min(1).default(1),
  tags: z.array(z.string().toLowerCase()).default([]),
});
const valibotOrder = v.object({
  sku: v.pipe(v.string(), v.trim()),
  quantity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1),
  tags: v.optional(v.array(v.pipe(v.string(), v.toLowerCase())), []),
});
const jsonOrder = {
  type: 'object',
  properties: {
    sku: { type: 'string' },
    quantity: { type: 'integer', minimum: 1, default: 1 },
    tags: { type: 'array', items: { type: 'string' }, default: [] },
  },
  required: ['sku'],
};

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) {
    value = [value];
  }
  return value;
}

function expectProblem(response: SentResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.contentType).toBe('application/problem+json');
  expect(response.json().code).toBe(code);
}

describe.each(frameworks)('validateBody on $name', (framework) => {
  const { validateBody, validateQuery } = framework.bulwark;
  const echo = ({ body }: { body: unknown }) => ({ body: { body: body ?? null } });
  let app: RunningApp;

  beforeAll(async () => {
    app = await framework.start([
      { method: 'post', path: '/zod', middleware: [validateBody(zodOrder)], handle: echo },
      { method: 'post', path: '/valibot', middleware: [validateBody(valibotOrder)], handle: echo },
      { method: 'post', path: '/json-schema', middleware: [validateBody(jsonOrder)], handle: echo },
      { method: 'post', path: '/strip', middleware: [validateBody(zodOrder, { unknownKeys: 'strip' })], handle: echo },
      { method: 'post', path: '/strip-json', middleware: [validateBody(jsonOrder, { unknownKeys: 'strip' })], handle: echo },
      { method: 'post', path: '/anything', middleware: [validateBody(true)], handle: echo },
      { method: 'post', path: '/optional', middleware: [validateBody(zodOrder.optional())], handle: echo },
      { method: 'post', path: '/small', middleware: [validateBody(true, { limitBytes: 1024 })], handle: echo },
      { method: 'post', path: '/form', middleware: [validateBody(true, { urlencoded: true })], handle: echo },
      {
        method: 'post',
        path: '/async',
        middleware: [validateBody(z.object({ name: z.string().refine(async (name) => name !== 'taken') }))],
        handle: echo,
      },
      {
        method: 'get',
        path: '/query',
        middleware: [validateQuery(z.object({ page: z.coerce.number().int().min(1).default(1), sort: z.enum(['asc', 'desc']).optional() }))],
        handle: ({ query }) => ({ body: { query } }),
      },
      {
        method: 'get',
        path: '/query-json',
        middleware: [validateQuery({ type: 'object', properties: { page: { type: 'integer', default: 1 }, filter: { type: 'object', properties: { tag: { type: 'array', items: { type: 'string' } } } } } })],
        handle: ({ query }) => ({ body: { query } }),
      },
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  describe.each(['/zod', '/valibot', '/json-schema'])('with the schema at %s', (path) => {
    it('passes the output with defaults and transforms', async () => {
      const response = await send(`${app.url}${path}`, { contentType: 'application/json', body: '{"sku":"  A-1 "}' });
      expect(response.status).toBe(200);
      const expectedSku = path === '/json-schema' ? '  A-1 ' : 'A-1';
      expect(response.json()).toEqual({ body: { sku: expectedSku, quantity: 1, tags: [] } });
    });

    it('rejects a wrong type with 422 and no echo', async () => {
      const response = await send(`${app.url}${path}`, { contentType: 'application/json', body: JSON.stringify({ sku: 'a', quantity: SECRET }) });
      expectProblem(response, 422, 'ERR_VALIDATION_FAILED');
      expect(response.json().errors).toEqual([expect.objectContaining({ path: ['quantity'], code: 'invalid_type' })]);
      expect(response.text).not.toContain(SECRET);
    });

    it('rejects mass assignment of unknown keys with 422 naming them', async () => {
      const response = await send(`${app.url}${path}`, { contentType: 'application/json', body: JSON.stringify({ sku: 'a', isAdmin: SECRET }) });
      expectProblem(response, 422, 'ERR_VALIDATION_FAILED');
      expect(response.json().errors).toEqual([{ path: ['isAdmin'], message: 'Unknown key.', code: 'unknown_key' }]);
      expect(response.text).not.toContain(SECRET);
    });

    it('rejects prototype pollution through a top-level __proto__', async () => {
      const response = await send(`${app.url}${path}`, { contentType: 'application/json', body: '{"sku":"a","__proto__":{"polluted":true}}' });
      expectProblem(response, 400, 'ERR_BODY_FORBIDDEN_KEY');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('rejects prototype pollution through a nested constructor.prototype', async () => {
      const body = '{"sku":"a","tags":[{"constructor":{"prototype":{"polluted":true}}}]}';
      const response = await send(`${app.url}${path}`, { contentType: 'application/json', body });
      expectProblem(response, 400, 'ERR_BODY_FORBIDDEN_KEY');
    });
  });

  it('strips unknown keys from a zod body when asked', async () => {
    const response = await send(`${app.url}/strip`, { contentType: 'application/json', body: '{"sku":"a","isAdmin":true}' });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ body: { sku: 'a', quantity: 1, tags: [] } });
  });

  it('strips unknown keys from a JSON Schema body when asked', async () => {
    const response = await send(`${app.url}/strip-json`, { contentType: 'application/json', body: '{"sku":"a","isAdmin":true}' });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ body: { sku: 'a', quantity: 1, tags: [] } });
  });

  it('rejects 33-deep nesting with 400 and accepts 32', async () => {
    const deep = await send(`${app.url}/anything`, { contentType: 'application/json', body: JSON.stringify(nested(33)) });
    expectProblem(deep, 400, 'ERR_BODY_TOO_DEEP');
    const limit = await send(`${app.url}/anything`, { contentType: 'application/json', body: JSON.stringify(nested(32)) });
    expect(limit.status).toBe(200);
  });

  it('rejects a body one byte over the default limit with 413', async () => {
    const atLimit = `"${'a'.repeat(100 * 1024 - 2)}"`;
    expect((await send(`${app.url}/anything`, { contentType: 'application/json', body: atLimit })).status).toBe(200);
    const overLimit = `"${'a'.repeat(100 * 1024 - 1)}"`;
    expectProblem(await send(`${app.url}/anything`, { contentType: 'application/json', body: overLimit }), 413, 'ERR_BODY_TOO_LARGE');
  });

  it('rejects a chunked body over limitBytes with 413', async () => {
    const overLimit = `"${'a'.repeat(1023)}"`;
    const response = await send(`${app.url}/small`, { contentType: 'application/json', body: overLimit, chunked: true });
    expectProblem(response, 413, 'ERR_BODY_TOO_LARGE');
  });

  it('rejects text/plain with 415', async () => {
    const response = await send(`${app.url}/zod`, { contentType: 'text/plain', body: '{"sku":"a"}' });
    expectProblem(response, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a body without a content type with 415', async () => {
    const response = await send(`${app.url}/zod`, { body: '{"sku":"a"}' });
    expectProblem(response, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('validates an empty body without a content type as missing', async () => {
    const required = await send(`${app.url}/zod`, {});
    expectProblem(required, 422, 'ERR_VALIDATION_FAILED');
    expect(required.json().errors).toEqual([{ path: [], message: 'Expected object.', code: 'invalid_type' }]);
    const optional = await send(`${app.url}/optional`, {});
    expect(optional.status).toBe(200);
    expect(optional.json()).toEqual({ body: null });
  });

  it('rejects invalid JSON with 400 and no echo', async () => {
    const response = await send(`${app.url}/zod`, { contentType: 'application/json', body: `{"sku": ${SECRET}` });
    expectProblem(response, 400, 'ERR_BODY_INVALID');
    expect(response.text).not.toContain(SECRET);
  });

  it('rejects invalid UTF-8 with 400', async () => {
    const response = await send(`${app.url}/anything`, { contentType: 'application/json', body: Buffer.from([0x22, 0xc3, 0x28, 0x22]) });
    expectProblem(response, 400, 'ERR_BODY_INVALID');
  });

  it('rejects a charset other than UTF-8 with 415', async () => {
    const response = await send(`${app.url}/anything`, { contentType: 'application/json; charset=latin1', body: '1' });
    expectProblem(response, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('runs async refinements', async () => {
    const free = await send(`${app.url}/async`, { contentType: 'application/json', body: '{"name":"free"}' });
    expect(free.json()).toEqual({ body: { name: 'free' } });
    expectProblem(await send(`${app.url}/async`, { contentType: 'application/json', body: '{"name":"taken"}' }), 422, 'ERR_VALIDATION_FAILED');
  });

  it('parses urlencoded bodies with bracket keys when enabled', async () => {
    const response = await send(`${app.url}/form`, {
      contentType: 'application/x-www-form-urlencoded',
      body: 'name=Ada&address[city]=Paris&tags[]=x&tags[]=y',
    });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ body: { name: 'Ada', address: { city: 'Paris' }, tags: ['x', 'y'] } });
  });

  it('rejects prototype pollution through urlencoded bracket keys', async () => {
    const response = await send(`${app.url}/form`, { contentType: 'application/x-www-form-urlencoded', body: 'a[__proto__][polluted]=1' });
    expectProblem(response, 400, 'ERR_BODY_FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects urlencoded bodies unless enabled', async () => {
    const response = await send(`${app.url}/zod`, { contentType: 'application/x-www-form-urlencoded', body: 'sku=a' });
    expectProblem(response, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('validates the query and replaces it with the output', async () => {
    const response = await send(`${app.url}/query?page=3&sort=asc`, { method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ query: { page: 3, sort: 'asc' } });
    const defaults = await send(`${app.url}/query`, { method: 'GET' });
    expect(defaults.json()).toEqual({ query: { page: 1 } });
  });

  it('coerces a query for a JSON Schema with bracket keys', async () => {
    const response = await send(`${app.url}/query-json?page=2&filter[tag][]=a&filter[tag][]=b`, { method: 'GET' });
    expect(response.json()).toEqual({ query: { page: 2, filter: { tag: ['a', 'b'] } } });
  });

  it('wraps a single query value for an array schema', async () => {
    const response = await send(`${app.url}/query-json?filter[tag]=a`, { method: 'GET' });
    expect(response.json()).toEqual({ query: { page: 1, filter: { tag: ['a'] } } });
  });

  it('rejects an invalid query with 422 and no echo', async () => {
    const response = await send(`${app.url}/query?page=${SECRET}&debug=1`, { method: 'GET' });
    expectProblem(response, 422, 'ERR_VALIDATION_FAILED');
    expect(response.text).not.toContain(SECRET);
  });

  it('rejects prototype pollution through the query', async () => {
    const response = await send(`${app.url}/query?__proto__[polluted]=1`, { method: 'GET' });
    expectProblem(response, 400, 'ERR_INVALID_REQUEST');
  });
});

describe.each(frameworks.filter((framework) => framework.kind === 'express'))('validateBody after express.json() on $name', (framework) => {
  const { validateBody } = framework.bulwark;
  let app: RunningApp;

  beforeAll(async () => {
    const echo = ({ body }: { body: unknown }) => ({ body: { body: body ?? null } });
    app = await framework.start(
      [
        { method: 'post', path: '/zod', middleware: [validateBody(zodOrder)], handle: echo },
        { method: 'post', path: '/json-schema', middleware: [validateBody(jsonOrder)], handle: echo },
      ],
      { jsonParser: true },
    );
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(['/zod', '/json-schema'])('validates the parsed body at %s', async (path) => {
    const response = await send(`${app.url}${path}`, { contentType: 'application/json', body: '{"sku":"a"}' });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ body: { sku: 'a', quantity: 1, tags: [] } });
  });

  it('rejects unknown keys in a parsed body', async () => {
    const response = await send(`${app.url}/zod`, { contentType: 'application/json', body: '{"sku":"a","isAdmin":true}' });
    expectProblem(response, 422, 'ERR_VALIDATION_FAILED');
  });

  it('rejects prototype pollution in a parsed body', async () => {
    const response = await send(`${app.url}/zod`, { contentType: 'application/json', body: '{"sku":"a","nested":{"__proto__":{"polluted":true}}}' });
    expectProblem(response, 400, 'ERR_BODY_FORBIDDEN_KEY');
  });

  it('still rejects text/plain that the parser skipped', async () => {
    const response = await send(`${app.url}/zod`, { contentType: 'text/plain', body: 'sku=a' });
    expectProblem(response, 415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe.each(frameworks.filter((framework) => framework.kind === 'koa'))('validateBody after a Koa body parser on $name', (framework) => {
  const { validateBody } = framework.bulwark;
  let app: RunningApp;

  // A minimal body parser, as koa-bodyparser would be: it consumes the stream and sets the body.
  const parseBody = async (context: any, next: () => Promise<unknown>) => {
    const chunks: Buffer[] = [];
    for await (const chunk of context.req) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    context.request.body = text === '' ? {} : JSON.parse(text);
    await next();
  };

  beforeAll(async () => {
    const echo = ({ body }: { body: unknown }) => ({ body: { body: body ?? null } });
    app = await framework.start([{ method: 'post', path: '/zod', middleware: [validateBody(zodOrder)], handle: echo }], { use: [parseBody] });
  });

  afterAll(async () => {
    await app.close();
  });

  it('validates the parsed body', async () => {
    const response = await send(`${app.url}/zod`, { contentType: 'application/json', body: '{"sku":"a"}' });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ body: { sku: 'a', quantity: 1, tags: [] } });
  });

  it('rejects prototype pollution in a parsed body', async () => {
    const response = await send(`${app.url}/zod`, { contentType: 'application/json', body: '{"sku":"a","x":{"__proto__":{"polluted":true}}}' });
    expectProblem(response, 400, 'ERR_BODY_FORBIDDEN_KEY');
  });
});

describe.each(frameworks)('validateBody unknown key reports on $name', (framework) => {
  it('caps the count and length of named keys', async () => {
    const app = await framework.start([{ method: 'post', path: '/zod', middleware: [framework.bulwark.validateBody(zodOrder)] }]);
    try {
      const body: Record<string, unknown> = { sku: 'a' };
      for (let index = 0; index < 50; index += 1) {
        body[`${'k'.repeat(100)}${index}`] = SECRET;
      }
      const response = await send(`${app.url}/zod`, { contentType: 'application/json', body: JSON.stringify(body) });
      expectProblem(response, 422, 'ERR_VALIDATION_FAILED');

      const errors = response.json().errors as Array<{ path: string[]; code: string }>;
      expect(errors).toHaveLength(20);
      for (const error of errors) {
        expect(error.code).toBe('unknown_key');
        expect(error.path).toEqual([`${'k'.repeat(64)}...`]);
      }
      expect(response.text).not.toContain(SECRET);
    } finally {
      await app.close();
    }
  });
});

describe.each(frameworks)('validateBody after a consumed stream on $name', (framework) => {
  it('fails with 500 instead of waiting', async () => {
    const drain = async (stream: NodeJS.ReadableStream) => {
      for await (const _chunk of stream) {
        // discard
      }
    };
    const consume =
      framework.kind === 'express'
        ? (req: any, _res: any, next: () => void) => void drain(req).then(() => next())
        : async (ctx: any, next: () => Promise<unknown>) => {
            await drain(ctx.req);
            await next();
          };
    const app = await framework.start([{ method: 'post', path: '/zod', middleware: [framework.bulwark.validateBody(zodOrder)] }], { use: [consume] });
    try {
      const response = await send(`${app.url}/zod`, { contentType: 'application/json', body: '{"sku":"a"}' });
      expectProblem(response, 500, 'ERR_INTERNAL');
      expect(response.json().detail).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
