import { BulwarkError } from '../errors.js';
import { isHmacAlgorithm } from './key-types.js';
import { prepareVerificationKey, type PreparedKey } from './prepared-key.js';
import { createRemoteKeyLookup, REMOTE_JWKS_DEFAULT_ALGORITHMS } from './remote-jwks.js';
import { optionError } from './verifier-options.js';
import type { JwtAlgorithm, JwtHeader, JwtPayload, JwtVerifierOptions, KeyInput } from './types.js';

/** Finds the prepared key for a token's header; synchronous for configured keys, so no await is spent there. */
export type KeyLookup = (header: JwtHeader) => PreparedKey | Promise<PreparedKey>;

/** The maximum number of resolver results kept prepared by their text (PEM or secret). Objects go in a WeakMap. */
const MAX_PREPARED_TEXT_KEYS = 100;

/**
 * Builds the key lookup from whichever key source the options set, preparing every configured
 * key at setup. Keys never come from the token: its `jwk`, `jku`, `x5u` and `x5c` headers are
 * not read (RFC 8725 section 3.10, OWASP ASVS v5 9.1.3).
 */
export function createKeyLookup(options: JwtVerifierOptions<JwtPayload>, algorithms: ReadonlySet<JwtAlgorithm> | undefined): KeyLookup {
  if (options.key !== undefined) {
    const prepared = prepareVerificationKey(options.key, { label: 'key', code: 'ERR_OPTION_INVALID' }, algorithms);
    return () => prepared;
  }

  if (options.keys !== undefined) {
    return createKeyRingLookup(options.keys, algorithms);
  }

  if (options.jwksUri !== undefined) {
    return createRemoteKeyLookup(readJwksUrl(options.jwksUri), options.jwks ?? {}, readRemoteAlgorithms(algorithms));
  }

  if (typeof options.getKey !== 'function') {
    throw optionError('getKey', 'must be a function that returns the key for a token header');
  }
  return createResolverLookup(options.getKey, algorithms);
}

function createKeyRingLookup(keys: Readonly<Record<string, KeyInput>>, algorithms: ReadonlySet<JwtAlgorithm> | undefined): KeyLookup {
  if (typeof keys !== 'object' || keys === null || Object.keys(keys).length === 0) {
    throw optionError('keys', 'must be an object of at least one key by kid, such as { "2024-01": publicKey }');
  }

  const ring = new Map<string, PreparedKey>();
  for (const [kid, input] of Object.entries(keys)) {
    ring.set(kid, prepareVerificationKey(input, { label: `keys[${JSON.stringify(kid)}]`, code: 'ERR_OPTION_INVALID' }, algorithms));
  }

  return (header) => {
    const prepared = typeof header.kid === 'string' ? ring.get(header.kid) : undefined;
    if (prepared === undefined) {
      throw new BulwarkError('ERR_JWT_KEY_NOT_FOUND', 'No configured key matches the token\'s "kid" header.', {
        claim: 'kid',
        reason: typeof header.kid === 'string' ? 'unknown_kid' : 'kid_missing',
      });
    }
    return prepared;
  };
}

function readJwksUrl(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw optionError('jwksUri', "must be an absolute URL such as 'https://issuer.example/.well-known/jwks.json'");
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw optionError('jwksUri', 'must be an https: or http: URL');
  }
  return url;
}

function readRemoteAlgorithms(algorithms: ReadonlySet<JwtAlgorithm> | undefined): ReadonlySet<JwtAlgorithm> {
  if (algorithms === undefined) {
    return REMOTE_JWKS_DEFAULT_ALGORITHMS;
  }
  // A key set is published for anyone to read, so an HMAC key from it would be a public secret.
  if ([...algorithms].some(isHmacAlgorithm)) {
    throw optionError('algorithms', 'contains an HMAC algorithm, which never goes with jwksUri; list asymmetric algorithms such as RS256 or ES256');
  }
  return algorithms;
}

function createResolverLookup(
  getKey: NonNullable<JwtVerifierOptions['getKey']>,
  algorithms: ReadonlySet<JwtAlgorithm> | undefined,
): KeyLookup {
  const preparedByObject = new WeakMap<object, PreparedKey>();
  const preparedByText = new Map<string, PreparedKey>();
  const context = { label: 'key returned by getKey', code: 'ERR_KEY_INVALID' } as const;

  return async (header) => {
    // The header is frozen by the parser, so the resolver cannot change what later checks read.
    const input = await getKey(header);
    if (input === undefined || input === null) {
      throw new BulwarkError('ERR_JWT_KEY_NOT_FOUND', 'getKey returned no key for the token.', { reason: 'no_key' });
    }

    // Every result is checked like a configured key, including the HMAC size rule. Results are
    // prepared once and remembered, because preparing a key costs far more than a verification.
    if (typeof input === 'string') {
      let prepared = preparedByText.get(input);
      if (prepared === undefined) {
        prepared = prepareVerificationKey(input, context, algorithms);
        if (preparedByText.size >= MAX_PREPARED_TEXT_KEYS) preparedByText.clear();
        preparedByText.set(input, prepared);
      }
      return prepared;
    }

    // Byte arrays are prepared on every call, because a caller may reuse and overwrite the buffer.
    // NOTE: other objects are remembered by identity, so a JWK object changed in place after it was
    // returned keeps verifying with its earlier members.
    const cacheable = typeof input === 'object' && !(input instanceof Uint8Array);
    let prepared = cacheable ? preparedByObject.get(input) : undefined;
    if (prepared === undefined) {
      prepared = prepareVerificationKey(input, context, algorithms);
      if (cacheable) preparedByObject.set(input, prepared);
    }
    return prepared;
  };
}
