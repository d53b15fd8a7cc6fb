import { createPublicKey } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createJwtVerifier, JWT_ALGORITHMS, signJwt, validateJwt, verifyJwt } from 'bulwark/core';

import { ed25519Keys, hmacSecret, KEY_PAIRS, p256Keys, rejectionCode, rsaKeys } from './keys.js';

describe('signJwt and createJwtVerifier', () => {
  it.each(JWT_ALGORITHMS)('round-trips a token signed with %s', async (algorithm) => {
    const pair = KEY_PAIRS[algorithm];
    const token = await signJwt({ scope: 'orders:read' }, pair.privateKey, { algorithm, expiresIn: '5m', subject: 'user-1' });
    const verify = createJwtVerifier({ key: pair.publicKey, algorithms: [algorithm] });

    const { payload, protectedHeader } = await verify(token);

    expect(protectedHeader.alg).toBe(algorithm);
    expect(protectedHeader.typ).toBe('JWT');
    expect(payload.sub).toBe('user-1');
    expect(payload.scope).toBe('orders:read');
    expect(payload.exp).toBe((payload.iat as number) + 300);
  });

  it.each([
    ['Ed25519', ed25519Keys.privateKey, 'EdDSA'],
    ['P-256', p256Keys.privateKey, 'ES256'],
    ['RSA', rsaKeys.privateKey, 'RS256'],
    ['a secret', hmacSecret, 'HS256'],
  ] as const)('picks the default algorithm for %s', async (_name, key, expected) => {
    const token = await signJwt({}, key, { expiresIn: 60 });
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
    expect(header.alg).toBe(expected);
  });

  it('accepts PEM, JWK and KeyObject forms of one key', async () => {
    const token = await signJwt({}, rsaKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { expiresIn: 60 });
    const pem = rsaKeys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const jwk = rsaKeys.publicKey.export({ format: 'jwk' }) as { kty: string };

    await expect(createJwtVerifier({ key: pem })(token)).resolves.toBeDefined();
    await expect(createJwtVerifier({ key: jwk })(token)).resolves.toBeDefined();
    await expect(createJwtVerifier({ key: createPublicKey(pem) })(token)).resolves.toBeDefined();
    await expect(createJwtVerifier({ key: rsaKeys.privateKey })(token)).resolves.toBeDefined();
  });

  it('accepts an HMAC secret given as text', async () => {
    const secretText = 'a-secret-phrase-that-is-longer-than-32-bytes';
    const token = await signJwt({}, secretText, { expiresIn: 60 });
    await expect(createJwtVerifier({ key: secretText })(token)).resolves.toBeDefined();
  });

  it('sets the registered claims from the options', async () => {
    const now = Date.UTC(2030, 0, 1);
    const token = await signJwt({ role: 'admin' }, hmacSecret, {
      expiresIn: '15m',
      notBefore: 10,
      issuer: 'https://auth.example/',
      audience: ['https://api.example/', 'https://other.example/'],
      subject: 'user-7',
      kid: 'k1',
      typ: 'at+jwt',
      jti: true,
      now: () => now,
    });
    const verify = createJwtVerifier({ keys: { k1: hmacSecret }, now: () => now + 20_000, typ: 'application/at+jwt' });

    const { payload, protectedHeader } = await verify(token);

    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' });
    expect(payload).toMatchObject({
      role: 'admin',
      iat: now / 1000,
      exp: now / 1000 + 900,
      nbf: now / 1000 + 10,
      iss: 'https://auth.example/',
      sub: 'user-7',
      aud: ['https://api.example/', 'https://other.example/'],
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a claim set both in the claims and by an option', async () => {
    await expect(rejectionCode(signJwt({ sub: 'a' }, hmacSecret, { subject: 'b' }))).resolves.toBe('ERR_INVALID_ARGUMENT');
  });

  it('rejects signing with a public key', async () => {
    await expect(rejectionCode(signJwt({}, rsaKeys.publicKey))).resolves.toBe('ERR_OPTION_INVALID');
  });

  it('rejects an algorithm that does not fit the signing key', async () => {
    await expect(rejectionCode(signJwt({}, p256Keys.privateKey, { algorithm: 'RS256' }))).resolves.toBe('ERR_OPTION_INVALID');
  });
});

describe('verifyJwt and validateJwt', () => {
  it('verifies with a single key or a key ring', async () => {
    const token = await signJwt({}, hmacSecret, { expiresIn: 60, kid: 'current' });

    await expect(verifyJwt(token, hmacSecret)).resolves.toHaveProperty('payload');
    await expect(verifyJwt(token, { current: hmacSecret, previous: ed25519Keys.publicKey })).resolves.toHaveProperty('payload');
  });

  it('returns true for a good token and false for bad ones', async () => {
    const token = await signJwt({}, hmacSecret, { expiresIn: 60 });

    await expect(validateJwt(token, hmacSecret)).resolves.toBe(true);
    await expect(validateJwt(`${token}x`, hmacSecret)).resolves.toBe(false);
    await expect(validateJwt('not a token', hmacSecret)).resolves.toBe(false);
    await expect(validateJwt(undefined as unknown as string, hmacSecret)).resolves.toBe(false);
  });

  it('still throws for a wrong option', async () => {
    await expect(rejectionCode(validateJwt('a.b.c', 'short'))).resolves.toBe('ERR_OPTION_INVALID');
  });
});
