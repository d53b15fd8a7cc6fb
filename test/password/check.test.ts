import { beforeAll, describe, expect, it } from 'vitest';

import { hashPassword } from 'bulwark/core';

import { createPasswordChecker, verifyWithLibrary, type HashVerifier } from '../../src/password/check.js';
import { resolveHashOptions } from '../../src/password/options.js';
import type { StoredHash } from '../../src/password/stored-hash.js';

// bcrypt cost 10: these tests count verifications, they do not depend on the default cost.
const BCRYPT_10 = resolveHashOptions({ algorithm: 'bcrypt', cost: 10 });

function recordingVerifier() {
  const calls: StoredHash[] = [];
  const verify: HashVerifier = (password, stored) => {
    calls.push(stored);
    return verifyWithLibrary(password, stored);
  };
  return { verify, calls };
}

describe('password checker work (user enumeration by timing)', () => {
  let storedHash: string;

  beforeAll(async () => {
    storedHash = await hashPassword('a'.repeat(72), BCRYPT_10);
  });

  it('verifies a malformed stored hash once, against the dummy', async () => {
    const { verify, calls } = recordingVerifier();
    const check = createPasswordChecker(BCRYPT_10, undefined, verify);

    const outcome = await check('password', '$2b$10$broken');

    expect(outcome).toBe('hash_invalid');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ algorithm: 'bcrypt', cost: 10 });
    expect(calls[0]!.encoded).not.toBe('$2b$10$broken');
  });

  it('verifies an over-72-byte password against the stored bcrypt hash once', async () => {
    const { verify, calls } = recordingVerifier();
    const check = createPasswordChecker(BCRYPT_10, undefined, verify);

    const outcome = await check('a'.repeat(72) + 'tail', storedHash);

    expect(outcome).toBe('password_rejected');
    expect(calls.map((stored) => stored.encoded)).toEqual([storedHash]);
  });

  it('verifies a wrong password once', async () => {
    const { verify, calls } = recordingVerifier();
    const check = createPasswordChecker(BCRYPT_10, undefined, verify);

    const outcome = await check('wrong', storedHash);

    expect(outcome).toBe('mismatch');
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['empty', ''],
    ['over the maximum length', 'x'.repeat(1025)],
    ['not a string', 42],
  ])('skips hashing for a password that is %s, for every account alike', async (_label, password) => {
    const { verify, calls } = recordingVerifier();
    const check = createPasswordChecker(BCRYPT_10, undefined, verify);

    const outcome = await check(password, storedHash);

    expect(outcome).toBe('password_rejected');
    expect(calls).toHaveLength(0);
  });

  it('returns verify_failed when the library rejects', async () => {
    const failing: HashVerifier = () => Promise.reject(new Error('native failure'));
    const errors: Array<Record<string, unknown>> = [];
    const logger = { warn: () => undefined, error: (object: Record<string, unknown>) => void errors.push(object) };
    const check = createPasswordChecker(BCRYPT_10, logger, failing);

    const outcome = await check('password', storedHash);

    expect(outcome).toBe('verify_failed');
    expect(errors).toEqual([expect.objectContaining({ event: 'password_verify_failed', algorithm: 'bcrypt' })]);
  });
});
