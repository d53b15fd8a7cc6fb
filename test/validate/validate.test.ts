import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { compileSchema, isBulwarkError, MAX_ISSUES, validate, type Schema } from 'bulwark/core';

const SECRET = 'hunter2-secret-value';

const zodUser = z.object({ name: z.string().trim(), age: z.number().int().min(0), role: z.string().default('member') });
const valibotUser = v.object({
  name: v.pipe(v.string(), v.trim()),
  age: v.pipe(v.number(), v.integer(), v.minValue(0)),
  role: v.optional(v.string(), 'member'),
});
const jsonUser = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    age: { type: 'integer', minimum: 0 },
    role: { type: 'string', default: 'member' },
  },
  required: ['name', 'age'],
} as const;

// zod and valibot name the base type of an integer; JSON Schema names the declared type.
const schemas: Array<[string, Schema, string]> = [
  ['zod', zodUser, 'Expected number.'],
  ['valibot', valibotUser, 'Expected number.'],
  ['JSON Schema', jsonUser, 'Expected integer.'],
];

describe.each(schemas)('validate with %s', (_name, schema, typeMessage) => {
  it('returns the output with defaults', async () => {
    const result = await validate({ name: 'Ada', age: 36 }, schema);
    expect(result).toEqual({ ok: true, value: { name: 'Ada', age: 36, role: 'member' } });
  });

  it('reports a wrong type with its path', async () => {
    const result = await validate({ name: 'Ada', age: 'old' }, schema);
    expect(result.ok).toBe(false);
    expect(result).toEqual({ ok: false, issues: [{ path: ['age'], message: typeMessage, code: 'invalid_type' }] });
  });

  it('rejects unknown keys by default', async () => {
    const result = await validate({ name: 'Ada', age: 36, isAdmin: true }, schema);
    expect(result).toEqual({ ok: false, issues: [{ path: ['isAdmin'], message: 'Unknown key.', code: 'unknown_key' }] });
  });

  it('strips unknown keys when asked', async () => {
    const result = await validate({ name: 'Ada', age: 36, isAdmin: true }, schema, { unknownKeys: 'strip' });
    expect(result).toEqual({ ok: true, value: { name: 'Ada', age: 36, role: 'member' } });
  });

  it('leaves the input unchanged', async () => {
    const input = { name: 'Ada', age: 36, isAdmin: true };
    const before = structuredClone(input);
    await validate(input, schema, { unknownKeys: 'strip' });
    await validate(input, schema);
    expect(input).toEqual(before);
  });

  it('keeps input values out of issues', async () => {
    const result = await validate({ name: 7, age: SECRET, role: [SECRET] }, schema);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});

describe('validate with Standard Schema', () => {
  it('applies zod transforms', async () => {
    const schema = z.object({ email: z.string().trim().toLowerCase(), tags: z.array(z.string()).default([]) });
    const result = await validate({ email: '  Ada@Example.COM ' }, schema);
    expect(result).toEqual({ ok: true, value: { email: 'ada@example.com', tags: [] } });
  });

  it('runs async zod refinements', async () => {
    const schema = z.object({ name: z.string().refine(async (name) => name !== 'taken') });
    expect(await validate({ name: 'free' }, schema)).toEqual({ ok: true, value: { name: 'free' } });
    expect(await validate({ name: 'taken' }, schema)).toEqual({ ok: false, issues: [{ path: ['name'], message: 'Invalid value.', code: 'custom' }] });
  });

  it('rejects nested unknown keys by comparing input and output', async () => {
    const schema = z.object({ items: z.array(z.object({ sku: z.string() })) });
    const result = await validate({ items: [{ sku: 'a' }, { sku: 'b', price: 0 }] }, schema);
    expect(result).toEqual({ ok: false, issues: [{ path: ['items', 1, 'price'], message: 'Unknown key.', code: 'unknown_key' }] });
  });

  it('keeps keys that a loose object declares open', async () => {
    const schema = z.looseObject({ sku: z.string() });
    expect(await validate({ sku: 'a', extra: 1 }, schema)).toEqual({ ok: true, value: { sku: 'a', extra: 1 } });
  });

  it('reports keys of strict objects as unknown', async () => {
    const zodResult = await validate({ a: 'x', b: SECRET }, z.strictObject({ a: z.string() }));
    const valibotResult = await validate({ a: 'x', b: SECRET }, v.strictObject({ a: v.string() }));
    const expected = { ok: false, issues: [{ path: ['b'], message: 'Unknown key.', code: 'unknown_key' }] };
    expect(zodResult).toEqual(expected);
    expect(valibotResult).toEqual(expected);
  });

  it.each([
    ['zod literal', z.literal('x')],
    ['zod enum', z.enum(['a', 'b'])],
    ['zod email', z.email()],
    ['zod min length', z.string().min(40)],
    ['zod custom message', z.string().refine(() => false, { error: (issue) => `bad ${String(issue.input)}` })],
    ['valibot literal', v.literal('x')],
    ['valibot picklist', v.picklist(['a', 'b'])],
    ['valibot email', v.pipe(v.string(), v.email())],
    ['valibot min length', v.pipe(v.string(), v.minLength(40))],
    ['valibot number', v.number()],
  ])('keeps the received value out of a %s issue', async (_label, schema) => {
    const result = await validate(SECRET, schema);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('names bounds from the schema in messages', async () => {
    const result = await validate('ab', z.string().min(3));
    expect(result).toEqual({ ok: false, issues: [{ path: [], message: 'Too small: the minimum is 3.', code: 'too_small' }] });
  });

  it('rejects a ~standard property that is not version 1', () => {
    const fake = { '~standard': { version: 2, vendor: 'x', validate: () => ({ value: 1 }) } };
    expect(() => compileSchema(fake as never)).toThrow(expect.objectContaining({ code: 'ERR_SCHEMA_INVALID' }));
  });
});

describe('validate with JSON Schema', () => {
  it('compiles draft-07 when $schema names it', async () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { point: { type: 'array', items: [{ type: 'number' }, { type: 'number' }], minItems: 2, additionalItems: false } },
      type: 'object',
      properties: { at: { $ref: '#/definitions/point' } },
      required: ['at'],
    };
    expect(await validate({ at: [1, 2] }, schema)).toEqual({ ok: true, value: { at: [1, 2] } });
    expect((await validate({ at: [1, 2, 3] }, schema)).ok).toBe(false);
  });

  it('rejects a draft-07 tuple under draft 2020-12', () => {
    const schema = { type: 'array', items: [{ type: 'number' }] };
    expect(() => compileSchema(schema)).toThrow(expect.objectContaining({ code: 'ERR_SCHEMA_INVALID' }));
  });

  it.each([
    ['an unknown keyword', { type: 'object', requird: ['a'] }, 'requird'],
    ['a draft it does not support', { $schema: 'http://json-schema.org/draft-04/schema#' }, 'draft-07'],
    ['a bad type', { type: 'text' }, 'type'],
  ])('throws ERR_SCHEMA_INVALID for %s', (_label, schema, named) => {
    let thrown: unknown;
    try {
      compileSchema(schema);
    } catch (error) {
      thrown = error;
    }
    expect(isBulwarkError(thrown, 'ERR_SCHEMA_INVALID')).toBe(true);
    expect((thrown as Error).message).toContain(named);
  });

  it.each([null, 42, 'schema', [1]])('throws ERR_SCHEMA_INVALID for %j', (schema) => {
    expect(() => compileSchema(schema as never)).toThrow(expect.objectContaining({ code: 'ERR_SCHEMA_INVALID' }));
  });

  it('compiles a schema once per object', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(compileSchema(schema)).toBe(compileSchema(schema));
    expect(compileSchema(schema, { unknownKeys: 'strip' })).not.toBe(compileSchema(schema));
  });

  it('sees keys declared through allOf', async () => {
    const schema = {
      type: 'object',
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } } },
        { type: 'object', properties: { b: { type: 'string' } } },
      ],
    };
    expect(await validate({ a: 'x', b: 'y' }, schema)).toEqual({ ok: true, value: { a: 'x', b: 'y' } });
    expect(await validate({ a: 'x', c: 'z' }, schema)).toEqual({ ok: false, issues: [{ path: ['c'], message: 'Unknown key.', code: 'unknown_key' }] });
  });

  it('keeps objects open that allow other keys', async () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'number' } };
    expect(await validate({ a: 'x', b: 1 }, schema)).toEqual({ ok: true, value: { a: 'x', b: 1 } });
  });

  it('strips nested unknown keys', async () => {
    const schema = { type: 'object', properties: { item: { type: 'object', properties: { sku: { type: 'string' } } } } };
    const result = await validate({ item: { sku: 'a', price: 0 }, more: 1 }, schema, { unknownKeys: 'strip' });
    expect(result).toEqual({ ok: true, value: { item: { sku: 'a' } } });
  });

  it('reports a missing property by name', async () => {
    expect(await validate({ name: 'Ada' }, jsonUser)).toEqual({ ok: false, issues: [{ path: ['age'], message: 'Required.', code: 'required' }] });
  });

  it('coerces strings when asked', async () => {
    const schema = { type: 'object', properties: { page: { type: 'integer' } } };
    expect(await validate({ page: '2' }, schema, { coerceTypes: true })).toEqual({ ok: true, value: { page: 2 } });
    expect((await validate({ page: '2' }, schema)).ok).toBe(false);
  });

  it('checks formats with ajv-formats', async () => {
    const schema = { type: 'string', format: 'email' };
    expect((await validate('ada@example.com', schema)).ok).toBe(true);
    expect(await validate(SECRET, schema)).toEqual({ ok: false, issues: [{ path: [], message: 'Must match format "email".', code: 'format' }] });
  });
});

describe('validate issue limits', () => {
  it('cuts long keys in paths', async () => {
    const longKey = 'k'.repeat(500);
    const result = await validate({ [longKey]: 1 }, z.object({}));
    expect(result).toEqual({ ok: false, issues: [{ path: [`${'k'.repeat(64)}...`], message: 'Unknown key.', code: 'unknown_key' }] });
  });

  it('returns at most MAX_ISSUES issues', async () => {
    const input = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`key${index}`, index]));
    const results = [await validate(input, z.object({})), await validate(input, { type: 'object', properties: {} })];
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.issues).toHaveLength(MAX_ISSUES);
    }
  });

  it('rejects invalid options', () => {
    expect(() => compileSchema(zodUser, { unknownKeys: 'allow' as never })).toThrow(expect.objectContaining({ code: 'ERR_OPTION_INVALID' }));
  });
});
