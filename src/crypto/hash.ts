import { createHash, createHmac } from 'node:crypto';

import { invalidOption, readOptions, toBytes } from './internal/arguments.js';
import { type SecretKeyInput, prepareHmacKey } from './secret-key.js';

/** The digests {@link hash} computes. */
export type HashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-256' | 'SHA3-512' | 'BLAKE2b-512';

/** The digests {@link hmac} uses: SHA-2 only, the ones HMAC is specified and tested with. */
export type HmacAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** The output encoding of a digest: lower-case hex, base64url without padding, or the raw bytes. */
export type DigestEncoding = 'hex' | 'base64url' | 'bytes';

/** Options of {@link hash}. */
export interface DigestOptions<E extends DigestEncoding = DigestEncoding> {
  /** The digest algorithm. Default `'SHA-256'`. */
  readonly algorithm?: HashAlgorithm;
  /** The output encoding. Default `'hex'`. */
  readonly encoding?: E;
}

/** Options of {@link hmac}. */
export interface HmacOptions<E extends DigestEncoding = DigestEncoding> {
  /** The hash function under HMAC. Default `'SHA-256'`. */
  readonly algorithm?: HmacAlgorithm;
  /** The output encoding. Default `'hex'`. */
  readonly encoding?: E;
}

/** A digest as the chosen encoding returns it. */
export type Digest<E extends DigestEncoding> = E extends 'bytes' ? Uint8Array : string;

const NODE_HASH_NAMES: Readonly<Record<HashAlgorithm, string>> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA3-256': 'sha3-256',
  'SHA3-512': 'sha3-512',
  'BLAKE2b-512': 'blake2b512',
};
const HMAC_ALGORITHMS: readonly string[] = ['SHA-256', 'SHA-384', 'SHA-512'];
const ENCODINGS: readonly string[] = ['hex', 'base64url', 'bytes'];

/**
 * Computes a digest of a string (as UTF-8) or bytes. A plain digest is not a password hash and
 * not a MAC: use `hashPassword` for passwords and {@link hmac} when the digest must prove who made it.
 *
 * @throws BulwarkError `ERR_INVALID_ARGUMENT` for data that is not a string or a Uint8Array,
 *   `ERR_OPTION_INVALID` for an unknown algorithm or encoding.
 *
 * @example
 * ```ts
 * hash('hello'); // '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'
 * hash(fileBytes, { algorithm: 'SHA3-256', encoding: 'base64url' });
 * ```
 */
export function hash<E extends DigestEncoding = 'hex'>(data: string | Uint8Array, options?: DigestOptions<E>): Digest<E> {
  const bytes = toBytes(data, 'data');
  const { algorithm = 'SHA-256', encoding = 'hex' } = readOptions(options);
  if (!Object.hasOwn(NODE_HASH_NAMES, algorithm)) {
    invalidOption('algorithm', `one of ${Object.keys(NODE_HASH_NAMES).join(', ')}`);
  }
  checkEncoding(encoding);

  const digest = createHash(NODE_HASH_NAMES[algorithm]).update(bytes).digest();
  return encodeDigest(digest, encoding) as Digest<E>;
}

/**
 * Computes an HMAC (RFC 2104) of a string (as UTF-8) or bytes. Compare a received tag with
 * {@link timingSafeEqual}, never with `===`, which stops at the first differing character and so
 * reveals to an attacker how much of a forged tag is right.
 *
 * @param key - at least 16 bytes, given as bytes, base64url text or a secret KeyObject
 * @throws BulwarkError `ERR_KEY_INVALID` for an empty, short or malformed key,
 *   `ERR_INVALID_ARGUMENT` for bad data, `ERR_OPTION_INVALID` for a bad option.
 *
 * @example
 * ```ts
 * const tag = hmac(body, webhookKey, { encoding: 'bytes' });
 * if (!timingSafeEqual(tag, receivedTag)) throw new Error('bad signature');
 * ```
 */
export function hmac<E extends DigestEncoding = 'hex'>(
  data: string | Uint8Array,
  key: SecretKeyInput,
  options?: HmacOptions<E>,
): Digest<E> {
  const secretKey = prepareHmacKey(key);
  const bytes = toBytes(data, 'data');
  const { algorithm = 'SHA-256', encoding = 'hex' } = readOptions(options);
  if (!HMAC_ALGORITHMS.includes(algorithm)) {
    invalidOption('algorithm', `one of ${HMAC_ALGORITHMS.join(', ')}`);
  }
  checkEncoding(encoding);

  const digest = createHmac(NODE_HASH_NAMES[algorithm], secretKey).update(bytes).digest();
  return encodeDigest(digest, encoding) as Digest<E>;
}

function checkEncoding(encoding: unknown): asserts encoding is DigestEncoding {
  if (typeof encoding !== 'string' || !ENCODINGS.includes(encoding)) {
    invalidOption('encoding', `one of ${ENCODINGS.join(', ')}`);
  }
}

function encodeDigest(digest: Buffer, encoding: DigestEncoding): string | Uint8Array {
  if (encoding === 'bytes') {
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  }
  return digest.toString(encoding);
}
