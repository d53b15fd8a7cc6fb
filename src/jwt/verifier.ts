import { BulwarkError } from '../errors.js';
import { validateClaims } from './claims.js';
import { assertTokenSize, decodeCompactJws, parseJsonObjectSegment, type DecodedJws } from './compact.js';
import { createKeyLookup, type KeyLookup } from './key-source.js';
import type { PreparedKey } from './prepared-key.js';
import { VerifiedTokenCache } from './token-cache.js';
import { resolveVerifierSettings, type VerifierSettings } from './verifier-options.js';
import { REMOTE_JWKS_DEFAULT_ALGORITHMS } from './remote-jwks.js';
import type { JwtAlgorithm, JwtPayload, JwtVerifierOptions, VerifiedJwt } from './types.js';

/**
 * Creates a function that verifies JWTs (RFC 7519) signed as compact JWS, following RFC 8725.
 *
 * Every option is checked here, once, and the keys are prepared, so a wrong option throws
 * `BulwarkError('ERR_OPTION_INVALID')` naming the option and the fix. The returned function checks,
 * in this order: size and encoding, header, algorithm against the configured list and the key's
 * type, signature, then claims (`typ`, claim types, required claims, `iss`, `aud`, `exp`, `nbf`,
 * `iat`, `maxTokenAge`), then `checkClaims`. It rejects with a `BulwarkError` whose `code` names
 * the reason and whose `details` hold `claim` and `reason`. Messages never contain the token or a
 * claim value. A key server that cannot be reached raises `ERR_JWKS_UNAVAILABLE`, and an error
 * thrown by `getKey` or `checkClaims` that is not a `BulwarkError` is passed on unchanged.
 *
 * @example
 * ```ts
 * const verify = createJwtVerifier({
 *   jwksUri: 'https://issuer.example/.well-known/jwks.json',
 *   issuer: 'https://issuer.example/',
 *   audience: 'https://api.example/',
 *   algorithms: ['RS256'],
 * });
 * const { payload } = await verify(token);
 * ```
 */
export function createJwtVerifier<P extends JwtPayload = JwtPayload>(
  options: JwtVerifierOptions<P>,
): (token: string) => Promise<VerifiedJwt<P>> {
  const settings = resolveVerifierSettings(options);
  const algorithms = settings.algorithms ?? (options.jwksUri === undefined ? undefined : REMOTE_JWKS_DEFAULT_ALGORITHMS);
  const lookupKey = createKeyLookup(options as unknown as JwtVerifierOptions, settings.algorithms);
  const cache = settings.cacheMaxEntries === undefined ? undefined : new VerifiedTokenCache<P>(settings.cacheMaxEntries);

  if (cache === undefined) {
    return (token) => verifyToken(token, settings, algorithms, lookupKey);
  }

  return async (token) => {
    assertTokenSize(token, settings.maxTokenBytes);

    const cacheKey = VerifiedTokenCache.keyOf(token);
    const cached = cache.get(cacheKey, settings.now());
    if (cached !== undefined) {
      return cached;
    }

    const result = deepFreeze(await verifyToken(token, settings, algorithms, lookupKey));
    cache.set(cacheKey, result, cacheDeadlineMs(result.payload, settings.claimRules.maxTokenAgeSeconds));
    return result;
  };
}

/**
 * Verifies one token. It is written without `async`, so a configured key and no `checkClaims`
 * cost no extra turn of the event loop. Every failure still arrives as a rejected promise.
 */
function verifyToken<P extends JwtPayload>(
  token: string,
  settings: VerifierSettings<P>,
  algorithms: ReadonlySet<JwtAlgorithm> | undefined,
  lookupKey: KeyLookup,
): Promise<VerifiedJwt<P>> {
  try {
    const decoded = decodeCompactJws(token, settings.maxTokenBytes);

    // Checked before the key lookup, so that a token with a foreign algorithm never costs a JWKS fetch.
    if (algorithms !== undefined && !algorithms.has(decoded.header.alg as JwtAlgorithm)) {
      throw algorithmNotAllowed();
    }

    const key = lookupKey(decoded.header);
    if (key instanceof Promise) {
      return key.then((resolved) => finishVerification(decoded, resolved, settings));
    }
    return Promise.resolve(finishVerification(decoded, key, settings));
  } catch (error) {
    return Promise.reject(error);
  }
}

function finishVerification<P extends JwtPayload>(
  decoded: DecodedJws,
  key: PreparedKey,
  settings: VerifierSettings<P>,
): VerifiedJwt<P> | Promise<VerifiedJwt<P>> {
  const { header } = decoded;
  verifySignature(decoded, key.verifiers.get(header.alg));

  const payload = parseJsonObjectSegment(decoded.payloadSegment) as P | undefined;
  if (payload === undefined) {
    throw new BulwarkError('ERR_JWT_MALFORMED', 'The token payload is not a JSON object.', { reason: 'payload_not_object' });
  }

  validateClaims(payload, header, settings.claimRules, Math.floor(settings.now() / 1000));

  const result = { payload, protectedHeader: header };
  if (settings.checkClaims === undefined) {
    return result;
  }
  return runCheckClaims(settings.checkClaims, result);
}

async function runCheckClaims<P extends JwtPayload>(
  checkClaims: (payload: P) => boolean | Promise<boolean>,
  result: VerifiedJwt<P>,
): Promise<VerifiedJwt<P>> {
  if ((await checkClaims(result.payload)) !== true) {
    throw new BulwarkError('ERR_JWT_CLAIM_INVALID', 'The token was rejected by the checkClaims option.', { reason: 'check_failed' });
  }
  return result;
}

/**
 * Checks the signature with the verifier that the key prepared for the header's algorithm. A key
 * without one for that algorithm is a key whose type does not allow it: RSA for `HS256` is the
 * algorithm confusion attack (RFC 8725 section 2.1).
 */
export function verifySignature(decoded: DecodedJws, verifier: ((input: Buffer, signature: Buffer) => boolean) | undefined): void {
  if (verifier === undefined) {
    throw algorithmNotAllowed();
  }
  if (!verifier(decoded.signingInput, decoded.signature)) {
    throw new BulwarkError('ERR_JWT_SIGNATURE_INVALID', 'The token signature is invalid.', { reason: 'signature_invalid' });
  }
}

function algorithmNotAllowed(): BulwarkError {
  return new BulwarkError('ERR_JWT_ALGORITHM_NOT_ALLOWED', 'The token\'s algorithm is not allowed for this key.', {
    claim: 'alg',
    reason: 'not_allowed',
  });
}

/** Computes when a cache entry expires: at `exp`, or when the token passes its maximum age if that comes first. */
function cacheDeadlineMs(payload: JwtPayload, maxAge: number | undefined): number {
  // NOTE: with requireExpiration false, a token without exp or a bounding maxTokenAge stays cached
  // until it is evicted, because nothing else limits its life.
  let deadlineSeconds = typeof payload.exp === 'number' ? payload.exp : Infinity;
  if (maxAge !== undefined && typeof payload.iat === 'number') {
    deadlineSeconds = Math.min(deadlineSeconds, payload.iat + maxAge);
  }
  return deadlineSeconds * 1000;
}

/** Freezes a cached result, because every caller that hits the cache receives the same object. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) {
      deepFreeze(member);
    }
  }
  return value;
}
