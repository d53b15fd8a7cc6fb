import { BulwarkError } from '../errors.js';
import { IV_BYTES, TAG_BYTES, gcmDecrypt, gcmEncrypt } from './internal/aes-gcm.js';
import { invalidArgument, readOptions, toBytes } from './internal/arguments.js';
import { nextIv } from './internal/iv-pool.js';
import { type SecretKeyInput, prepareSecretKey } from './secret-key.js';

/** Options of {@link seal}. */
export interface SealOptions {
  /** Additional authenticated data: bound to the ciphertext by the tag but not encrypted. Default: none. */
  readonly aad?: string | Uint8Array;
}

/** The output of {@link seal} and the input of {@link open}. */
export interface SealedBox {
  /** The 96-bit IV, random for every {@link seal}. */
  readonly iv: Uint8Array;
  /** The ciphertext, as long as the plaintext. */
  readonly ciphertext: Uint8Array;
  /** The 128-bit authentication tag. */
  readonly tag: Uint8Array;
}

/** The input of {@link open}: a {@link SealedBox} and the AAD it was sealed with. */
export interface OpenInput extends SealedBox {
  /** The additional authenticated data given to {@link seal}. Default: none. */
  readonly aad?: string | Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * Encrypts bytes with AES-256-GCM under a 32-byte key and a fresh random 96-bit IV: the raw AEAD
 * step under {@link encrypt}, for formats other than JWE. Strings are encrypted as UTF-8.
 *
 * @throws BulwarkError `ERR_KEY_INVALID` for a key that is not 32 bytes, `ERR_INVALID_ARGUMENT`
 *   for a plaintext or AAD that is not a string or a Uint8Array.
 *
 * @example
 * ```ts
 * const box = seal(key, 'attack at dawn', { aad: 'order-17' });
 * open(key, { ...box, aad: 'order-17' }); // Uint8Array of 'attack at dawn'
 * ```
 */
export function seal(key: SecretKeyInput, plaintext: string | Uint8Array, options?: SealOptions): SealedBox {
  const secretKey = prepareSecretKey(key);
  const bytes = toBytes(plaintext, 'plaintext');
  const { aad } = readOptions(options);
  const aadBytes = aad === undefined ? EMPTY : toBytes(aad, 'options.aad');

  // A copy, because the pooled IV's underlying ArrayBuffer also contains the IVs of later calls.
  const iv = new Uint8Array(nextIv());
  const { ciphertext, tag } = gcmEncrypt(secretKey, iv, bytes, aadBytes);
  return { iv, ciphertext, tag };
}

/**
 * Decrypts what {@link seal} made and checks its tag. Any IV other than 96 bits and any tag other
 * than 128 bits are rejected by policy. A shorter tag makes forgery cheaper. An IV of any other size
 * is first hashed with GHASH, so two different IVs can collide into the same counter block.
 *
 * @throws BulwarkError `ERR_DECRYPTION_FAILED` for a wrong key, wrong AAD, altered byte or bad
 *   IV or tag size, always with one message and no cause.
 * @throws BulwarkError `ERR_KEY_INVALID` for a key that is not 32 bytes.
 *
 * @example
 * ```ts
 * const plaintext = open(key, { iv, ciphertext, tag, aad: 'order-17' });
 * ```
 */
export function open(key: SecretKeyInput, input: OpenInput): Uint8Array {
  const secretKey = prepareSecretKey(key);
  if (typeof input !== 'object' || input === null) {
    invalidArgument('input', 'an object { iv, ciphertext, tag, aad }');
  }

  const { iv, ciphertext, tag, aad } = input;
  if (!(iv instanceof Uint8Array) || !(ciphertext instanceof Uint8Array) || !(tag instanceof Uint8Array)) {
    invalidArgument('input', 'iv, ciphertext and tag as Uint8Arrays');
  }
  const aadBytes = aad === undefined ? EMPTY : toBytes(aad, 'input.aad');

  if (iv.byteLength !== IV_BYTES || tag.byteLength !== TAG_BYTES) {
    return fail();
  }

  const plaintext = gcmDecrypt(secretKey, iv, ciphertext, tag, aadBytes);
  if (plaintext === undefined) {
    return fail();
  }
  return new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
}

function fail(): never {
  throw new BulwarkError('ERR_DECRYPTION_FAILED', 'Decryption failed: the data was altered or the key is wrong.');
}
