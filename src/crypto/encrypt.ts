import { encodePayload } from './content-type.js';
import { gcmEncrypt } from './internal/aes-gcm.js';
import { invalidOption, readOptions } from './internal/arguments.js';
import { nextIv } from './internal/iv-pool.js';
import { encodeHeader } from './jwe-header.js';
import { type Keyring, getKeyringEntries, isValidKid, requireKeyringKey } from './keyring.js';
import { type PreparedSecretKey, type SecretKeyInput, prepareSecretKey } from './secret-key.js';
import type { JsonValue } from './types.js';

/** Options of {@link encrypt}. */
export interface EncryptOptions {
  /**
   * The key id written to the `kid` header. With a keyring it selects which of the ring's keys
   * encrypts; by default the ring's current key does, and a plain key writes no `kid`.
   */
  readonly kid?: string;
  /**
   * The media type of the value, recorded in `cty` (with `application/` dropped when no other `/`
   * remains, as RFC 7515 section 4.1.10 recommends). The value must then be a string or a
   * Uint8Array, and {@link decrypt} returns it by this type. By default `cty` follows the value:
   * `text/plain` for a string, `octet-stream` for bytes, `json` for any other JSON value.
   */
  readonly contentType?: string;
}

/**
 * Encrypts a string, bytes or a JSON value into a JWE in compact serialization (RFC 7516) with
 * `alg: "dir"` and `enc: "A256GCM"`, readable by any JOSE library that has the key.
 *
 * Every call draws a fresh random 96-bit IV; no option sets it, because one repeated IV under a key
 * breaks both the secrecy and the integrity of AES-GCM. {@link decrypt} returns a value that
 * deep-equals the input: the `cty` header records whether it was text, bytes or JSON.
 *
 * @param value - a string (UTF-8), a Uint8Array, or any JSON value
 * @param key - a 32-byte key (see {@link SecretKeyInput}) or a {@link Keyring}
 * @throws BulwarkError `ERR_KEY_INVALID` for a key that is not 32 bytes, `ERR_KEY_NOT_FOUND` for a
 *   `kid` the keyring lacks, `ERR_INVALID_ARGUMENT` for a value that cannot be encoded,
 *   `ERR_OPTION_INVALID` for a bad option.
 *
 * @example
 * ```ts
 * const key = generateSecretKey();
 * const token = encrypt({ userId: 42, roles: ['admin'] }, key);
 * decrypt(token, key); // { userId: 42, roles: ['admin'] }
 * ```
 */
export function encrypt(value: string | Uint8Array | JsonValue, key: SecretKeyInput | Keyring, options?: EncryptOptions): string {
  const { kid: kidOption, contentType } = readOptions(options);
  if (kidOption !== undefined && !isValidKid(kidOption)) {
    invalidOption('kid', 'a key id of 1 to 128 printable ASCII characters without spaces');
  }

  const { secretKey, kid } = selectKey(key, kidOption);
  const { cty, bytes } = encodePayload(value, contentType);
  const header = encodeHeader(kid, cty);

  // RFC 7516 section 5.1 step 14: the AAD is the ASCII text of the encoded protected header.
  const iv = nextIv();
  const { ciphertext, tag } = gcmEncrypt(secretKey, iv, bytes, Buffer.from(header, 'latin1'));

  // NOTE: at 1 MiB, Node 20's base64url encoder takes about as long as AES-GCM itself. This caps
  // encrypt's throughput well below seal's, and Node 20 offers no faster base64url encoder.
  const encodedCiphertext = ciphertext.toString('base64url');

  // RFC 7518 section 4.5: with `dir` the JWE Encrypted Key is empty, hence the two dots.
  return `${header}..${iv.toString('base64url')}.${encodedCiphertext}.${tag.toString('base64url')}`;
}

function selectKey(key: unknown, kidOption: string | undefined): { secretKey: PreparedSecretKey; kid: string | undefined } {
  const keyring = getKeyringEntries(key);
  if (keyring === undefined) {
    return { secretKey: prepareSecretKey(key), kid: kidOption };
  }

  const kid = kidOption ?? keyring.current;
  return { secretKey: requireKeyringKey(keyring, kid), kid };
}
