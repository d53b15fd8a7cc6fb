import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createJwtVerifier, signJwt } from 'bulwark/core';

import { startJwksServer, type JwksServer } from './jwks-server.js';
import { ed25519Keys, hmacSecret, p256Keys, rejectionCode, rsaKeys } from './keys.js';

const rsaJwk = { ...(rsaKeys.publicKey.export({ format: 'jwk' }) as object), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
const ecJwk = { ...(p256Keys.publicKey.export({ format: 'jwk' }) as object), kid: 'ec-1' };
const edJwk = { ...(ed25519Keys.publicKey.export({ format: 'jwk' }) as object), kid: 'ed-1' };

let server: JwksServer;

beforeAll(async () => {
  server = await startJwksServer([rsaJwk, ecJwk, edJwk]);
});

afterAll(async () => {
  await server.close();
});

describe('remote JWKS', () => {
  it.each([
    ['rsa-1', rsaKeys.privateKey],
    ['ec-1', p256Keys.privateKey],
    ['ed-1', ed25519Keys.privateKey],
  ] as const)('verifies a token signed by %s', async (kid, privateKey) => {
    const verify = createJwtVerifier({ jwksUri: server.url });
    const token = await signJwt({ sub: 'u1' }, privateKey, { kid, expiresIn: 60 });

    await expect(verify(token)).resolves.toHaveProperty('payload.sub', 'u1');
  });

  it('a flood of unknown kids causes no more fetches than the cooldown allows', async () => {
    const verify = createJwtVerifier({ jwksUri: server.url, jwks: { cooldownMs: 60_000 } });
    const known = await signJwt({}, rsaKeys.privateKey, { kid: 'rsa-1', expiresIn: 60 });
    await verify(known);
    const before = server.requests;

    const flood = await Promise.all(
      Array.from({ length: 200 }, () => signJwt({}, rsaKeys.privateKey, { kid: randomUUID(), expiresIn: 60 })),
    );
    const codes = await Promise.all(flood.map((token) => rejectionCode(verify(token))));

    expect(new Set(codes)).toEqual(new Set(['ERR_JWT_KEY_NOT_FOUND']));
    expect(server.requests - before).toBe(0);
  });

  it('fetches the set once for concurrent first requests', async () => {
    const verify = createJwtVerifier({ jwksUri: server.url });
    const token = await signJwt({}, p256Keys.privateKey, { kid: 'ec-1', expiresIn: 60 });
    const before = server.requests;

    await Promise.all(Array.from({ length: 50 }, () => verify(token)));
    expect(server.requests - before).toBe(1);
  });

  it('an HS256 token cannot use the published keys as secrets', async () => {
    const verify = createJwtVerifier({ jwksUri: server.url });
    const token = await signJwt({}, hmacSecret, { kid: 'rsa-1', expiresIn: 60 });
    const before = server.requests;

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_ALGORITHM_NOT_ALLOWED');
    expect(server.requests - before).toBe(0);
  });

  it('honours the alg pinned in a JWK', async () => {
    const verify = createJwtVerifier({ jwksUri: server.url });
    const token = await signJwt({}, rsaKeys.privateKey, { kid: 'rsa-1', algorithm: 'PS256', expiresIn: 60 });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_KEY_NOT_FOUND');
  });

  it.each([
    ['returns 500', 'error'],
    ['returns no JSON', 'not-json'],
  ] as const)('reports ERR_JWKS_UNAVAILABLE when the key server %s', async (_name, mode) => {
    const failing = await startJwksServer([rsaJwk]);
    failing.mode = mode;
    try {
      const verify = createJwtVerifier({ jwksUri: failing.url });
      const token = await signJwt({}, rsaKeys.privateKey, { kid: 'rsa-1', expiresIn: 60 });
      await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWKS_UNAVAILABLE');
    } finally {
      await failing.close();
    }
  });

  it('reports ERR_JWKS_UNAVAILABLE when the key server does not answer in time', async () => {
    const hanging = await startJwksServer([rsaJwk]);
    hanging.mode = 'hang';
    try {
      const verify = createJwtVerifier({ jwksUri: hanging.url, jwks: { timeoutMs: 200 } });
      const token = await signJwt({}, rsaKeys.privateKey, { kid: 'rsa-1', expiresIn: 60 });
      await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE', details: { reason: 'timeout' } });
    } finally {
      await hanging.close();
    }
  });

  it('reports ERR_JWKS_UNAVAILABLE when nothing listens', async () => {
    const closed = await startJwksServer([rsaJwk]);
    await closed.close();
    const verify = createJwtVerifier({ jwksUri: closed.url });
    const token = await signJwt({}, rsaKeys.privateKey, { kid: 'rsa-1', expiresIn: 60 });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWKS_UNAVAILABLE');
  });

  it('checks the signature of a token whose kid matches', async () => {
    const verify = createJwtVerifier({ jwksUri: server.url });
    const token = await signJwt({}, rsaKeys.privateKey, { kid: 'rsa-1', expiresIn: 60 });
    const forged = `${token.slice(0, token.lastIndexOf('.') + 1)}${'A'.repeat(342)}`;

    await expect(rejectionCode(verify(forged))).resolves.toBe('ERR_JWT_SIGNATURE_INVALID');
  });
});

describe('remote JWKS key rotation', () => {
  it('fetches again for an unknown kid once the cooldown has passed', async () => {
    const rotating = await startJwksServer([rsaJwk]);
    try {
      const verify = createJwtVerifier({ jwksUri: rotating.url, jwks: { cooldownMs: 50 } });
      await verify(await signJwt({}, rsaKeys.privateKey, { kid: 'rsa-1', expiresIn: 60 }));
      expect(rotating.requests).toBe(1);

      rotating.keys = [rsaJwk, ecJwk];
      await new Promise((resolve) => setTimeout(resolve, 100));
      const rotated = await signJwt({ sub: 'after-rotation' }, p256Keys.privateKey, { kid: 'ec-1', expiresIn: 60 });

      await expect(verify(rotated)).resolves.toHaveProperty('payload.sub', 'after-rotation');
      expect(rotating.requests).toBe(2);
    } finally {
      await rotating.close();
    }
  });
});
