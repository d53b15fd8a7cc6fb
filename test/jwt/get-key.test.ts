import { describe, expect, it } from 'vitest';

import { BulwarkError, createJwtVerifier, signJwt, type JwtHeader } from 'bulwark/core';

import { ed25519Keys, hmacSecret, rejectionCode, rsaKeys } from './keys.js';

describe('getKey resolver', () => {
  it('receives the header and verifies with the key it returns', async () => {
    const seen: JwtHeader[] = [];
    const verify = createJwtVerifier({
      getKey: (header) => {
        seen.push(header);
        return header.kid === 'ed' ? ed25519Keys.publicKey : rsaKeys.publicKey;
      },
    });
    const token = await signJwt({ sub: 'u1' }, ed25519Keys.privateKey, { kid: 'ed', expiresIn: 60 });

    await expect(verify(token)).resolves.toHaveProperty('payload.sub', 'u1');
    expect(seen).toEqual([{ alg: 'EdDSA', typ: 'JWT', kid: 'ed' }]);
    expect(Object.isFrozen(seen[0])).toBe(true);
  });

  it('resolves an async key given as PEM text', async () => {
    const pem = rsaKeys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const verify = createJwtVerifier({ getKey: async () => pem });
    const token = await signJwt({}, rsaKeys.privateKey, { expiresIn: 60 });

    await expect(verify(token)).resolves.toHaveProperty('protectedHeader.alg', 'RS256');
    await expect(verify(token)).resolves.toHaveProperty('protectedHeader.alg', 'RS256');
  });

  it('an HS256 token cannot turn the resolved public key into a secret', async () => {
    const pem = rsaKeys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const verify = createJwtVerifier({ getKey: () => pem });
    const token = await signJwt({}, hmacSecret, { expiresIn: 60 });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_ALGORITHM_NOT_ALLOWED');
  });

  it('applies the algorithms option to resolved keys', async () => {
    const verify = createJwtVerifier({ getKey: () => rsaKeys.publicKey, algorithms: ['PS256'] });
    const token = await signJwt({}, rsaKeys.privateKey, { expiresIn: 60 });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_ALGORITHM_NOT_ALLOWED');
  });

  it('reports a missing key as ERR_JWT_KEY_NOT_FOUND', async () => {
    const verify = createJwtVerifier({ getKey: () => undefined as unknown as string });
    const token = await signJwt({}, hmacSecret, { expiresIn: 60 });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_KEY_NOT_FOUND');
  });

  it('passes a BulwarkError from the resolver through', async () => {
    const verify = createJwtVerifier({
      getKey: () => {
        throw new BulwarkError('ERR_JWKS_UNAVAILABLE', 'The key store is down.');
      },
    });
    const token = await signJwt({}, hmacSecret, { expiresIn: 60 });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWKS_UNAVAILABLE');
  });

  it('rejects a resolved key of the wrong kind', async () => {
    const verify = createJwtVerifier({ getKey: () => 42 as unknown as string });
    const token = await signJwt({}, hmacSecret, { expiresIn: 60 });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_KEY_INVALID');
  });
});
