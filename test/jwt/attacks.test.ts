import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createJwtVerifier, signJwt } from 'bulwark/core';

import { compact, ed25519Keys, hmacSecret, p256Keys, rejectionCode, rsaKeys } from './keys.js';

const rsaPublicPem = rsaKeys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const rsaPublicJwk = rsaKeys.publicKey.export({ format: 'jwk' }) as { kty: string };

function thrownCode(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
  return 'nothing thrown';
}

describe('algorithm confusion (RFC 8725 section 2.1)', () => {
  it('rejects an HS256 token signed with the RSA public key as the secret', async () => {
    const forged = signJwtWithRawSecret(rsaPublicPem);
    const verify = createJwtVerifier({ key: rsaPublicPem });

    await expect(rejectionCode(verify(forged))).resolves.toBe('ERR_JWT_ALGORITHM_NOT_ALLOWED');
  });

  it('rejects HS256 forged with a key ring PEM', async () => {
    const forged = signJwtWithRawSecret(rsaPublicPem, { kid: 'rsa' });
    const verify = createJwtVerifier({ keys: { rsa: rsaPublicPem } });

    await expect(rejectionCode(verify(forged))).resolves.toBe('ERR_JWT_ALGORITHM_NOT_ALLOWED');
  });

  it('never uses public key material as an HMAC secret', () => {
    const cases: Array<[string, unknown]> = [
      ['PEM bytes', Buffer.from(rsaPublicPem)],
      ['DER bytes', rsaKeys.publicKey.export({ type: 'spki', format: 'der' })],
      ['base64 DER text', (rsaKeys.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64')],
      ['JWK JSON text', JSON.stringify(rsaPublicJwk)],
      ['OpenSSH text', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0YlzYsXJ6oENm1DoWGu5t6cqmb0yMeMqPwhr0n9bPk user@host'],
    ];
    for (const [name, key] of cases) {
      expect({ name, code: thrownCode(() => createJwtVerifier({ key: key as string, algorithms: ['HS256'] })) }).toEqual({
        name,
        code: 'ERR_OPTION_INVALID',
      });
    }
  });

  it('rejects HMAC algorithms for an asymmetric key at setup', () => {
    expect(thrownCode(() => createJwtVerifier({ key: rsaPublicPem, algorithms: ['HS256'] }))).toBe('ERR_OPTION_INVALID');
    expect(thrownCode(() => createJwtVerifier({ key: rsaPublicJwk, algorithms: ['HS256'] }))).toBe('ERR_OPTION_INVALID');
    expect(thrownCode(() => createJwtVerifier({ key: p256Keys.publicKey, algorithms: ['HS256', 'RS256'] }))).toBe('ERR_OPTION_INVALID');
  });

  it('rejects an ES256 token against an Ed25519 key', async () => {
    const token = await signJwt({}, p256Keys.privateKey, { expiresIn: 60 });
    const verify = createJwtVerifier({ key: ed25519Keys.publicKey });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_ALGORITHM_NOT_ALLOWED');
  });

  it('rejects an algorithm outside the configured list', async () => {
    const token = await signJwt({}, rsaKeys.privateKey, { algorithm: 'PS256', expiresIn: 60 });
    const verify = createJwtVerifier({ key: rsaKeys.publicKey, algorithms: ['RS256'] });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_ALGORITHM_NOT_ALLOWED');
  });
});

describe('unsigned tokens (alg none)', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('rejects alg %s with or without a signature', async (alg) => {
    const verify = createJwtVerifier({ key: hmacSecret });
    const exp = Math.floor(Date.now() / 1000) + 60;

    await expect(rejectionCode(verify(compact({ alg, typ: 'JWT' }, { sub: 'admin', exp })))).resolves.toBe('ERR_JWT_MALFORMED');
    await expect(rejectionCode(verify(compact({ alg, typ: 'JWT' }, { sub: 'admin', exp }, 'AAAA')))).resolves.toBe(
      'ERR_JWT_ALGORITHM_NOT_ALLOWED',
    );
  });

  it('rejects none in the algorithms option', () => {
    expect(thrownCode(() => createJwtVerifier({ key: hmacSecret, algorithms: ['none' as 'HS256'] }))).toBe('ERR_OPTION_INVALID');
  });
});

describe('weak HMAC secrets', () => {
  it.each([
    ['an empty string', ''],
    ['a 31-byte string', 'x'.repeat(31)],
    ['31 random bytes', randomBytes(31)],
    ['an empty buffer', Buffer.alloc(0)],
    ['an oct JWK of 16 bytes', { kty: 'oct', k: randomBytes(16).toString('base64url') }],
  ])('rejects %s as the key at setup', (_name, key) => {
    expect(thrownCode(() => createJwtVerifier({ key }))).toBe('ERR_OPTION_INVALID');
  });

  // RFC 7518 section 3.2: an HMAC key is at least as long as the hash output, 64 bytes for HS512.
  it('rejects HS512 with a 32-byte secret', () => {
    expect(thrownCode(() => createJwtVerifier({ key: randomBytes(32), algorithms: ['HS512'] }))).toBe('ERR_OPTION_INVALID');
  });

  it('fails closed when getKey returns a short secret', async () => {
    const shortSecret = Buffer.alloc(16, 1);
    const token = signJwtWithRawSecret(shortSecret);
    const verify = createJwtVerifier({ getKey: () => shortSecret });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_KEY_INVALID');
  });

  it('fails closed when getKey returns an empty secret', async () => {
    const token = signJwtWithRawSecret(Buffer.alloc(0));
    const verify = createJwtVerifier({ getKey: () => '' });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_KEY_INVALID');
  });
});

describe('keys named by the token (RFC 8725 section 3.10)', () => {
  it('ignores an embedded jwk header and rejects the attacker signature', async () => {
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await signJwt({ sub: 'admin' }, attacker.privateKey, { expiresIn: 60 });
    const [, payload] = token.split('.');
    const header = { alg: 'ES256', jwk: attacker.publicKey.export({ format: 'jwk' }) };
    const withJwk = resignEs256(header, payload as string, attacker.privateKey);
    const verify = createJwtVerifier({ key: p256Keys.publicKey });

    await expect(rejectionCode(verify(withJwk))).resolves.toBe('ERR_JWT_SIGNATURE_INVALID');
  });

  it('never fetches a jku, x5u or x5c location', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;

    try {
      const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const verify = createJwtVerifier({ key: p256Keys.publicKey });
      const payload = Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
      for (const header of [{ alg: 'ES256', jku: url }, { alg: 'ES256', x5u: url }, { alg: 'ES256', x5c: ['MIIB'] }]) {
        const token = resignEs256(header, payload, attacker.privateKey);
        await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_SIGNATURE_INVALID');
      }
      expect(requests).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does not find a key ring entry through the prototype', async () => {
    const verify = createJwtVerifier({ keys: { current: hmacSecret } });
    for (const kid of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const token = await signJwt({}, hmacSecret, { expiresIn: 60, kid });
      await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_KEY_NOT_FOUND');
    }
  });

  it('rejects a token without a kid against a key ring', async () => {
    const verify = createJwtVerifier({ keys: { current: hmacSecret } });
    const token = await signJwt({}, hmacSecret, { expiresIn: 60 });

    await expect(rejectionCode(verify(token))).resolves.toBe('ERR_JWT_KEY_NOT_FOUND');
  });
});

describe('claims checked before the signature', () => {
  it('reports a forged expired token as a bad signature, not as expired', async () => {
    const forged = await signJwt({ exp: 1_000 }, randomBytes(32));
    const verify = createJwtVerifier({ key: hmacSecret });

    await expect(rejectionCode(verify(forged))).resolves.toBe('ERR_JWT_SIGNATURE_INVALID');
  });

  it('reports a forged token for another issuer as a bad signature', async () => {
    const forged = await signJwt({ iss: 'https://evil.example/' }, randomBytes(32), { expiresIn: 60 });
    const verify = createJwtVerifier({ key: hmacSecret, issuer: 'https://auth.example/' });

    await expect(rejectionCode(verify(forged))).resolves.toBe('ERR_JWT_SIGNATURE_INVALID');
  });

  it('never runs checkClaims for a forged token', async () => {
    let calls = 0;
    const forged = await signJwt({}, randomBytes(32), { expiresIn: 60 });
    const verify = createJwtVerifier({
      key: hmacSecret,
      checkClaims: () => {
        calls += 1;
        return true;
      },
    });

    await expect(rejectionCode(verify(forged))).resolves.toBe('ERR_JWT_SIGNATURE_INVALID');
    expect(calls).toBe(0);
  });
});

/** Signs HS256 over raw secret bytes, skipping the size and key-type checks that signJwt applies. */
function signJwtWithRawSecret(secret: string | Buffer, header: Record<string, unknown> = {}): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', ...header })).toString('base64url');
  const body = Buffer.from(JSON.stringify({ sub: 'admin', exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

function resignEs256(header: object, payloadSegment: string, privateKey: KeyObject): string {
  const head = Buffer.from(JSON.stringify(header)).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${head}.${payloadSegment}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${head}.${payloadSegment}.${signature.toString('base64url')}`;
}
