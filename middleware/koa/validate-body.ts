import type { InferOutput, Schema } from '../../src/validate/index.js';
import { createBodyValidation } from '../http/validate-body.js';
import type { ValidateBodyOptions, ValidateQueryOptions } from '../http/validate-options.js';
import { createQueryValidation } from '../http/validate-query.js';
import type { KoaBodyContext, KoaNext, KoaQueryContext } from './types.js';

export type { ValidateBodyOptions, ValidateQueryOptions } from '../http/validate-options.js';
export type { InferOutput, JsonSchema, Schema, ValidationIssue } from '../../src/validate/index.js';

/**
 * Creates Koa middleware that validates the request body against a Standard Schema (zod 4,
 * valibot 1, arktype) or a JSON Schema, and replaces `ctx.request.body` with the schema's output.
 *
 * When no body parser ran, it reads the body itself: JSON (and urlencoded with `urlencoded: true`)
 * up to `limitBytes` (413), nested at most `maxDepth` levels (400), other media types 415, invalid
 * JSON 400. A body that a parser already set on `ctx.request.body` is checked and validated as it
 * is. Keys `__proto__`, `constructor` and `prototype` are rejected with 400 anywhere in the body
 * (prototype pollution). A body that fails the schema is 422 `ERR_VALIDATION_FAILED` with
 * `errors: [{ path, message, code }]`; undeclared keys fail too, unless `unknownKeys: 'strip'`.
 * No value from the request appears in an error.
 *
 * The schema compiles when this function is called: a schema that does not compile throws
 * `ERR_SCHEMA_INVALID` and a bad option throws `ERR_OPTION_INVALID`.
 *
 * @example
 * ```ts
 * const order = z.object({ sku: z.string(), quantity: z.number().int().min(1).default(1) });
 * router.post('/orders', validateBody(order), (ctx: KoaBodyContext<z.output<typeof order>>) => {
 *   ctx.body = { quantity: ctx.request.body.quantity };
 * });
 * ```
 */
export function validateBody<S extends Schema>(
  schema: S,
  options: ValidateBodyOptions = {},
): (context: KoaBodyContext<InferOutput<S>>, next: KoaNext) => Promise<void> {
  const validation = createBodyValidation(schema, options);

  return async (context, next) => {
    const body = await validation.body(context.req, context.request.body);
    context.request.body = await validation.validate(body);
    await next();
  };
}

/**
 * Creates Koa middleware that validates the query string against a Standard Schema or a JSON
 * Schema and replaces `ctx.request.query` (and so `ctx.query`) with the schema's output.
 *
 * The query is parsed from the URL with bracket syntax (`a[b]=1`, `c[]=2`), at most `maxDepth`
 * levels and `maxParameters` pairs, and keys `__proto__`, `constructor` and `prototype` are
 * rejected with 400. JSON Schemas coerce strings to the declared types; with zod, use
 * `z.coerce`. Failures are 422 as for {@link validateBody}.
 *
 * @example
 * ```ts
 * const page = z.object({ page: z.coerce.number().int().min(1).default(1) });
 * router.get('/orders', validateQuery(page), (ctx: KoaQueryContext<z.output<typeof page>>) => {
 *   ctx.body = { page: ctx.query.page };
 * });
 * ```
 */
export function validateQuery<S extends Schema>(
  schema: S,
  options: ValidateQueryOptions = {},
): (context: KoaQueryContext<InferOutput<S>>, next: KoaNext) => Promise<void> {
  const validation = createQueryValidation(schema, options);

  return async (context, next) => {
    const value = await validation.validate(validation.parse(context.req.url));

    // Koa's `request.query` is a getter that parses the URL again; an own property shadows it,
    // and `ctx.query` reads through to it.
    Object.defineProperty(context.request, 'query', { value, writable: true, enumerable: true, configurable: true });
    await next();
  };
}
