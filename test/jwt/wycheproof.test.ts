// Wycheproof signature vectors run through the JWS verifiers that createJwtVerifier prepares.
import { readFileSync } from 'node:fs';
import { createSecretKey } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import type { JwtAlgorithm } from 'bulwark/core';

import { prepareVerificationKey } from '../../src/jwt/prepared-key.js';
import { createSignatureVerifier } from '../../src/jwt/signature.js';

interface WycheproofCase {
  tcId: number;
  comment: string;
  msg: string;
  sig?: string;
  tag?: string;
  key?: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

interface WycheproofGroup {
  publicKeyPem?: string;
  publicKeyJwk?: Record<string, string>;
  keyJwk?: Record<string, string>;
  tagSize?: number;
  keySize?: number;
  tests: WycheproofCase[];
}

const directory = fileURLToPath(new URL('../vectors/wycheproof/', import.meta.url));
const load = (file: string) => JSON.parse(readFileSync(directory + file, 'utf8')) as { numberOfTests: number; testGroups: WycheproofGroup[] };
const context = { label: 'key', code: 'ERR_OPTION_INVALID' } as const;

const SIGNATURE_FILES: Array<[string, JwtAlgorithm]> = [
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256'],
  ['ed25519_test.json', 'EdDSA'],
  ['rsa_signature_2048_sha256_test.json', 'RS256'],
  ['rsa_signature_3072_sha256_test.json', 'RS256'],
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256'],
];

describe('Wycheproof signatures through the JWS verifiers', () => {
  it.each(SIGNATURE_FILES)('runs every case of %s as %s', (file, algorithm) => {
    const vectors = load(file);
    const outcomes = { ran: 0, acceptableAccepted: 0, acceptableRejected: 0 };
    const wrong: number[] = [];

    for (const group of vectors.testGroups) {
      // A few ECDSA groups carry no JWK, because their keys have no JWK form; they carry PEM instead.
      const key = (group.publicKeyJwk ?? group.keyJwk ?? group.publicKeyPem) as { kty: string } | string;
      const verify = prepareVerificationKey(key, context, new Set([algorithm])).verifiers.get(algorithm);
      expect(verify).toBeDefined();

      for (const test of group.tests) {
        const accepted = verify!(Buffer.from(test.msg, 'hex'), Buffer.from(test.sig ?? '', 'hex'));
        outcomes.ran += 1;
        if (test.result === 'acceptable') {
          outcomes[accepted ? 'acceptableAccepted' : 'acceptableRejected'] += 1;
        } else if (accepted !== (test.result === 'valid')) {
          wrong.push(test.tcId);
        }
      }
    }

    console.log(`Wycheproof ${file} as ${algorithm}: ${outcomes.ran} cases, acceptable ones accepted ${outcomes.acceptableAccepted}, rejected ${outcomes.acceptableRejected}`);
    expect(wrong).toEqual([]);
    expect(outcomes.acceptableAccepted).toBe(0);
    expect(outcomes.ran).toBe(vectors.numberOfTests);
  });

  it('runs every HMAC-SHA256 case as HS256', () => {
    const vectors = load('hmac_sha256_test.json');
    let ran = 0;
    const wrong: number[] = [];

    for (const group of vectors.testGroups) {
      for (const test of group.tests) {
        const key = createSecretKey(Buffer.from(test.key ?? '', 'hex'));
        const verify = createSignatureVerifier('HS256', key);
        ran += 1;

        // Keys under 32 bytes are refused before any verification, so they never reach the verifier.
        let prepared = true;
        try {
          prepareVerificationKey(key, context, new Set(['HS256']));
        } catch {
          prepared = false;
        }
        expect({ tcId: test.tcId, prepared }).toEqual({ tcId: test.tcId, prepared: (key.symmetricKeySize ?? 0) >= 32 });

        // HS256 tags are the full 32 bytes (RFC 7518 section 3.2), so a truncated tag is never
        // accepted, even where Wycheproof marks it valid for truncated HMAC.
        const expected = test.result === 'valid' && group.tagSize === 256;
        if (verify(Buffer.from(test.msg, 'hex'), Buffer.from(test.tag ?? '', 'hex')) !== expected) {
          wrong.push(test.tcId);
        }
      }
    }
    console.log(`Wycheproof hmac_sha256_test.json as HS256: ${ran} cases`);
    expect(wrong).toEqual([]);
    expect(ran).toBe(vectors.numberOfTests);
  });
});
