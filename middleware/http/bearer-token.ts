import type { IncomingHttpHeaders } from 'node:http';

import { countRawHeader } from './raw-headers.js';

/** The part of a request that the token is read from. */
export interface TokenRequestView {
  readonly headers: IncomingHttpHeaders;
  /** Node's `rawHeaders`, used to see a repeated `Authorization` header that `headers` hides. */
  readonly rawHeaders: readonly string[];
}

/** The place a token was found in. */
export type TokenSource = 'authorization' | 'cookie' | 'getToken';

/** The stable reason code for a request that carries a token in a malformed way. */
export type TokenRequestFault =
  | 'TOKEN_IN_MULTIPLE_PLACES'
  | 'AUTHORIZATION_REPEATED'
  | 'COOKIE_REPEATED'
  | 'TOKEN_SYNTAX_INVALID';

/** The result of reading the token from a request. */
export type TokenLookup =
  | { readonly kind: 'found'; readonly token: string; readonly source: TokenSource }
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed'; readonly fault: TokenRequestFault };

// RFC 6750, section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
// A compact JWS fits it; anything else (spaces, quotes, commas, control characters) is malformed.
const B64TOKEN_PATTERN = /^[A-Za-z0-9\-._~+/]+=*$/;

// RFC 9110, section 11.6.2: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ].
const CREDENTIALS_PATTERN = /^(\S+)(.*)$/s;

// RFC 6265, section 4.1.1: a cookie name is an HTTP token (RFC 9110, section 5.6.2).
const COOKIE_NAME_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const MISSING: TokenLookup = { kind: 'missing' };

const BEARER_SCHEME_LENGTH = 'bearer'.length;
const SPACE = 0x20;

/** Tells whether `name` can be used as a cookie name: a non-empty HTTP token. */
export function isValidCookieName(name: string): boolean {
  return COOKIE_NAME_PATTERN.test(name);
}

/** Tells whether `value` has the b64token syntax of a bearer token (RFC 6750, section 2.1). */
export function isBearerTokenSyntax(value: string): boolean {
  return B64TOKEN_PATTERN.test(value);
}

/**
 * Reads a bearer token from the `Authorization` header (scheme case-insensitive, RFC 6750,
 * section 2.1) and, when `cookieName` is given, from that cookie.
 *
 * An `Authorization` header with another scheme counts as no token, so the caller responds with a
 * bare challenge. A token in both places, a repeated header or cookie, or a token that is not a
 * b64token makes the request malformed (RFC 6750, section 3.1: `invalid_request` covers a request
 * that "uses more than one method for including an access token"). The query string is never read,
 * because URLs end up in logs and `Referer` headers (RFC 6750, section 5.3).
 *
 * @example
 * ```ts
 * const lookup = readBearerToken({ headers: req.headers, rawHeaders: req.rawHeaders }, 'access_token');
 * if (lookup.kind === 'found') verify(lookup.token);
 * ```
 */
export function readBearerToken(request: TokenRequestView, cookieName?: string): TokenLookup {
  const fromHeader = readAuthorization(request);
  if (fromHeader.kind === 'malformed') {
    return fromHeader;
  }

  const fromCookie = cookieName === undefined ? MISSING : readTokenCookie(request.headers.cookie, cookieName);
  if (fromCookie.kind === 'malformed') {
    return fromCookie;
  }

  if (fromHeader.kind === 'found' && fromCookie.kind === 'found') {
    return { kind: 'malformed', fault: 'TOKEN_IN_MULTIPLE_PLACES' };
  }
  return fromHeader.kind === 'found' ? fromHeader : fromCookie;
}

/**
 * Checks a value that an application's `getToken` returned: nothing (`undefined`, `null` or an
 * empty string) is a missing token, a string must be a b64token, and any other type is a
 * programming error that throws a `TypeError`.
 *
 * @example
 * ```ts
 * const lookup = checkCustomToken(request.headers['x-access-token']);
 * ```
 */
export function checkCustomToken(value: unknown): TokenLookup {
  if (value === undefined || value === null || value === '') {
    return MISSING;
  }

  if (typeof value !== 'string') {
    throw new TypeError('getToken must return a string, undefined or null.');
  }

  if (!isBearerTokenSyntax(value)) {
    return { kind: 'malformed', fault: 'TOKEN_SYNTAX_INVALID' };
  }
  return { kind: 'found', token: value, source: 'getToken' };
}

function readAuthorization(request: TokenRequestView): TokenLookup {
  const header = request.headers.authorization;
  if (header === undefined) {
    return MISSING;
  }

  // Node keeps only the first of repeated Authorization headers in `headers`. A proxy or another
  // layer may read the second one instead, so the request is rejected.
  if (countRawHeader(request.rawHeaders, 'authorization') > 1) {
    return { kind: 'malformed', fault: 'AUTHORIZATION_REPEATED' };
  }

  const credentials = readBearerCredentials(header);
  if (credentials === undefined) {
    return MISSING;
  }

  // Only spaces may separate the scheme from the token; a tab or line break fails the syntax check.
  const token = credentials.replace(/^ +/, '');
  if (!isBearerTokenSyntax(token)) {
    return { kind: 'malformed', fault: 'TOKEN_SYNTAX_INVALID' };
  }
  return { kind: 'found', token, source: 'authorization' };
}

/**
 * Returns what follows the scheme of a `Bearer` header, leading whitespace included, or
 * `undefined` for another scheme. The common `Bearer <token>` form is read without a regular
 * expression, and the result is the same as that of {@link CREDENTIALS_PATTERN}.
 */
function readBearerCredentials(header: string): string | undefined {
  if (header.length > BEARER_SCHEME_LENGTH && header.charCodeAt(BEARER_SCHEME_LENGTH) === SPACE) {
    return header.slice(0, BEARER_SCHEME_LENGTH).toLowerCase() === 'bearer' ? header.slice(BEARER_SCHEME_LENGTH) : undefined;
  }

  const match = CREDENTIALS_PATTERN.exec(header);
  if (match === null || match[1]!.toLowerCase() !== 'bearer') {
    return undefined;
  }
  return match[2]!;
}

/**
 * Finds one cookie in a `Cookie` header (RFC 6265, section 4.2.1: pairs separated by `;`). Pairs
 * without `=` are skipped. An empty value counts as missing. The cookie named more than once is
 * malformed, because a sibling subdomain can set a second cookie of the same name to plant its own
 * token (RFC 6265, section 8.6).
 */
function readTokenCookie(header: string | undefined, name: string): TokenLookup {
  if (header === undefined) {
    return MISSING;
  }

  let value: string | undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1 || pair.slice(0, separator).trim() !== name) {
      continue;
    }
    if (value !== undefined) {
      return { kind: 'malformed', fault: 'COOKIE_REPEATED' };
    }
    value = unquote(pair.slice(separator + 1).trim());
  }

  if (value === undefined || value === '') {
    return MISSING;
  }

  if (!isBearerTokenSyntax(value)) {
    return { kind: 'malformed', fault: 'TOKEN_SYNTAX_INVALID' };
  }
  return { kind: 'found', token: value, source: 'cookie' };
}

// RFC 6265, section 4.1.1: cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE ).
function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1);
  }
  return value;
}
