import { createPasswordChecker } from './check.js';
import type { PasswordLogger } from './logger.js';
import { resolveHashOptions, type HashOptions } from './options.js';
import { parseStoredHash } from './stored-hash.js';

/**
 * Options of {@link verifyPassword}.
 *
 * @example
 * ```ts
 * const options: VerifyPasswordOptions = { hash: { algorithm: 'bcrypt', cost: 12 }, logger };
 * ```
 */
export interface VerifyPasswordOptions {
  /**
   * The configured algorithm and parameters, used for the dummy verification that a malformed
   * stored hash costs. Defaults to Argon2id with the OWASP parameters.
   */
  readonly hash?: HashOptions;
  /** Receives a warning for a malformed stored hash and an error when the library fails. */
  readonly logger?: PasswordLogger;
}

/**
 * Verifies a password against a stored hash, detecting Argon2 (`$argon2id$`, `$argon2i$`,
 * `$argon2d$`) or bcrypt (`$2a$`, `$2b$`, `$2y$`) from the string. The password is normalised to
 * NFC first. Runs on libuv's thread pool, off the main thread.
 *
 * It resolves to false, and never throws for a bad password or stored hash, when:
 * - the password does not match;
 * - the password is not a string, is empty, or is longer than `maxPasswordBytes`;
 * - the stored hash is bcrypt and the password is longer than 72 UTF-8 bytes or contains NUL,
 *   because bcrypt would ignore the bytes after the 72nd and could match a different password;
 * - the stored hash is malformed, of an unknown algorithm, or has parameters too costly to verify
 *   (Argon2 memory over 256 MiB, bcrypt cost over 16). This costs one dummy verification, the same
 *   work as a real check, and is reported to `options.logger`.
 *
 * @throws `ERR_OPTION_INVALID` when `options.hash` is invalid.
 *
 * @example
 * ```ts
 * if (await verifyPassword(request.body.password, user.passwordHash, { logger })) {
 *   // signed in
 * }
 * ```
 */
export async function verifyPassword(password: string, storedHash: string, options: VerifyPasswordOptions = {}): Promise<boolean> {
  const check = createPasswordChecker(resolveHashOptions(options.hash, 'hash.'), options.logger);
  return (await check(password, storedHash)) === 'match';
}

/**
 * Tells whether a stored hash should be replaced by a new hash of the same password, made with the
 * configured algorithm and parameters. Call it after a successful verification.
 *
 * Under Argon2id, it is true for a stored bcrypt, Argon2i, Argon2d or Argon2 version 0x10 hash, and
 * for a memory, time or parallelism parameter below the configured one. Under bcrypt, it is true
 * for a lower cost. It is true for a hash that cannot be parsed, and a stored Argon2 hash is never
 * replaced by bcrypt.
 *
 * @param options - The configured algorithm and parameters; Argon2id with the OWASP parameters by default.
 *
 * @example
 * ```ts
 * if (await verifyPassword(password, user.passwordHash) && needsRehash(user.passwordHash)) {
 *   await db.users.update(user.id, { passwordHash: await hashPassword(password) });
 * }
 * ```
 */
export function needsRehash(storedHash: string, options?: HashOptions): boolean {
  const configured = resolveHashOptions(options);
  const stored = parseStoredHash(storedHash);
  if (stored === undefined) {
    return true;
  }

  if (configured.algorithm === 'bcrypt') {
    return stored.algorithm === 'bcrypt' && stored.cost < configured.cost;
  }

  if (stored.algorithm !== 'argon2id') {
    return true;
  }

  // @node-rs/argon2 reports version 0x13 as 1 and the older 0x10 as 0.
  const currentVersion = 1;
  return (
    stored.version !== currentVersion ||
    stored.memoryCost < configured.memoryCost ||
    stored.timeCost < configured.timeCost ||
    stored.parallelism < configured.parallelism
  );
}
