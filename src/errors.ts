/**
 * Every error code that bulwark throws. The list is closed: callers can switch on `error.code`
 * and a new code is a new entry here, one per line.
 */
export const ERROR_CODES = [
  // Arguments and options
  'ERR_INVALID_ARGUMENT',
  'ERR_OPTION_INVALID',

  // Keys and encryption
  'ERR_KEY_INVALID',
  'ERR_KEY_NOT_FOUND',
  'ERR_ALGORITHM_UNSUPPORTED',
  'ERR_ENCRYPTION_FAILED',
  'ERR_DECRYPTION_FAILED',

  // JSON Web Tokens
  'ERR_JWT_MALFORMED',
  'ERR_JWT_TOO_LARGE',
  'ERR_JWT_ALGORITHM_NOT_ALLOWED',
  'ERR_JWT_KEY_NOT_FOUND',
  'ERR_JWT_SIGNATURE_INVALID',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_NOT_YET_VALID',
  'ERR_JWT_CLAIM_INVALID',
  'ERR_JWT_CLAIM_MISSING',
  'ERR_JWT_CRIT_UNSUPPORTED',
  'ERR_JWT_REVOKED',
  'ERR_DENYLIST_FULL',
  'ERR_JWKS_UNAVAILABLE',

  // Passwords
  'ERR_PASSWORD_INVALID',
  'ERR_PASSWORD_HASH_INVALID',
  'ERR_PASSWORD_HASH_FAILED',

  // Validation
  'ERR_SCHEMA_INVALID',
  'ERR_VALIDATION_FAILED',

  // HTTP requests and responses
  'ERR_TOKEN_MISSING',
  'ERR_CREDENTIALS_MISSING',
  'ERR_INVALID_REQUEST',
  'ERR_INSUFFICIENT_SCOPE',
  'ERR_LOGIN_FAILED',
  'ERR_TOO_MANY_REQUESTS',
  'ERR_SERVICE_UNAVAILABLE',
  'ERR_BODY_INVALID',
  'ERR_BODY_TOO_LARGE',
  'ERR_BODY_TOO_DEEP',
  'ERR_BODY_FORBIDDEN_KEY',
  'ERR_UNSUPPORTED_MEDIA_TYPE',
  'ERR_RESPONSE_NOT_ENCRYPTED',
  'ERR_NOT_FOUND',
  'ERR_FORBIDDEN',
  'ERR_INTERNAL',
] as const;

/** A stable error code from {@link ERROR_CODES}. */
export type BulwarkErrorCode = (typeof ERROR_CODES)[number];

/** Detail fields that an error carries beside its message, such as the name of a failed claim. */
export type BulwarkErrorDetails = Readonly<Record<string, unknown>>;

/**
 * The base class of every error that bulwark throws.
 *
 * The message names what failed and never contains a key, secret, token, password or input value,
 * because Express's final handler sends messages (and, outside production, stacks) to the client.
 * Facts about the failure go in `details`, never in the message.
 *
 * @example
 * ```ts
 * try {
 *   decrypt(token, key);
 * } catch (error) {
 *   if (error instanceof BulwarkError && error.code === 'ERR_DECRYPTION_FAILED') {
 *     // the token was tampered with, or the key is wrong
 *   }
 * }
 * ```
 */
export class BulwarkError extends Error {
  /** The stable code from {@link ERROR_CODES}. */
  readonly code: BulwarkErrorCode;

  /** Structured facts about the failure; never a secret or an input value. */
  readonly details: BulwarkErrorDetails;

  constructor(code: BulwarkErrorCode, message: string, details: BulwarkErrorDetails = {}) {
    super(message);
    this.name = 'BulwarkError';
    this.code = code;
    this.details = details;
  }
}

/** Tells whether `value` is a {@link BulwarkError}, optionally with the given code. */
export function isBulwarkError(value: unknown, code?: BulwarkErrorCode): value is BulwarkError {
  if (!(value instanceof BulwarkError)) {
    return false;
  }
  return code === undefined || value.code === code;
}
