import { beforeAll, describe, expect, it } from 'vitest';

import { authenticate, createAuthenticator, hashPassword, isBulwarkError, verifyPassword, type AuthenticateOptions } from 'bulwark/core';

import { createPasswordChecker, type PasswordChecker } from '../../src/password/check.js';
import { createAuthenticatorWithChecker } from '../../src/password/authenticator-core.js';
import { resolveHashOptions } from '../../src/password/options.js';
import { recordingLogger } from '../helpers/logger.js';

// Cheap Argon2id parameters: these tests do not depend on the default cost.
const FAST_ARGON2 = { memoryCost: 1024, timeCost: 1 } as const;
const BCRYPT_10 = { algorithm: 'bcrypt', cost: 10 } as const;

interface User {
  id: string;
  name: string;
  passwordHash?: string;
}

describe('createAuthenticator', () => {
  const users = new Map<string, User>();

  beforeAll(async () => {
    users.set('alice', { id: 'u1', name: 'alice', passwordHash: await hashPassword('alice-password', FAST_ARGON2) });
    users.set('sso-only', { id: 'u2', name: 'sso-only' });
    users.set('corrupt', { id: 'u3', name: 'corrupt', passwordHash: '$argon2id$not-a-hash' });
  });

  const options: AuthenticateOptions<User> = { findUser: (name) => users.get(name), hash: FAST_ARGON2 };

  it.each([
    ['the right password', 'alice', 'alice-password', { ok: true, user: expect.objectContaining({ id: 'u1' }) }],
    ['a wrong password', 'alice', 'wrong', { ok: false, reason: 'wrong_password' }],
    ['an unknown user', 'mallory', 'alice-password', { ok: false, reason: 'unknown_user' }],
    ['a user without a password', 'sso-only', 'anything', { ok: false, reason: 'no_password_hash' }],
    ['a malformed stored hash', 'corrupt', 'anything', { ok: false, reason: 'hash_invalid' }],
    ['an over-long password', 'alice', 'x'.repeat(2000), { ok: false, reason: 'password_rejected' }],
  ])('returns the result for %s', async (_label, username, password, expected) => {
    const login = createAuthenticator(options);

    expect(await login(username, password)).toEqual(expected);
  });

  it('lets errors from findUser propagate', async () => {
    const login = createAuthenticator<User>({
      findUser: () => Promise.reject(new Error('database down')),
      hash: FAST_ARGON2,
    });

    await expect(login('alice', 'alice-password')).rejects.toThrow('database down');
  });

  it('reads the hash with getPasswordHash', async () => {
    const stored = { secret: await hashPassword('pw', FAST_ARGON2) };
    const login = createAuthenticator({ findUser: () => stored, getPasswordHash: (user) => user.secret, hash: FAST_ARGON2 });

    expect(await login('anyone', 'pw')).toEqual({ ok: true, user: stored });
  });

  it.each([
    [{}, 'findUser'],
    [{ findUser: 'users' }, 'findUser'],
    [{ findUser: (): undefined => undefined, updatePasswordHash: 'save' }, 'updatePasswordHash'],
    [{ findUser: (): undefined => undefined, getPasswordHash: 1 }, 'getPasswordHash'],
    [{ findUser: (): undefined => undefined, hash: { algorithm: 'bcrypt', cost: 4 } }, 'hash.cost'],
    [{ findUser: (): undefined => undefined, logger: { warn: 'console' } }, 'logger'],
  ])('rejects options %j naming the option', (invalid, option) => {
    let error: unknown;
    try {
      createAuthenticator(invalid as never);
    } catch (caught) {
      error = caught;
    }

    expect(isBulwarkError(error, 'ERR_OPTION_INVALID')).toBe(true);
    expect((error as Error).message).toContain(option);
  });

  it('leaves its options unchanged', async () => {
    const frozen = Object.freeze({ findUser: (name: string) => users.get(name), hash: Object.freeze({ ...FAST_ARGON2 }) });

    const login = createAuthenticator(frozen);
    await login('alice', 'alice-password');

    expect(frozen.hash).toEqual(FAST_ARGON2);
    expect(Object.keys(frozen)).toEqual(['findUser', 'hash']);
  });
});

describe('createAuthenticator rehash on login', () => {
  it('upgrades a bcrypt hash to Argon2id', async () => {
    const user: User = { id: 'u1', name: 'bob', passwordHash: await hashPassword('bob-password', BCRYPT_10) };
    const updates: string[] = [];
    const login = createAuthenticator<User>({
      findUser: () => user,
      updatePasswordHash: (_user, newHash) => {
        updates.push(newHash);
      },
      hash: FAST_ARGON2,
    });

    const result = await login('bob', 'bob-password');

    expect(result.ok).toBe(true);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await verifyPassword('bob-password', updates[0]!, { hash: FAST_ARGON2 })).toBe(true);
  });

  it('does not rehash a current hash', async () => {
    const user: User = { id: 'u1', name: 'bob', passwordHash: await hashPassword('bob-password', FAST_ARGON2) };
    let calls = 0;
    const login = createAuthenticator<User>({ findUser: () => user, updatePasswordHash: () => void (calls += 1), hash: FAST_ARGON2 });

    await login('bob', 'bob-password');

    expect(calls).toBe(0);
  });

  it('logs a failed update and still signs in', async () => {
    const storedHash = await hashPassword('bob-password', BCRYPT_10);
    const user: User = { id: 'u1', name: 'bob', passwordHash: storedHash };
    const logger = recordingLogger();
    const login = createAuthenticator<User>({
      findUser: () => user,
      updatePasswordHash: () => Promise.reject(new Error('write failed')),
      hash: FAST_ARGON2,
      logger,
    });

    const result = await login('bob', 'bob-password');

    expect(result.ok).toBe(true);
    expect(user.passwordHash).toBe(storedHash);
    expect(logger.events('error')).toEqual([expect.objectContaining({ event: 'password_rehash_failed' })]);
    expect(logger.serialized()).not.toContain('bob-password');
  });
});

describe('unknown-user path (user enumeration by timing)', () => {
  function recordingChecker(configured: Parameters<typeof resolveHashOptions>[0]) {
    const real = createPasswordChecker(resolveHashOptions(configured));
    const calls: Array<{ password: unknown; storedHash: unknown }> = [];
    const check: PasswordChecker = (password, storedHash) => {
      calls.push({ password, storedHash });
      return real(password, storedHash);
    };
    return { check, calls };
  }

  it('verifies exactly once, against the dummy hash', async () => {
    const aliceHash = await hashPassword('alice-password', BCRYPT_10);
    const options: AuthenticateOptions<User> = {
      findUser: (name) => (name === 'alice' ? { id: 'u1', name, passwordHash: aliceHash } : undefined),
      hash: BCRYPT_10,
    };
    const { check, calls } = recordingChecker(BCRYPT_10);
    const login = createAuthenticatorWithChecker(options, check);

    const result = await login('mallory', 'guess');

    expect(result).toEqual({ ok: false, reason: 'unknown_user' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.password).toBe('guess');
    // The dummy is a valid hash with the configured algorithm and cost, and not any user's hash.
    expect(calls[0]!.storedHash).toMatch(/^\$2b\$10\$[./A-Za-z0-9]{53}$/);
    expect(calls[0]!.storedHash).not.toBe(aliceHash);
  });

  it('costs the same single verification as a wrong password', async () => {
    const aliceHash = await hashPassword('alice-password', BCRYPT_10);
    const options: AuthenticateOptions<User> = {
      findUser: (name) => (name === 'alice' ? { id: 'u1', name, passwordHash: aliceHash } : undefined),
      hash: BCRYPT_10,
    };
    const { check, calls } = recordingChecker(BCRYPT_10);
    const login = createAuthenticatorWithChecker(options, check);

    await login('alice', 'wrong');
    await login('mallory', 'wrong');
    await login('nobody', 'wrong');

    expect(calls.map((call) => call.storedHash === aliceHash)).toEqual([true, false, false]);
    // The dummy hash is made once, at setup, and reused.
    expect(calls[1]!.storedHash).toBe(calls[2]!.storedHash);
  });

  it('uses the configured Argon2id parameters for the dummy hash', async () => {
    const options: AuthenticateOptions<User> = { findUser: () => undefined, hash: { memoryCost: 2048, timeCost: 1 } };
    const { check, calls } = recordingChecker(options.hash);
    const login = createAuthenticatorWithChecker(options, check);

    await login('mallory', 'guess');

    expect(calls).toHaveLength(1);
    expect(calls[0]!.storedHash).toMatch(/^\$argon2id\$v=19\$m=2048,t=1,p=1\$/);
  });
});

describe('authenticate', () => {
  it('checks a login in one call', async () => {
    const user = { id: 'u1', passwordHash: await hashPassword('pw-123', FAST_ARGON2) };
    const options = { findUser: (name: string) => (name === 'ann' ? user : undefined), hash: FAST_ARGON2 };

    expect(await authenticate('ann', 'pw-123', options)).toEqual({ ok: true, user });
    expect(await authenticate('ann', 'pw-124', options)).toEqual({ ok: false, reason: 'wrong_password' });
    expect(await authenticate('bob', 'pw-123', options)).toEqual({ ok: false, reason: 'unknown_user' });
  });
});
