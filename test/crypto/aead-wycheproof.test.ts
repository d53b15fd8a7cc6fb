import { describe, expect, it } from 'vitest';

import { BulwarkError, generateSecretKey, open, seal } from 'bulwark/core';

import { gcmEncrypt } from '../../src/crypto/internal/aes-gcm.js';
import { casesOf, hex, readWycheproof, reportCount } from './helpers/vectors.js';

describe('seal and open', () => {
  const key = generateSecretKey();

  it('round-trips with associated data', () => {
    const box = seal(key, 'attack at dawn', { aad: 'order-17' });

    const plaintext = open(key, { ...box, aad: 'order-17' });

    expect(new TextDecoder().decode(plaintext)).toBe('attack at dawn');
    expect(box.iv).toHaveLength(12);
    expect(box.tag).toHaveLength(16);
  });

  it('rejects the wrong associated data', () => {
    const box = seal(key, 'attack at dawn', { aad: 'order-17' });

    expect(() => open(key, { ...box, aad: 'order-18' })).toThrowError(expect.objectContaining({ code: 'ERR_DECRYPTION_FAILED' }));
    expect(() => open(key, box)).toThrowError(expect.objectContaining({ code: 'ERR_DECRYPTION_FAILED' }));
  });

  it('draws a fresh IV for every seal', () => {
    const ivs = new Set(Array.from({ length: 100 }, () => Buffer.from(seal(key, 'x').iv).toString('hex')));

    expect(ivs.size).toBe(100);
  });

  it('returns an IV that shares no memory with later IVs', () => {
    const box = seal(key, 'x');

    expect(box.iv.buffer.byteLength).toBe(12);
  });
});

describe('AES-GCM Wycheproof vectors', () => {
  const file = readWycheproof('aes_gcm_test.json');
  const cases = casesOf(file);

  it('runs every case of the file', () => {
    let accepted = 0;
    let rejected = 0;
    let rejectedByPolicy = 0;

    for (const [group, test] of cases) {
      const inScope = group.keySize === 256 && group.ivSize === 96 && group.tagSize === 128;
      const input = { iv: hex(test.iv), ciphertext: hex(test.ct), tag: hex(test.tag), aad: hex(test.aad) };
      const label = `tcId ${test.tcId} (${test.comment})`;

      let opened: Uint8Array | undefined;
      let failure: unknown;
      try {
        opened = open(hex(test.key), input);
      } catch (error) {
        failure = error;
      }

      if (inScope && test.result === 'valid') {
        expect(failure, label).toBeUndefined();
        expect(Buffer.from(opened ?? []).toString('hex'), label).toBe(test.msg);

        // The sealing direction with the vector's IV must give the published ciphertext and tag.
        const sealed = gcmEncrypt(hex(test.key), hex(test.iv), hex(test.msg), hex(test.aad));
        expect(sealed.ciphertext.toString('hex'), label).toBe(test.ct);
        expect(sealed.tag.toString('hex'), label).toBe(test.tag);
        accepted += 1;
        continue;
      }

      expect(failure, label).toBeInstanceOf(BulwarkError);
      const code = (failure as BulwarkError).code;
      if (inScope) {
        expect(code, label).toBe('ERR_DECRYPTION_FAILED');
        rejected += 1;
      } else {
        // Keys other than 256 bits fail the key check; IVs and tags of other sizes fail open's size check.
        expect(['ERR_KEY_INVALID', 'ERR_DECRYPTION_FAILED'], label).toContain(code);
        rejectedByPolicy += 1;
      }
    }

    reportCount(
      'aes_gcm_test.json',
      cases.length,
      file.numberOfTests,
      `${accepted} valid opened and resealed, ${rejected} invalid rejected, ${rejectedByPolicy} other sizes rejected by policy`,
    );
    expect(cases).toHaveLength(file.numberOfTests);
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
