// Strict base64url (RFC 4648 section 5, no padding) for the JOSE formats.
//
// Buffer's own decoder is lenient: it skips characters outside the alphabet, stops at `=`, reads `+`
// and `/` as `-` and `_`, and ignores the unused low bits of the last character. Each leniency lets
// two different strings decode to the same bytes, so a decoder for security formats must reject them.
// A regular expression over a 1 MiB ciphertext costs more than the AES-GCM step itself, so the checks
// below avoid a second pass over the text: skipped or `=`-truncated characters show up as a shorter
// output than the length predicts, `+` and `/` are searched for directly, and the last character's
// unused bits must be zero. A property test compares this decoder with a regular-expression reference.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Encodes bytes as base64url without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Decodes canonical base64url text without padding; returns undefined for any other text. */
export function decodeBase64url(text: string): Buffer | undefined {
  const remainder = text.length % 4;
  if (remainder === 1) {
    return undefined;
  }

  if (text.includes('+') || text.includes('/')) {
    return undefined;
  }

  const bytes = Buffer.from(text, 'base64url');
  const expectedLength = (text.length >> 2) * 3 + (remainder === 0 ? 0 : remainder - 1);
  if (bytes.length !== expectedLength) {
    return undefined;
  }

  // The last character of a partial group carries 4 (two characters) or 2 (three characters)
  // unused bits; any value but zero is a second spelling of the same bytes.
  if (remainder !== 0) {
    const lastValue = ALPHABET.indexOf(text.charAt(text.length - 1));
    const unusedBitsMask = remainder === 2 ? 0b1111 : 0b11;
    if (lastValue < 0 || (lastValue & unusedBitsMask) !== 0) {
      return undefined;
    }
  }

  return bytes;
}
