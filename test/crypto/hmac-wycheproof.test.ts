import { describe, expect, it } from 'vitest';

import { hmac, timingSafeEqual } from 'bulwark/core';

import { casesOf, hex, readWycheproof, reportCount } from './helpers/vectors.js';

describe('HMAC-SHA256 Wycheproof vectors', () => {
  const file = readWycheproof('hmac_sha256_test.json');
  const cases = casesOf(file);

  it('runs every case: full tags verify, truncated and altered ones do not', () => {
    let verified = 0;
    let rejectedAltered = 0;
    let rejectedTruncated = 0;

    for (const [group, test] of cases) {
      const label = `tcId ${test.tcId} (${test.comment})`;
      const expectedTag = hex(test.tag);
      const computed = hmac(hex(test.msg), hex(test.key), { encoding: 'bytes' });
      const verifies = timingSafeEqual(computed, expectedTag);

      if (group.tagSize === 256 && test.result === 'valid') {
        expect(verifies, label).toBe(true);
        verified += 1;
      } else if (group.tagSize === 256) {
        expect(verifies, label).toBe(false);
        rejectedAltered += 1;
      } else {
        // A 128-bit truncated tag never verifies against the full tag, even when the vector calls
        // it valid for HMAC-SHA256-128; the valid ones must still be the prefix of our full tag.
        expect(verifies, label).toBe(false);
        const isPrefix = Buffer.from(computed).subarray(0, expectedTag.length).equals(expectedTag);
        expect(isPrefix, label).toBe(test.result === 'valid');
        rejectedTruncated += 1;
      }
    }

    reportCount(
      'hmac_sha256_test.json',
      cases.length,
      file.numberOfTests,
      `${verified} valid verified, ${rejectedAltered} altered rejected, ${rejectedTruncated} truncated rejected`,
    );
    expect(cases).toHaveLength(file.numberOfTests);
    expect(verified).toBeGreaterThan(0);
  });
});
