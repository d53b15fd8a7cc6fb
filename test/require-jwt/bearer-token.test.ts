import { describe, expect, it } from 'vitest';

import { checkCustomToken, readBearerToken, type TokenRequestView } from '../../middleware/http/bearer-token.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

function view(headers: Record<string, string>, rawHeaders?: string[]): TokenRequestView {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { headers: lower, rawHeaders: rawHeaders ?? Object.entries(headers).flat() };
}

describe('readBearerToken from the Authorization header', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('reads the %s scheme case-insensitively', (scheme) => {
    expect(readBearerToken(view({ Authorization: `${scheme} ${TOKEN}` }))).toEqual({
      kind: 'found',
      token: TOKEN,
      source: 'authorization',
    });
  });

  it('accepts several spaces after the scheme', () => {
    expect(readBearerToken(view({ Authorization: `Bearer   ${TOKEN}` }))).toMatchObject({ kind: 'found', token: TOKEN });
  });

  it('accepts b64token padding and its extra characters', () => {
    const token = 'abc-._~+/def==';
    expect(readBearerToken(view({ Authorization: `Bearer ${token}` }))).toMatchObject({ kind: 'found', token });
  });

  it('reports no token without the header', () => {
    expect(readBearerToken(view({}))).toEqual({ kind: 'missing' });
  });

  it.each([
    ['Basic', 'Basic dXNlcjpwYXNz'],
    ['Digest', 'Digest username="a"'],
    ['a scheme that starts with Bearer', `Bearerish ${TOKEN}`],
    ['an empty header', ''],
  ])('reports no token for %s', (_name, header) => {
    expect(readBearerToken(view({ Authorization: header }))).toEqual({ kind: 'missing' });
  });

  it.each([
    ['no token after the scheme', 'Bearer'],
    ['only spaces after the scheme', 'Bearer   '],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
    ['a tab after the scheme', `Bearer\t${TOKEN}`],
    ['a quoted token', `Bearer "${TOKEN}"`],
    ['a comma in the token', `Bearer ${TOKEN},x`],
    ['padding inside the token', 'Bearer ab=cd'],
    ['an auth-param in place of a token', 'Bearer token="abc"'],
  ])('reports a malformed header with %s', (_name, header) => {
    expect(readBearerToken(view({ Authorization: header }))).toEqual({ kind: 'malformed', fault: 'TOKEN_SYNTAX_INVALID' });
  });

  it('rejects a repeated Authorization header (header smuggling)', () => {
    const request = view({ authorization: `Bearer ${TOKEN}` }, ['Authorization', `Bearer ${TOKEN}`, 'authorization', 'Bearer other']);
    expect(readBearerToken(request)).toEqual({ kind: 'malformed', fault: 'AUTHORIZATION_REPEATED' });
  });
});

describe('readBearerToken from a cookie', () => {
  it('reads the named cookie among others', () => {
    const request = view({ Cookie: `theme=dark; access_token=${TOKEN}; lang=en` });
    expect(readBearerToken(request, 'access_token')).toEqual({ kind: 'found', token: TOKEN, source: 'cookie' });
  });

  it('reads a cookie value in double quotes', () => {
    expect(readBearerToken(view({ Cookie: `access_token="${TOKEN}"` }), 'access_token')).toMatchObject({ token: TOKEN });
  });

  it('ignores the cookie when no cookie name is configured', () => {
    expect(readBearerToken(view({ Cookie: `access_token=${TOKEN}` }))).toEqual({ kind: 'missing' });
  });

  it('does not match a cookie whose name only contains the configured one', () => {
    const request = view({ Cookie: `my_access_token=${TOKEN}; access_token_old=${TOKEN}` });
    expect(readBearerToken(request, 'access_token')).toEqual({ kind: 'missing' });
  });

  it('treats an empty cookie value as no token', () => {
    expect(readBearerToken(view({ Cookie: 'access_token=' }), 'access_token')).toEqual({ kind: 'missing' });
  });

  it('skips pairs without an equals sign', () => {
    const request = view({ Cookie: `garbage; access_token=${TOKEN}` });
    expect(readBearerToken(request, 'access_token')).toMatchObject({ kind: 'found', token: TOKEN });
  });

  it('rejects the cookie set twice (cookie tossing)', () => {
    const request = view({ Cookie: `access_token=${TOKEN}; access_token=planted.by.sibling` });
    expect(readBearerToken(request, 'access_token')).toEqual({ kind: 'malformed', fault: 'COOKIE_REPEATED' });
  });

  it('rejects a cookie value that is not a b64token', () => {
    const request = view({ Cookie: 'access_token=%7B%22a%22%3A1%7D' });
    expect(readBearerToken(request, 'access_token')).toEqual({ kind: 'malformed', fault: 'TOKEN_SYNTAX_INVALID' });
  });

  it('rejects a token in the header and the cookie at once', () => {
    const request = view({ Authorization: `Bearer ${TOKEN}`, Cookie: `access_token=${TOKEN}` });
    expect(readBearerToken(request, 'access_token')).toEqual({ kind: 'malformed', fault: 'TOKEN_IN_MULTIPLE_PLACES' });
  });

  it('reads the cookie when the header has another scheme', () => {
    const request = view({ Authorization: 'Basic dXNlcjpwYXNz', Cookie: `access_token=${TOKEN}` });
    expect(readBearerToken(request, 'access_token')).toEqual({ kind: 'found', token: TOKEN, source: 'cookie' });
  });
});

describe('checkCustomToken', () => {
  it.each([undefined, null, ''])('treats %j as no token', (value) => {
    expect(checkCustomToken(value)).toEqual({ kind: 'missing' });
  });

  it('accepts a b64token string', () => {
    expect(checkCustomToken(TOKEN)).toEqual({ kind: 'found', token: TOKEN, source: 'getToken' });
  });

  it('rejects a string that is not a b64token', () => {
    expect(checkCustomToken('not a token')).toEqual({ kind: 'malformed', fault: 'TOKEN_SYNTAX_INVALID' });
  });

  it.each([42, {}, ['a']])('throws a TypeError for %j', (value) => {
    expect(() => checkCustomToken(value)).toThrow(TypeError);
  });
});
