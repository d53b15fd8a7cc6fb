// Strict base64url (RFC 4648 section 5, without padding as RFC 7515 section 2 requires).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A table of the 6-bit value of each base64url character, with -1 for characters outside the alphabet. */
const SEXTET_BY_CHAR_CODE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let index = 0; index < ALPHABET.length; index++) {
    table[ALPHABET.charCodeAt(index)] = index;
  }
  return table;
})();

/** A compact JWS: three base64url segments, the header and signature non-empty, nothing else. */
const COMPACT_JWS_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

/** Tells whether `token` has the shape of a compact JWS, using only `A-Z a-z 0-9 - _ .`. */
export function isCompactJwsShape(token: string): boolean {
  return COMPACT_JWS_PATTERN.test(token);
}

/**
 * Tells whether a segment of base64url characters is the one canonical encoding of its bytes: a
 * length that encodes whole bytes, and zero bits after the last byte. Accepting other encodings
 * would let the same token travel under several spellings, which defeats lookups keyed by the
 * token's text, such as the verified-token cache.
 */
export function isCanonicalBase64url(segment: string): boolean {
  const remainder = segment.length % 4;
  if (remainder === 0) {
    return true;
  }
  if (remainder === 1) {
    return false;
  }

  const last = SEXTET_BY_CHAR_CODE[segment.charCodeAt(segment.length - 1)] ?? -1;
  const unusedBitsMask = remainder === 2 ? 0b1111 : 0b11;
  return last >= 0 && (last & unusedBitsMask) === 0;
}

/** Decodes a segment that {@link isCompactJwsShape} and {@link isCanonicalBase64url} accepted. */
export function decodeBase64url(segment: string): Buffer {
  return Buffer.from(segment, 'base64url');
}

/** Encodes bytes or UTF-8 text as base64url without padding. */
export function encodeBase64url(input: Uint8Array | string): string {
  return Buffer.from(input).toString('base64url');
}
