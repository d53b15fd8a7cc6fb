import { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';

import { BulwarkError } from '../errors.js';
import { BoundedCache } from './internal/bounded-cache.js';
import { isPlainObject } from './internal/arguments.js';

/** The signature algorithms of {@link sign} and {@link verify}, by their JOSE names (RFC 7518, RFC 8037). */
export type SignatureAlgorithm = 'EdDSA' | 'ES256' | 'PS256' | 'RS256';

/** An asymmetric key: a KeyObject, PEM text (SPKI or PKCS#8) or a JWK object. */
export type AsymmetricKeyInput = KeyObject | string | Readonly<Record<string, unknown>>;

/** A checked signing or verification key with the algorithms it may use. */
export interface PreparedSigningKey {
  readonly keyObject: KeyObject;
  /** The algorithms this key can be used with: one, or RS256 and PS256 for an RSA key. */
  readonly algorithms: readonly SignatureAlgorithm[];
  /** The `alg` a JWK named, if any: it decides between RS256 and PS256 without an option. */
  readonly jwkAlgorithm: SignatureAlgorithm | undefined;
}

/** The smallest RSA modulus accepted: RFC 7518 section 3.3 requires 2048 bits for RS256 and PS256. */
export const MIN_RSA_MODULUS_BITS = 2048;

const SIGNATURE_ALGORITHMS: readonly string[] = ['EdDSA', 'ES256', 'PS256', 'RS256'];
const pemCache = new BoundedCache<string, PreparedSigningKey>(32);
const keyObjectCache = new WeakMap<KeyObject, PreparedSigningKey>();

/**
 * Checks an asymmetric key for {@link sign} (`'private'`) or {@link verify} (`'public'`) and reads
 * which algorithms it supports. PEM text and KeyObjects are checked once and remembered.
 */
export function prepareSigningKey(key: unknown, type: 'private' | 'public'): PreparedSigningKey {
  const cached = readCache(key, type);
  if (cached !== undefined) {
    return cached;
  }

  const keyObject = importKey(key, type);
  const algorithms = algorithmsOf(keyObject);
  const jwkAlgorithm = isPlainObject(key) ? readJwkAlgorithm(key.alg, algorithms) : undefined;
  const prepared: PreparedSigningKey = { keyObject, algorithms, jwkAlgorithm };

  writeCache(key, type, prepared);
  return prepared;
}

// A KeyObject's cache entry is only used for the type it was checked as, so a private key that
// signed once is still rejected by verify.
function readCache(key: unknown, type: 'private' | 'public'): PreparedSigningKey | undefined {
  if (key instanceof KeyObject) {
    return key.type === type ? keyObjectCache.get(key) : undefined;
  }
  return typeof key === 'string' ? pemCache.get(`${type}\n${key}`) : undefined;
}

function writeCache(key: unknown, type: 'private' | 'public', prepared: PreparedSigningKey): void {
  if (key instanceof KeyObject) {
    keyObjectCache.set(key, prepared);
  } else if (typeof key === 'string') {
    pemCache.set(`${type}\n${key}`, prepared);
  }
}

/** Reads a JWK's `alg`: absent or unknown gives undefined, one that does not fit the key is rejected. */
function readJwkAlgorithm(alg: unknown, algorithms: readonly SignatureAlgorithm[]): SignatureAlgorithm | undefined {
  if (typeof alg !== 'string' || !SIGNATURE_ALGORITHMS.includes(alg)) {
    return undefined;
  }
  if (!algorithms.includes(alg as SignatureAlgorithm)) {
    return rejectKey(`a JWK whose alg fits its key type (this one names ${alg})`);
  }
  return alg as SignatureAlgorithm;
}

function importKey(key: unknown, type: 'private' | 'public'): KeyObject {
  if (key instanceof KeyObject) {
    if (key.type !== type) {
      rejectKey(`a ${type} key`);
    }
    return key;
  }

  try {
    if (typeof key === 'string') {
      return type === 'private' ? createPrivateKey(key) : createPublicKey(key);
    }
    if (isPlainObject(key)) {
      const jwk = { key: key as import('node:crypto').JsonWebKey, format: 'jwk' as const };
      return type === 'private' ? createPrivateKey(jwk) : createPublicKey(jwk);
    }
  } catch {
    // OpenSSL's message may quote parts of the key, so only the expectation is reported.
  }
  return rejectKey(`a ${type} key as a KeyObject, PEM text or a JWK`);
}

function algorithmsOf(keyObject: KeyObject): readonly SignatureAlgorithm[] {
  const details = keyObject.asymmetricKeyDetails ?? {};
  switch (keyObject.asymmetricKeyType) {
    case 'ed25519':
      return ['EdDSA'];
    case 'ec':
      return details.namedCurve === 'prime256v1' ? ['ES256'] : rejectKey('an EC key on P-256 (ES256)');
    case 'rsa':
      return (details.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS
        ? ['RS256', 'PS256']
        : rejectKey(`an RSA key of at least ${MIN_RSA_MODULUS_BITS} bits`);
    default:
      return rejectKey('an Ed25519, P-256 or RSA key; X25519 keys agree on secrets and cannot sign');
  }
}

function rejectKey(expectation: string): never {
  throw new BulwarkError('ERR_KEY_INVALID', `Invalid key: expected ${expectation}. Create one with generateKeypair().`);
}
