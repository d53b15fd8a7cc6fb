import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';

import { type KeypairAlgorithm, generateKeypair, jwkThumbprint, sign, verify } from 'bulwark/core';

const signingAlgorithms = ['EdDSA', 'ES256', 'PS256', 'RS256'] as const;

// RSA generation takes a while, so each key pair is made once for the whole file, at 2048 bits.
function sizeFor(algorithm: string): { modulusLength?: number } {
  return algorithm === 'RS256' || algorithm === 'PS256' ? { modulusLength: 2048 } : {};
}
const pemKeys = Object.fromEntries(signingAlgorithms.map((algorithm) => [algorithm, generateKeypair(algorithm, sizeFor(algorithm))]));
const jwkKeys = Object.fromEntries(
  signingAlgorithms.map((algorithm) => [algorithm, generateKeypair(algorithm, { format: 'jwk', ...sizeFor(algorithm) })]),
);

describe('generateKeypair', () => {
  it('makes Ed25519 PEM keys by default', () => {
    const { publicKey, privateKey, kid } = generateKeypair();

    expect(publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPrivateKey(privateKey).asymmetricKeyType).toBe('ed25519');
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['EdDSA', 'OKP', 'Ed25519'],
    ['ES256', 'EC', 'P-256'],
    ['X25519', 'OKP', 'X25519'],
  ] as const)('makes %s JWKs with kid and alg', (algorithm, kty, crv) => {
    const { publicKey, privateKey, kid } = generateKeypair(algorithm, { format: 'jwk' });

    expect(publicKey).toMatchObject({ kty, crv, kid });
    expect(publicKey.d).toBeUndefined();
    expect(privateKey.d).toEqual(expect.any(String));
    expect(publicKey.alg).toBe(algorithm === 'X25519' ? undefined : algorithm);
    expect(kid).toBe(jwkThumbprint(publicKey));
  });

  it('makes 3072-bit RSA keys by default', () => {
    const { privateKey } = generateKeypair('RS256');

    expect(createPrivateKey(privateKey).asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it('computes the RFC 8037 appendix A.3 thumbprint', () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };

    expect(jwkThumbprint(jwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('computes the RFC 7638 section 3.1 thumbprint', () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };

    expect(jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it.each([
    ['an unknown algorithm', 'HS256', {}],
    ['an unknown format', 'EdDSA', { format: 'der' }],
    ['a modulus below 2048 bits', 'RS256', { modulusLength: 1024 }],
    ['a modulus that is not a multiple of 8', 'PS256', { modulusLength: 2049 }],
    ['a modulus for Ed25519', 'EdDSA', { modulusLength: 2048 }],
  ])('rejects %s', (_name, algorithm, options) => {
    expect(() => generateKeypair(algorithm as KeypairAlgorithm, options as never)).toThrowError(
      expect.objectContaining({ code: 'ERR_OPTION_INVALID' }),
    );
  });
});

describe('sign and verify', () => {
  it.each(signingAlgorithms)('round-trips %s with PEM and JWK keys', (algorithm) => {
    const pem = pemKeys[algorithm]!;
    const jwk = jwkKeys[algorithm]!;
    const options = algorithm === 'RS256' || algorithm === 'PS256' ? { algorithm } : {};

    const pemSignature = sign('payload', pem.privateKey, options);
    const jwkSignature = sign('payload', jwk.privateKey);

    expect(verify('payload', pemSignature, pem.publicKey, options)).toBe(true);
    expect(verify('payload', jwkSignature, jwk.publicKey)).toBe(true);
    expect(verify('payload!', pemSignature, pem.publicKey, options)).toBe(false);
  });

  it('writes ES256 signatures in the raw r || s form', () => {
    const signature = sign('payload', pemKeys.ES256!.privateKey);

    expect(signature).toHaveLength(64);
  });

  it.each(signingAlgorithms)('makes %s signatures that jose verifies as a JWS', async (algorithm) => {
    const { privateKey, publicKey } = jwkKeys[algorithm]!;
    const header = Buffer.from(JSON.stringify({ alg: algorithm })).toString('base64url');
    const payload = Buffer.from('{"sub":"1"}').toString('base64url');
    const signature = sign(`${header}.${payload}`, privateKey);
    const jws = `${header}.${payload}.${Buffer.from(signature).toString('base64url')}`;

    const result = await compactVerify(jws, await importJWK(publicKey, algorithm));

    expect(new TextDecoder().decode(result.payload)).toBe('{"sub":"1"}');
  });

  it('asks for the algorithm of an RSA key without alg', () => {
    expect(() => sign('x', pemKeys.RS256!.privateKey)).toThrowError(expect.objectContaining({ code: 'ERR_OPTION_INVALID' }));
  });

  it('rejects an algorithm that does not fit the key', () => {
    expect(() => sign('x', pemKeys.EdDSA!.privateKey, { algorithm: 'ES256' })).toThrowError(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
    expect(() => sign('x', jwkKeys.RS256!.privateKey, { algorithm: 'PS256' })).toThrowError(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
  });

  it('stops a PS256 signature from verifying as RS256', () => {
    const { privateKey, publicKey } = pemKeys.PS256!;
    const signature = sign('x', privateKey, { algorithm: 'PS256' });

    expect(verify('x', signature, publicKey, { algorithm: 'RS256' })).toBe(false);
  });

  it.each([
    ['an X25519 key', generateKeypair('X25519').privateKey],
    ['a public key', pemKeys.EdDSA!.publicKey],
    ['a 1024-bit RSA key', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['a P-384 key', generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
    ['PEM garbage', '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n'],
    ['an empty string', ''],
    ['a number', 5],
  ])('refuses to sign with %s', (_name, key) => {
    expect(() => sign('x', key as never, { algorithm: 'RS256' })).toThrowError(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('refuses to verify with a private KeyObject that signed before', () => {
    const keyObject = createPrivateKey(pemKeys.ES256!.privateKey);
    const signature = sign('x', keyObject);

    expect(() => verify('x', signature, keyObject)).toThrowError(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('rejects a JWK whose alg does not fit its key', () => {
    const jwk = { ...jwkKeys.RS256!.privateKey, alg: 'ES256' };

    expect(() => sign('x', jwk)).toThrowError(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it.each([
    ['an unknown kty', { kty: 'oct', k: 'AA' }],
    ['a missing member', { kty: 'EC', crv: 'P-256', x: 'AA' }],
  ])('rejects a thumbprint of a JWK with %s', (_name, jwk) => {
    expect(() => jwkThumbprint(jwk)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('leaves frozen options unchanged', () => {
    const options = Object.freeze({ algorithm: 'RS256' as const });

    const signature = sign('x', pemKeys.RS256!.privateKey, options);

    expect(verify('x', signature, pemKeys.RS256!.publicKey, options)).toBe(true);
    expect(options).toEqual({ algorithm: 'RS256' });
  });

  it('refuses to verify with a private key', () => {
    const signature = sign('x', pemKeys.EdDSA!.privateKey);

    expect(() => verify('x', signature, createPrivateKey(pemKeys.EdDSA!.privateKey))).toThrowError(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
  });

  it('returns false for signatures of the wrong length', () => {
    const { publicKey } = pemKeys.ES256!;

    expect(verify('x', new Uint8Array(0), publicKey)).toBe(false);
    expect(verify('x', new Uint8Array(63), publicKey)).toBe(false);
    expect(verify('x', new Uint8Array(300), pemKeys.RS256!.publicKey, { algorithm: 'RS256' })).toBe(false);
  });

  it('rejects a signature that is not bytes', () => {
    expect(() => verify('x', 'c2ln' as never, pemKeys.EdDSA!.publicKey)).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });
});
