import { KeyObject, createSecretKey, randomBytes as nodeRandomBytes } from 'node:crypto';

import { BulwarkError } from '../errors.js';
import { decodeBase64url } from './internal/base64url.js';

/**
 * A symmetric key: its raw bytes, the base64url text of those bytes (what {@link generateSecretKey}
 * returns), or a secret `KeyObject` from `node:crypto`.
 */
export type SecretKeyInput = Uint8Array | string | KeyObject;

/** Key material in the form that `node:crypto` ciphers and MACs take. */
export type PreparedSecretKey = Uint8Array | KeyObject;

const MIN_HMAC_KEY_BYTES = 16;

// KeyObjects are immutable, so the size of each one is read from OpenSSL only once.
const keyObjectSizes = new WeakMap<KeyObject, number>();

/**
 * Generates a 32-byte key for {@link encrypt}, {@link seal} and {@link hmac} from the operating
 * system's CSPRNG, as base64url text (43 characters). Store it as a secret, never in source code.
 *
 * @example
 * ```ts
 * const key = generateSecretKey(); // 'q3N0...' (43 characters)
 * const token = encrypt({ userId: 42 }, key);
 * ```
 */
export function generateSecretKey(): string {
  return nodeRandomBytes(32).toString('base64url');
}

/**
 * Checks a secret key and returns it in the form `node:crypto` takes. `byteLengths` lists the key
 * sizes the caller's algorithm accepts; any other size, type or encoding is rejected with
 * `ERR_KEY_INVALID`, and the message never quotes the key.
 */
export function prepareSecretKey(key: unknown, byteLengths: readonly number[] = [32]): PreparedSecretKey {
  const prepared = readSecretKey(key);
  if (prepared === undefined || !byteLengths.includes(preparedKeyLength(prepared))) {
    return rejectKey(`${byteLengths.join(' or ')} bytes`);
  }
  return prepared;
}

/**
 * Checks an HMAC key: at least 16 bytes. RFC 2104 section 3 discourages keys shorter than the hash
 * output; 16 bytes still give 128-bit security, and {@link generateSecretKey} makes 32.
 */
export function prepareHmacKey(key: unknown): PreparedSecretKey {
  const prepared = readSecretKey(key);
  if (prepared === undefined || preparedKeyLength(prepared) < MIN_HMAC_KEY_BYTES) {
    return rejectKey(`at least ${MIN_HMAC_KEY_BYTES} bytes`);
  }
  return prepared;
}

function readSecretKey(key: unknown): PreparedSecretKey | undefined {
  if (key instanceof Uint8Array) {
    return key;
  }
  if (typeof key === 'string') {
    return decodeBase64url(key);
  }
  if (key instanceof KeyObject && key.type === 'secret') {
    return key;
  }
  return undefined;
}

/**
 * Turns a prepared key into a KeyObject that holds its own copy of the bytes, for keys that are kept
 * (a keyring): a later change to the caller's Uint8Array then cannot change the kept key.
 */
export function toSecretKeyObject(key: PreparedSecretKey): KeyObject {
  if (key instanceof KeyObject) {
    return key;
  }

  const keyObject = createSecretKey(Buffer.from(key));
  keyObjectSizes.set(keyObject, key.byteLength);
  return keyObject;
}

/** Returns the byte length of a prepared key. */
export function preparedKeyLength(key: PreparedSecretKey): number {
  return key instanceof Uint8Array ? key.byteLength : secretKeyObjectSize(key);
}

/** Returns the byte length of a secret KeyObject. */
function secretKeyObjectSize(key: KeyObject): number {
  const known = keyObjectSizes.get(key);
  if (known !== undefined) {
    return known;
  }

  const size = key.symmetricKeySize ?? 0;
  keyObjectSizes.set(key, size);
  return size;
}

function rejectKey(expectedSize: string): never {
  throw new BulwarkError(
    'ERR_KEY_INVALID',
    `Invalid key: expected ${expectedSize} as a Uint8Array, as base64url text or as a secret KeyObject. ` +
      'Create one with generateSecretKey().',
  );
}
