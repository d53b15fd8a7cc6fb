import { BulwarkError } from '../../src/errors.js';
import type { UnknownKeys } from '../../src/validate/index.js';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_MAX_DEPTH } from './body.js';
import { positiveIntegerOf } from './factory-options.js';

/**
 * Options of `validateBody`.
 *
 * @example
 * ```ts
 * app.post('/signup', validateBody(signup, { urlencoded: true, limitBytes: 16 * 1024 }));
 * ```
 */
export interface ValidateBodyOptions {
  /** The policy for keys that the schema does not declare: `'reject'` (422) or `'strip'`. Defaults to `'reject'`. */
  readonly unknownKeys?: UnknownKeys;
  /** The maximum body size in bytes; a larger body is rejected with 413. Defaults to 102400 (100 KiB). */
  readonly limitBytes?: number;
  /** The maximum nesting depth of the body; a deeper body is rejected with 400. Defaults to 32. */
  readonly maxDepth?: number;
  /** Whether `application/x-www-form-urlencoded` bodies are accepted beside JSON. Defaults to false. */
  readonly urlencoded?: boolean;
  /** The maximum number of `name=value` pairs in a urlencoded body; more is rejected with 413. Defaults to 1000. */
  readonly maxParameters?: number;
}

/**
 * Options of `validateQuery`.
 *
 * @example
 * ```ts
 * app.get('/search', validateQuery(search, { unknownKeys: 'strip', maxParameters: 50 }));
 * ```
 */
export interface ValidateQueryOptions {
  /** The policy for keys that the schema does not declare: `'reject'` (422) or `'strip'`. Defaults to `'reject'`. */
  readonly unknownKeys?: UnknownKeys;
  /** The maximum nesting depth of the query (`a[b]=1` is 2); deeper is rejected with 400. Defaults to 5. */
  readonly maxDepth?: number;
  /** The maximum number of `name=value` pairs; more is rejected with 400. Defaults to 1000. */
  readonly maxParameters?: number;
}

/** The default maximum number of urlencoded parameters, the same as qs and body-parser. */
export const DEFAULT_MAX_PARAMETERS = 1000;

/** The default maximum nesting depth of a query string, the same as qs (Express 4's query parser). */
export const DEFAULT_QUERY_MAX_DEPTH = 5;

/** Body options with every default filled in. */
export interface BodySettings {
  readonly unknownKeys: UnknownKeys;
  readonly limitBytes: number;
  readonly maxDepth: number;
  readonly urlencoded: boolean;
  readonly maxParameters: number;
}

/** Query options with every default filled in. */
export interface QuerySettings {
  readonly unknownKeys: UnknownKeys;
  readonly maxDepth: number;
  readonly maxParameters: number;
}

/** Checks the options of `validateBody` once, at setup, and fills in the defaults. */
export function resolveBodyOptions(options: ValidateBodyOptions): BodySettings {
  assertKnownOptions('validateBody', options, ['unknownKeys', 'limitBytes', 'maxDepth', 'urlencoded', 'maxParameters']);

  return {
    unknownKeys: unknownKeysOption(options.unknownKeys),
    limitBytes: positiveIntegerOf(options.limitBytes, DEFAULT_BODY_LIMIT_BYTES, 'validateBody', 'limitBytes', 'bytes'),
    maxDepth: positiveIntegerOf(options.maxDepth, DEFAULT_MAX_DEPTH, 'validateBody', 'maxDepth', 'levels'),
    urlencoded: booleanOption('urlencoded', options.urlencoded, false),
    maxParameters: positiveIntegerOf(options.maxParameters, DEFAULT_MAX_PARAMETERS, 'validateBody', 'maxParameters', 'parameters'),
  };
}

/** Checks the options of `validateQuery` once, at setup, and fills in the defaults. */
export function resolveQueryOptions(options: ValidateQueryOptions): QuerySettings {
  assertKnownOptions('validateQuery', options, ['unknownKeys', 'maxDepth', 'maxParameters']);

  return {
    unknownKeys: unknownKeysOption(options.unknownKeys),
    maxDepth: positiveIntegerOf(options.maxDepth, DEFAULT_QUERY_MAX_DEPTH, 'validateQuery', 'maxDepth', 'levels'),
    maxParameters: positiveIntegerOf(options.maxParameters, DEFAULT_MAX_PARAMETERS, 'validateQuery', 'maxParameters', 'parameters'),
  };
}

function assertKnownOptions(factory: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) {
    throw new BulwarkError('ERR_OPTION_INVALID', `The options of ${factory} must be an object.`);
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new BulwarkError('ERR_OPTION_INVALID', `Unknown option "${name}" of ${factory}; the options are ${known.join(', ')}.`, {
        option: name,
      });
    }
  }
}

function unknownKeysOption(value: unknown): UnknownKeys {
  if (value === undefined) {
    return 'reject';
  }
  if (value !== 'reject' && value !== 'strip') {
    throw new BulwarkError('ERR_OPTION_INVALID', 'The option "unknownKeys" must be "reject" or "strip".', { option: 'unknownKeys' });
  }
  return value;
}

function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    throw new BulwarkError('ERR_OPTION_INVALID', `The option "${name}" must be true or false.`, { option: name });
  }
  return value;
}
