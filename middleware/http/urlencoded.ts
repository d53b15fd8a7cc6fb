import type { BulwarkErrorCode } from '../../src/errors.js';
import { FORBIDDEN_KEYS } from './body.js';
import { HttpError } from './errors.js';

/** Limits of {@link parseUrlencoded}. */
export interface UrlencodedLimits {
  /** The maximum nesting depth of the result: `a=1` is depth 1, `a[b]=1` depth 2. */
  readonly maxDepth: number;
  /** The maximum number of `name=value` pairs. */
  readonly maxParameters: number;
}

/** The origin of the text, which sets the error status, code and message. */
export type UrlencodedSource = 'body' | 'query';

// A name with bracket segments: `a`, `a[b]`, `a[b][]`, `a[0][c]`. Other names are taken literally.
const BRACKETED_NAME = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;
const INDEX = /^(?:0|[1-9]\d{0,5})$/;

type Container = Record<string, unknown> | unknown[];

/**
 * Parses `application/x-www-form-urlencoded` text (a body or a query string) into plain objects.
 *
 * Bracket names nest: `a[b]=1` gives `{ a: { b: '1' } }`, `c[]=1&c[]=2` gives `{ c: ['1', '2'] }`,
 * and `d[0][e]=1` addresses an array element, whose index must be at most the array's length so
 * that no sparse array is created. A name repeated without brackets collects its values in an array.
 *
 * Errors: more than `maxParameters` pairs is 413 for a body and 400 for a query. Nesting past
 * `maxDepth`, a key `__proto__`, `constructor` or `prototype` (prototype pollution), malformed
 * percent-encoding and conflicting names are 400: with `ERR_BODY_TOO_DEEP`,
 * `ERR_BODY_FORBIDDEN_KEY` and `ERR_BODY_INVALID` for a body, `ERR_INVALID_REQUEST` for a query.
 *
 * @example
 * ```ts
 * parseUrlencoded('name=Ada&tags[]=x&address[city]=Paris', { maxDepth: 32, maxParameters: 1000 }, 'body');
 * // { name: 'Ada', tags: ['x'], address: { city: 'Paris' } }
 * ```
 */
export function parseUrlencoded(text: string, limits: UrlencodedLimits, source: UrlencodedSource): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (text === '') {
    return result;
  }

  const pairs = text.split('&');
  if (pairs.length > limits.maxParameters) {
    throw tooManyParameters(limits.maxParameters, source);
  }

  for (const pair of pairs) {
    if (pair === '') {
      continue;
    }

    const separator = pair.indexOf('=');
    const name = decode(separator === -1 ? pair : pair.slice(0, separator), source);
    const value = separator === -1 ? '' : decode(pair.slice(separator + 1), source);
    assign(result, keysOf(name, limits.maxDepth, source), value, source);
  }
  return result;
}

function keysOf(name: string, maxDepth: number, source: UrlencodedSource): string[] {
  const match = BRACKETED_NAME.exec(name);
  const keys = match === null ? [name] : [match[1]!, ...segmentsOf(match[2]!)];

  if (keys.length > maxDepth) {
    throw new HttpError(400, codeFor(source, 'ERR_BODY_TOO_DEEP'), `The ${label(source)} is nested deeper than ${maxDepth} levels.`, {
      details: { maxDepth },
    });
  }
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new HttpError(400, codeFor(source, 'ERR_BODY_FORBIDDEN_KEY'), `The ${label(source)} contains a forbidden key.`, { details: { key } });
    }
  }
  return keys;
}

function segmentsOf(brackets: string): string[] {
  return brackets === '' ? [] : brackets.slice(1, -1).split('][');
}

// Walks or creates containers along `keys` and stores `value` at the end. An empty key appends to
// an array; a decimal index addresses an array; any other key addresses an object.
function assign(root: Record<string, unknown>, keys: string[], value: string, source: UrlencodedSource): void {
  let container: Container = root;

  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    const isLast = index === keys.length - 1;
    const nextKey = keys[index + 1];

    if (isLast) {
      store(container, key, value, source);
      return;
    }

    const existing = read(container, key, source);
    if (existing === undefined) {
      const created: Container = nextKey === '' || INDEX.test(nextKey!) ? [] : {};
      store(container, key, created, source);
      container = created;
    } else if (typeof existing === 'object' && existing !== null) {
      container = existing as Container;
    } else {
      throw conflict(source);
    }
  }
}

function read(container: Container, key: string, source: UrlencodedSource): unknown {
  if (!Array.isArray(container)) {
    return Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
  }
  if (key === '') {
    return undefined;
  }
  if (!INDEX.test(key)) {
    throw conflict(source);
  }
  return container[Number(key)];
}

function store(container: Container, key: string, value: unknown, source: UrlencodedSource): void {
  if (Array.isArray(container)) {
    const position = key === '' ? container.length : Number(key);
    if (!INDEX.test(key) && key !== '') {
      throw conflict(source);
    }
    if (position > container.length) {
      throw new HttpError(400, codeFor(source, 'ERR_BODY_INVALID'), `An array index in the ${label(source)} skips a position.`);
    }
    container[position] = value;
    return;
  }

  const existing = Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
  if (existing === undefined) {
    container[key] = value;
  } else if (typeof value === 'string' && typeof existing === 'string') {
    container[key] = [existing, value];
  } else if (typeof value === 'string' && Array.isArray(existing) && existing.every((item) => typeof item === 'string')) {
    existing.push(value);
  } else {
    throw conflict(source);
  }
}

function decode(text: string, source: UrlencodedSource): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new HttpError(400, codeFor(source, 'ERR_BODY_INVALID'), `The ${label(source)} has invalid percent-encoding.`);
  }
}

function conflict(source: UrlencodedSource): HttpError {
  return new HttpError(400, codeFor(source, 'ERR_BODY_INVALID'), `The ${label(source)} uses one name for a value and a nested object.`);
}

function tooManyParameters(maxParameters: number, source: UrlencodedSource): HttpError {
  const message = `The ${label(source)} has more than ${maxParameters} parameters.`;
  return source === 'body'
    ? new HttpError(413, 'ERR_BODY_TOO_LARGE', message, { details: { maxParameters } })
    : new HttpError(400, 'ERR_INVALID_REQUEST', message, { details: { maxParameters } });
}

// Body errors have specific codes; a query string error is an invalid request as a whole.
function codeFor(source: UrlencodedSource, bodyCode: BulwarkErrorCode): BulwarkErrorCode {
  return source === 'body' ? bodyCode : 'ERR_INVALID_REQUEST';
}

function label(source: UrlencodedSource): string {
  return source === 'body' ? 'request body' : 'query string';
}
