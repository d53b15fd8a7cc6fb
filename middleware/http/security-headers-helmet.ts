import type { IncomingMessage, ServerResponse } from 'node:http';

import helmet from 'helmet';

import { BulwarkError } from '../../src/errors.js';
import { PRESETS, type CspDirectiveMap, type SecurityHeadersPreset } from './security-headers-presets.js';

/** Content-Security-Policy directives: camelCase or kebab-case names, `null` removes a preset directive. */
export type CspDirectives = Readonly<Record<string, readonly string[] | string | null>>;

/** Options of the Content-Security-Policy header, as helmet takes them. */
export interface ContentSecurityPolicyOptions {
  /** Whether `directives` are merged over the preset's. Default: true; false uses `directives` alone. */
  readonly useDefaults?: boolean;
  /** Directives set over the preset's. Default: none. */
  readonly directives?: CspDirectives;
  /** Sends `Content-Security-Policy-Report-Only` instead, which reports and blocks nothing. Default: false. */
  readonly reportOnly?: boolean;
}

/**
 * The helmet 8 options that bulwark passes through: `false` leaves a header out, `true` or an omitted
 * key keeps the preset's value, and an object sets the header as helmet documents it.
 */
export interface HelmetPassThroughOptions {
  readonly contentSecurityPolicy?: ContentSecurityPolicyOptions | boolean;
  readonly crossOriginEmbedderPolicy?: { readonly policy?: 'require-corp' | 'credentialless' | 'unsafe-none' } | boolean;
  readonly crossOriginOpenerPolicy?:
    | { readonly policy?: 'same-origin' | 'same-origin-allow-popups' | 'noopener-allow-popups' | 'unsafe-none' }
    | boolean;
  readonly crossOriginResourcePolicy?: { readonly policy?: 'same-origin' | 'same-site' | 'cross-origin' } | boolean;
  readonly originAgentCluster?: boolean;
  readonly referrerPolicy?: { readonly policy?: string | readonly string[] } | boolean;
  readonly strictTransportSecurity?:
    | { readonly maxAge?: number; readonly includeSubDomains?: boolean; readonly preload?: boolean }
    | boolean;
  readonly xContentTypeOptions?: boolean;
  readonly xDnsPrefetchControl?: { readonly allow?: boolean } | boolean;
  readonly xDownloadOptions?: boolean;
  readonly xFrameOptions?: { readonly action?: 'deny' | 'sameorigin' } | boolean;
  readonly xPermittedCrossDomainPolicies?:
    | { readonly permittedPolicies?: 'none' | 'master-only' | 'by-content-type' | 'all' }
    | boolean;
  readonly xPoweredBy?: boolean;
  readonly xXssProtection?: boolean;
}

const BOOLEAN_ONLY = new Set(['originAgentCluster', 'xContentTypeOptions', 'xDownloadOptions', 'xPoweredBy', 'xXssProtection']);

const OBJECT_OR_BOOLEAN = new Set([
  'contentSecurityPolicy',
  'crossOriginEmbedderPolicy',
  'crossOriginOpenerPolicy',
  'crossOriginResourcePolicy',
  'referrerPolicy',
  'strictTransportSecurity',
  'xDnsPrefetchControl',
  'xFrameOptions',
  'xPermittedCrossDomainPolicies',
]);

// helmet's older names. bulwark takes only the current ones, so one header has one spelling.
const LEGACY_NAMES: Readonly<Record<string, string>> = {
  hsts: 'strictTransportSecurity',
  noSniff: 'xContentTypeOptions',
  dnsPrefetchControl: 'xDnsPrefetchControl',
  ieNoOpen: 'xDownloadOptions',
  frameguard: 'xFrameOptions',
  permittedCrossDomainPolicies: 'xPermittedCrossDomainPolicies',
  hidePoweredBy: 'xPoweredBy',
  xssFilter: 'xXssProtection',
};

/**
 * Checks that `key` is a helmet option that bulwark passes through, and the shape of its value.
 * helmet itself checks the values inside an options object.
 */
export function assertHelmetOption(key: string, value: unknown): void {
  if (Object.hasOwn(LEGACY_NAMES, key)) {
    throw optionError(key, `is helmet's older name; use "${LEGACY_NAMES[key]}" instead`);
  }
  if (!BOOLEAN_ONLY.has(key) && !OBJECT_OR_BOOLEAN.has(key)) {
    throw optionError(key, 'is not a securityHeaders option; check its spelling against the documented options');
  }
  if (value === undefined || typeof value === 'boolean') {
    return;
  }
  if (BOOLEAN_ONLY.has(key)) {
    throw optionError(key, 'must be true or false');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError(key, 'must be true, false or an options object');
  }
}

/**
 * Builds the helmet options for a preset and the caller's pass-through options. `nonceSource`, when
 * given, is added to `script-src` and to `style-src` where present: a quoted `'nonce-...'` string, or
 * a function as helmet takes it for per-request values.
 */
export function resolveHelmetOptions(
  preset: SecurityHeadersPreset,
  passThrough: HelmetPassThroughOptions,
  nonceSource?: string | ((request: IncomingMessage, response: ServerResponse) => string),
): Record<string, unknown> {
  const defaults = PRESETS[preset];
  const resolved: Record<string, unknown> = { xFrameOptions: { action: defaults.frameAction } };
  for (const [key, value] of Object.entries(passThrough)) {
    if (value !== undefined && key !== 'contentSecurityPolicy') {
      resolved[key] = value;
    }
  }

  const csp = passThrough.contentSecurityPolicy;
  if (csp === false) {
    if (nonceSource !== undefined) {
      throw optionError('nonce', 'needs a Content-Security-Policy; remove contentSecurityPolicy: false or set nonce: false');
    }
    resolved.contentSecurityPolicy = false;
    return resolved;
  }

  const cspOptions: ContentSecurityPolicyOptions = csp === true || csp === undefined ? {} : csp;
  const directives = mergeDirectives(cspOptions.useDefaults === false ? {} : defaults.directives, cspOptions.directives);
  if (nonceSource !== undefined) {
    addNonce(directives, nonceSource);
  }
  resolved.contentSecurityPolicy = { useDefaults: false, directives, reportOnly: cspOptions.reportOnly === true };
  return resolved;
}

/**
 * Runs helmet once against a response that records headers instead of sending them, so that the
 * header set equals helmet's own for the same options.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` with helmet's message when helmet rejects an option.
 */
export function recordHelmetHeaders(helmetOptions: Record<string, unknown>): {
  headers: Array<[string, string]>;
  removed: string[];
} {
  const headers = new Map<string, string>();
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string) {
      headers.set(name, value);
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };

  let failure: unknown;
  try {
    const middleware = helmet(helmetOptions as Parameters<typeof helmet>[0]);
    middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
      failure = error;
    });
  } catch (error) {
    failure = error;
  }
  if (failure !== undefined) {
    const reason = failure instanceof Error ? failure.message : 'an option was rejected';
    throw new BulwarkError('ERR_OPTION_INVALID', `securityHeaders rejected a helmet option: ${reason}`);
  }

  return { headers: [...headers], removed };
}

function mergeDirectives(base: CspDirectiveMap, overrides: CspDirectives | undefined): Record<string, unknown[]> {
  const merged: Record<string, unknown[]> = {};
  for (const [name, sources] of Object.entries(base)) {
    merged[name] = [...sources];
  }

  for (const [rawName, value] of Object.entries(overrides ?? {})) {
    const name = kebabCase(rawName);
    if (value === null) {
      delete merged[name];
      continue;
    }

    const sources = sourceList(value);
    if (sources.some((source) => typeof source === 'function')) {
      throw optionError(
        'contentSecurityPolicy',
        `directive "${name}" contains a function, but the policy is computed once; use nonce: true for per-request nonces`,
      );
    }
    merged[name] = sources;
  }
  return merged;
}

// helmet takes a single string or any iterable of strings as a source list.
function sourceList(value: unknown): unknown[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (typeof value === 'object' && value !== null && Symbol.iterator in value) {
    return [...(value as Iterable<unknown>)];
  }
  return [value];
}

function addNonce(directives: Record<string, unknown[]>, nonceSource: unknown): void {
  const scriptSources = directives['script-src'];
  if (scriptSources === undefined) {
    throw optionError('nonce', "needs a script-src directive; use preset 'pages' or set contentSecurityPolicy.directives.scriptSrc");
  }

  directives['script-src'] = [...scriptSources, nonceSource];
  const styleSources = directives['style-src'];
  if (styleSources !== undefined) {
    directives['style-src'] = [...styleSources, nonceSource];
  }
}

// helmet accepts `scriptSrc` and `script-src` alike; merging needs one spelling.
function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function optionError(option: string, problem: string): BulwarkError {
  return new BulwarkError('ERR_OPTION_INVALID', `securityHeaders option "${option}" ${problem}.`, { option });
}
