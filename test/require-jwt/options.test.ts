import { describe, expect, it } from 'vitest';

import { createMemoryDenylist } from '../../src/revocation/index.js';
import { frameworks } from '../helpers/frameworks.js';
import { AUDIENCE, ISSUER, RSA_PUBLIC_PEM, SECRET, mint, now, send } from './fixtures.js';

function optionErrorOf(create: () => unknown): { code: string; message: string; details: { option?: string } } {
  try {
    create();
  } catch (error) {
    return error as never;
  }
  throw new Error('the factory did not throw');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) {
      deepFreeze(member);
    }
  }
  return value;
}

describe.each(frameworks)('requireJwt options on $name', (framework) => {
  const { requireJwt } = framework.bulwark as any;
  const base = { key: SECRET, issuer: ISSUER, audience: AUDIENCE };

  it.each([
    ['key', 'no key source', { issuer: ISSUER }],
    ['keys', 'two key sources', { key: SECRET, keys: { a: SECRET } }],
    ['algorithms', 'an algorithm list that does not fit the key', { ...base, algorithms: ['RS256'] }],
    ['key', 'an HMAC secret under 32 bytes', { ...base, key: 'short-secret' }],
    ['algorithms', 'HS256 with a remote key set', { jwksUri: 'http://127.0.0.1:9/jwks', algorithms: ['HS256'] }],
    ['cookie', 'a cookie name with a space', { ...base, cookie: 'access token' }],
    ['cookie', 'a cookie with getToken', { ...base, cookie: 'access_token', getToken: () => undefined }],
    ['getToken', 'a getToken that is not a function', { ...base, getToken: 'authorization' }],
    ['optional', 'an unknown optional key', { ...base, optional: { revoked: 'allow' } }],
    ['optional', 'an optional action other than allow or reject', { ...base, optional: { invalid: true } }],
    ['optional', 'an optional string', { ...base, optional: 'yes' }],
    ['isRevoked', 'an isRevoked that is not a function', { ...base, isRevoked: true }],
    ['denylist', 'a denylist without isRevoked', { ...base, denylist: new Set() }],
    ['realm', 'a realm with a line break', { ...base, realm: 'api\r\nX-Injected: 1' }],
    ['logger', 'a logger without warn', { ...base, logger: { info() {}, error() {} } }],
    ['scopes', 'a scope with a space', { ...base, scopes: ['orders:read orders:write'] }],
  ])('names %s for %s', (option, _name, options) => {
    const error = optionErrorOf(() => requireJwt(options));

    expect(error.code).toBe('ERR_OPTION_INVALID');
    expect(error.details.option).toBe(option);
  });

  it('rejects denylist retention under clockTolerance (tolerance replay)', () => {
    const shortLived = createMemoryDenylist({ retainSeconds: 10 });

    const error = optionErrorOf(() => requireJwt({ ...base, denylist: shortLived }));
    expect(error.code).toBe('ERR_OPTION_INVALID');
    expect(error.details.option).toBe('denylist');

    expect(() => requireJwt({ ...base, denylist: shortLived, clockTolerance: '10s' })).not.toThrow();
    expect(() => requireJwt({ ...base, denylist: shortLived, clockTolerance: 11 })).toThrow(/clockTolerance/);
  });

  it('keeps the secret out of the option error', () => {
    const error = optionErrorOf(() => requireJwt({ key: 'a-secret-that-is-too-short', algorithms: ['HS256'] }));
    expect(error.message).not.toContain('a-secret-that-is-too-short');
  });

  it('accepts every option together', () => {
    expect(() =>
      requireJwt({
        ...base,
        algorithms: ['HS256'],
        clockTolerance: '10s',
        maxTokenAge: '1h',
        requiredClaims: ['sub'],
        typ: 'JWT',
        scopes: { allOf: ['orders:read'] },
        cookie: 'access_token',
        optional: { missing: 'allow', invalid: 'reject', expired: 'allow' },
        isRevoked: () => false,
        denylist: createMemoryDenylist(),
        cache: true,
        realm: 'orders',
        logger: console,
      }),
    ).not.toThrow();
  });

  it('does not mutate the options', async () => {
    const textSecret = SECRET.toString('base64url');
    const options = {
      key: textSecret,
      algorithms: ['HS256'],
      issuer: [ISSUER],
      audience: [AUDIENCE],
      requiredClaims: ['sub'],
      scopes: { allOf: ['orders:read'], anyOf: ['admin', 'support'] },
      cookie: 'access_token',
      optional: { missing: 'allow' },
      realm: 'orders',
      cache: { maxEntries: 10 },
      now,
    };
    const snapshot = structuredClone({ ...options, now: undefined });
    deepFreeze(options);

    const app = await framework.start([{ method: 'get', path: '/orders', middleware: [requireJwt(options)] }]);
    try {
      const { SignJWT } = await import('jose');
      const token = await new SignJWT({ scope: 'orders:read admin', sub: 'user-1', iss: ISSUER, aud: AUDIENCE, iat: now() / 1000, exp: now() / 1000 + 60 })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(Buffer.from(textSecret));
      expect((await send(`${app.url}/orders`, { authorization: `Bearer ${token}` })).status).toBe(204);
      expect((await send(`${app.url}/orders`, { authorization: `Bearer ${token}` })).status).toBe(204);
      expect((await send(`${app.url}/orders`)).status).toBe(204);
      expect((await send(`${app.url}/orders`, { authorization: `Bearer ${await mint()}` })).status).toBe(401);
    } finally {
      await app.close();
    }

    expect({ ...options, now: undefined }).toEqual(snapshot);
  });

  it('accepts a key ring by kid and rejects an unknown kid', async () => {
    const app = await framework.start([
      { method: 'get', path: '/orders', middleware: [requireJwt({ keys: { current: SECRET, rsa: RSA_PUBLIC_PEM }, issuer: ISSUER, audience: AUDIENCE, now })] },
    ]);
    try {
      expect((await send(`${app.url}/orders`, { authorization: `Bearer ${await mint({}, { header: { kid: 'current' } })}` })).status).toBe(204);
      const unknown = await send(`${app.url}/orders`, { authorization: `Bearer ${await mint({}, { header: { kid: 'retired' } })}` });
      expect(unknown.status).toBe(401);
      expect(unknown.json.code).toBe('ERR_JWT_KEY_NOT_FOUND');
    } finally {
      await app.close();
    }
  });
});
