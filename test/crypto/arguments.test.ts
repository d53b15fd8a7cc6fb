import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import {
  BulwarkError,
  createKeyring,
  decrypt,
  encrypt,
  generateKeypair,
  generateSecretKey,
  hash,
  hmac,
  open,
  random,
  randomBytes,
  randomInt,
  seal,
  sign,
  timingSafeEqual,
  verify,
} from 'bulwark/core';

const key = generateSecretKey();
const token = encrypt('x', key);
const { privateKey, publicKey } = generateKeypair();

// Each call passes a wrong type, an empty key or an out-of-range length. Every one must throw a
// BulwarkError with the listed code, never a TypeError or RangeError from inside node:crypto.
const calls: Array<[string, () => unknown, string]> = [
  ['encrypt with no key', () => encrypt('x', undefined as never), 'ERR_KEY_INVALID'],
  ['encrypt with an empty key', () => encrypt('x', new Uint8Array(0)), 'ERR_KEY_INVALID'],
  ['encrypt with an empty string key', () => encrypt('x', ''), 'ERR_KEY_INVALID'],
  ['encrypt with a 31-byte key', () => encrypt('x', new Uint8Array(31)), 'ERR_KEY_INVALID'],
  ['encrypt with a 33-byte key', () => encrypt('x', new Uint8Array(33)), 'ERR_KEY_INVALID'],
  ['encrypt with a 16-byte KeyObject', () => encrypt('x', createSecretKey(new Uint8Array(16))), 'ERR_KEY_INVALID'],
  ['encrypt with a private KeyObject', () => encrypt('x', generateKeyPairSync('ed25519').privateKey), 'ERR_KEY_INVALID'],
  ['encrypt with a padded base64 key', () => encrypt('x', `${key}=`), 'ERR_KEY_INVALID'],
  ['encrypt with a standard base64 key', () => encrypt('x', Buffer.from(key, 'base64url').toString('base64')), 'ERR_KEY_INVALID'],
  ['encrypt with a hex key', () => encrypt('x', Buffer.from(key, 'base64url').toString('hex')), 'ERR_KEY_INVALID'],
  ['encrypt with a number key', () => encrypt('x', 42 as never), 'ERR_KEY_INVALID'],
  ['encrypt with a plain object key', () => encrypt('x', { current: 'k', kids: ['k'] } as never), 'ERR_KEY_INVALID'],
  ['encrypt with options that are a string', () => encrypt('x', key, 'kid' as never), 'ERR_INVALID_ARGUMENT'],
  ['decrypt with no key', () => decrypt(token, undefined as never), 'ERR_KEY_INVALID'],
  ['decrypt with an empty key', () => decrypt(token, new Uint8Array(0)), 'ERR_KEY_INVALID'],
  ['decrypt with an empty encryptions list', () => decrypt(token, key, { encryptions: [] }), 'ERR_OPTION_INVALID'],
  ['decrypt with an unknown encryption', () => decrypt(token, key, { encryptions: ['A256CBC-HS512' as never] }), 'ERR_OPTION_INVALID'],
  ['decrypt with encryptions as a string', () => decrypt(token, key, { encryptions: 'A256GCM' as never }), 'ERR_OPTION_INVALID'],
  ['seal with a short key', () => seal(new Uint8Array(16), 'x'), 'ERR_KEY_INVALID'],
  ['seal a number', () => seal(key, 5 as never), 'ERR_INVALID_ARGUMENT'],
  ['seal with a numeric aad', () => seal(key, 'x', { aad: 5 as never }), 'ERR_INVALID_ARGUMENT'],
  ['open without input', () => open(key, undefined as never), 'ERR_INVALID_ARGUMENT'],
  ['open with a string IV', () => open(key, { iv: 'abc' as never, ciphertext: new Uint8Array(1), tag: new Uint8Array(16) }), 'ERR_INVALID_ARGUMENT'],
  ['hash a number', () => hash(5 as never), 'ERR_INVALID_ARGUMENT'],
  ['hash null', () => hash(null as never), 'ERR_INVALID_ARGUMENT'],
  ['hash a string with a lone surrogate', () => hash('\uDC00'), 'ERR_INVALID_ARGUMENT'],
  ['hmac with an empty key', () => hmac('x', new Uint8Array(0)), 'ERR_KEY_INVALID'],
  ['hmac an object', () => hmac({} as never, key), 'ERR_INVALID_ARGUMENT'],
  ['timingSafeEqual with a number', () => timingSafeEqual(1 as never, 1 as never), 'ERR_INVALID_ARGUMENT'],
  ['random with no length', () => random(undefined as never), 'ERR_INVALID_ARGUMENT'],
  ['random with Infinity', () => random(Number.POSITIVE_INFINITY), 'ERR_INVALID_ARGUMENT'],
  ['randomBytes of 2^31', () => randomBytes(2 ** 31), 'ERR_INVALID_ARGUMENT'],
  ['randomBytes of -1', () => randomBytes(-1), 'ERR_INVALID_ARGUMENT'],
  ['randomInt with NaN', () => randomInt(Number.NaN, 3), 'ERR_INVALID_ARGUMENT'],
  ['generateKeypair with null options', () => generateKeypair('EdDSA', null as never), 'ERR_INVALID_ARGUMENT'],
  ['sign with no key', () => sign('x', undefined as never), 'ERR_KEY_INVALID'],
  ['sign with a JWK missing d', () => sign('x', { kty: 'OKP', crv: 'Ed25519', x: 'AA' }), 'ERR_KEY_INVALID'],
  ['sign a number', () => sign(5 as never, privateKey), 'ERR_INVALID_ARGUMENT'],
  ['sign with an unknown algorithm', () => sign('x', privateKey, { algorithm: 'HS256' as never }), 'ERR_OPTION_INVALID'],
  ['verify with a secret KeyObject', () => verify('x', new Uint8Array(64), createSecretKey(new Uint8Array(32)) as never), 'ERR_KEY_INVALID'],
  ['verify a null signature', () => verify('x', null as never, publicKey), 'ERR_INVALID_ARGUMENT'],
  ['createKeyring with a key of the wrong type', () => createKeyring({ current: 'k', keys: { k: 7 as never } }), 'ERR_KEY_INVALID'],
];

describe('argument checks', () => {
  it.each(calls)('%s throws a BulwarkError', (_name, call, code) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(BulwarkError);
    expect((thrown as BulwarkError).code).toBe(code);
    expect((thrown as BulwarkError).message.length).toBeGreaterThan(20);
  });

  it('leaves frozen options unchanged', () => {
    const hashOptions = Object.freeze({ algorithm: 'SHA-512' as const, encoding: 'base64url' as const });
    const randomOptions = Object.freeze({ alphabet: '0123456789' });
    const keypairOptions = Object.freeze({ format: 'jwk' as const });
    const sealOptions = Object.freeze({ aad: 'context' });

    hash('x', hashOptions);
    hmac('x', key, hashOptions);
    random(8, randomOptions);
    generateKeypair('EdDSA', keypairOptions);
    seal(key, 'x', sealOptions);

    expect(hashOptions).toEqual({ algorithm: 'SHA-512', encoding: 'base64url' });
    expect(randomOptions).toEqual({ alphabet: '0123456789' });
    expect(keypairOptions).toEqual({ format: 'jwk' });
    expect(sealOptions).toEqual({ aad: 'context' });
  });

  it('never quotes the key in a key error', () => {
    const almostKey = Buffer.from(generateSecretKey(), 'base64url').subarray(0, 31).toString('base64url');

    try {
      encrypt('x', almostKey);
      expect.unreachable('encrypt accepted a 31-byte key');
    } catch (error) {
      expect((error as Error).message).not.toContain(almostKey);
      expect(JSON.stringify((error as BulwarkError).details)).not.toContain(almostKey);
      expect((error as Error).message).toContain('generateSecretKey()');
    }
  });
});
