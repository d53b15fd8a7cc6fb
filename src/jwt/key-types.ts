import type { KeyObject } from 'node:crypto';

import type { JwtAlgorithm } from './types.js';

/**
 * The shortest HMAC secret accepted for any algorithm, in bytes (RFC 7518 section 3.2 for HS256).
 *
 * @example
 * ```ts
 * const secret = crypto.randomBytes(MIN_HMAC_KEY_BYTES);
 * ```
 */
export const MIN_HMAC_KEY_BYTES = 32;

/**
 * The smallest RSA modulus accepted, in bits (RFC 7518 sections 3.3 and 3.5).
 *
 * @example
 * ```ts
 * crypto.generateKeyPairSync('rsa', { modulusLength: MIN_RSA_MODULUS_BITS });
 * ```
 */
export const MIN_RSA_MODULUS_BITS = 2048;

const HMAC_ALGORITHMS: readonly JwtAlgorithm[] = ['HS256', 'HS384', 'HS512'];
const RSA_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const RSA_PSS_ALGORITHMS: readonly JwtAlgorithm[] = ['PS256', 'PS384', 'PS512'];

/** The ECDSA algorithm that each named curve is used with (RFC 7518 section 3.4). */
const ALGORITHM_BY_CURVE: Readonly<Record<string, JwtAlgorithm>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/** The minimum HMAC key size of each HMAC algorithm: the hash size (RFC 7518 section 3.2). */
const MIN_BYTES_BY_HMAC_ALGORITHM: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

/** Tells whether `algorithm` is an HMAC algorithm. */
export function isHmacAlgorithm(algorithm: string): boolean {
  return algorithm === 'HS256' || algorithm === 'HS384' || algorithm === 'HS512';
}

/**
 * Lists the algorithms that a verification or signing key may be used with. The list follows from
 * the key's type alone, never from a token, so a header cannot move a public key into HMAC or a
 * secret into RSA (RFC 8725 section 3.1). Returns an empty list for a key that fits no algorithm:
 * an HMAC secret under 32 bytes, an RSA modulus under 2048 bits, an unsupported curve.
 */
export function algorithmsForKey(key: KeyObject): JwtAlgorithm[] {
  if (key.type === 'secret') {
    const size = key.symmetricKeySize ?? 0;
    return HMAC_ALGORITHMS.filter((algorithm) => size >= (MIN_BYTES_BY_HMAC_ALGORITHM[algorithm] ?? Infinity));
  }

  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return (details.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS ? [...RSA_ALGORITHMS] : [];
    case 'rsa-pss':
      return (details.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS ? [...RSA_PSS_ALGORITHMS] : [];
    case 'ec': {
      const algorithm = ALGORITHM_BY_CURVE[details.namedCurve ?? ''];
      return algorithm === undefined ? [] : [algorithm];
    }
    case 'ed25519':
      return ['EdDSA'];
    default:
      return [];
  }
}

/** Describes a key for error messages, without any key material: `'HMAC secret of 16 bytes'`. */
export function describeKey(key: KeyObject): string {
  if (key.type === 'secret') {
    return `HMAC secret of ${key.symmetricKeySize ?? 0} bytes`;
  }

  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `${key.asymmetricKeyType.toUpperCase()} key of ${details.modulusLength ?? 0} bits`;
    case 'ec':
      return `EC key on curve ${details.namedCurve ?? 'unknown'}`;
    default:
      return `${key.asymmetricKeyType ?? 'unknown'} key`;
  }
}

/** Explains why a key fits no algorithm, with the fix. */
export function explainUnusableKey(key: KeyObject): string {
  if (key.type === 'secret') {
    return `an HMAC secret must be at least ${MIN_HMAC_KEY_BYTES} bytes (RFC 7518 section 3.2); generate one with crypto.randomBytes(32)`;
  }
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    return `an RSA key must have a modulus of at least ${MIN_RSA_MODULUS_BITS} bits (RFC 7518 section 3.3)`;
  }
  return 'use an Ed25519 key, an EC key on P-256, P-384 or P-521, an RSA key, or an HMAC secret';
}
