import { createLoginHandler } from '../http/authenticate.js';
import type { AuthenticateMiddlewareOptions } from '../http/authenticate-options.js';
import type { ExpressMiddleware, ExpressRequest } from './types.js';

export type { AuthenticateMiddlewareOptions } from '../http/authenticate-options.js';
export type { IssueTokenOptions, TokenResponse } from '../http/authenticate-token.js';
export type { LoginLimits, LoginLimiterStore, RedisClientLike } from '../http/login-limiter-options.js';
export { DEFAULT_LOGIN_LIMITS } from '../http/login-limiter-options.js';
export { DEFAULT_LOGIN_BODY_LIMIT_BYTES } from '../http/authenticate-options.js';

/**
 * Creates Express middleware for a password login route.
 *
 * It reads the username and password from a JSON or urlencoded body, or from HTTP Basic
 * credentials with `allowBasic`. It applies the brute-force limits, then checks the password, with
 * the same cost and the same 401 for an unknown user as for a wrong password. On success it sets `req.user` and
 * calls `next()`, or, with `issueToken`, responds `200 { access_token, token_type, expires_in }`.
 * Failures go to `next(err)` as an `HttpError`: 400, 401 `ERR_LOGIN_FAILED`, 413, 415,
 * 429 `ERR_TOO_MANY_REQUESTS` with `Retry-After`, or 503 `ERR_SERVICE_UNAVAILABLE` when the
 * Redis store is unreachable.
 *
 * @throws `ERR_OPTION_INVALID` at setup when an option is invalid.
 *
 * @example
 * ```ts
 * app.post('/login', authenticate({
 *   findUser: (username) => db.users.findByName(username),
 *   updatePasswordHash: (user, passwordHash) => db.users.update(user.id, { passwordHash }),
 *   issueToken: { key: privateKeyPem, expiresIn: '15m', issuer: 'https://auth.example/' },
 *   logger,
 * }));
 * app.use(errorHandler());
 * ```
 */
export function authenticate<User>(options: AuthenticateMiddlewareOptions<User>): ExpressMiddleware {
  const handle = createLoginHandler(options);

  return (request, response, next) => {
    const ip = request.ip ?? request.socket.remoteAddress;

    // The catch also passes on a failure to send the token, such as ERR_HTTP_HEADERS_SENT after a
    // timeout middleware responded during hashing. Unhandled, that rejection would end the process.
    handle({ raw: request, parsedBody: request.body, ip })
      .then((outcome) => {
        if (outcome.kind === 'authenticated') {
          (request as ExpressRequest & { user?: User }).user = outcome.user;
          next();
          return;
        }

        response.statusCode = 200;
        for (const [name, value] of Object.entries(outcome.headers)) {
          response.setHeader(name, value);
        }
        response.setHeader('content-length', Buffer.byteLength(outcome.body));
        response.end(outcome.body);
      })
      .catch(next);
  };
}
