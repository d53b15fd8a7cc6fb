import { BulwarkError, type BulwarkErrorCode } from '../../src/errors.js';
import type { TokenRequestFault } from './bearer-token.js';
import { HttpError } from './errors.js';
import { buildBearerChallenge } from './www-authenticate.js';

/** The class of a failed token for the `optional` policy: expired, otherwise invalid. */
export type TokenFailureKind = 'invalid' | 'expired';

/** A token failure after classification: its kind, stable code and fixed description. */
export interface TokenFailure {
  readonly kind: TokenFailureKind;
  readonly code: BulwarkErrorCode;
  readonly description: string;
  /** The claim that failed, when the verifier named one; for logs, never sent to the client. */
  readonly claim?: string;
}

/** A verification error that is not the token's fault: the key set or a store is down, or a bug. */
export interface ServerFailure {
  readonly kind: 'unavailable' | 'internal';
  readonly code: BulwarkErrorCode;
}

// RFC 6750, section 3: error_description is for the developer of the client, in ASCII without
// quotes or backslashes. Each text is fixed here and never carries a value from the token, so the
// header cannot be used to reflect input, and a forged token learns nothing about the key.
const TOKEN_FAILURES: Partial<Record<BulwarkErrorCode, Omit<TokenFailure, 'code' | 'claim'>>> = {
  ERR_JWT_EXPIRED: { kind: 'expired', description: 'The token has expired.' },
  ERR_JWT_NOT_YET_VALID: { kind: 'invalid', description: 'The token is not valid yet.' },
  ERR_JWT_MALFORMED: { kind: 'invalid', description: 'The token is malformed.' },
  ERR_JWT_TOO_LARGE: { kind: 'invalid', description: 'The token is too large.' },
  ERR_JWT_ALGORITHM_NOT_ALLOWED: { kind: 'invalid', description: 'The token algorithm is not allowed.' },
  ERR_JWT_KEY_NOT_FOUND: { kind: 'invalid', description: 'No key matches the token.' },
  ERR_JWT_SIGNATURE_INVALID: { kind: 'invalid', description: 'The token signature is invalid.' },
  ERR_JWT_CLAIM_INVALID: { kind: 'invalid', description: 'A token claim is invalid.' },
  ERR_JWT_CLAIM_MISSING: { kind: 'invalid', description: 'A required token claim is missing.' },
  ERR_JWT_CRIT_UNSUPPORTED: { kind: 'invalid', description: 'The token has an unsupported critical header.' },
  ERR_JWT_REVOKED: { kind: 'invalid', description: 'The token has been revoked.' },
};

const GENERIC_TOKEN_FAILURE = { kind: 'invalid', description: 'The token is invalid.' } as const;

const UNAVAILABLE_CODES = new Set<BulwarkErrorCode>(['ERR_JWKS_UNAVAILABLE', 'ERR_SERVICE_UNAVAILABLE']);

const FAULT_DESCRIPTIONS: Record<TokenRequestFault, string> = {
  TOKEN_IN_MULTIPLE_PLACES: 'The request must carry the access token in only one place.',
  AUTHORIZATION_REPEATED: 'The request must carry only one Authorization header.',
  COOKIE_REPEATED: 'The request must carry the token cookie only once.',
  TOKEN_SYNTAX_INVALID: 'The bearer token is not a valid b64token.',
};

/**
 * Classifies an error thrown by the JWT verifier, a revocation check or a claim check. An error with
 * an `ERR_JWT_*` code is the token's fault. A key set or store that is down is `unavailable`. Any
 * other error is `internal`, because it comes from the app's configuration or code.
 *
 * @example
 * ```ts
 * const failure = classifyVerificationError(new BulwarkError('ERR_JWT_EXPIRED', 'The token has expired.'));
 * // { kind: 'expired', code: 'ERR_JWT_EXPIRED', description: 'The token has expired.' }
 * ```
 */
export function classifyVerificationError(error: unknown): TokenFailure | ServerFailure {
  if (!(error instanceof BulwarkError)) {
    return { kind: 'internal', code: 'ERR_INTERNAL' };
  }

  if (UNAVAILABLE_CODES.has(error.code)) {
    return { kind: 'unavailable', code: error.code };
  }

  if (!error.code.startsWith('ERR_JWT_')) {
    return { kind: 'internal', code: error.code };
  }

  const known = TOKEN_FAILURES[error.code] ?? GENERIC_TOKEN_FAILURE;
  const claim = typeof error.details.claim === 'string' ? error.details.claim : undefined;
  return claim === undefined ? { ...known, code: error.code } : { ...known, code: error.code, claim };
}

/**
 * Builds the 401 for a request without a bearer token: a bare challenge with no error code,
 * because the client may not know that the resource needs one (RFC 6750, section 3.1).
 *
 * @example
 * ```ts
 * throw missingTokenError('api'); // WWW-Authenticate: Bearer realm="api"
 * ```
 */
export function missingTokenError(realm: string | undefined): HttpError {
  return new HttpError(401, 'ERR_TOKEN_MISSING', 'A bearer token is required.', {
    headers: { 'www-authenticate': buildBearerChallenge({ realm }) },
  });
}

/**
 * Builds the 400 `invalid_request` for a request that carries a token in a malformed way
 * (RFC 6750, section 3.1).
 *
 * @example
 * ```ts
 * throw invalidRequestError('api', 'TOKEN_IN_MULTIPLE_PLACES');
 * ```
 */
export function invalidRequestError(realm: string | undefined, fault: TokenRequestFault): HttpError {
  const description = FAULT_DESCRIPTIONS[fault];
  return new HttpError(400, 'ERR_INVALID_REQUEST', description, {
    headers: {
      'www-authenticate': buildBearerChallenge({ realm, error: 'invalid_request', errorDescription: description }),
    },
    details: { reason: fault },
  });
}

/**
 * Builds the 401 `invalid_token` for a token that failed verification or was revoked (RFC 6750,
 * section 3.1). The error keeps the failure's code, such as `ERR_JWT_EXPIRED`, so clients can tell
 * a token to refresh from one to discard.
 *
 * @example
 * ```ts
 * throw invalidTokenError('api', failure);
 * ```
 */
export function invalidTokenError(realm: string | undefined, failure: TokenFailure): HttpError {
  return new HttpError(401, failure.code, failure.description, {
    headers: {
      'www-authenticate': buildBearerChallenge({
        realm,
        error: 'invalid_token',
        errorDescription: failure.description,
      }),
    },
  });
}

/**
 * Builds the 403 `insufficient_scope` for a valid token without the scopes a route requires,
 * naming those scopes in the challenge (RFC 6750, section 3.1).
 *
 * @example
 * ```ts
 * throw insufficientScopeError('api', ['orders:write']);
 * ```
 */
export function insufficientScopeError(realm: string | undefined, scopes: readonly string[]): HttpError {
  const description = 'The token does not grant the scope that this resource requires.';
  return new HttpError(403, 'ERR_INSUFFICIENT_SCOPE', description, {
    headers: {
      'www-authenticate': buildBearerChallenge({
        realm,
        error: 'insufficient_scope',
        errorDescription: description,
        scopes,
      }),
    },
    details: { scope: scopes.join(' ') },
  });
}

/**
 * Builds the 503 for a token that could not be checked because the key set or the denylist failed
 * or timed out. It is not a 401, because the token may be valid: the client should retry rather
 * than log in again.
 *
 * @example
 * ```ts
 * throw serviceUnavailableError();
 * ```
 */
export function serviceUnavailableError(): HttpError {
  return new HttpError(503, 'ERR_SERVICE_UNAVAILABLE', 'The token could not be checked; try again later.', {
    expose: true,
  });
}

/**
 * Builds the 500 for a failure in the app's own key resolver, claim check or revocation callback.
 * Its message stays on the server.
 *
 * @example
 * ```ts
 * throw internalError();
 * ```
 */
export function internalError(): HttpError {
  return new HttpError(500, 'ERR_INTERNAL', 'The token could not be checked.');
}
