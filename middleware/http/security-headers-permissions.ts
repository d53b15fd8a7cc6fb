import { BulwarkError } from '../../src/errors.js';
import { DEFAULT_PERMISSIONS_POLICY } from './security-headers-presets.js';

/**
 * The origins allowed to use one feature: an empty list disables it, `['*']` allows every origin,
 * otherwise `'self'` and origins such as `'https://maps.example.com'`.
 */
export type PermissionsPolicyAllowlist = readonly string[];

/**
 * Permissions-Policy features by name (kebab-case, as browsers spell them), merged over the default.
 * `null` removes a feature from the default policy.
 */
export type PermissionsPolicyFeatures = Readonly<Record<string, PermissionsPolicyAllowlist | null>>;

// The header is a Structured Field Dictionary (W3C Permissions Policy, section "Permissions-Policy
// HTTP header field"), so a feature name is an sf-key (RFC 8941, section 3.2): a lower-case letter
// or "*", then lower-case letters, digits, "_", "-", "." or "*".
// NOTE: only the syntax is checked. A well-formed name that no browser knows (a typo such as
// "geolocaton") passes here, and Chromium ignores it with a console warning.
const FEATURE_NAME = /^[a-z*][a-z0-9_\-.*]*$/;

/**
 * Builds the `Permissions-Policy` header value: the default policy with `features` merged over it,
 * or undefined when `features` is `false`.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` for a feature name that is not an sf-key (such as the
 * camelCase `displayCapture`), or an allowlist entry that is not `'self'`, `'*'` or an origin.
 * @example
 * ```ts
 * permissionsPolicyHeader({ geolocation: ['self'] });
 * // 'accelerometer=(), autoplay=(), ..., geolocation=(self), ...'
 * ```
 */
export function permissionsPolicyHeader(features: PermissionsPolicyFeatures | false | undefined): string | undefined {
  if (features === false) {
    return undefined;
  }
  if (features !== undefined && (typeof features !== 'object' || features === null || Array.isArray(features))) {
    throw invalid('must be an object of feature names to allowlists, or false to leave the header out');
  }

  const merged = new Map<string, PermissionsPolicyAllowlist>(Object.entries(DEFAULT_PERMISSIONS_POLICY));
  for (const [name, allowlist] of Object.entries(features ?? {})) {
    if (!FEATURE_NAME.test(name)) {
      throw invalid(`has an invalid feature name ${JSON.stringify(name)}; use the lower-case kebab-case name, such as "display-capture"`);
    }
    if (allowlist === null) {
      merged.delete(name);
      continue;
    }
    merged.set(name, checkAllowlist(name, allowlist));
  }

  const members = [...merged].map(([name, allowlist]) => `${name}=${serializeAllowlist(allowlist)}`);
  return members.length === 0 ? undefined : members.join(', ');
}

function checkAllowlist(name: string, allowlist: unknown): PermissionsPolicyAllowlist {
  if (!Array.isArray(allowlist)) {
    throw invalid(`feature "${name}" must have an array allowlist, such as [] or ['self']`);
  }

  for (const entry of allowlist) {
    if (entry === 'self' || entry === '*') {
      continue;
    }
    if (typeof entry !== 'string' || !isOrigin(entry)) {
      throw invalid(
        `feature "${name}" has an invalid allowlist entry ${JSON.stringify(entry)}; use 'self', '*' or an origin such as 'https://example.com'`,
      );
    }
  }

  if (allowlist.includes('*') && allowlist.length > 1) {
    throw invalid(`feature "${name}" combines '*' with other entries; '*' already allows every origin`);
  }
  return allowlist as PermissionsPolicyAllowlist;
}

// An origin is a scheme, host and optional port with nothing after it, so it serializes as an
// sf-string without escapes.
function isOrigin(entry: string): boolean {
  try {
    const url = new URL(entry);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === entry;
  } catch {
    return false;
  }
}

// `*` is a bare token; everything else is an inner list of `self` and quoted origins (RFC 8941).
function serializeAllowlist(allowlist: PermissionsPolicyAllowlist): string {
  if (allowlist.length === 1 && allowlist[0] === '*') {
    return '*';
  }
  const items = allowlist.map((entry) => (entry === 'self' ? 'self' : `"${entry}"`));
  return `(${items.join(' ')})`;
}

function invalid(problem: string): BulwarkError {
  return new BulwarkError('ERR_OPTION_INVALID', `securityHeaders option "permissionsPolicy" ${problem}.`, {
    option: 'permissionsPolicy',
  });
}
