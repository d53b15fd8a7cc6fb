import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createJwtVerifier, MAX_CLOCK_TOLERANCE_SECONDS, signJwt, type JwtVerifierOptions } from 'bulwark/core';

import { ed25519Keys, hmacSecret, rsaKeys } from './keys.js';

function optionFailure(options: unknown): { code?: string; option?: unknown; message?: string } {
  try {
    createJwtVerifier(options as JwtVerifierOptions);
  } catch (error) {
    const { code, details, message } = error as { code: string; details: { option?: unknown }; message: string };
    return { code, option: details.option, message };
  }
  return {};
}

describe('createJwtVerifier options', () => {
  it.each([
    ['no key source', {}, 'key'],
    ['two key sources', { key: hmacSecret, jwksUri: 'https://issuer.example/jwks' }, 'jwksUri'],
    ['an empty algorithms list', { key: hmacSecret, algorithms: [] }, 'algorithms'],
    ['an unknown algorithm', { key: hmacSecret, algorithms: ['HS1'] }, 'algorithms'],
    ['algorithms that do not fit the key', { key: ed25519Keys.publicKey, algorithms: ['RS256'] }, 'algorithms'],
    ['HMAC algorithms with jwksUri', { jwksUri: 'https://issuer.example/jwks', algorithms: ['HS256'] }, 'algorithms'],
    ['a relative jwksUri', { jwksUri: '/jwks.json' }, 'jwksUri'],
    ['a jwksUri that is not http', { jwksUri: 'file:///etc/jwks.json' }, 'jwksUri'],
    ['jwks settings without jwksUri', { key: hmacSecret, jwks: { timeoutMs: 100 } }, 'jwks'],
    ['a negative jwks timeout', { jwksUri: 'https://issuer.example/jwks', jwks: { timeoutMs: -1 } }, 'jwks.timeoutMs'],
    ['a clock tolerance over the bound', { key: hmacSecret, clockTolerance: MAX_CLOCK_TOLERANCE_SECONDS + 1 }, 'clockTolerance'],
    ['a clock tolerance of one hour', { key: hmacSecret, clockTolerance: '1h' }, 'clockTolerance'],
    ['an unparsable clock tolerance', { key: hmacSecret, clockTolerance: 'soon' }, 'clockTolerance'],
    ['a negative maxTokenAge', { key: hmacSecret, maxTokenAge: -5 }, 'maxTokenAge'],
    ['an empty issuer', { key: hmacSecret, issuer: '' }, 'issuer'],
    ['an empty audience list', { key: hmacSecret, audience: [] }, 'audience'],
    ['a requiredClaims string', { key: hmacSecret, requiredClaims: 'sub' }, 'requiredClaims'],
    ['an empty typ', { key: hmacSecret, typ: '' }, 'typ'],
    ['a tiny maxTokenBytes', { key: hmacSecret, maxTokenBytes: 1 }, 'maxTokenBytes'],
    ['a non-boolean requireExpiration', { key: hmacSecret, requireExpiration: 'no' }, 'requireExpiration'],
    ['a checkClaims that is not a function', { key: hmacSecret, checkClaims: true }, 'checkClaims'],
    ['a cache of zero entries', { key: hmacSecret, cache: { maxEntries: 0 } }, 'cache'],
    ['an empty key ring', { keys: {} }, 'keys'],
    ['a short secret in the key ring', { keys: { a: hmacSecret, b: randomBytes(8) } }, 'keys["b"]'],
    ['a getKey that is not a function', { getKey: 'key' }, 'getKey'],
    ['a key of the wrong kind', { key: 42 }, 'key'],
  ])('rejects %s', (_name, options, option) => {
    const failure = optionFailure(options);

    expect(failure.code).toBe('ERR_OPTION_INVALID');
    expect(failure.option).toBe(option);
    expect(failure.message).toContain(option.replace(/\[.*$/, ''));
  });

  it('never puts key material in the message', () => {
    const secret = 'short-secret-9d2c';
    expect(optionFailure({ key: secret }).message).not.toContain(secret);
  });

  it('does not mutate the options', async () => {
    const options = {
      key: rsaKeys.publicKey.export({ format: 'jwk' }) as { kty: string },
      algorithms: ['RS256', 'PS256'],
      issuer: ['https://a.example/'],
      audience: 'https://api.example/',
      requiredClaims: ['sub'],
      clockTolerance: '10s',
      cache: { maxEntries: 5 },
    } as const;
    const snapshot = structuredClone(options);
    const frozen = deepFreeze(structuredClone(options));

    const verify = createJwtVerifier(options as JwtVerifierOptions);
    const verifyFrozen = createJwtVerifier(frozen as JwtVerifierOptions);
    const token = await signJwt({ sub: 'u' }, rsaKeys.privateKey, {
      issuer: 'https://a.example/',
      audience: 'https://api.example/',
      expiresIn: 60,
    });

    await expect(verify(token)).resolves.toHaveProperty('payload.sub', 'u');
    await expect(verifyFrozen(token)).resolves.toHaveProperty('payload.sub', 'u');
    expect(options).toEqual(snapshot);
  });

  it('reads the options once, at creation', async () => {
    const options: { key: Buffer; issuer: string } = { key: hmacSecret, issuer: 'https://a.example/' };
    const verify = createJwtVerifier(options);
    options.issuer = 'https://evil.example/';
    const token = await signJwt({}, hmacSecret, { issuer: 'https://a.example/', expiresIn: 60 });

    await expect(verify(token)).resolves.toHaveProperty('payload.iss', 'https://a.example/');
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}
