import { constants, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';

import { BulwarkError } from '../errors.js';
import { invalidArgument, invalidOption, readOptions, toBytes } from './internal/arguments.js';
import { type AsymmetricKeyInput, type PreparedSigningKey, type SignatureAlgorithm, prepareSigningKey } from './signing-key.js';

/** Options of {@link sign} and {@link verify}. */
export interface SignatureOptions {
  /**
   * The algorithm. By default it follows the key: `EdDSA` for Ed25519, `ES256` for P-256, and for
   * RSA the `alg` of a JWK; an RSA key in PEM or KeyObject form has no `alg`, so it needs this option.
   */
  readonly algorithm?: SignatureAlgorithm;
}

const SIGNATURE_ALGORITHMS: readonly string[] = ['EdDSA', 'ES256', 'PS256', 'RS256'];

// RFC 7518 section 3.5: PS256 uses MGF1 with SHA-256 and a salt as long as the hash, 32 bytes.
const PSS_SALT_BYTES = 32;

/**
 * Signs data (a string as UTF-8, or bytes) and returns the detached signature: 64 bytes for EdDSA,
 * the raw `r || s` form for ES256 (64 bytes, the encoding JOSE uses, RFC 7518 section 3.4), and the
 * modulus length for RS256 and PS256.
 *
 * @param privateKey - a private KeyObject, PKCS#8 PEM text or a private JWK
 * @throws BulwarkError `ERR_KEY_INVALID` for a key that is not a supported private key or does not
 *   fit the algorithm, `ERR_OPTION_INVALID` for an RSA key without an algorithm,
 *   `ERR_INVALID_ARGUMENT` for data that is not a string or a Uint8Array.
 *
 * @example
 * ```ts
 * const { publicKey, privateKey } = generateKeypair('EdDSA');
 * const signature = sign('release-1.2.3.tgz sha256=...', privateKey);
 * verify('release-1.2.3.tgz sha256=...', signature, publicKey); // true
 * ```
 */
export function sign(data: string | Uint8Array, privateKey: AsymmetricKeyInput, options?: SignatureOptions): Uint8Array {
  const key = prepareSigningKey(privateKey, 'private');
  const algorithm = resolveAlgorithm(key, options);
  const bytes = toBytes(data, 'data');

  const signature = nodeSign(digestOf(algorithm), bytes, keyParameters(key.keyObject, algorithm));
  return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength);
}

/**
 * Verifies a detached signature made by {@link sign} or any JOSE implementation. Returns false for
 * any signature that does not verify, including ones of the wrong length or encoding; throws only
 * for a bad key or a bad argument, which are the caller's mistakes.
 *
 * @param publicKey - a public KeyObject, SPKI PEM text or a public JWK
 * @throws BulwarkError `ERR_KEY_INVALID`, `ERR_OPTION_INVALID` or `ERR_INVALID_ARGUMENT` as for {@link sign}.
 *
 * @example
 * ```ts
 * if (!verify(payload, signature, publicKey)) {
 *   throw new Error('invalid signature');
 * }
 * ```
 */
export function verify(
  data: string | Uint8Array,
  signature: Uint8Array,
  publicKey: AsymmetricKeyInput,
  options?: SignatureOptions,
): boolean {
  const key = prepareSigningKey(publicKey, 'public');
  const algorithm = resolveAlgorithm(key, options);
  const bytes = toBytes(data, 'data');
  if (!(signature instanceof Uint8Array)) {
    invalidArgument('signature', 'a Uint8Array');
  }

  try {
    return nodeVerify(digestOf(algorithm), bytes, keyParameters(key.keyObject, algorithm), signature);
  } catch {
    // OpenSSL throws for some malformed signatures (an RSA value not below the modulus) instead of
    // returning false; for the caller both mean the same thing.
    return false;
  }
}

function resolveAlgorithm(key: PreparedSigningKey, options: SignatureOptions | undefined): SignatureAlgorithm {
  const { algorithm } = readOptions(options);
  if (algorithm === undefined) {
    const [only] = key.algorithms;
    if (key.algorithms.length === 1 && only !== undefined) {
      return only;
    }
    return key.jwkAlgorithm ?? invalidOption('algorithm', "'RS256' or 'PS256', because an RSA key can sign with both");
  }

  if (!SIGNATURE_ALGORITHMS.includes(algorithm)) {
    invalidOption('algorithm', `one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
  }
  if (!key.algorithms.includes(algorithm) || (key.jwkAlgorithm !== undefined && key.jwkAlgorithm !== algorithm)) {
    throw new BulwarkError('ERR_KEY_INVALID', 'Invalid key: it does not fit the requested signature algorithm.', { algorithm });
  }
  return algorithm;
}

function digestOf(algorithm: SignatureAlgorithm): string | null {
  // Ed25519 hashes internally (RFC 8032), so node:crypto takes no digest name for it.
  return algorithm === 'EdDSA' ? null : 'sha256';
}

function keyParameters(keyObject: KeyObject, algorithm: SignatureAlgorithm) {
  switch (algorithm) {
    case 'ES256':
      return { key: keyObject, dsaEncoding: 'ieee-p1363' as const };
    case 'PS256':
      return { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_BYTES };
    case 'RS256':
      return { key: keyObject, padding: constants.RSA_PKCS1_PADDING };
    default:
      return keyObject;
  }
}
