import type { JwtPayload } from '../../src/jwt/index.js';
import { requestIdOf } from '../http/request-id.js';
import { createJwtGuard, type JwtAuth, type JwtAuthError } from '../http/require-jwt.js';
import type { JwtGuardOptions } from '../http/require-jwt-options.js';
import type { KoaContext, KoaMiddleware } from './types.js';

export type { JwtAuth, JwtAuthError } from '../http/require-jwt.js';
export type { OptionalAction, OptionalTokenPolicy } from '../http/require-jwt-options.js';
export type { ScopeRequirement } from '../http/scopes.js';

/** Options of {@link requireJwt}; `getToken` receives Koa's `ctx`. */
export type RequireJwtOptions<P extends JwtPayload = JwtPayload> = JwtGuardOptions<P, KoaContext>;

/**
 * The fields that {@link requireJwt} sets on `ctx.state`. Use it as the state type of your
 * router or context instead of merging it into Koa's global types.
 */
export interface JwtState<P extends JwtPayload = JwtPayload> {
  /** The verified token; unset when `optional` let the request through without one. */
  auth?: JwtAuth<P>;
  /** The reason the token failed, when `optional` let the request through anyway. */
  authError?: JwtAuthError;
}

/**
 * Creates Koa middleware that requires a valid bearer JWT (RFC 6750) and sets `ctx.state.auth` to
 * `{ payload, protectedHeader, token }`.
 *
 * Options are checked here, once: a missing key, an algorithm list that does not fit the key or
 * any other wrong option throws `ERR_OPTION_INVALID` naming it. A rejected request throws an
 * `HttpError` that carries the status and the `WWW-Authenticate` challenge, which bulwark's
 * `errorHandler()` and Koa's `ctx.onerror` both send.
 *
 * @example
 * ```ts
 * interface Claims extends JwtPayload { tenant: string }
 *
 * router.get('/orders', requireJwt<Claims>({ key: publicKey, issuer, audience, scopes: ['orders:read'] }),
 *   (ctx: ParameterizedContext<JwtState<Claims>>) => {
 *     ctx.body = listOrders(ctx.state.auth!.payload.tenant);
 *   });
 * ```
 */
export function requireJwt<P extends JwtPayload = JwtPayload>(options: RequireJwtOptions<P>): KoaMiddleware {
  const guard = createJwtGuard<P, KoaContext>(options);

  return async (context, next) => {
    const view = {
      headers: context.req.headers,
      rawHeaders: context.req.rawHeaders,
      requestId: (context.state.requestId as string | undefined) ?? requestIdOf(context.req.headers),
    };

    const outcome = await guard.authenticate(view, context);

    const state = context.state as JwtState<P>;
    if (outcome.auth !== undefined) {
      state.auth = outcome.auth;
    } else if (outcome.authError !== undefined) {
      state.authError = outcome.authError;
    }
    await next();
  };
}
