import { verify as argon2Verify } from '@node-rs/argon2';
import { verify as bcryptVerify } from '@node-rs/bcrypt';

import { dummyHashFor } from './dummy-hash.js';
import type { PasswordLogger } from './logger.js';
import type { ResolvedHashOptions } from './options.js';
import { findPolicyViolation, normalizePassword, type NormalizedPassword } from './policy.js';
import { parseStoredHash, type StoredHash } from './stored-hash.js';

/**
 * The outcome of checking a password against a stored hash:
 * - `match` and `mismatch`: the verification ran and returned that result;
 * - `password_rejected`: the password breaks the policy, so it never matches;
 * - `hash_invalid`: the stored hash is malformed, of an unknown algorithm or beyond the bounds;
 * - `verify_failed`: the hashing library raised an error.
 */
export type CheckOutcome = 'match' | 'mismatch' | 'password_rejected' | 'hash_invalid' | 'verify_failed';

/** Checks a password against a stored hash; the function that the authenticator calls. */
export type PasswordChecker = (password: unknown, storedHash: unknown) => Promise<CheckOutcome>;

/** Runs one hashing-library verification of password bytes against a parsed stored hash. */
export type HashVerifier = (password: Buffer, stored: StoredHash) => Promise<boolean>;

/** The verifier that calls @node-rs/argon2 and @node-rs/bcrypt, on libuv's thread pool. */
export const verifyWithLibrary: HashVerifier = (password, stored) =>
  stored.algorithm === 'bcrypt' ? bcryptVerify(password, stored.encoded) : argon2Verify(stored.encoded, password);

/**
 * Creates the checker behind `verifyPassword` and the authenticator. It catches every library
 * error, so it resolves to an outcome rather than rejecting.
 *
 * Each failure that depends on the account costs one verification, so a client cannot tell a
 * malformed or bcrypt-limited hash from a wrong password by timing:
 * - a malformed stored hash is replaced by the dummy hash of `options`, and the verification runs;
 * - a password that bcrypt cannot take (over 72 bytes, or NUL) is verified and the result discarded.
 *
 * A password over `maxPasswordBytes`, empty, or not a string is rejected without hashing. That
 * reveals nothing about any account, because the same input is rejected for every account.
 */
export function createPasswordChecker(
  options: ResolvedHashOptions,
  logger?: PasswordLogger,
  verify: HashVerifier = verifyWithLibrary,
): PasswordChecker {
  const verifyStored = (password: NormalizedPassword, stored: StoredHash, log: PasswordLogger | undefined) => verifyOnce(verify, password, stored, log);

  return async (password, storedHash) => {
    if (typeof password !== 'string') {
      return 'password_rejected';
    }

    const normalized = normalizePassword(password);
    const generalViolation = findPolicyViolation(normalized, 'argon2id', options.maxPasswordBytes);
    if (generalViolation !== undefined) {
      return 'password_rejected';
    }

    const parsed = parseStoredHash(storedHash);
    if (parsed === undefined) {
      logger?.warn({ event: 'password_hash_invalid', reason: 'malformed_or_unsupported' }, 'stored password hash is invalid');
      await verifyDummyDiscardingResult(normalized, options, verifyStored);
      return 'hash_invalid';
    }

    const bcryptViolation = parsed.algorithm === 'bcrypt' ? findPolicyViolation(normalized, 'bcrypt', options.maxPasswordBytes) : undefined;
    const outcome = await verifyStored(normalized, parsed, logger);
    if (bcryptViolation !== undefined) {
      return 'password_rejected';
    }
    return outcome;
  };
}

async function verifyOnce(verify: HashVerifier, password: NormalizedPassword, stored: StoredHash, logger: PasswordLogger | undefined): Promise<CheckOutcome> {
  try {
    const matches = await verify(password.bytes, stored);
    return matches ? 'match' : 'mismatch';
  } catch (error) {
    logger?.error({ event: 'password_verify_failed', algorithm: stored.algorithm, errorName: (error as Error)?.name }, 'password verification failed');
    return 'verify_failed';
  }
}

// Spends the same work as verifying against a real hash of the configured parameters.
async function verifyDummyDiscardingResult(
  password: NormalizedPassword,
  options: ResolvedHashOptions,
  verifyStored: (password: NormalizedPassword, stored: StoredHash, logger: undefined) => Promise<CheckOutcome>,
): Promise<void> {
  try {
    const dummy = await dummyHashFor(options);
    const stored = parseStoredHash(dummy);
    if (stored !== undefined) {
      await verifyStored(password, stored, undefined);
    }
  } catch {
    // The dummy hash could not be made; the caller already returns a failure.
  }
}
