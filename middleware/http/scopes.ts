import { BulwarkError } from '../../src/errors.js';
import { isValidScopeToken } from './www-authenticate.js';

/**
 * The scopes that a route requires: a list means all of them; an object can ask for all of
 * `allOf` and at least one of `anyOf`, or both.
 */
export type ScopeRequirement =
  | readonly string[]
  | { readonly allOf?: readonly string[]; readonly anyOf?: readonly string[] };

/** A {@link ScopeRequirement} checked and frozen at setup. */
export interface CompiledScopes {
  readonly allOf: readonly string[];
  readonly anyOf: readonly string[];
  /** The scopes named in an `insufficient_scope` challenge: all of `allOf`, then all of `anyOf`. */
  readonly challenge: readonly string[];
}

/**
 * Checks the `scopes` option and returns it in a frozen form, or `undefined` when the option is
 * not set. Throws `ERR_OPTION_INVALID` for an empty requirement or a value that is not a scope
 * token (RFC 6749, section 3.3), such as a string with a space in it.
 *
 * @example
 * ```ts
 * const scopes = compileScopes({ allOf: ['orders:read'], anyOf: ['admin', 'support'] });
 * ```
 */
export function compileScopes(option: unknown): CompiledScopes | undefined {
  if (option === undefined) {
    return undefined;
  }

  const { allOf, anyOf } = Array.isArray(option)
    ? { allOf: option as unknown, anyOf: undefined }
    : splitRequirement(option);
  const checkedAllOf = checkScopeList(allOf, 'scopes.allOf');
  const checkedAnyOf = checkScopeList(anyOf, 'scopes.anyOf');

  if (checkedAllOf.length === 0 && checkedAnyOf.length === 0) {
    throw invalidScopes('scopes must name at least one scope; leave the option out to require none.');
  }

  return Object.freeze({
    allOf: checkedAllOf,
    anyOf: checkedAnyOf,
    challenge: Object.freeze([...new Set([...checkedAllOf, ...checkedAnyOf])]),
  });
}

/**
 * Collects the scopes that a verified token grants, across the claims that providers use: `scope`
 * (a space-separated string, RFC 8693, section 4.2), `scp` (a string or a list of strings) and
 * `permissions` (a list of strings). A claim of another type grants nothing.
 *
 * @example
 * ```ts
 * grantedScopes({ scope: 'orders:read orders:write', permissions: ['admin'] });
 * // Set { 'orders:read', 'orders:write', 'admin' }
 * ```
 */
export function grantedScopes(payload: Readonly<Record<string, unknown>>): Set<string> {
  const granted = new Set<string>();
  for (const claim of ['scope', 'scp', 'permissions']) {
    const value = Object.hasOwn(payload, claim) ? payload[claim] : undefined;
    for (const scope of scopeValues(value)) {
      granted.add(scope);
    }
  }
  return granted;
}

/**
 * Tells whether a verified token grants every scope of `allOf` and, when `anyOf` is not empty, at
 * least one of `anyOf`. Scopes compare exactly and case-sensitively (RFC 6749, section 3.3):
 * `orders` does not satisfy `orders:write`, nor `Admin` satisfy `admin`.
 *
 * @example
 * ```ts
 * hasRequiredScopes(payload, compileScopes(['orders:read'])!);
 * ```
 */
export function hasRequiredScopes(payload: Readonly<Record<string, unknown>>, required: CompiledScopes): boolean {
  const granted = grantedScopes(payload);

  if (!required.allOf.every((scope) => granted.has(scope))) {
    return false;
  }
  return required.anyOf.length === 0 || required.anyOf.some((scope) => granted.has(scope));
}

function scopeValues(value: unknown): string[] {
  if (typeof value === 'string') {
    return value.split(' ').filter((scope) => scope !== '');
  }

  if (Array.isArray(value)) {
    return value.filter((scope): scope is string => typeof scope === 'string' && scope !== '');
  }
  return [];
}

function splitRequirement(option: unknown): { allOf: unknown; anyOf: unknown } {
  if (typeof option !== 'object' || option === null) {
    throw invalidScopes('scopes must be a list of scopes or an object with allOf and anyOf lists.');
  }

  const unknownKeys = Object.keys(option).filter((key) => key !== 'allOf' && key !== 'anyOf');
  if (unknownKeys.length > 0) {
    throw invalidScopes('scopes takes only the keys allOf and anyOf.');
  }

  const { allOf, anyOf } = option as { allOf?: unknown; anyOf?: unknown };
  return { allOf, anyOf };
}

function checkScopeList(list: unknown, name: string): readonly string[] {
  if (list === undefined) {
    return Object.freeze([]);
  }

  if (!Array.isArray(list)) {
    throw invalidScopes(`${name} must be a list of scope strings.`);
  }

  for (const scope of list) {
    if (typeof scope !== 'string' || !isValidScopeToken(scope)) {
      throw invalidScopes(
        `${name} must contain only scope tokens: printable ASCII without space, quote or backslash. ` +
          'Write each scope as its own list item.',
      );
    }
  }
  return Object.freeze([...list] as string[]);
}

function invalidScopes(message: string): BulwarkError {
  return new BulwarkError('ERR_OPTION_INVALID', message, { option: 'scopes' });
}
