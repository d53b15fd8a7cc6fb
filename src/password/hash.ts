import { hash as argon2Hash } from '@node-rs/argon2';
import { hash as bcryptHash } from '@node-rs/bcrypt';

import { BulwarkError } from '../errors.js';
import { resolveHashOptions, type HashOptions, type ResolvedHashOptions } from './options.js';
import { findPolicyViolation, normalizePassword, policyError } from './policy.js';

// The numeric value of Algorithm.Argon2id in @node-rs/argon2, a const enum that has no runtime object.
const ARGON2ID = 2;

/**
 * Hashes a password for storage and returns the encoded hash: a PHC string
 * (`$argon2id$v=19$m=19456,t=2,p=1$...`) or a bcrypt string (`$2b$12$...`).
 *
 * The password is normalised to NFC and checked against the policy first: it must not be empty or
 * longer than `maxPasswordBytes` (1,024 UTF-8 bytes by default), and under bcrypt it must not be
 * longer than 72 bytes or contain NUL. A violation throws `ERR_PASSWORD_INVALID`, whose
 * `details.reason` names the rule. The hash runs on libuv's thread pool, off the main thread.
 *
 * @param options - Argon2id with the OWASP Password Storage Cheat Sheet parameters (m=19456 KiB,
 * t=2, p=1) by default, or `{ algorithm: 'bcrypt', cost }` with cost 10 to 14 (12 by default).
 * @throws `ERR_PASSWORD_INVALID` for a password that breaks the policy, `ERR_OPTION_INVALID` for
 * invalid options, `ERR_PASSWORD_HASH_FAILED` when the hashing library fails.
 *
 * @example
 * ```ts
 * const passwordHash = await hashPassword('correct horse battery staple');
 * await db.users.update(userId, { passwordHash });
 * ```
 */
export async function hashPassword(password: string, options?: HashOptions): Promise<string> {
  const resolved = resolveHashOptions(options);
  return hashWithResolvedOptions(password, resolved);
}

/** {@link hashPassword} with options already resolved, for callers that resolved them once. */
export async function hashWithResolvedOptions(password: string, options: ResolvedHashOptions): Promise<string> {
  if (typeof password !== 'string') {
    throw new BulwarkError('ERR_PASSWORD_INVALID', 'The password must be a string.', { reason: 'not_string' });
  }

  const normalized = normalizePassword(password);
  const violation = findPolicyViolation(normalized, options.algorithm, options.maxPasswordBytes);
  if (violation !== undefined) {
    throw policyError(violation, options.maxPasswordBytes);
  }

  try {
    if (options.algorithm === 'bcrypt') {
      return await bcryptHash(normalized.bytes, options.cost);
    }
    return await argon2Hash(normalized.bytes, {
      algorithm: ARGON2ID,
      memoryCost: options.memoryCost,
      timeCost: options.timeCost,
      parallelism: options.parallelism,
    });
  } catch {
    throw new BulwarkError('ERR_PASSWORD_HASH_FAILED', 'The password hashing library failed.', { algorithm: options.algorithm });
  }
}
