import { BulwarkError } from '../errors.js';
import { compileJsonSchema } from './json-schema.js';
import { compileStandardSchema, isStandardSchema } from './standard-schema.js';
import type { CompiledSchema, InferOutput, JsonSchema, Schema, ValidateOptions, ValidationResult } from './types.js';

// Compiled schemas by schema object, then by option set, so each schema compiles once per option
// set and is freed with the schema. Boolean schemas are not objects and compile in no time.
const cache = new WeakMap<object, Map<string, CompiledSchema>>();

const UNKNOWN_KEYS = new Set(['reject', 'strip']);

/**
 * Compiles a Standard Schema or a JSON Schema once and returns a reusable validator. A JSON
 * Schema that ajv cannot compile, or an object that is neither kind of schema, throws
 * `ERR_SCHEMA_INVALID`. The result is cached by schema object, so compiling the same schema
 * again with the same options returns the same validator.
 *
 * @example
 * ```ts
 * const order = compileSchema({ type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] });
 * const result = await order.run({ id: 7 });
 * ```
 */
export function compileSchema<S extends Schema>(schema: S, options: ValidateOptions = {}): CompiledSchema<InferOutput<S>> {
  const unknownKeys = options.unknownKeys ?? 'reject';
  const coerceTypes = options.coerceTypes ?? false;
  if (!UNKNOWN_KEYS.has(unknownKeys)) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'The option "unknownKeys" must be "reject" or "strip".', { option: 'unknownKeys' });
  }
  if (typeof coerceTypes !== 'boolean' && coerceTypes !== 'array') {
    throw new BulwarkError('ERR_OPTION_INVALID', 'The option "coerceTypes" must be true, false or "array".', { option: 'coerceTypes' });
  }

  if (typeof schema === 'boolean') {
    return compileJsonSchema(schema, unknownKeys, coerceTypes);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new BulwarkError('ERR_SCHEMA_INVALID', 'The schema must be a Standard Schema (zod, valibot, arktype) or a JSON Schema object.');
  }

  const cacheKey = `${unknownKeys}:${coerceTypes}`;
  const compiled = cache.get(schema)?.get(cacheKey);
  if (compiled !== undefined) {
    return compiled as CompiledSchema<InferOutput<S>>;
  }

  const created = isStandardSchema(schema)
    ? compileStandardSchema<InferOutput<S>>(schema, unknownKeys)
    : compileJsonSchema<InferOutput<S>>(schema as JsonSchema, unknownKeys, coerceTypes);
  const entries = cache.get(schema) ?? new Map<string, CompiledSchema>();
  entries.set(cacheKey, created);
  cache.set(schema, entries);
  return created;
}

/**
 * Validates `data` against a Standard Schema v1 (zod 4, valibot 1, arktype) or a JSON Schema
 * (draft 2020-12 by default, draft-07 when `$schema` names it) and returns the schema's output
 * with defaults, coercions and transforms applied, or the issues.
 *
 * Keys that the schema does not declare fail with `unknown_key` issues unless
 * `unknownKeys: 'strip'` is set. `data` is never mutated. Issue messages never contain a value
 * from `data`; paths contain its keys, each cut to 64 characters. The schema compiles on first
 * use and is cached by object, so pass the same schema object each time.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 *
 * const result = await validate(input, z.object({ email: z.email(), age: z.number().int() }));
 * if (result.ok) {
 *   console.log(result.value.email);
 * } else {
 *   console.log(result.issues); // [{ path: ['age'], message: 'Expected number.', code: 'invalid_type' }]
 * }
 * ```
 */
export async function validate<S extends Schema>(data: unknown, schema: S, options: ValidateOptions = {}): Promise<ValidationResult<InferOutput<S>>> {
  return compileSchema(schema, options).run(data, false);
}
