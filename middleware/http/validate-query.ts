import type { InferOutput, Schema } from '../../src/validate/index.js';
import { parseUrlencoded } from './urlencoded.js';
import { resolveQueryOptions, type QuerySettings, type ValidateQueryOptions } from './validate-options.js';
import { createPartValidator, type RequestPartValidator } from './validate-result.js';

/** The framework-neutral part of `validateQuery`: settings, the query parser and the validator. */
export interface QueryValidation<Output> {
  readonly settings: QuerySettings;
  /** Parses the query string of a request target such as `/orders?page=2`. */
  parse(url: string | undefined): Record<string, unknown>;
  /** Validates a parsed query and returns the schema's output, or throws 422. */
  readonly validate: RequestPartValidator<Output>;
}

/**
 * Checks the options and compiles the schema, once, when `validateQuery` is called.
 *
 * The query is parsed here, from the request target, and not taken from the framework, because
 * Express 4 (qs), Express 5 and Koa (node:querystring) parse it differently. This parser applies
 * the same bracket syntax, depth limit and forbidden keys as urlencoded bodies. Query values are
 * strings, so a JSON Schema compiles with `coerceTypes: 'array'`: `{ type: 'integer' }` accepts
 * `"2"`, and `{ type: 'array' }` accepts a name given once.
 */
export function createQueryValidation<S extends Schema>(schema: S, options: ValidateQueryOptions): QueryValidation<InferOutput<S>> {
  const settings = resolveQueryOptions(options);
  const validate = createPartValidator(schema, 'query', { unknownKeys: settings.unknownKeys, coerceTypes: 'array' });

  return {
    settings,
    validate,
    parse(url) {
      const start = url === undefined ? -1 : url.indexOf('?');
      if (start === -1) {
        return {};
      }

      const end = url!.indexOf('#', start);
      return parseUrlencoded(url!.slice(start + 1, end === -1 ? undefined : end), settings, 'query');
    },
  };
}
