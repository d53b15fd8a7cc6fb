import { describe, expect, it } from 'vitest';

import { hashPassword, isBulwarkError, verifyPassword } from 'bulwark/core';

// Tests that do not depend on the default parameters use Argon2id with 1 MiB and one pass, or
// bcrypt cost 10, so that they stay cheap on a shared machine.
const FAST_ARGON2 = { memoryCost: 1024, timeCost: 1 } as const;
const BCRYPT_10 = { algorithm: 'bcrypt', cost: 10 } as const;

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('hashPassword', () => {
  it('uses Argon2id with the OWASP parameters by default', async () => {
    const hash = await hashPassword('correct horse battery staple');

    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it('uses bcrypt with the requested cost', async () => {
    const hash = await hashPassword('correct horse battery staple', BCRYPT_10);

    expect(hash).toMatch(/^\$2b\$10\$[./A-Za-z0-9]{53}$/);
  });

  it('salts each hash', async () => {
    const first = await hashPassword('same password', FAST_ARGON2);
    const second = await hashPassword('same password', FAST_ARGON2);

    expect(first).not.toBe(second);
  });

  it('accepts exactly 72 bytes under bcrypt', async () => {
    // 24 euro signs are 72 UTF-8 bytes but only 24 characters.
    const password = '€'.repeat(24);

    const hash = await hashPassword(password, BCRYPT_10);

    expect(await verifyPassword(password, hash, { hash: BCRYPT_10 })).toBe(true);
  });

  it.each([
    ['73 ASCII bytes', 'a'.repeat(73)],
    ['73 UTF-8 bytes in 25 characters', '€'.repeat(24) + 'a'],
  ])('rejects %s under bcrypt (bcrypt truncation)', async (_label, password) => {
    const error = await rejectionOf(hashPassword(password, BCRYPT_10));

    expect(isBulwarkError(error, 'ERR_PASSWORD_INVALID')).toBe(true);
    expect((error as { details: { reason: string } }).details.reason).toBe('bcrypt_too_long');
    expect((error as Error).message).toContain('72');
  });

  it('rejects NUL under bcrypt', async () => {
    const error = await rejectionOf(hashPassword('before\u0000after', BCRYPT_10));

    expect(isBulwarkError(error, 'ERR_PASSWORD_INVALID')).toBe(true);
    expect((error as { details: { reason: string } }).details.reason).toBe('bcrypt_nul');
  });

  it('accepts NUL and long passwords under Argon2id', async () => {
    const password = 'before\u0000after' + 'x'.repeat(200);

    const hash = await hashPassword(password, FAST_ARGON2);

    expect(await verifyPassword(password, hash, { hash: FAST_ARGON2 })).toBe(true);
    expect(await verifyPassword('before', hash, { hash: FAST_ARGON2 })).toBe(false);
  });

  it.each([
    ['empty', '', 'empty'],
    ['over 1,024 bytes', 'x'.repeat(1025), 'too_long'],
    ['an unpaired surrogate', 'abc\uD800def', 'not_well_formed'],
  ])('rejects a password that is %s', async (_label, password, reason) => {
    const error = await rejectionOf(hashPassword(password, FAST_ARGON2));

    expect(isBulwarkError(error, 'ERR_PASSWORD_INVALID')).toBe(true);
    expect((error as { details: { reason: string } }).details.reason).toBe(reason);
  });

  it('never puts the password in the error', async () => {
    const password = 'hunter2-secret-' + 'x'.repeat(70);

    const error = await rejectionOf(hashPassword(password, BCRYPT_10));

    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('honours a larger maxPasswordBytes', async () => {
    const password = 'x'.repeat(2000);

    const hash = await hashPassword(password, { ...FAST_ARGON2, maxPasswordBytes: 4096 });

    expect(await verifyPassword(password, hash, { hash: { ...FAST_ARGON2, maxPasswordBytes: 4096 } })).toBe(true);
  });

  it.each([
    [{ algorithm: 'md5' }, 'algorithm'],
    [{ algorithm: 'bcrypt', cost: 9 }, 'cost'],
    [{ algorithm: 'bcrypt', cost: 15 }, 'cost'],
    [{ algorithm: 'bcrypt', cost: 12.5 }, 'cost'],
    [{ memoryCost: 512 }, 'memoryCost'],
    [{ memoryCost: 1_000_000 }, 'memoryCost'],
    [{ timeCost: 0 }, 'timeCost'],
    [{ parallelism: 17 }, 'parallelism'],
    [{ maxPasswordBytes: 10 }, 'maxPasswordBytes'],
  ])('rejects options %j naming the option', async (options, option) => {
    const error = await rejectionOf(hashPassword('password', options as never));

    expect(isBulwarkError(error, 'ERR_OPTION_INVALID')).toBe(true);
    expect((error as Error).message).toContain(option);
  });

  it('leaves its options unchanged', async () => {
    const options = Object.freeze({ algorithm: 'argon2id', ...FAST_ARGON2 } as const);
    const copy = structuredClone(options);

    await hashPassword('password', options);

    expect(options).toEqual(copy);
  });
});
