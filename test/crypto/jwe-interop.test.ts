import { createSecretKey } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { describe, expect, it } from 'vitest';

import { BulwarkError, createKeyring, decrypt, encrypt, generateSecretKey } from 'bulwark/core';

import { readCookbook } from './helpers/vectors.js';

const key = generateSecretKey();
const keyObject = createSecretKey(Buffer.from(key, 'base64url'));
const encoder = new TextEncoder();

describe('JWE interop with jose', () => {
  it.each([
    ['text', 'grüße 😀', 'text/plain'],
    ['JSON', { user: 7, roles: ['admin'] }, 'json'],
    ['bytes', new Uint8Array([0, 1, 2, 255]), 'octet-stream'],
  ])('jose compactDecrypt reads our %s token', async (_name, value, cty) => {
    const token = encrypt(value, createKeyring({ current: 'k1', keys: { k1: key } }));

    const { plaintext, protectedHeader } = await compactDecrypt(token, keyObject, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });

    expect(protectedHeader).toEqual({ alg: 'dir', enc: 'A256GCM', kid: 'k1', cty });
    const expected = typeof value === 'string' ? encoder.encode(value) : value instanceof Uint8Array ? value : encoder.encode(JSON.stringify(value));
    expect(Buffer.from(plaintext).equals(Buffer.from(expected))).toBe(true);
  });

  it('jose compactDecrypt reads an empty plaintext', async () => {
    const { plaintext } = await compactDecrypt(encrypt('', key), keyObject);

    expect(plaintext).toHaveLength(0);
  });

  it.each([
    ['application/json', '{"a":[1,2]}', { a: [1, 2] }],
    ['json', '{"a":1}', { a: 1 }],
    ['application/vnd.api+json', '{"data":null}', { data: null }],
    ['text/html; charset=utf-8', '<p>hi</p>', '<p>hi</p>'],
    ['image/png', 'PNG', encoder.encode('PNG')],
    [undefined, 'raw', encoder.encode('raw')],
  ])('decrypt reads a jose token with cty %s', async (cty, text, expected) => {
    const header = cty === undefined ? { alg: 'dir', enc: 'A256GCM' } : { alg: 'dir', enc: 'A256GCM', cty };
    const token = await new CompactEncrypt(encoder.encode(text)).setProtectedHeader(header).encrypt(keyObject);

    expect(decrypt(token, key)).toEqual(expected);
  });

  it('decrypt picks the keyring key a jose token names', async () => {
    const otherKey = generateSecretKey();
    const keyring = createKeyring({ current: 'new', keys: { old: key, new: otherKey } });
    const token = await new CompactEncrypt(encoder.encode('"from jose"'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'old', cty: 'json' })
      .encrypt(keyObject);

    expect(decrypt(token, keyring)).toBe('from jose');
  });

  it('decrypt rejects a jose token with zip', async () => {
    const token = await new CompactEncrypt(encoder.encode('x'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' } as never)
      .encrypt(keyObject);

    expect(() => decrypt(token, key)).toThrowError(expect.objectContaining({ code: 'ERR_DECRYPTION_FAILED' }));
  });
});

describe('RFC 7520 section 5.6 (direct encryption with A128GCM)', () => {
  const example = readCookbook('jwe/5_6.direct_encryption_using_aes-gcm.json');
  const compact = example.output.compact as string;
  const cookbookKey = example.input.key.k as string;

  it('decrypts when the caller allows A128GCM', () => {
    const plaintext = decrypt(compact, cookbookKey, { encryptions: ['A128GCM'] });

    // The example has no cty, so decrypt returns bytes.
    expect(new TextDecoder().decode(plaintext as Uint8Array)).toBe(example.input.plaintext);
  });

  it('decrypts with A128GCM among other allowed encryptions', () => {
    const plaintext = decrypt(compact, Buffer.from(cookbookKey, 'base64url'), { encryptions: ['A256GCM', 'A128GCM'] });

    expect(new TextDecoder().decode(plaintext as Uint8Array)).toBe(example.input.plaintext);
  });

  it('rejects it by default', () => {
    // A 16-byte key does not fit the default A256GCM, so the key itself is refused.
    expect(() => decrypt(compact, cookbookKey)).toThrowError(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('rejects it by default even with a 32-byte key', () => {
    expect(() => decrypt(compact, key)).toThrowError(
      expect.objectContaining({ code: 'ERR_DECRYPTION_FAILED' }),
    );
  });

  it('rejects it when only A192GCM is allowed', () => {
    expect(() => decrypt(compact, Buffer.alloc(24), { encryptions: ['A192GCM'] })).toThrowError(BulwarkError);
  });
});
