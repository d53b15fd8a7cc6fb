import { BulwarkError } from '../errors.js';
import { decodePayload } from './content-type.js';
import { IV_BYTES, TAG_BYTES, gcmDecrypt } from './internal/aes-gcm.js';
import { invalidOption, readOptions } from './internal/arguments.js';
import { decodeBase64url } from './internal/base64url.js';
import { type ContentEncryption, KEY_BYTES_BY_ENCRYPTION, parseHeader } from './jwe-header.js';
import { type Keyring, type KeyringEntries, getKeyringEntries } from './keyring.js';
import { type PreparedSecretKey, type SecretKeyInput, prepareSecretKey, preparedKeyLength } from './secret-key.js';

/** Options of {@link decrypt}. */
export interface DecryptOptions {
  /**
   * The content encryptions a token may use. Default `['A256GCM']`, the only one {@link encrypt}
   * writes. Add `A192GCM` or `A128GCM` only to read tokens from other JOSE producers; the key must
   * then have the matching size (24 or 16 bytes).
   */
  readonly encryptions?: readonly ContentEncryption[];
}

const DEFAULT_ENCRYPTIONS: readonly ContentEncryption[] = ['A256GCM'];
const DEFAULT_KEY_LENGTHS: readonly number[] = [32];
const DECRYPTION_FAILED_MESSAGE = 'Decryption failed: the token is malformed, was altered, or was encrypted with another key.';

/**
 * Decrypts a JWE in compact serialization (RFC 7516) made by {@link encrypt} or by another JOSE
 * library with `alg: "dir"` and AES-GCM, and returns the value by its `cty` header: `json`,
 * `application/json` or any `+json` type gives the parsed JSON value, `text/*` gives a string,
 * anything else or no `cty` gives a Uint8Array.
 *
 * Every failure that depends on the token throws the same `ERR_DECRYPTION_FAILED` error, with the
 * same message and no `cause`, so that an attacker who sends altered tokens learns nothing about
 * which check failed. The failures include a changed byte anywhere, a wrong key, an unknown `kid`,
 * bad base64url, a wrong number of segments, an `alg` or `enc` not allowed, any `zip`, an IV that
 * is not 12 bytes, a tag that is not 16 bytes, a header that is not a JSON object, and a token that
 * is not a string.
 *
 * @param token - the compact JWE
 * @param key - the key it was encrypted with (see {@link SecretKeyInput}) or a {@link Keyring}
 * @throws BulwarkError `ERR_DECRYPTION_FAILED` for any bad token; `ERR_KEY_INVALID` and
 *   `ERR_OPTION_INVALID` for a bad key or option, which are the caller's mistakes, not the token's.
 *
 * @example
 * ```ts
 * const value = decrypt(request.cookies.session, keyring);
 * // RFC 7520 section 5.6 uses a 16-byte key with A128GCM:
 * decrypt(cookbookToken, cookbookKey, { encryptions: ['A128GCM'] });
 * ```
 */
export function decrypt(token: string, key: SecretKeyInput | Keyring, options?: DecryptOptions): unknown {
  const encryptions = readEncryptions(options);
  const keyring = getKeyringEntries(key);
  const keyLengths = encryptions === DEFAULT_ENCRYPTIONS ? DEFAULT_KEY_LENGTHS : encryptions.map(keyBytesOf);
  const plainKey = keyring === undefined ? prepareSecretKey(key, keyLengths) : undefined;

  if (typeof token !== 'string') {
    return fail();
  }

  // Compact serialization: header . encrypted key . IV . ciphertext . tag (RFC 7516 section 7.1).
  const segments = token.split('.', 6);
  if (segments.length !== 5 || segments[1] !== '') {
    return fail();
  }
  const [encodedHeader = '', , encodedIv = '', encodedCiphertext = '', encodedTag = ''] = segments;

  const header = parseHeader(encodedHeader);
  if (header === undefined || !encryptions.includes(header.enc)) {
    return fail();
  }

  const iv = decodeBase64url(encodedIv);
  const tag = decodeBase64url(encodedTag);
  const ciphertext = decodeBase64url(encodedCiphertext);
  if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || ciphertext === undefined) {
    return fail();
  }

  const secretKey = keyring === undefined ? plainKey : keyFromRing(keyring, header.kid);
  if (secretKey === undefined || preparedKeyLength(secretKey) !== KEY_BYTES_BY_ENCRYPTION[header.enc]) {
    return fail();
  }

  const plaintext = gcmDecrypt(secretKey, iv, ciphertext, tag, Buffer.from(encodedHeader, 'latin1'));
  const decoded = plaintext === undefined ? undefined : decodePayload(plaintext, header.cty);
  return decoded === undefined ? fail() : decoded.value;
}

function readEncryptions(options: DecryptOptions | undefined): readonly ContentEncryption[] {
  const { encryptions } = readOptions(options);
  if (encryptions === undefined) {
    return DEFAULT_ENCRYPTIONS;
  }

  const valid =
    Array.isArray(encryptions) &&
    encryptions.length > 0 &&
    encryptions.every((name) => Object.hasOwn(KEY_BYTES_BY_ENCRYPTION, name));
  if (!valid) {
    invalidOption('encryptions', "a non-empty array of 'A256GCM', 'A192GCM' and 'A128GCM'");
  }
  return encryptions;
}

function keyBytesOf(encryption: ContentEncryption): number {
  return KEY_BYTES_BY_ENCRYPTION[encryption];
}

function keyFromRing(keyring: KeyringEntries, kid: string | undefined): PreparedSecretKey | undefined {
  return kid === undefined ? undefined : keyring.keys.get(kid);
}

// A new error each time, with no cause: OpenSSL's message and the failing step stay inside.
function fail(): never {
  throw new BulwarkError('ERR_DECRYPTION_FAILED', DECRYPTION_FAILED_MESSAGE);
}
