import { beforeAll, describe, expect, it } from 'vitest';

import { hashPassword, needsRehash, verifyPassword } from 'bulwark/core';

import { recordingLogger } from '../helpers/logger.js';

// Cheap parameters: these tests do not depend on the default cost.
const FAST_ARGON2 = { memoryCost: 1024, timeCost: 1 } as const;
const BCRYPT_10 = { algorithm: 'bcrypt', cost: 10 } as const;

describe('verifyPassword', () => {
  let argon2Hash: string;
  let bcryptHash: string;

  beforeAll(async () => {
    argon2Hash = await hashPassword('Crème brûlée', FAST_ARGON2);
    bcryptHash = await hashPassword('a'.repeat(72), BCRYPT_10);
  });

  it('matches the right password', async () => {
    expect(await verifyPassword('Crème brûlée', argon2Hash, { hash: FAST_ARGON2 })).toBe(true);
  });

  it('rejects a wrong password', async () => {
    expect(await verifyPassword('Creme brulee', argon2Hash, { hash: FAST_ARGON2 })).toBe(false);
  });

  it('matches the NFC and NFD forms of one password', async () => {
    const composed = 'Crème brûlée'.normalize('NFC');
    const decomposed = 'Crème brûlée'.normalize('NFD');
    expect(composed).not.toBe(decomposed);

    expect(await verifyPassword(composed, argon2Hash, { hash: FAST_ARGON2 })).toBe(true);
    expect(await verifyPassword(decomposed, argon2Hash, { hash: FAST_ARGON2 })).toBe(true);
  });

  it('keeps NFKC-distinct passwords apart', async () => {
    // NFKC would fold the ligature "ﬁ" into "fi"; NFC keeps them different passwords.
    const hash = await hashPassword('ﬁsh', FAST_ARGON2);

    expect(await verifyPassword('ﬁsh', hash, { hash: FAST_ARGON2 })).toBe(true);
    expect(await verifyPassword('fish', hash, { hash: FAST_ARGON2 })).toBe(false);
  });

  it('stops bcrypt truncation: 72 bytes plus more never match', async () => {
    // bcrypt itself ignores byte 73 on, so without the policy this would match.
    expect(await verifyPassword('a'.repeat(72), bcryptHash, { hash: BCRYPT_10 })).toBe(true);
    expect(await verifyPassword('a'.repeat(72) + 'anything', bcryptHash, { hash: BCRYPT_10 })).toBe(false);
  });

  it('never matches a password with NUL against bcrypt', async () => {
    expect(await verifyPassword('a'.repeat(10) + '\u0000', bcryptHash, { hash: BCRYPT_10 })).toBe(false);
  });

  it('verifies $2a$ and $2y$ forms of a bcrypt hash', async () => {
    const hash = await hashPassword('password', BCRYPT_10);

    expect(await verifyPassword('password', hash.replace('$2b$', '$2a$'), { hash: BCRYPT_10 })).toBe(true);
    expect(await verifyPassword('password', hash.replace('$2b$', '$2y$'), { hash: BCRYPT_10 })).toBe(true);
  });

  it('rejects an over-long password without hashing it', async () => {
    expect(await verifyPassword('x'.repeat(1025), argon2Hash, { hash: FAST_ARGON2 })).toBe(false);
  });

  const validSalt = 'c29tZXNhbHRzb21lc2FsdA';
  const validDigest = 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
  it.each([
    ['empty', ''],
    ['not a hash', 'password123'],
    ['an unknown algorithm', '$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA'],
    ['a truncated Argon2 hash', '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ'],
    ['Argon2 with 4 GiB of memory (memory exhaustion)', `$argon2id$v=19$m=4294967295,t=2,p=1$${validSalt}$${validDigest}`],
    ['Argon2 with 4 billion passes (thread exhaustion)', `$argon2id$v=19$m=1024,t=4294967295,p=1$${validSalt}$${validDigest}`],
    ['Argon2 with a 4-byte digest', '$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$aGFzaA'],
    ['bcrypt with cost 31 (thread exhaustion)', '$2b$31$' + 'a'.repeat(53)],
    ['bcrypt from the buggy $2x$ variant', '$2x$10$' + 'a'.repeat(53)],
    ['bcrypt of the wrong length', '$2b$10$' + 'a'.repeat(40)],
    ['too long to parse', '$argon2id$' + 'a'.repeat(1000)],
  ])('returns false for a stored hash that is %s', async (_label, stored) => {
    const logger = recordingLogger();

    const result = await verifyPassword('password', stored, { hash: FAST_ARGON2, logger });

    expect(result).toBe(false);
    expect(logger.events('warn')).toEqual([expect.objectContaining({ event: 'password_hash_invalid' })]);
  });

  it.each([null, undefined, 42, {}])('returns false for a stored hash %j', async (stored) => {
    expect(await verifyPassword('password', stored as never, { hash: FAST_ARGON2 })).toBe(false);
  });

  it.each([null, undefined, 42, ['password']])('returns false for a password %j', async (password) => {
    expect(await verifyPassword(password as never, argon2Hash, { hash: FAST_ARGON2 })).toBe(false);
  });

  it('never logs the password or the stored hash', async () => {
    const logger = recordingLogger();

    await verifyPassword('hunter2', '$argon2id$broken-hash-value', { hash: FAST_ARGON2, logger });

    expect(logger.serialized()).not.toContain('hunter2');
    expect(logger.serialized()).not.toContain('broken-hash-value');
  });
});

describe('needsRehash', () => {
  const argon2 = (m: number, t: number, p: number, version = 19) =>
    `$argon2id$v=${version}$m=${m},t=${t},p=${p}$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g`;
  const bcrypt = (cost: number) => `$2b$${cost}$` + 'a'.repeat(53);

  it.each([
    ['bcrypt under Argon2id', bcrypt(12), undefined, true],
    ['Argon2id at the OWASP parameters', argon2(19456, 2, 1), undefined, false],
    ['Argon2id above the OWASP parameters', argon2(65536, 3, 1), undefined, false],
    ['Argon2id with less memory', argon2(4096, 2, 1), undefined, true],
    ['Argon2id with fewer passes', argon2(19456, 1, 1), undefined, true],
    ['Argon2id with less parallelism', argon2(19456, 2, 1), { parallelism: 2 }, true],
    ['Argon2 version 0x10', argon2(19456, 2, 1, 16), undefined, true],
    ['Argon2i', argon2(19456, 2, 1).replace('argon2id', 'argon2i'), undefined, true],
    ['a lower bcrypt cost', bcrypt(10), { algorithm: 'bcrypt', cost: 12 }, true],
    ['the same bcrypt cost', bcrypt(12), { algorithm: 'bcrypt', cost: 12 }, false],
    ['Argon2id under bcrypt (never downgraded)', argon2(4096, 1, 1), { algorithm: 'bcrypt' }, false],
    ['a malformed hash', 'garbage', undefined, true],
  ] as const)('%s', (_label, stored, options, expected) => {
    expect(needsRehash(stored, options as never)).toBe(expected);
  });
});
