import { createLoginHandler } from '../http/authenticate.js';
import type { AuthenticateMiddlewareOptions } from '../http/authenticate-options.js';
import type { KoaMiddleware } from './types.js';

export type { AuthenticateMiddlewareOptions } from '../http/authenticate-options.js';
export type { IssueTokenOptions, TokenResponse } from '../http/authenticate-token.js';
export type { LoginLimits, LoginLimiterStore, RedisClientLike } from '../http/login-limiter-options.js';
export { DEFAULT_LOGIN_LIMITS } from '../http/login-limiter-options.js';
export { DEFAULT_LOGIN_BODY_LIMIT_BYTES } from '../http/authenticate-options.js';

/**
 * Creates Koa middleware for a password login route.
 *
 * It reads the username and password from a JSON or urlencoded body, or from HTTP Basic
 * credentials with `allowBasic`. It applies the brute-force limits, then checks the password, with
 * the same cost and the same 401 for an unknown user as for a wrong password. On success it sets
 * `ctx.state.user` and calls `next()`, or, with `issueToken`, responds
 * `200 { access_token, token_type, expires_in }`. Failures are thrown as `HttpError`: 400,
 * 401 `ERR_LOGIN_FAILED`, 413, 415, 429 `ERR_TOO_MANY_REQUESTS` with `Retry-After`, or
 * 503 `ERR_SERVICE_UNAVAILABLE` when the Redis store is unreachable.
 *
 * @throws `ERR_OPTION_INVALID` at setup when an option is invalid.
 *
 * @example
 * ```ts
 * app.use(errorHandler());
 * router.post('/login', authenticate({
 *   findUser: (username) => db.users.findByName(username),
 *   issueToken: { key: privateKeyPem, expiresIn: '15m' },
 *   logger,
 * }));
 * ```
 */
export function authenticate<User>(options: AuthenticateMiddlewareOptions<User>): KoaMiddleware {
  const handle = createLoginHandler(options);

  return async (context, next) => {
    const outcome = await handle({ raw: context.req, parsedBody: context.request.body, ip: context.request.ip });
    if (outcome.kind === 'authenticated') {
      context.state.user = outcome.user;
      await next();
      return;
    }

    context.status = 200;
    context.body = outcome.body;
    for (const [name, value] of Object.entries(outcome.headers)) {
      context.set(name, value);
    }
  };
}
