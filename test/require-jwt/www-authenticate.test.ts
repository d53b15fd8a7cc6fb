import { describe, expect, it } from 'vitest';

import { buildBearerChallenge } from '../../middleware/http/www-authenticate.js';
import { parseChallenge } from './challenge-parser.js';

describe('buildBearerChallenge', () => {
  it('builds a bare challenge without parameters', () => {
    expect(buildBearerChallenge()).toBe('Bearer');
    expect(parseChallenge(buildBearerChallenge())).toEqual({ scheme: 'Bearer', params: {} });
  });

  it('builds a bare challenge with a realm only', () => {
    const header = buildBearerChallenge({ realm: 'orders api' });
    expect(header).toBe('Bearer realm="orders api"');
    expect(parseChallenge(header).params).toEqual({ realm: 'orders api' });
  });

  it('parses back every parameter', () => {
    const header = buildBearerChallenge({
      realm: 'api',
      error: 'insufficient_scope',
      errorDescription: 'The token does not grant the scope that this resource requires.',
      scopes: ['orders:read', 'orders:write'],
    });

    const parsed = parseChallenge(header);
    expect(parsed.scheme).toBe('Bearer');
    expect(parsed.params).toEqual({
      realm: 'api',
      error: 'insufficient_scope',
      error_description: 'The token does not grant the scope that this resource requires.',
      scope: 'orders:read orders:write',
    });
  });

  it('escapes quotes and backslashes in the realm', () => {
    const realm = 'a "quoted" realm with \\ backslash, and a comma';
    const header = buildBearerChallenge({ realm, error: 'invalid_token' });

    expect(header).toBe('Bearer realm="a \\"quoted\\" realm with \\\\ backslash, and a comma", error="invalid_token"');
    expect(parseChallenge(header).params).toEqual({ realm, error: 'invalid_token' });
  });

  it.each([
    ['a line break', 'api\r\nSet-Cookie: session=1'],
    ['a control character', 'api\u0000'],
    ['a non-ASCII character', 'caf\u00e9'],
  ])('rejects a realm with %s (header injection)', (_name, realm) => {
    expect(() => buildBearerChallenge({ realm })).toThrow(TypeError);
  });

  it.each([
    ['a quote', 'bad "value"'],
    ['a backslash', 'bad \\ value'],
    ['a line break', 'bad\nvalue'],
    ['a non-ASCII character', 'caf\u00e9'],
  ])('rejects an error_description with %s', (_name, errorDescription) => {
    expect(() => buildBearerChallenge({ error: 'invalid_token', errorDescription })).toThrow(TypeError);
  });

  it.each([['a space', 'orders read'], ['a quote', 'orders"'], ['a backslash', 'orders\\'], ['nothing', '']])(
    'rejects a scope with %s',
    (_name, scope) => {
      expect(() => buildBearerChallenge({ error: 'insufficient_scope', scopes: [scope] })).toThrow(TypeError);
    },
  );

  it('leaves out an empty scope list', () => {
    expect(buildBearerChallenge({ realm: 'api', scopes: [] })).toBe('Bearer realm="api"');
  });
});

describe('parseChallenge', () => {
  it.each([
    ['an unclosed quoted-string', 'Bearer realm="api'],
    ['a repeated parameter', 'Bearer realm="a", realm="b"'],
    ['a missing comma', 'Bearer realm="a" error="invalid_token"'],
    ['a missing equals sign', 'Bearer realm'],
  ])('rejects %s', (_name, header) => {
    expect(() => parseChallenge(header)).toThrow(SyntaxError);
  });
});
