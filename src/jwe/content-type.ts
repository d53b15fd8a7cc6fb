import { BulwarkError } from '../errors.js';

// This file runs in browsers as well as Node: it uses only TextEncoder, TextDecoder and JSON.

/** The plaintext of a JWE, read by its `cty`: a parsed JSON value, a string or bytes. */
export type DecryptedValue = unknown;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns a media type into a `cty` header value. RFC 7515, section 4.1.10, recommends leaving out
 * the `application/` prefix when no other `/` remains, so `application/json` becomes `json`.
 * Parameters such as `charset` are dropped, because every text plaintext is UTF-8.
 *
 * @example
 * ```ts
 * ctyOf('application/problem+json; charset=utf-8'); // 'problem+json'
 * ```
 */
export function ctyOf(mediaType: string): string {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  const shortened = type.startsWith('application/') ? type.slice('application/'.length) : type;
  return shortened.includes('/') ? type : shortened;
}

/**
 * Tells whether a `cty` value names JSON: `json`, `application/json` or a `+json` suffix (RFC 6839).
 *
 * @example
 * ```ts
 * isJsonCty('problem+json'); // true
 * ```
 */
export function isJsonCty(cty: string): boolean {
  const type = cty.split(';')[0]!.trim().toLowerCase();
  return type === 'json' || type === 'application/json' || type.endsWith('+json');
}

/**
 * Tells whether a `cty` value names text: any `text/*` media type.
 *
 * @example
 * ```ts
 * isTextCty('text/csv'); // true
 * ```
 */
export function isTextCty(cty: string): boolean {
  return cty.trim().toLowerCase().startsWith('text/');
}

/**
 * Reads decrypted bytes by their `cty`: JSON is parsed, `text/*` is decoded as UTF-8, and
 * anything else, including a missing `cty`, stays bytes. A plaintext that does not match its `cty`
 * throws the same `ERR_DECRYPTION_FAILED` as a failed decryption.
 *
 * @example
 * ```ts
 * readPlaintext(new TextEncoder().encode('{"a":1}'), 'json'); // { a: 1 }
 * ```
 */
export function readPlaintext(plaintext: Uint8Array, cty: unknown): DecryptedValue {
  if (typeof cty !== 'string') {
    return plaintext;
  }

  try {
    if (isJsonCty(cty)) {
      return JSON.parse(utf8.decode(plaintext)) as unknown;
    }
    if (isTextCty(cty)) {
      return utf8.decode(plaintext);
    }
  } catch {
    throw decryptionFailed();
  }
  return plaintext;
}

/**
 * Encodes a value for encryption and names its media type: bytes and strings are taken as they
 * are, anything else is serialized as JSON.
 *
 * @example
 * ```ts
 * encodePlaintext({ a: 1 }, undefined); // { bytes: <7 bytes>, contentType: 'application/json' }
 * ```
 */
export function encodePlaintext(
  value: unknown,
  contentType: string | undefined,
): { readonly bytes: Uint8Array; readonly contentType: string } {
  if (value instanceof Uint8Array) {
    return { bytes: value, contentType: contentType ?? 'application/octet-stream' };
  }
  if (typeof value === 'string') {
    return { bytes: new TextEncoder().encode(value), contentType: contentType ?? 'text/plain' };
  }

  const json = JSON.stringify(value);
  if (json === undefined) {
    throw new BulwarkError('ERR_INVALID_ARGUMENT', 'The value to encrypt must be a string, bytes or a JSON value.');
  }
  return { bytes: new TextEncoder().encode(json), contentType: contentType ?? 'application/json' };
}

// The same message as the core `decrypt`, so that a failure reads the same on every path.
const DECRYPTION_FAILED_MESSAGE = 'Decryption failed: the token is malformed, was altered, or was encrypted with another key.';

/**
 * Builds the one error of every decryption failure, so that no cause is distinguishable from outside.
 *
 * @example
 * ```ts
 * throw decryptionFailed();
 * ```
 */
export function decryptionFailed(): BulwarkError {
  return new BulwarkError('ERR_DECRYPTION_FAILED', DECRYPTION_FAILED_MESSAGE);
}
