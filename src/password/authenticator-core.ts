import { BulwarkError } from '../errors.js';
import type { PasswordChecker } from './check.js';
import { dummyHashFor } from './dummy-hash.js';
import { hashWithResolvedOptions } from './hash.js';
import type { PasswordLogger } from './logger.js';
import { resolveHashOptions, type HashOptions, type ResolvedHashOptions } from './options.js';
import { needsRehash } from './verify.js';

/**
 * Options of `createAuthenticator` and `authenticate`.
 *
 * @example
 * ```ts
 * const options: AuthenticateOptions<User> = {
 *   findUser: (username) => db.users.findByName(username),
 *   updatePasswordHash: (user, passwordHash) => db.users.update(user.id, { passwordHash }),
 * };
 * ```
 */
export interface AuthenticateOptions<User> {
  /** Finds the user with this username; resolves to nothing when there is none. Errors propagate. */
  readonly findUser: (username: string) => User | null | undefined | Promise<User | null | undefined>;
  /** Reads the stored hash from a user. Defaults to the user's `passwordHash` field. */
  readonly getPasswordHash?: (user: User) => string | null | undefined;
  /**
   * Stores a new hash after a successful login whose stored hash {@link needsRehash}. An error it
   * throws is reported to the logger and never fails the login, and the old hash stays valid.
   */
  readonly updatePasswordHash?: (user: User, newHash: string) => void | Promise<void>;
  /** The algorithm and parameters for new hashes and the dummy hash. Defaults to Argon2id with the OWASP parameters. */
  readonly hash?: HashOptions;
  /** Receives malformed-hash warnings and rehash errors. Nothing is logged without it. */
  readonly logger?: PasswordLogger;
}

/**
 * The reason a login failed. Report it to logs, never to the client, who must get one response for all of them.
 *
 * @example
 * ```ts
 * if (!result.ok) logger.warn({ reason: result.reason satisfies AuthenticateFailureReason }, 'login failed');
 * ```
 */
export type AuthenticateFailureReason =
  | 'unknown_user'
  | 'wrong_password'
  | 'password_rejected'
  | 'no_password_hash'
  | 'hash_invalid'
  | 'verify_failed';

/**
 * The result of a login: the user, or the reason it failed.
 *
 * @example
 * ```ts
 * const result: AuthenticateResult<User> = await login(username, password);
 * if (result.ok) startSession(result.user);
 * ```
 */
export type AuthenticateResult<User> = { readonly ok: true; readonly user: User } | { readonly ok: false; readonly reason: AuthenticateFailureReason };

/**
 * A function that checks a username and password, made by `createAuthenticator`.
 *
 * @example
 * ```ts
 * const login: Authenticator<User> = createAuthenticator({ findUser });
 * ```
 */
export type Authenticator<User> = (username: string, password: string) => Promise<AuthenticateResult<User>>;

const FAILURE_BY_OUTCOME = {
  mismatch: 'wrong_password',
  password_rejected: 'password_rejected',
  hash_invalid: 'hash_invalid',
  verify_failed: 'verify_failed',
} as const;

/**
 * Builds an authenticator around a given password checker. Not exported from the package: the
 * public factory passes the real checker, and tests pass one that records its calls.
 */
export function createAuthenticatorWithChecker<User>(
  options: AuthenticateOptions<User>,
  check: PasswordChecker,
  resolved: ResolvedHashOptions = resolveAuthenticateOptions(options),
): Authenticator<User> {
  const { findUser, updatePasswordHash, logger } = options;
  const getPasswordHash = options.getPasswordHash ?? defaultPasswordHash;

  // Made now, with the configured parameters, so that the first unknown-user login costs no more than
  // later ones. Each login looks it up again, because a failed creation is retried rather than kept.
  dummyHashFor(resolved).catch((error: unknown) => logger?.error({ event: 'dummy_hash_failed', errorName: (error as Error)?.name }, 'dummy password hash could not be made'));

  return async (username, password) => {
    // NOTE: findUser receives the username as the client sent it. Passwords are normalised to NFC,
    // usernames are not, so a store of NFC names does not find the NFD spelling that some clients send.
    const user = typeof username === 'string' ? await findUser(username) : undefined;
    const storedHash = user === undefined || user === null ? undefined : getPasswordHash(user);

    // An unknown user, or one without a password, costs one verification against the dummy hash:
    // the same work and the same result as a wrong password (OWASP Authentication Cheat Sheet,
    // "Authentication and Error Messages").
    if (user === undefined || user === null || typeof storedHash !== 'string') {
      await check(password, await dummyHashFor(resolved));
      return { ok: false, reason: user === undefined || user === null ? 'unknown_user' : 'no_password_hash' };
    }

    // NOTE: a stored hash with other parameters than the configured ones (a legacy bcrypt hash) costs
    // what that hash costs, so timing can tell such an account from an unknown user until it is rehashed.
    const outcome = await check(password, storedHash);
    if (outcome !== 'match') {
      return { ok: false, reason: FAILURE_BY_OUTCOME[outcome] };
    }

    if (updatePasswordHash !== undefined && needsRehash(storedHash, resolved)) {
      await rehash(user, password, resolved, updatePasswordHash, logger);
    }
    return { ok: true, user };
  };
}

/** Checks the options of an authenticator and returns its resolved hash options. */
export function resolveAuthenticateOptions<User>(options: AuthenticateOptions<User>): ResolvedHashOptions {
  if (typeof options !== 'object' || options === null) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'options must be an object with at least findUser.');
  }
  assertFunction(options.findUser, 'findUser', true);
  assertFunction(options.getPasswordHash, 'getPasswordHash', false);
  assertFunction(options.updatePasswordHash, 'updatePasswordHash', false);
  assertPasswordLogger(options.logger);
  return resolveHashOptions(options.hash, 'hash.');
}

function assertFunction(value: unknown, option: string, required: boolean): void {
  if (value === undefined && !required) {
    return;
  }
  if (typeof value !== 'function') {
    throw new BulwarkError('ERR_OPTION_INVALID', `${option} must be a function${required ? '; it is required' : ''}.`, { option });
  }
}

// A logger without these methods would throw on the request path, where a failed login logs.
function assertPasswordLogger(logger: unknown): void {
  if (logger === undefined) {
    return;
  }
  const candidate = logger as Partial<PasswordLogger> | null;
  if (typeof candidate?.warn !== 'function' || typeof candidate.error !== 'function') {
    throw new BulwarkError('ERR_OPTION_INVALID', 'logger must have warn and error methods, as pino and console do.', { option: 'logger' });
  }
}

function defaultPasswordHash(user: unknown): string | undefined {
  const value = (user as { passwordHash?: unknown }).passwordHash;
  return typeof value === 'string' ? value : undefined;
}

async function rehash<User>(
  user: User,
  password: string,
  options: ResolvedHashOptions,
  updatePasswordHash: (user: User, newHash: string) => void | Promise<void>,
  logger: PasswordLogger | undefined,
): Promise<void> {
  try {
    const newHash = await hashWithResolvedOptions(password, options);
    await updatePasswordHash(user, newHash);
  } catch (error) {
    logger?.error({ event: 'password_rehash_failed', errorName: (error as Error)?.name }, 'password hash could not be upgraded; the stored hash still works');
  }
}
