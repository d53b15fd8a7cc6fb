import { describe, expect, it } from 'vitest';

import { HttpError } from '../../middleware/http/errors.js';
import { parseUrlencoded } from '../../middleware/http/urlencoded.js';

const limits = { maxDepth: 5, maxParameters: 10 };

function parse(text: string) {
  return parseUrlencoded(text, limits, 'body');
}

function errorOf(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an HttpError');
}

describe('parseUrlencoded', () => {
  it.each([
    ['', {}],
    ['a=1&b=two', { a: '1', b: 'two' }],
    ['a=1&a=2&a=3', { a: ['1', '2', '3'] }],
    ['a[b]=1&c[]=2&c[]=3', { a: { b: '1' }, c: ['2', '3'] }],
    ['a[b][c]=1&a[b][d]=2', { a: { b: { c: '1', d: '2' } } }],
    ['items[0][sku]=x&items[1][sku]=y', { items: [{ sku: 'x' }, { sku: 'y' }] }],
    ['name=Ada+Lovelace&city=Z%C3%BCrich', { name: 'Ada Lovelace', city: 'Zürich' }],
    ['flag&empty=', { flag: '', empty: '' }],
    ['a[b=1', { 'a[b': '1' }],
  ])('parses %j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each(['__proto__[polluted]=1', 'a[__proto__][polluted]=1', 'constructor[prototype][polluted]=1', 'a[prototype]=1'])(
    'rejects prototype pollution through %s',
    (text) => {
      const error = errorOf(() => parse(text));
      expect(error.status).toBe(400);
      expect(error.code).toBe('ERR_BODY_FORBIDDEN_KEY');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('rejects nesting deeper than maxDepth', () => {
    expect(parse('a[b][c][d][e]=1')).toEqual({ a: { b: { c: { d: { e: '1' } } } } });
    const error = errorOf(() => parse('a[b][c][d][e][f]=1'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('ERR_BODY_TOO_DEEP');
  });

  it('rejects more than maxParameters pairs', () => {
    const text = Array.from({ length: 11 }, (_, index) => `k${index}=1`).join('&');
    const error = errorOf(() => parse(text));
    expect(error.status).toBe(413);
    expect(error.code).toBe('ERR_BODY_TOO_LARGE');
    expect(errorOf(() => parseUrlencoded(text, limits, 'query')).status).toBe(400);
  });

  it('rejects a sparse array index', () => {
    const error = errorOf(() => parse('a[5]=1'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('ERR_BODY_INVALID');
  });

  it.each(['a=1&a[b]=2', 'a[b]=1&a=2', 'a[]=1&a[b]=2'])('rejects conflicting names in %s', (text) => {
    expect(errorOf(() => parse(text)).status).toBe(400);
  });

  it('rejects malformed percent-encoding without echoing it', () => {
    const error = errorOf(() => parse('secret=%E0%A4%A'));
    expect(error.status).toBe(400);
    expect(error.message).not.toContain('%E0');
  });

  it('uses query codes for query strings', () => {
    expect(errorOf(() => parseUrlencoded('__proto__[x]=1', limits, 'query')).code).toBe('ERR_INVALID_REQUEST');
  });
});
