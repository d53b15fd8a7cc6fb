import {
  compileSecurityHeaders,
  createCspNonce,
  nonceHeaderValue,
  type SecurityHeadersOptions,
} from '../http/security-headers.js';
import type { KoaMiddleware } from './types.js';

export type {
  ContentSecurityPolicyOptions,
  CspDirectives,
  HelmetPassThroughOptions,
  PermissionsPolicyAllowlist,
  PermissionsPolicyFeatures,
  SecurityHeadersOptions,
  SecurityHeadersPreset,
} from '../http/security-headers.js';

/**
 * Creates Koa middleware that sets security response headers: helmet 8's headers under a preset,
 * a restrictive `Permissions-Policy`, and, with `nonce: true`, a fresh CSP nonce per response in
 * `ctx.state.cspNonce`.
 *
 * helmet runs once, when this factory is called, and each request only sets the recorded headers,
 * so Koa needs no per-request detour through helmet's `(req, res, next)` middleware. The values are
 * the same as the Express middleware's for the same options.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` for an unknown option or preset, a bad Permissions-Policy
 * feature name, `nonce: true` without a `script-src`, or a value that helmet rejects.
 * @example
 * ```ts
 * app.use(securityHeaders({ preset: 'pages', nonce: true }));
 * router.get('/', (ctx) => {
 *   ctx.body = `<script nonce="${ctx.state.cspNonce}" src="/app.js"></script>`;
 * });
 * ```
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): KoaMiddleware {
  const plan = compileSecurityHeaders(options);
  const { nonceHeader } = plan;

  return async (context, next) => {
    for (const [name, value] of plan.headers) {
      context.set(name, value);
    }
    for (const name of plan.removed) {
      context.remove(name);
    }

    if (nonceHeader !== undefined) {
      const nonce = createCspNonce();
      context.set(nonceHeader.name, nonceHeaderValue(nonceHeader.parts, nonce));
      context.state.cspNonce = nonce;
    }

    await next();
  };
}
