import type { JwtPayload } from '../../src/jwt/index.js';
import { requestIdOf } from '../http/request-id.js';
import { createJwtGuard, type JwtAuth, type JwtAuthError } from '../http/require-jwt.js';
import type { JwtGuardOptions } from '../http/require-jwt-options.js';
import type { ExpressMiddleware, ExpressRequest } from './types.js';

export type { JwtAuth, JwtAuthError } from '../http/require-jwt.js';
export type { OptionalAction, OptionalTokenPolicy } from '../http/require-jwt-options.js';
export type { ScopeRequirement } from '../http/scopes.js';

/** Options of {@link requireJwt}; `getToken` receives Express's `req`. */
export type RequireJwtOptions<P extends JwtPayload = JwtPayload> = JwtGuardOptions<P, ExpressRequest>;

/**
 * The fields that {@link requireJwt} sets on Express's `req`. Intersect it with your request type
 * instead of merging it into Express's global types.
 */
export interface WithJwtAuth<P extends JwtPayload = JwtPayload> {
  /** The verified token; unset when `optional` let the request through without one. */
  auth?: JwtAuth<P>;
  /** The reason the token failed, when `optional` let the request through anyway. */
  authError?: JwtAuthError;
}

/**
 * Creates Express middleware that requires a valid bearer JWT (RFC 6750) and sets `req.auth` to
 * `{ payload, protectedHeader, token }`.
 *
 * Options are checked here, once: a missing key, an algorithm list that does not fit the key or
 * any other wrong option throws `ERR_OPTION_INVALID` naming it. A rejected request goes to
 * `next(error)` with an `HttpError` that carries the status and the `WWW-Authenticate` challenge,
 * which bulwark's `errorHandler()` and Express's final handler both send.
 *
 * @example
 * ```ts
 * interface Claims extends JwtPayload { tenant: string }
 *
 * app.use('/api', requireJwt<Claims>({ jwksUri: 'https://id.example.com/.well-known/jwks.json',
 *   issuer: 'https://id.example.com/', audience: 'orders-api', scopes: ['orders:read'] }));
 * app.get('/api/orders', (req: Request & WithJwtAuth<Claims>, res) => {
 *   res.json(listOrders(req.auth!.payload.tenant));
 * });
 * ```
 */
export function requireJwt<P extends JwtPayload = JwtPayload>(options: RequireJwtOptions<P>): ExpressMiddleware {
  const guard = createJwtGuard<P, ExpressRequest>(options);

  return (request, _response, next) => {
    const view = {
      headers: request.headers,
      rawHeaders: request.rawHeaders,
      requestId: request.id ?? requestIdOf(request.headers),
    };

    guard.authenticate(view, request).then((outcome) => {
      const target = request as ExpressRequest & WithJwtAuth<P>;
      if (outcome.auth !== undefined) {
        target.auth = outcome.auth;
      } else if (outcome.authError !== undefined) {
        target.authError = outcome.authError;
      }
      next();
    }, next);
  };
}
