import type { BulwarkErrorCode } from '../../src/errors.js';
import { createJwtVerifier, type JwtHeader, type JwtPayload } from '../../src/jwt/index.js';
import { isValidJti } from '../../src/revocation/denylist.js';
import { checkCustomToken, readBearerToken, type TokenLookup, type TokenRequestView } from './bearer-token.js';
import {
  classifyVerificationError,
  insufficientScopeError,
  internalError,
  invalidRequestError,
  invalidTokenError,
  missingTokenError,
  serviceUnavailableError,
  type ServerFailure,
  type TokenFailure,
} from './jwt-responses.js';
import {
  checkDenylistRetention,
  pickVerifierOptions,
  resolveGuardSettings,
  type GuardSettings,
  type JwtGuardOptions,
} from './require-jwt-options.js';
import { hasRequiredScopes } from './scopes.js';

/** The verified token that `requireJwt` stores on a request (Express `req.auth`, Koa `ctx.state.auth`). */
export interface JwtAuth<P extends JwtPayload = JwtPayload> {
  /** The verified claims. */
  readonly payload: P;
  /** The protected header of the verified token. */
  readonly protectedHeader: JwtHeader;
  /** The token itself, for forwarding to another service; never log it. */
  readonly token: string;
}

/**
 * The reason a token failed on a request that `optional` let through (Express `req.authError`,
 * Koa `ctx.state.authError`).
 */
export interface JwtAuthError {
  /** The stable reason code, such as `ERR_JWT_EXPIRED`. */
  readonly code: BulwarkErrorCode;
  /** The fixed description that a rejection would have sent. */
  readonly description: string;
}

/** The request as the guard reads it: headers, and the request id for logs. */
export interface JwtRequestView extends TokenRequestView {
  readonly requestId: string | undefined;
}

/** The result of a request that may continue: a verified token, or none under `optional`. */
export type JwtGuardOutcome<P extends JwtPayload> =
  | { readonly auth: JwtAuth<P>; readonly authError?: undefined }
  | { readonly auth?: undefined; readonly authError?: JwtAuthError };

/** The framework-neutral part of `requireJwt`. */
export interface JwtGuard<P extends JwtPayload, R> {
  /**
   * Finds and checks the request's token. Returns the outcome when the request may continue, and
   * throws an `HttpError` carrying the RFC 6750 status and challenge when it may not.
   */
  authenticate(view: JwtRequestView, request: R): Promise<JwtGuardOutcome<P>>;
}

const ALLOWED_WITHOUT_TOKEN: JwtGuardOutcome<JwtPayload> = Object.freeze({});

/**
 * Creates the framework-neutral part of `requireJwt`: it checks every option once, builds the JWT
 * verifier, and returns the decision for each request. The Express and Koa adapters only translate
 * requests and outcomes.
 *
 * The steps run in this order, each with its RFC 6750 response:
 * 1. find the token: 400 when it is in two places or malformed, a bare 401 when absent;
 * 2. verify it fully: 401 `invalid_token`;
 * 3. check the denylist and `isRevoked`: 401 when revoked, 503 when the store is down;
 * 4. check the required scopes: 403 `insufficient_scope`.
 *
 * @example
 * ```ts
 * const guard = createJwtGuard({ key: publicKey, issuer: 'https://id.example.com/' });
 * const { auth } = await guard.authenticate({ headers, rawHeaders, requestId: undefined }, request);
 * ```
 */
export function createJwtGuard<P extends JwtPayload, R>(options: JwtGuardOptions<P, R>): JwtGuard<P, R> {
  const settings = resolveGuardSettings(options);
  const verify = createJwtVerifier<P>(pickVerifierOptions(options));
  checkDenylistRetention(settings.denylist, options.clockTolerance);
  const { policy, realm, logger } = settings;

  const reject = (failure: TokenFailure, view: JwtRequestView): never => {
    logger?.warn(
      { event: 'jwt.rejected', reason: failure.code, claim: failure.claim, requestId: view.requestId },
      'bearer token rejected',
    );
    throw invalidTokenError(realm, failure);
  };

  const rejectOrAllow = (failure: TokenFailure, view: JwtRequestView): JwtGuardOutcome<P> => {
    if (policy[failure.kind] === 'reject') {
      return reject(failure, view);
    }

    logger?.warn(
      { event: 'jwt.ignored', reason: failure.code, claim: failure.claim, requestId: view.requestId },
      'bearer token failed; the request continues without auth',
    );
    return { authError: { code: failure.code, description: failure.description } };
  };

  const failOnServer = (failure: ServerFailure, error: unknown, view: JwtRequestView): never => {
    logger?.error(
      { event: 'jwt.check_failed', reason: failure.code, requestId: view.requestId, err: error },
      'bearer token could not be checked',
    );
    throw failure.kind === 'unavailable' ? serviceUnavailableError() : internalError();
  };

  return {
    async authenticate(view, request) {
      let lookup: TokenLookup;
      try {
        // Without getToken the header and cookie are read synchronously, so nothing is awaited here.
        lookup =
          settings.getToken === undefined
            ? readBearerToken(view, settings.cookie)
            : checkCustomToken(await settings.getToken(request));
      } catch (error) {
        // Only the app's getToken can throw here, which is a server fault, not the client's.
        return failOnServer({ kind: 'internal', code: 'ERR_INTERNAL' }, error, view);
      }

      if (lookup.kind === 'malformed') {
        logger?.warn(
          { event: 'jwt.invalid_request', reason: lookup.fault, requestId: view.requestId },
          'bearer token request malformed',
        );
        throw invalidRequestError(realm, lookup.fault);
      }

      if (lookup.kind === 'missing') {
        if (policy.missing === 'allow') {
          return ALLOWED_WITHOUT_TOKEN as JwtGuardOutcome<P>;
        }
        logger?.info(
          { event: 'jwt.missing', reason: 'ERR_TOKEN_MISSING', requestId: view.requestId },
          'bearer token missing',
        );
        throw missingTokenError(realm);
      }

      let verified: Awaited<ReturnType<typeof verify>>;
      try {
        verified = await verify(lookup.token);
      } catch (error) {
        const failure = classifyVerificationError(error);
        return isTokenFailure(failure) ? rejectOrAllow(failure, view) : failOnServer(failure, error, view);
      }

      // Revocation is looked up only for a verified token, so a forged token never reaches the
      // store or the app's callback with a jti of the attacker's choosing.
      if (settings.denylist !== undefined || settings.isRevoked !== undefined) {
        const revocation = await checkRevocation(settings, verified.payload);
        if (revocation.kind === 'failed') {
          return failOnServer(revocation.failure, revocation.error, view);
        }
        if (revocation.kind === 'revoked') {
          return rejectOrAllow(revocation.failure, view);
        }
      }

      if (settings.scopes !== undefined && !hasRequiredScopes(verified.payload, settings.scopes)) {
        const subject = typeof verified.payload.sub === 'string' ? verified.payload.sub : undefined;
        logger?.warn(
          { event: 'jwt.insufficient_scope', reason: 'ERR_INSUFFICIENT_SCOPE', requestId: view.requestId, subject },
          'bearer token lacks a required scope',
        );
        throw insufficientScopeError(realm, settings.scopes.challenge);
      }

      return { auth: { payload: verified.payload, protectedHeader: verified.protectedHeader, token: lookup.token } };
    },
  };
}

type RevocationResult =
  | { readonly kind: 'valid' }
  | { readonly kind: 'revoked'; readonly failure: TokenFailure }
  | { readonly kind: 'failed'; readonly failure: ServerFailure; readonly error: unknown };

const VALID: RevocationResult = { kind: 'valid' };

const REVOKED: RevocationResult = {
  kind: 'revoked',
  failure: { kind: 'invalid', code: 'ERR_JWT_REVOKED', description: 'The token has been revoked.' },
};

const NO_JTI: RevocationResult = {
  kind: 'revoked',
  failure: {
    kind: 'invalid',
    code: 'ERR_JWT_CLAIM_MISSING',
    description: 'A required token claim is missing.',
    claim: 'jti',
  },
};

async function checkRevocation<P extends JwtPayload, R>(
  settings: GuardSettings<P, R>,
  payload: P,
): Promise<RevocationResult> {
  const { denylist, isRevoked } = settings;

  if (denylist !== undefined) {
    // A token without a usable jti could never be revoked, so a denylist makes jti required.
    if (!isValidJti(payload.jti)) {
      return NO_JTI;
    }
    try {
      if (await denylist.isRevoked(payload.jti)) {
        return REVOKED;
      }
    } catch (error) {
      return { kind: 'failed', failure: { kind: 'unavailable', code: 'ERR_SERVICE_UNAVAILABLE' }, error };
    }
  }

  if (isRevoked !== undefined) {
    let answer: unknown;
    try {
      answer = await isRevoked(payload);
    } catch (error) {
      return { kind: 'failed', failure: { kind: 'unavailable', code: 'ERR_SERVICE_UNAVAILABLE' }, error };
    }

    // Only an explicit false lets the token through, so a callback that returns nothing fails closed.
    if (answer === true) {
      return REVOKED;
    }
    if (answer !== false) {
      const error = new TypeError('isRevoked must return true or false.');
      return { kind: 'failed', failure: { kind: 'internal', code: 'ERR_INTERNAL' }, error };
    }
  }
  return VALID;
}

function isTokenFailure(failure: TokenFailure | ServerFailure): failure is TokenFailure {
  return failure.kind === 'invalid' || failure.kind === 'expired';
}
