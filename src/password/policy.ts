import { BulwarkError } from '../errors.js';

/**
 * The maximum number of bytes that bcrypt reads from its input. It ignores the rest.
 *
 * @example
 * ```ts
 * if (Buffer.byteLength(password) > BCRYPT_MAX_PASSWORD_BYTES) showError('Use at most 72 bytes.');
 * ```
 */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;

/** The policy rule that a password breaks. */
export type PasswordPolicyViolation = 'empty' | 'not_well_formed' | 'too_long' | 'bcrypt_too_long' | 'bcrypt_nul';

const LONE_SURROGATE = /\p{Surrogate}/u;

/** A password after normalisation, with its UTF-8 bytes. */
export interface NormalizedPassword {
  readonly text: string;
  readonly bytes: Buffer;
}

/**
 * Normalises a password to NFC, so that the composed and decomposed forms of one password (as
 * different keyboards and operating systems send them) hash the same. NFKC is not used, because it
 * folds distinct characters together (such as "ﬁ" into "fi") and so shrinks the password space.
 */
export function normalizePassword(password: string): NormalizedPassword {
  const text = password.normalize('NFC');
  return { text, bytes: Buffer.from(text, 'utf8') };
}

/**
 * Finds the first policy rule that a normalised password breaks, or undefined when it passes.
 * `algorithm` adds bcrypt's rules: no more than 72 bytes, because bcrypt would silently ignore the
 * rest, and no NUL byte, because C implementations of bcrypt end the password there.
 */
export function findPolicyViolation(
  password: NormalizedPassword,
  algorithm: 'argon2id' | 'bcrypt',
  maxPasswordBytes: number,
): PasswordPolicyViolation | undefined {
  if (password.bytes.length === 0) {
    return 'empty';
  }

  // A lone surrogate encodes to U+FFFD in UTF-8, so two different lone surrogates would collide.
  // In a `u` pattern a surrogate pair is one code point, so only unpaired surrogates match.
  if (LONE_SURROGATE.test(password.text)) {
    return 'not_well_formed';
  }

  if (password.bytes.length > maxPasswordBytes) {
    return 'too_long';
  }

  if (algorithm === 'bcrypt' && password.bytes.length > BCRYPT_MAX_PASSWORD_BYTES) {
    return 'bcrypt_too_long';
  }

  if (algorithm === 'bcrypt' && password.bytes.includes(0)) {
    return 'bcrypt_nul';
  }

  return undefined;
}

const VIOLATION_MESSAGES: Record<PasswordPolicyViolation, string> = {
  empty: 'The password is empty.',
  not_well_formed: 'The password contains an unpaired surrogate, so it has no UTF-8 encoding.',
  too_long: 'The password is longer than the maximum length in bytes.',
  bcrypt_too_long: 'The password is longer than 72 UTF-8 bytes, which bcrypt cannot hash without ignoring the rest. Use a shorter password or Argon2id.',
  bcrypt_nul: 'The password contains a NUL character, which bcrypt cannot hash reliably. Remove it or use Argon2id.',
};

/** Builds the `ERR_PASSWORD_INVALID` error for a policy violation; the message never quotes the password. */
export function policyError(violation: PasswordPolicyViolation, maxPasswordBytes: number): BulwarkError {
  return new BulwarkError('ERR_PASSWORD_INVALID', VIOLATION_MESSAGES[violation], { reason: violation, maxPasswordBytes });
}
