import { createAuthenticator } from '../../src/password/authenticate.js';
import type { AuthenticateResult, Authenticator } from '../../src/password/authenticator-core.js';
import { BulwarkError } from '../../src/errors.js';
import { resolveRequestOptions, type AuthenticateMiddlewareOptions } from './authenticate-options.js';
import { readCredentials, type LoginRequest } from './authenticate-credentials.js';
import { createTokenIssuer, type TokenIssuer } from './authenticate-token.js';
import { HttpError } from './errors.js';
import { createLoginLimiter, type AttemptResult, type Reservation } from './login-limiter.js';
import { assertLoginLimiterStore, resolveLoginLimits } from './login-limiter-options.js';
import { loggerOf } from './factory-options.js';
import type { Logger } from './logger.js';
import { requestIdOf } from './request-id.js';

/** The result of a login for the adapter: call the next middleware with the user, or send a token. */
export type LoginOutcome<User> =
  | { readonly kind: 'authenticated'; readonly user: User }
  | { readonly kind: 'token'; readonly headers: Readonly<Record<string, string>>; readonly body: string };

/** The framework-neutral login: reads credentials, applies the limits, checks the password. */
export type LoginHandler<User> = (request: LoginRequest) => Promise<LoginOutcome<User>>;

// RFC 6749, section 5.1: a response with a token or credentials must not be cached.
const NO_STORE_HEADERS = Object.freeze({ 'cache-control': 'no-store', pragma: 'no-cache' });

// Usernames are logged to trace attacks, cut to this length so one request cannot flood a log line.
const MAX_LOGGED_USERNAME_LENGTH = 128;

/**
 * Checks every option once and returns the neutral login handler that both adapters call.
 * Throws `ERR_OPTION_INVALID` naming the option.
 */
export function createLoginHandler<User>(options: AuthenticateMiddlewareOptions<User>): LoginHandler<User> {
  if (typeof options !== 'object' || options === null) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'authenticate options must be an object with at least findUser.');
  }

  const requestOptions = resolveRequestOptions(options as AuthenticateMiddlewareOptions<unknown>);
  loggerOf(options.logger, 'authenticate');
  const limits = resolveLoginLimits(options.limits);
  assertLoginLimiterStore(options.store);
  const issueToken = options.issueToken === undefined ? undefined : createTokenIssuer(options.issueToken);
  const authenticator: Authenticator<User> = createAuthenticator(options);
  const limiter = createLoginLimiter(limits, options.store);
  const allowWhenUnavailable = options.store?.allowLoginsWhenUnavailable ?? false;
  const { logger } = options;

  const failureHeaders: Record<string, string> = requestOptions.challenge === undefined
    ? { 'cache-control': 'no-store' }
    : { 'cache-control': 'no-store', 'www-authenticate': requestOptions.challenge };

  return async (request) => {
    const requestId = requestIdOf(request.raw.headers);
    const { username, password } = await readCredentials(request, requestOptions, requestOptions.challenge);
    const event = { requestId, username: username.slice(0, MAX_LOGGED_USERNAME_LENGTH), ip: request.ip };

    const reservation = await limiter.reserve(username, request.ip);
    checkReservation(reservation, allowWhenUnavailable, event, logger);

    const result = await authenticateReleasingOnError(authenticator, username, password, reservation, event, logger);
    await release(reservation, result.ok ? 'success' : 'failure', event, logger);

    if (!result.ok) {
      logger?.warn({ event: 'login_failed', reason: result.reason, ...event }, 'login failed');
      // The same status, headers and message for every failure reason, so an unknown user and a wrong
      // password get the same response (OWASP Authentication Cheat Sheet, "Authentication and Error Messages").
      throw new HttpError(401, 'ERR_LOGIN_FAILED', 'The username or password is incorrect.', { headers: failureHeaders });
    }

    logger?.info({ event: 'login_succeeded', ...event }, 'login succeeded');
    if (issueToken === undefined) {
      return { kind: 'authenticated', user: result.user };
    }
    return issueTokenResponse(issueToken, result.user);
  };
}

function checkReservation(reservation: Reservation, allowWhenUnavailable: boolean, event: Record<string, unknown>, logger: Logger | undefined): void {
  if (reservation.kind === 'blocked') {
    logger?.warn({ event: 'login_blocked', limit: reservation.limit, retryAfterSeconds: reservation.retryAfterSeconds, ...event }, 'login blocked by the brute-force limit');
    throw new HttpError(429, 'ERR_TOO_MANY_REQUESTS', 'Too many failed logins. Try again later.', {
      headers: { 'cache-control': 'no-store', 'retry-after': String(reservation.retryAfterSeconds) },
    });
  }

  if (reservation.kind === 'store_unavailable') {
    const errorName = (reservation.error as Error | undefined)?.name;
    if (allowWhenUnavailable) {
      logger?.warn({ event: 'login_limiter_unavailable', action: 'allowed_without_limit', errorName, ...event }, 'login limiter store unavailable');
      return;
    }
    logger?.error({ event: 'login_limiter_unavailable', action: 'rejected', errorName, ...event }, 'login limiter store unavailable');
    throw new HttpError(503, 'ERR_SERVICE_UNAVAILABLE', 'Login is unavailable. Try again later.', {
      headers: { 'cache-control': 'no-store' },
      expose: true,
    });
  }
}

// A user store that fails is not a failed login, so the reserved attempt is given back before the
// error propagates: a database outage must not lock every user who retries.
async function authenticateReleasingOnError<User>(
  authenticator: Authenticator<User>,
  username: string,
  password: string,
  reservation: Reservation,
  event: Record<string, unknown>,
  logger: Logger | undefined,
): Promise<AuthenticateResult<User>> {
  try {
    return await authenticator(username, password);
  } catch (error) {
    await release(reservation, 'error', event, logger);
    throw error;
  }
}

async function release(reservation: Reservation, result: AttemptResult, event: Record<string, unknown>, logger: Logger | undefined): Promise<void> {
  if (reservation.kind !== 'allowed') {
    return;
  }
  try {
    await reservation.release(result);
  } catch (error) {
    // The login itself is decided; a counter that failed to reset only makes a later lock come sooner.
    logger?.error({ event: 'login_limiter_reset_failed', errorName: (error as Error | undefined)?.name, ...event }, 'login limiter counter could not be reset');
  }
}

async function issueTokenResponse<User>(issueToken: TokenIssuer<User>, user: User): Promise<LoginOutcome<User>> {
  const body = JSON.stringify(await issueToken(user));
  return {
    kind: 'token',
    headers: { ...NO_STORE_HEADERS, 'content-type': 'application/json; charset=utf-8' },
    body,
  };
}
