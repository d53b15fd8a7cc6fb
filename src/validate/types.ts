import type { StandardSchemaV1 } from '@standard-schema/spec';

/**
 * A JSON Schema (draft 2020-12 or draft-07) as a plain object, or the boolean schemas `true` and `false`.
 *
 * @example
 * ```ts
 * const order: JsonSchema = { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] };
 * ```
 */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/**
 * A schema that `validate` accepts: any Standard Schema v1 object (zod 4, valibot 1, arktype) or a JSON Schema.
 *
 * @example
 * ```ts
 * const schemas: Schema[] = [z.object({ sku: z.string() }), v.object({ sku: v.string() }), { type: 'string' }];
 * ```
 */
export type Schema = StandardSchemaV1 | JsonSchema;

/**
 * The value type that a schema produces: the output type of a Standard Schema, `unknown` for a JSON Schema.
 *
 * @example
 * ```ts
 * type Page = InferOutput<typeof pageSchema>; // { page: number } for z.object({ page: z.coerce.number() })
 * ```
 */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer Output> ? Output : unknown;

/**
 * The policy for object keys that the schema does not declare.
 * - `'reject'`: the value fails with one `unknown_key` issue per key.
 * - `'strip'`: the keys are removed from the output.
 *
 * @example
 * ```ts
 * const result = await validate(input, schema, { unknownKeys: 'strip' satisfies UnknownKeys });
 * ```
 */
export type UnknownKeys = 'reject' | 'strip';

/**
 * One reason a value failed validation. It never contains a value from the input.
 *
 * @example
 * ```ts
 * const issue: ValidationIssue = { path: ['items', 0, 'quantity'], message: 'Expected number.', code: 'invalid_type' };
 * ```
 */
export interface ValidationIssue {
  /** The keys and array indices from the root to the failing value; `[]` is the root. */
  readonly path: ReadonlyArray<string | number>;
  /** A message built from the schema's rules, such as "Expected number.". */
  readonly message: string;
  /** A stable code, such as `invalid_type`, `too_small`, `required` or `unknown_key`. */
  readonly code: string;
}

/**
 * The outcome of `validate`: the schema's output, or the issues.
 *
 * @example
 * ```ts
 * const result: ValidationResult<{ sku: string }> = await validate(input, z.object({ sku: z.string() }));
 * if (!result.ok) {
 *   console.log(result.issues.map((issue) => issue.code));
 * }
 * ```
 */
export type ValidationResult<Output = unknown> =
  | { readonly ok: true; readonly value: Output }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Options of `validate` and `compileSchema`.
 *
 * @example
 * ```ts
 * const options: ValidateOptions = { unknownKeys: 'strip', coerceTypes: true };
 * ```
 */
export interface ValidateOptions {
  /** The policy for keys that the schema does not declare. Defaults to `'reject'`. */
  readonly unknownKeys?: UnknownKeys;
  /**
   * JSON Schema only: converts strings to the declared types (`"2"` to `2` for `type: 'integer'`),
   * as query strings need. `'array'` also wraps a single value where the schema expects an array.
   * Defaults to false. Standard Schema libraries have their own coercion.
   */
  readonly coerceTypes?: boolean | 'array';
}

/**
 * A schema compiled once, ready to validate many values.
 *
 * @example
 * ```ts
 * const compiled: CompiledSchema<unknown> = compileSchema({ type: 'integer' });
 * const result = await compiled.run(42);
 * ```
 */
export interface CompiledSchema<Output = unknown> {
  /**
   * Validates `data` and returns the result, synchronously when the schema allows it.
   * `data` is not mutated unless `owned` is true, which lets the validator fill in defaults and
   * remove keys in place instead of on a copy.
   */
  run(data: unknown, owned?: boolean): ValidationResult<Output> | Promise<ValidationResult<Output>>;
}
