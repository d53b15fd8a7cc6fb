import {
  compileSecurityHeaders,
  createCspNonce,
  nonceHeaderValue,
  type SecurityHeadersOptions,
} from '../http/security-headers.js';
import type { ExpressMiddleware } from './types.js';

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
 * Creates Express middleware that sets security response headers: helmet 8's headers under a preset,
 * a restrictive `Permissions-Policy`, and, with `nonce: true`, a fresh CSP nonce per response in
 * `res.locals.cspNonce`.
 *
 * The `'api'` preset (default) sends `Content-Security-Policy: default-src 'none'; frame-ancestors
 * 'none'` for JSON APIs; `'pages'` sends a policy for HTML served from the app's own origin. Every
 * other helmet option passes through. The headers are computed once, here.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` for an unknown option or preset, a bad Permissions-Policy
 * feature name, `nonce: true` without a `script-src`, or a value that helmet rejects.
 * @example
 * ```ts
 * app.use('/api', securityHeaders());
 * app.use('/app', securityHeaders({ preset: 'pages', nonce: true }));
 * app.get('/app', (req, res) => res.send(`<script nonce="${res.locals.cspNonce}" src="/app.js"></script>`));
 * ```
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): ExpressMiddleware {
  const plan = compileSecurityHeaders(options);
  const { nonceHeader } = plan;

  return (_request, response, next) => {
    for (const [name, value] of plan.headers) {
      response.setHeader(name, value);
    }
    for (const name of plan.removed) {
      response.removeHeader(name);
    }

    if (nonceHeader !== undefined) {
      const nonce = createCspNonce();
      response.setHeader(nonceHeader.name, nonceHeaderValue(nonceHeader.parts, nonce));
      response.locals = response.locals ?? {};
      response.locals.cspNonce = nonce;
    }

    next();
  };
}
