import { createCipheriv, randomBytes as nodeRandomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { BulwarkError, createKeyring, decrypt, encrypt, generateSecretKey } from 'bulwark/core';

const key = generateSecretKey();
const keyBytes = Buffer.from(key, 'base64url');
const keyring = createKeyring({ current: 'k1', keys: { k1: key } });
const token = encrypt({ user: 7 }, key);
const ringToken = encrypt({ user: 7 }, keyring);
const [header = '', , iv = '', ciphertext = '', tag = ''] = token.split('.');

function b64(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

/** Flips one bit of the byte at `index` of a base64url segment and re-encodes it canonically. */
function flipByte(segment: string, index: number): string {
  const bytes = Buffer.from(segment, 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return b64(bytes);
}

/**
 * Builds a token whose header is `headerJson` and that is encrypted correctly under the real key,
 * so only the header rule under test can reject it.
 */
function sealWithHeader(headerJson: string, plaintext: string | Buffer = '{"user":7}', ivBytes = nodeRandomBytes(12), tagBytes = 16): string {
  const encodedHeader = b64(headerJson);
  const cipher = createCipheriv('aes-256-gcm', keyBytes, ivBytes, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(encodedHeader, 'ascii'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${encodedHeader}..${b64(ivBytes)}.${b64(body)}.${b64(cipher.getAuthTag())}`;
}

/**
 * Returns a valid token with one base64url character of its ciphertext replaced by the standard
 * base64 character that Buffer decodes to the same bits, so only the strict decoder can reject it.
 */
function swapIntoStandardAlphabet(urlCharacter: string, standardCharacter: string): string {
  for (;;) {
    const [h = '', , i = '', c = '', t = ''] = encrypt('x'.repeat(96), key).split('.');
    if (c.includes(urlCharacter)) {
      return `${h}..${i}.${c.replace(urlCharacter, standardCharacter)}.${t}`;
    }
  }
}

const failures: Array<[string, unknown, unknown?]> = [
  ['a tampered header byte', `${flipByte(header, 2)}..${iv}.${ciphertext}.${tag}`],
  ['a tampered IV byte', `${header}..${flipByte(iv, 0)}.${ciphertext}.${tag}`],
  ['a tampered ciphertext byte', `${header}..${iv}.${flipByte(ciphertext, 3)}.${tag}`],
  ['a tampered tag byte', `${header}..${iv}.${ciphertext}.${flipByte(tag, 15)}`],
  ['a non-empty encrypted key', `${header}.${b64('key')}.${iv}.${ciphertext}.${tag}`],
  ['the wrong key', token, generateSecretKey()],
  ['a kid the keyring lacks', encrypt({ user: 7 }, createKeyring({ current: 'k9', keys: { k9: key } })), keyring],
  ['no kid with a keyring', token, keyring],
  ['a keyring token read with another key', ringToken, generateSecretKey()],
  ['a plus sign for a dash', swapIntoStandardAlphabet('-', '+')],
  ['a slash for an underscore', swapIntoStandardAlphabet('_', '/')],
  ['padding characters', `${header}..${iv}.${ciphertext}.${tag}==`],
  ['whitespace inside a segment', `${header}..${iv}.${ciphertext.slice(0, 4)} ${ciphertext.slice(4)}.${tag}`],
  ['non-canonical trailing bits', `${header}..${iv}.${ciphertext}.${tag.slice(0, -1)}${tag.endsWith('A') ? 'B' : 'A'}`],
  ['an invalid character', `${header}..${iv}.${ciphertext}.${tag.slice(0, -2)}$${tag.slice(-1)}`],
  ['four segments', `${header}..${iv}.${ciphertext}`],
  ['six segments', `${token}.${tag}`],
  ['one segment', header],
  ['an empty string', ''],
  ['alg RSA-OAEP', sealWithHeader('{"alg":"RSA-OAEP","enc":"A256GCM","cty":"json"}')],
  ['alg none', sealWithHeader('{"alg":"none","enc":"A256GCM","cty":"json"}')],
  ['no alg', sealWithHeader('{"enc":"A256GCM","cty":"json"}')],
  ['enc A256CBC-HS512', sealWithHeader('{"alg":"dir","enc":"A256CBC-HS512","cty":"json"}')],
  ['enc A128GCM not allowed by default', sealWithHeader('{"alg":"dir","enc":"A128GCM","cty":"json"}')],
  ['zip DEF', sealWithHeader('{"alg":"dir","enc":"A256GCM","zip":"DEF","cty":"json"}')],
  ['a crit header', sealWithHeader('{"alg":"dir","enc":"A256GCM","crit":["exp"],"exp":1,"cty":"json"}')],
  ['a tag of 12 bytes', sealWithHeader('{"alg":"dir","enc":"A256GCM","cty":"json"}', '{"user":7}', nodeRandomBytes(12), 12)],
  ['an IV of 16 bytes', sealWithHeader('{"alg":"dir","enc":"A256GCM","cty":"json"}', '{"user":7}', nodeRandomBytes(16))],
  ['an IV of 8 bytes', sealWithHeader('{"alg":"dir","enc":"A256GCM","cty":"json"}', '{"user":7}', nodeRandomBytes(8))],
  ['a header that is an array', sealWithHeader('["dir","A256GCM"]')],
  ['a header that is a string', sealWithHeader('"dir"')],
  ['a header that is null', sealWithHeader('null')],
  ['a header that is not JSON', sealWithHeader('{alg:dir}')],
  ['a header that is not UTF-8', `${b64(Buffer.from([0x7b, 0xff, 0x7d]))}..${iv}.${ciphertext}.${tag}`],
  ['an empty header', `..${iv}.${ciphertext}.${tag}`],
  ['a kid that is not a string', sealWithHeader('{"alg":"dir","enc":"A256GCM","kid":7,"cty":"json"}')],
  ['a cty that is not a string', sealWithHeader('{"alg":"dir","enc":"A256GCM","cty":1}')],
  ['JSON content that does not parse', sealWithHeader('{"alg":"dir","enc":"A256GCM","cty":"json"}', '{not json')],
  ['text content that is not UTF-8', sealWithHeader('{"alg":"dir","enc":"A256GCM","cty":"text/plain"}', Buffer.from([0xc3, 0x28]))],
  ['a number instead of a token', 42],
  ['undefined instead of a token', undefined],
  ['an object instead of a token', { token }],
];

describe('decrypt failures', () => {
  it('decrypts the untampered token', () => {
    expect(decrypt(token, key)).toEqual({ user: 7 });
    expect(decrypt(ringToken, keyring)).toEqual({ user: 7 });
    expect(decrypt(sealWithHeader('{"alg":"dir","enc":"A256GCM","cty":"json"}'), key)).toEqual({ user: 7 });
  });

  it.each(failures)('rejects %s with the one uniform error', (_name, input, decryptionKey = key) => {
    let thrown: unknown;
    try {
      decrypt(input as string, decryptionKey as string);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(BulwarkError);
    const error = thrown as BulwarkError;
    expect(error.code).toBe('ERR_DECRYPTION_FAILED');
    expect(error.message).toBe('Decryption failed: the token is malformed, was altered, or was encrypted with another key.');
    expect(error.cause).toBeUndefined();
    expect(Object.keys(error.details)).toEqual([]);
    expect(Object.keys(error).sort()).toEqual(['code', 'details', 'name']);
  });

  it('never echoes the token or key in the error', () => {
    const tampered = `${header}..${iv}.${flipByte(ciphertext, 0)}.${tag}`;

    try {
      decrypt(tampered, key);
      expect.unreachable('decrypt accepted a tampered token');
    } catch (error) {
      const printed = `${String(error)} ${(error as Error).stack ?? ''} ${JSON.stringify(error)}`;
      expect(printed).not.toContain(ciphertext.slice(0, 12));
      expect(printed).not.toContain(key);
    }
  });
});
