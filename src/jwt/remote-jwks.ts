import { KeyObject } from 'node:crypto';

import { createRemoteJWKSet, errors as joseErrors } from 'jose';

import { BulwarkError } from '../errors.js';
import { prepareVerificationKey, type PreparedKey } from './prepared-key.js';
import type { JwtAlgorithm, JwtHeader, JwtVerifierOptions } from './types.js';

/** The algorithms a remote key set may serve when none are configured: every asymmetric one. */
export const REMOTE_JWKS_DEFAULT_ALGORITHMS: ReadonlySet<JwtAlgorithm> = new Set([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA',
]);

/**
 * Creates the key lookup for a remote JWKS, once, at setup. jose's `createRemoteJWKSet` fetches
 * the set, caches it for `cacheMaxAgeMs`, and refetches for an unknown `kid` at most once per
 * `cooldownMs`, so a flood of made-up `kid`s cannot turn into a flood of requests to the key server.
 * Only `alg` and `kid` from the token's header reach the lookup.
 */
export function createRemoteKeyLookup(
  url: URL,
  settings: NonNullable<JwtVerifierOptions['jwks']>,
  algorithms: ReadonlySet<JwtAlgorithm>,
): (header: JwtHeader) => Promise<PreparedKey> {
  const keySet = createRemoteJWKSet(url, {
    ...(settings.timeoutMs === undefined ? {} : { timeoutDuration: settings.timeoutMs }),
    ...(settings.cooldownMs === undefined ? {} : { cooldownDuration: settings.cooldownMs }),
    ...(settings.cacheMaxAgeMs === undefined ? {} : { cacheMaxAge: settings.cacheMaxAgeMs }),
  });

  // jose keeps one imported CryptoKey per JWK and algorithm, so this map stays as small as the set.
  const preparedByCryptoKey = new WeakMap<CryptoKey, PreparedKey>();

  return async (header) => {
    const lookupHeader = typeof header.kid === 'string' ? { alg: header.alg, kid: header.kid } : { alg: header.alg };

    let cryptoKey: CryptoKey;
    try {
      cryptoKey = await keySet(lookupHeader);
    } catch (error) {
      throw translateJwksError(error);
    }

    let prepared = preparedByCryptoKey.get(cryptoKey);
    if (prepared === undefined) {
      prepared = prepareVerificationKey(KeyObject.from(cryptoKey), { label: 'key from the JWKS', code: 'ERR_JWT_KEY_NOT_FOUND' }, algorithms);
      preparedByCryptoKey.set(cryptoKey, prepared);
    }
    return prepared;
  };
}

function translateJwksError(error: unknown): BulwarkError {
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new BulwarkError('ERR_JWT_KEY_NOT_FOUND', 'No key in the JWKS matches the token.', { reason: 'no_matching_key' });
  }
  if (error instanceof joseErrors.JOSENotSupported || error instanceof joseErrors.JOSEAlgNotAllowed) {
    return new BulwarkError('ERR_JWT_ALGORITHM_NOT_ALLOWED', 'The token\'s algorithm is not allowed.', { claim: 'alg', reason: 'not_allowed' });
  }

  // A timeout, a refused connection, a status other than 200 or a body that is no key set means
  // the key server is at fault, not the client, so the caller can respond 503 rather than 401.
  const reason = error instanceof joseErrors.JWKSTimeout ? 'timeout' : 'fetch_failed';
  return new BulwarkError('ERR_JWKS_UNAVAILABLE', 'The JSON Web Key Set could not be fetched.', { reason });
}
