import type { AuthenticateOptions } from '../../src/password/authenticator-core.js';
import { BulwarkError } from '../../src/errors.js';
import { FORBIDDEN_KEYS } from './body.js';
import type { IssueTokenOptions } from './authenticate-token.js';
import type { Logger } from './logger.js';
import type { LoginLimiterStore, LoginLimits } from './login-limiter-options.js';

/**
 * Options of the `authenticate` middleware.
 *
 * @example
 * ```ts
 * const options: AuthenticateMiddlewareOptions<User> = {
 *   findUser: (username) => db.users.findByName(username),
 *   usernameField: 'email',
 *   limits: { maxConsecutiveFailures: 10 },
 *   logger,
 * };
 * app.post('/login', authenticate(options));
 * ```
 */
export interface AuthenticateMiddlewareOptions<User> extends AuthenticateOptions<User> {
  /** The body field that contains the username. Defaults to `'username'`. */
  readonly usernameField?: string;
  /** The body field that contains the password. Defaults to `'password'`. */
  readonly passwordField?: string;
  /** Whether HTTP Basic credentials (RFC 7617) are accepted beside the body. Defaults to false. */
  readonly allowBasic?: boolean;
  /** The realm of the Basic challenge. Defaults to `'login'`. */
  readonly realm?: string;
  /** The largest login body read, in bytes, when no body parser ran. Defaults to 16,384. */
  readonly bodyLimitBytes?: number;
  /** Respond with an access token on success instead of calling the next middleware. */
  readonly issueToken?: IssueTokenOptions<User>;
  /** Brute-force limits; see {@link LoginLimits} for the defaults. */
  readonly limits?: LoginLimits;
  /** Keep the brute-force counters in Redis instead of memory, to share them between processes. */
  readonly store?: LoginLimiterStore;
  /** Receives security events: login failed (with the reason), login blocked, store unavailable. */
  readonly logger?: Logger;
}

/** The request-reading options with every default filled in. */
export interface ResolvedRequestOptions {
  readonly usernameField: string;
  readonly passwordField: string;
  readonly allowBasic: boolean;
  readonly bodyLimitBytes: number;
  /** The Basic challenge, when Basic is allowed. */
  readonly challenge: string | undefined;
}

/**
 * The default login body limit: 16 KiB, far above any username and password.
 *
 * @example
 * ```ts
 * authenticate({ findUser, bodyLimitBytes: 2 * DEFAULT_LOGIN_BODY_LIMIT_BYTES });
 * ```
 */
export const DEFAULT_LOGIN_BODY_LIMIT_BYTES = 16 * 1024;

const FIELD_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const REALM_PATTERN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

/** Checks the request-reading options and fills in the defaults; throws `ERR_OPTION_INVALID` naming the option. */
export function resolveRequestOptions(options: AuthenticateMiddlewareOptions<unknown>): ResolvedRequestOptions {
  const usernameField = field(options.usernameField, 'username', 'usernameField');
  const passwordField = field(options.passwordField, 'password', 'passwordField');
  if (usernameField === passwordField) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'usernameField and passwordField must differ.', { option: 'passwordField' });
  }

  const allowBasic = options.allowBasic ?? false;
  if (typeof allowBasic !== 'boolean') {
    throw new BulwarkError('ERR_OPTION_INVALID', 'allowBasic must be a boolean.', { option: 'allowBasic' });
  }

  // The realm is sent inside a quoted string (RFC 9110, section 11.6.1), so quotes and backslashes are not allowed.
  const realm = options.realm ?? 'login';
  if (typeof realm !== 'string' || !REALM_PATTERN.test(realm)) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'realm must be 1 to 128 printable ASCII characters without quotes or backslashes.', { option: 'realm' });
  }

  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_LOGIN_BODY_LIMIT_BYTES;
  if (typeof bodyLimitBytes !== 'number' || !Number.isInteger(bodyLimitBytes) || bodyLimitBytes < 256 || bodyLimitBytes > 1_048_576) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'bodyLimitBytes must be an integer from 256 to 1048576.', { option: 'bodyLimitBytes' });
  }

  // RFC 7617, section 2.1: the charset parameter requests that the client encode the credentials as UTF-8.
  const challenge = allowBasic ? `Basic realm="${realm}", charset="UTF-8"` : undefined;
  return Object.freeze({ usernameField, passwordField, allowBasic, bodyLimitBytes, challenge });
}

function field(value: unknown, fallback: string, option: string): string {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'string' || !FIELD_PATTERN.test(value) || FORBIDDEN_KEYS.has(value)) {
    throw new BulwarkError('ERR_OPTION_INVALID', `${option} must be 1 to 64 letters, digits, '_', '.' or '-'.`, { option });
  }
  return value;
}
