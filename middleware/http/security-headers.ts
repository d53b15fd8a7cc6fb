import { randomBytes } from 'node:crypto';

import { BulwarkError } from '../../src/errors.js';
import {
  assertHelmetOption,
  recordHelmetHeaders,
  resolveHelmetOptions,
  type HelmetPassThroughOptions,
} from './security-headers-helmet.js';
import { permissionsPolicyHeader, type PermissionsPolicyFeatures } from './security-headers-permissions.js';
import { PRESETS, type SecurityHeadersPreset } from './security-headers-presets.js';

export type { ContentSecurityPolicyOptions, CspDirectives, HelmetPassThroughOptions } from './security-headers-helmet.js';
export type { PermissionsPolicyAllowlist, PermissionsPolicyFeatures } from './security-headers-permissions.js';
export type { SecurityHeadersPreset } from './security-headers-presets.js';

/** Options of `securityHeaders()`: a preset, bulwark's additions, and helmet's options passed through. */
export interface SecurityHeadersOptions extends HelmetPassThroughOptions {
  /**
   * The defaults to start from. Default: `'api'`, for JSON APIs (`default-src 'none'`). `'pages'` is
   * for HTML served from the app's own origin.
   */
  readonly preset?: SecurityHeadersPreset;

  /**
   * Adds a fresh CSP nonce to every response: `'nonce-<value>'` in `script-src` (and in `style-src`
   * when the policy has one), and the value in `res.locals.cspNonce` (Koa: `ctx.state.cspNonce`) for
   * the page's `<script nonce>` attributes. Needs a `script-src` directive. Default: false.
   */
  readonly nonce?: boolean;

  /**
   * Permissions-Policy features merged over the default, which disables camera, microphone,
   * geolocation, payment, USB and the other powerful features. `false` leaves the header out.
   * Default: the restrictive policy alone.
   */
  readonly permissionsPolicy?: PermissionsPolicyFeatures | false;
}

/** The headers that one `securityHeaders()` call sets, computed once when the factory runs. */
export interface SecurityHeaderPlan {
  /** Header names and values to set on every response. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Header names to remove from every response, such as `X-Powered-By`. */
  readonly removed: readonly string[];
  /** The CSP header that carries a nonce: its name, and its value split where the nonce goes. */
  readonly nonceHeader?: { readonly name: string; readonly parts: readonly string[] };
}

// A nonce must be new for every response and unguessable: at least 128 bits from a CSPRNG, sent as
// base64 (CSP Level 3, the nonce-source grammar, and MDN's page on the `nonce` attribute).
const NONCE_BYTES = 16;

const BULWARK_OPTIONS = new Set(['preset', 'nonce', 'permissionsPolicy']);

/**
 * Validates `securityHeaders()` options and computes the header set once: helmet runs a single time
 * against a recording response, so every value equals helmet's for the same options.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` for an unknown option or preset, a Permissions-Policy
 * feature name that is not valid, `nonce: true` without a `script-src`, or a value helmet rejects.
 * @example
 * ```ts
 * const plan = compileSecurityHeaders({ preset: 'pages', nonce: true });
 * ```
 */
export function compileSecurityHeaders(options: SecurityHeadersOptions = {}): SecurityHeaderPlan {
  assertOptionShape(options);

  const preset = options.preset ?? 'api';
  const nonceMarker = options.nonce === true ? randomBytes(18).toString('base64url') : undefined;
  const passThrough = helmetPart(options);
  const nonceSource = nonceMarker === undefined ? undefined : `'nonce-${nonceMarker}'`;
  const helmetOptions = resolveHelmetOptions(preset, passThrough, nonceSource);
  const { headers, removed } = recordHelmetHeaders(helmetOptions);

  const permissionsPolicy = permissionsPolicyHeader(options.permissionsPolicy);
  if (permissionsPolicy !== undefined) {
    headers.push(['Permissions-Policy', permissionsPolicy]);
  }

  if (nonceMarker === undefined) {
    return { headers, removed };
  }

  const nonceIndex = headers.findIndex(([, value]) => value.includes(nonceMarker));
  const [name, value] = headers.splice(nonceIndex, 1)[0]!;
  return { headers, removed, nonceHeader: { name, parts: value.split(nonceMarker) } };
}

/**
 * Creates a CSP nonce: 128 bits from the CSPRNG, base64-encoded.
 *
 * @example
 * ```ts
 * const nonce = createCspNonce(); // 'q0m1...==' (24 characters)
 * ```
 */
export function createCspNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64');
}

/**
 * Joins a nonce CSP header back together with this response's nonce.
 *
 * @example
 * ```ts
 * const value = nonceHeaderValue(plan.nonceHeader.parts, createCspNonce());
 * ```
 */
export function nonceHeaderValue(parts: readonly string[], nonce: string): string {
  return parts.join(nonce);
}

function assertOptionShape(options: unknown): asserts options is SecurityHeadersOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('options', 'must be an object; pass {} or leave it out');
  }

  for (const [key, value] of Object.entries(options)) {
    if (BULWARK_OPTIONS.has(key)) {
      continue;
    }
    assertHelmetOption(key, value);
  }

  const { preset, nonce } = options as SecurityHeadersOptions;
  if (preset !== undefined && !Object.hasOwn(PRESETS, preset)) {
    throw invalid('preset', `must be 'api' or 'pages', not ${JSON.stringify(preset)}`);
  }
  if (nonce !== undefined && typeof nonce !== 'boolean') {
    throw invalid('nonce', 'must be true or false');
  }
}

function helmetPart(options: SecurityHeadersOptions): HelmetPassThroughOptions {
  const passThrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!BULWARK_OPTIONS.has(key)) {
      passThrough[key] = value;
    }
  }
  return passThrough as HelmetPassThroughOptions;
}

function invalid(option: string, problem: string): BulwarkError {
  return new BulwarkError('ERR_OPTION_INVALID', `securityHeaders option "${option}" ${problem}.`, { option });
}
