import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compactDecrypt, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';

import { decryptResponse, decryptWithPrivateKey, encryptForPublicKey } from 'bulwark/core';

const VECTORS = join(import.meta.dirname, '../vectors');

interface XdhCase {
  tcId: number;
  comment: string;
  flags: string[];
  public: Record<string, string>;
  private: Record<string, string>;
  shared: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

// The Concat KDF of RFC 7518, section 4.6.2, for ECDH-ES+A256KW with empty apu and apv: one
// SHA-256 round gives the 256-bit key-encryption key.
function concatKdf(sharedSecret: Buffer): Buffer {
  const algorithm = Buffer.from('ECDH-ES+A256KW');
  const uint32 = (value: number) => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(value);
    return bytes;
  };
  const otherInfo = Buffer.concat([uint32(algorithm.length), algorithm, uint32(0), uint32(0), uint32(256)]);
  return createHash('sha256').update(Buffer.concat([uint32(1), sharedSecret, otherInfo])).digest();
}

// Builds the JWE that a sender with the given ephemeral public key and shared secret would make,
// so that decrypting it with the case's private key recomputes the vector's X25519 output.
function tokenFor(testCase: XdhCase, plaintext: string): string {
  const { kid: _kid, ...epk } = testCase.public;
  const header = Buffer.from(JSON.stringify({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'text/plain', epk })).toString('base64url');
  const kek = testCase.shared === '' ? randomBytes(32) : concatKdf(Buffer.from(testCase.shared, 'hex'));
  const cek = randomBytes(32);
  const wrap = createCipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const encryptedKey = Buffer.concat([wrap.update(cek), wrap.final()]);

  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(header, 'latin1'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const segments = [header, encryptedKey, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url')));
  return segments.join('.');
}

async function outcome(run: () => Promise<unknown>): Promise<{ value: unknown } | { code: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { code: (error as { code?: unknown }).code };
  }
}

describe('Wycheproof X25519 (JWK) through ECDH-ES+A256KW', () => {
  const file = JSON.parse(readFileSync(join(VECTORS, 'wycheproof/x25519_jwk_test.json'), 'utf8'));
  const cases: XdhCase[] = file.testGroups.flatMap((group: { tests: XdhCase[] }) => group.tests);

  it('decrypts valid cases and rejects invalid and zero-secret ones', async () => {
    const counts = { valid: 0, invalid: 0, acceptable: 0 };

    for (const testCase of cases) {
      const plaintext = `case ${testCase.tcId}`;
      const decrypted = await outcome(() => decryptWithPrivateKey(tokenFor(testCase, plaintext), testCase.private as any));
      const encrypted = await outcome(() => encryptForPublicKey(plaintext, testCase.public as any));
      const label = `tcId ${testCase.tcId} (${testCase.comment})`;
      counts[testCase.result] += 1;

      if (testCase.result === 'valid') {
        expect(decrypted, label).toEqual({ value: plaintext });
        expect('value' in encrypted, label).toBe(true);
      } else if (testCase.result === 'invalid') {
        // The X25519 private key cannot agree with a key of another type or curve. A P-256 public
        // key is still a valid recipient on its own, so only the pairing fails for it.
        const isP256 = testCase.public.kty === 'EC' && testCase.public.crv === 'P-256';
        expect(decrypted, label).toEqual({ code: 'ERR_DECRYPTION_FAILED' });
        expect('value' in encrypted || encrypted.code === 'ERR_KEY_INVALID', label).toBe(true);
        expect('value' in encrypted, label).toBe(isP256);
      } else if (testCase.flags.includes('ZeroSharedSecret')) {
        // A low-order point gives an all-zero secret (RFC 7748, section 6.1): a body encrypted to
        // it, or accepted from it, would be readable or forgeable by anyone.
        expect(decrypted, label).toEqual({ code: 'ERR_DECRYPTION_FAILED' });
        expect(encrypted, label).toEqual({ code: 'ERR_KEY_INVALID' });
      } else {
        expect([{ value: plaintext }, { code: 'ERR_DECRYPTION_FAILED' }], label).toContainEqual(decrypted);
      }
    }

    console.info(`Wycheproof x25519_jwk_test: ran ${cases.length} cases`, counts);
    expect(cases.length).toBe(file.numberOfTests);
    expect(counts).toEqual({ valid: 264, invalid: 13, acceptable: 254 });
  });
});

describe('RFC 7520 JWE cookbook against the algorithm allowlist', () => {
  const directory = join(VECTORS, 'jose-cookbook/jwe');
  const files = [
    ...readdirSync(directory).map((name) => join(directory, name)),
    join(VECTORS, 'jose-cookbook/curve25519/ecdh-es.json'),
  ].filter((path) => path.endsWith('.json'));

  // None of the cookbook examples uses dir or ECDH-ES+A256KW with A256GCM, so decryptResponse must
  // refuse each one even with the right key (RFC 8725, section 3.1), while jose, allowed every
  // algorithm, shows that the example itself decrypts.
  it('rejects every example whose algorithms are not allowed', async () => {
    let ran = 0;

    for (const path of files) {
      const example = JSON.parse(readFileSync(path, 'utf8'));
      const token: string | undefined = example.output.compact;
      const key = example.input.key ?? example.input.pwd;
      if (token === undefined) {
        // A JSON-serialization-only example: decryptResponse reads compact tokens only.
        await expect(decryptResponse(JSON.stringify(example.output.json), key)).rejects.toMatchObject({ code: 'ERR_DECRYPTION_FAILED' });
        ran += 1;
        continue;
      }

      await expect(decryptResponse(token, key), example.title).rejects.toMatchObject({ code: 'ERR_DECRYPTION_FAILED' });
      if (typeof key === 'object' && example.input.alg !== 'RSA1_5') {
        const { plaintext } = await compactDecrypt(token, await importJWK(key, example.input.alg));
        expect(new TextDecoder().decode(plaintext), example.title).toBe(example.input.plaintext);
      }
      ran += 1;
    }

    console.info(`jose-cookbook JWE: ran ${ran} examples`);
    expect(ran).toBe(files.length);
    expect(ran).toBe(14);
  });
});
