import type { InferOutput, Schema } from '../../src/validate/index.js';
import { createBodyValidation } from '../http/validate-body.js';
import type { ValidateBodyOptions, ValidateQueryOptions } from '../http/validate-options.js';
import { createQueryValidation } from '../http/validate-query.js';
import type { ExpressBodyMiddleware, ExpressQueryMiddleware, ExpressRequest, NextFunction } from './types.js';

export type { ValidateBodyOptions, ValidateQueryOptions } from '../http/validate-options.js';
export type { InferOutput, JsonSchema, Schema, ValidationIssue } from '../../src/validate/index.js';

/**
 * Creates Express middleware that validates the request body against a Standard Schema (zod 4,
 * valibot 1, arktype) or a JSON Schema, and replaces `req.body` with the schema's output.
 *
 * When no body parser ran, it reads the body itself: JSON (and urlencoded with `urlencoded: true`)
 * up to `limitBytes` (413), nested at most `maxDepth` levels (400), other media types 415, invalid
 * JSON 400. A body that `express.json()` already parsed is checked and validated as it is. Keys
 * `__proto__`, `constructor` and `prototype` are rejected with 400 anywhere in the body, whatever
 * the schema allows, because merge code turns them into prototype pollution. A body that fails the
 * schema is 422 `ERR_VALIDATION_FAILED` with `errors: [{ path, message, code }]`. Keys that the
 * schema does not declare fail too, unless `unknownKeys: 'strip'`, which stops mass assignment
 * (OWASP ASVS 4.0.3, V5.1.2). No value from the request appears in an error.
 *
 * The schema compiles when this function is called: a schema that does not compile throws
 * `ERR_SCHEMA_INVALID` and a bad option throws `ERR_OPTION_INVALID`.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 *
 * const order = z.object({ sku: z.string(), quantity: z.number().int().min(1).default(1) });
 * app.post('/orders', validateBody(order), (req, res) => {
 *   res.json({ quantity: req.body.quantity }); // req.body is { sku: string; quantity: number }
 * });
 * ```
 */
export function validateBody<S extends Schema>(schema: S, options: ValidateBodyOptions = {}): ExpressBodyMiddleware<InferOutput<S>> {
  const validation = createBodyValidation(schema, options);

  return (request, _response, next) => {
    let output: InferOutput<S> | Promise<InferOutput<S>>;
    try {
      const body = validation.body(request, request.body);
      if (body instanceof Promise) {
        body.then(validation.validate).then((value) => replaceBody(request, next, value), next);
        return;
      }
      output = validation.validate(body);
    } catch (error) {
      next(error);
      return;
    }

    if (output instanceof Promise) {
      output.then((value) => replaceBody(request, next, value), next);
    } else {
      replaceBody(request, next, output);
    }
  };
}

function replaceBody(request: ExpressRequest, next: NextFunction, value: unknown): void {
  request.body = value;
  next();
}

/**
 * Creates Express middleware that validates the query string against a Standard Schema or a
 * JSON Schema and replaces `req.query` with the schema's output. It works on Express 5, where
 * `req.query` is a getter, by defining `query` on the request object itself.
 *
 * The query is parsed from the URL with bracket syntax (`a[b]=1`, `c[]=2`), at most `maxDepth`
 * levels and `maxParameters` pairs, and keys `__proto__`, `constructor` and `prototype` are
 * rejected with 400. JSON Schemas coerce strings to the declared types; with zod, use
 * `z.coerce`. Failures are 422 as for {@link validateBody}.
 *
 * @example
 * ```ts
 * const page = z.object({ page: z.coerce.number().int().min(1).default(1) });
 * app.get('/orders', validateQuery(page), (req, res) => {
 *   res.json({ page: req.query.page }); // number
 * });
 * ```
 */
export function validateQuery<S extends Schema>(schema: S, options: ValidateQueryOptions = {}): ExpressQueryMiddleware<InferOutput<S>> {
  const validation = createQueryValidation(schema, options);

  return (request, _response, next) => {
    let output: InferOutput<S> | Promise<InferOutput<S>>;
    try {
      output = validation.validate(validation.parse(request.url));
    } catch (error) {
      next(error);
      return;
    }

    if (output instanceof Promise) {
      output.then((value) => replaceQuery(request, next, value), next);
    } else {
      replaceQuery(request, next, output);
    }
  };
}

// Express 5 defines `req.query` as a getter on the request prototype, so assignment would not
// replace it. An own property shadows the getter on Express 5 and replaces the value on Express 4.
function replaceQuery(request: ExpressRequest, next: NextFunction, value: unknown): void {
  Object.defineProperty(request, 'query', { value, writable: true, enumerable: true, configurable: true });
  next();
}
