import { describe, expect, it } from 'vitest';

import { type SignatureAlgorithm, verify } from 'bulwark/core';

import { casesOf, hex, readWycheproof, reportCount } from './helpers/vectors.js';

// Each file with the algorithm its signatures use and the key form its groups are read in.
const files: Array<[string, SignatureAlgorithm]> = [
  ['ed25519_test.json', 'EdDSA'],
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256'],
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256'],
  ['rsa_signature_2048_sha256_test.json', 'RS256'],
  ['rsa_signature_3072_sha256_test.json', 'RS256'],
];

describe('signature Wycheproof vectors', () => {
  it.each(files)('%s: every case, acceptable ones rejected', (name, algorithm) => {
    const file = readWycheproof(name);
    const cases = casesOf(file);
    const counts = { valid: 0, invalid: 0, acceptable: 0 };

    for (const [group, test] of cases) {
      const label = `tcId ${test.tcId} (${test.comment}; ${test.flags.join(', ')})`;
      const publicKey = group.publicKeyPem as string;

      const verified = verify(hex(test.msg), hex(test.sig), publicKey, { algorithm });

      expect(verified, label).toBe(test.result === 'valid');
      counts[test.result] += 1;
    }

    reportCount(name, cases.length, file.numberOfTests, `${counts.valid} valid verified, ${counts.invalid} invalid and ${counts.acceptable} acceptable rejected`);
    expect(cases).toHaveLength(file.numberOfTests);
    expect(counts.valid).toBeGreaterThan(0);
  });

  it('verifies with the JWK form of the keys', () => {
    const file = readWycheproof('ed25519_test.json');
    const [group] = file.testGroups;
    const validCase = group?.tests.find((test) => test.result === 'valid');

    expect(verify(hex(validCase?.msg), hex(validCase?.sig), group?.publicKeyJwk as Record<string, unknown>)).toBe(true);
  });
});
