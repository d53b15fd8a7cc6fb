import fc from 'fast-check';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { frameworks, type RunningApp } from '../helpers/frameworks.js';
import { send } from './send.js';

// Bounded per framework: each run is one request to a server on 127.0.0.1.
const JSON_RUNS = 80;
const BYTES_RUNS = 60;

const ALLOWED_STATUSES = new Set([200, 400, 413, 415, 422]);

// Strings shorter than this could match the fixed words of a problem document by chance.
const ECHO_MIN_LENGTH = 8;

const zodSchema = z.object({ sku: z.string().min(2), quantity: z.number().int().optional(), tags: z.array(z.string()).optional() });
const valibotSchema = v.object({ sku: v.pipe(v.string(), v.minLength(2)), quantity: v.optional(v.number()), tags: v.optional(v.array(v.string())) });
const jsonSchema = {
  type: 'object',
  properties: { sku: { type: 'string', minLength: 2 }, quantity: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
  required: ['sku'],
};

// Collects the object keys and the string values of a JSON value, walking without recursion.
function stringsOf(value: unknown): { keys: Set<string>; values: Set<string> } {
  const keys = new Set<string>();
  const values = new Set<string>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node === 'string') {
      values.add(node);
    } else if (Array.isArray(node)) {
      pending.push(...node);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        keys.add(key);
        pending.push(child);
      }
    }
  }
  return { keys, values };
}

// Key names may appear in paths by design; values never may.
function echoedValues(value: unknown, responseText: string): string[] {
  const { keys, values } = stringsOf(value);
  const keyText = [...keys].join('\n');
  return [...values].filter((text) => {
    if (text.length < ECHO_MIN_LENGTH || keyText.includes(text)) {
      return false;
    }
    return responseText.includes(text) || responseText.includes(JSON.stringify(text).slice(1, -1));
  });
}

const bodyArbitrary = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    { sku: fc.jsonValue({ maxDepth: 2 }), quantity: fc.jsonValue({ maxDepth: 2 }), tags: fc.jsonValue({ maxDepth: 3 }), extra: fc.jsonValue({ maxDepth: 3 }) },
    { requiredKeys: [] },
  ),
);

describe.each(frameworks)('validateBody with random input on $name', (framework) => {
  const { validateBody } = framework.bulwark;
  let app: RunningApp;

  beforeAll(async () => {
    const handle = () => ({ body: { ok: true } });
    app = await framework.start([
      { method: 'post', path: '/zod', middleware: [validateBody(zodSchema, { urlencoded: true })], handle },
      { method: 'post', path: '/valibot', middleware: [validateBody(valibotSchema, { urlencoded: true })], handle },
      { method: 'post', path: '/json-schema', middleware: [validateBody(jsonSchema, { urlencoded: true })], handle },
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers random JSON without a 5xx or an echo', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, fc.constantFrom('/zod', '/valibot', '/json-schema'), async (body, path) => {
        const response = await send(`${app.url}${path}`, { contentType: 'application/json', body: JSON.stringify(body) });
        expect(ALLOWED_STATUSES.has(response.status)).toBe(true);
        expect(echoedValues(body, response.text)).toEqual([]);
      }),
      { numRuns: JSON_RUNS },
    );
  });

  it('answers random bytes without a 5xx or an echo', async () => {
    const contentTypes = fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', undefined);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), contentTypes, fc.constantFrom('/zod', '/valibot', '/json-schema'), async (bytes, contentType, path) => {
        const response = await send(`${app.url}${path}`, { contentType, body: Buffer.from(bytes) });
        expect(ALLOWED_STATUSES.has(response.status)).toBe(true);

        const text = Buffer.from(bytes).toString('utf8');
        if (text.length >= ECHO_MIN_LENGTH && response.status !== 200) {
          expect(response.text).not.toContain(text);
        }
      }),
      { numRuns: BYTES_RUNS },
    );
  });
});
