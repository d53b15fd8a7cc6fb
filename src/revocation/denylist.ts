import { BulwarkError } from '../errors.js';

/**
 * A store of revoked token ids (`jti`). `requireJwt` checks every token against it after full
 * verification, so a revoked token is rejected even though its signature and claims are valid.
 *
 * @example
 * ```ts
 * const denylist: TokenDenylist = createMemoryDenylist();
 * await denylist.revokeToken(payload.jti, payload.exp);
 * await denylist.isRevoked(payload.jti); // true
 * ```
 */
export interface TokenDenylist {
  /**
   * Revokes the token with this `jti` until its `exp` (seconds since the epoch) plus the store's
   * retention has passed. After that the verifier rejects the token as expired anyway.
   */
  revokeToken(jti: string, exp: number): Promise<void>;
  /** Tells whether the token with this `jti` is revoked. */
  isRevoked(jti: string): Promise<boolean>;
  /**
   * Seconds that an entry outlives the token's `exp`. When a store sets it, `requireJwt` checks at
   * setup that it covers the verifier's clock tolerance.
   */
  readonly retainSeconds?: number;
}

/** The logger that a denylist reports store failures to: the shape pino, winston and `console` share. */
export interface DenylistLogger {
  warn(object: Record<string, unknown>, message?: string): void;
}

/** The longest `jti` that a denylist accepts, in characters. */
export const MAX_JTI_LENGTH = 1024;

/**
 * The default number of seconds that an entry outlives the token's `exp`: 300. A verifier with a
 * clock tolerance still accepts a token for that many seconds after `exp`, so an entry kept only
 * until `exp` would let a revoked token through in that window. Keep it at or above the verifier's
 * clock tolerance.
 */
export const DEFAULT_RETAIN_SECONDS = 300;

/** Tells whether `value` can be stored in a denylist: a string of 1 to {@link MAX_JTI_LENGTH} characters. */
export function isValidJti(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_JTI_LENGTH;
}

/** Throws `ERR_INVALID_ARGUMENT` unless `jti` is a valid token id. */
export function assertJti(jti: unknown): asserts jti is string {
  if (!isValidJti(jti)) {
    throw new BulwarkError(
      'ERR_INVALID_ARGUMENT',
      `jti must be a string of 1 to ${MAX_JTI_LENGTH} characters.`,
      { argument: 'jti' },
    );
  }
}

/** Throws `ERR_INVALID_ARGUMENT` unless `exp` is a finite NumericDate (seconds since the epoch). */
export function assertExp(exp: unknown): asserts exp is number {
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp < 0) {
    throw new BulwarkError(
      'ERR_INVALID_ARGUMENT',
      'exp must be the token expiry in seconds since the epoch, as in the exp claim.',
      { argument: 'exp' },
    );
  }
}

/** Throws `ERR_OPTION_INVALID` unless `value` is a non-negative integer number of seconds. */
export function checkRetainSeconds(value: unknown): number {
  if (value === undefined) {
    return DEFAULT_RETAIN_SECONDS;
  }

  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new BulwarkError(
      'ERR_OPTION_INVALID',
      'retainSeconds must be a whole number of seconds, 0 or more; it should be at least the verifier clockTolerance.',
      { option: 'retainSeconds' },
    );
  }
  return value;
}
