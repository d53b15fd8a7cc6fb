/** The error codes of the Bearer scheme (RFC 6750, section 3.1). */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** The parameters of a Bearer challenge. Every one is optional: with none, the challenge is `Bearer`. */
export interface BearerChallenge {
  /** The protection space (RFC 9110, section 11.5); printable ASCII, quoted and escaped here. */
  readonly realm?: string;
  /** The error code; left out when the request carried no credentials (RFC 6750, section 3.1). */
  readonly error?: BearerErrorCode;
  /** A fixed, human-readable explanation for developers; never a value taken from the request. */
  readonly errorDescription?: string;
  /** The scopes that the resource requires, for `insufficient_scope`. */
  readonly scopes?: readonly string[];
}

// RFC 6750, section 3: `error` and `error_description` values MUST NOT include characters outside
// %x20-21 / %x23-5B / %x5D-7E, so they never need a backslash escape.
const ERROR_VALUE_PATTERN = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

// RFC 6749, section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const SCOPE_TOKEN_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

// A realm is a quoted-string (RFC 9110, section 5.6.4). Only printable ASCII is accepted, so no
// control character or line break can reach the header; `"` and `\` are escaped below.
const REALM_PATTERN = /^[\x20-\x7E]*$/;

/** Tells whether `value` may be used as a realm in {@link buildBearerChallenge}. */
export function isValidRealm(value: string): boolean {
  return REALM_PATTERN.test(value);
}

/** Tells whether `value` is a scope token (RFC 6749, section 3.3): printable ASCII without space, `"` or `\`. */
export function isValidScopeToken(value: string): boolean {
  return SCOPE_TOKEN_PATTERN.test(value);
}

/**
 * Builds the value of a `WWW-Authenticate` header for the Bearer scheme (RFC 6750, section 3).
 *
 * Every value is a quoted-string. The realm is escaped. The other values are checked against the
 * character sets that RFC 6750 allows. A value outside them throws a `TypeError`, because only a
 * programming error can produce one: no value comes from the request.
 *
 * @example
 * ```ts
 * buildBearerChallenge({ realm: 'api', error: 'invalid_token', errorDescription: 'The token has expired.' });
 * // Bearer realm="api", error="invalid_token", error_description="The token has expired."
 * ```
 */
export function buildBearerChallenge(challenge: BearerChallenge = {}): string {
  const parameters: string[] = [];

  if (challenge.realm !== undefined) {
    if (!isValidRealm(challenge.realm)) {
      throw new TypeError('The realm must contain only printable ASCII characters.');
    }
    parameters.push(`realm=${quote(challenge.realm)}`);
  }

  if (challenge.error !== undefined) {
    parameters.push(`error="${checkedErrorValue(challenge.error)}"`);
  }

  if (challenge.errorDescription !== undefined) {
    parameters.push(`error_description="${checkedErrorValue(challenge.errorDescription)}"`);
  }

  if (challenge.scopes !== undefined && challenge.scopes.length > 0) {
    for (const scope of challenge.scopes) {
      if (!isValidScopeToken(scope)) {
        throw new TypeError('A scope must be a scope token: printable ASCII without space, quote or backslash.');
      }
    }
    parameters.push(`scope="${challenge.scopes.join(' ')}"`);
  }

  return parameters.length === 0 ? 'Bearer' : `Bearer ${parameters.join(', ')}`;
}

function checkedErrorValue(value: string): string {
  if (!ERROR_VALUE_PATTERN.test(value)) {
    throw new TypeError(
      'An error or error_description value must not contain a quote, backslash or non-ASCII character.',
    );
  }
  return value;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (character) => `\\${character}`)}"`;
}
