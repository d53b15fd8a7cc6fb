import {
  createAuthenticatorWithChecker,
  resolveAuthenticateOptions,
  type AuthenticateOptions,
  type AuthenticateResult,
  type Authenticator,
} from './authenticator-core.js';
import { createPasswordChecker } from './check.js';

/**
 * Creates an authenticator: a function that checks a username and password against the app's user
 * store and resolves to `{ ok: true, user }` or `{ ok: false, reason }`. Create it once, at startup:
 * it makes the dummy hash then, with the configured algorithm and parameters.
 *
 * - The password is normalised to NFC and checked against the policy (see `verifyPassword`).
 * - An unknown user, or a user without a stored hash, costs one verification against the dummy hash,
 *   so it takes as long as a wrong password. Every failure reason must reach the client as the same
 *   response, because the reason is for logs only.
 * - After a successful login whose stored hash `needsRehash` (such as bcrypt while Argon2id is
 *   configured), it hashes the password again and calls `updatePasswordHash(user, newHash)`. A
 *   failure there is logged and the login still succeeds.
 * - Errors from `findUser` propagate, because a failing user store is not a failed login.
 *
 * @throws `ERR_OPTION_INVALID` when an option is invalid.
 *
 * @example
 * ```ts
 * const login = createAuthenticator({
 *   findUser: (username) => db.users.findByName(username),
 *   updatePasswordHash: (user, passwordHash) => db.users.update(user.id, { passwordHash }),
 *   logger,
 * });
 * const result = await login(username, password);
 * if (!result.ok) logger.info({ reason: result.reason }, 'login failed');
 * ```
 */
export function createAuthenticator<User>(options: AuthenticateOptions<User>): Authenticator<User> {
  const resolved = resolveAuthenticateOptions(options);
  const check = createPasswordChecker(resolved, options.logger);
  return createAuthenticatorWithChecker(options, check, resolved);
}

// Authenticators made by `authenticate`, one per options object, so the options are checked and
// the dummy hash is looked up once per object rather than once per call.
const authenticators = new WeakMap<object, Authenticator<unknown>>();

/**
 * Checks a username and password against the app's user store: the one-call form of
 * {@link createAuthenticator}. Pass the same options object on every call (a constant), so that the
 * authenticator behind it is made once.
 *
 * @example
 * ```ts
 * const loginOptions = { findUser: (name: string) => db.users.findByName(name) };
 * const result = await authenticate(username, password, loginOptions);
 * if (result.ok) startSession(result.user);
 * ```
 */
export function authenticate<User>(username: string, password: string, options: AuthenticateOptions<User>): Promise<AuthenticateResult<User>> {
  let authenticator = authenticators.get(options) as Authenticator<User> | undefined;
  if (authenticator === undefined) {
    authenticator = createAuthenticator(options);
    authenticators.set(options, authenticator as Authenticator<unknown>);
  }
  return authenticator(username, password);
}
