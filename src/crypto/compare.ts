import { timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto';

import { toBytes } from './internal/arguments.js';

/**
 * Compares two strings (as UTF-8) or byte arrays in time that depends only on their lengths, never
 * on where they differ, so that comparing a received MAC or token with the expected one does not
 * tell an attacker how many leading bytes they guessed right. Inputs of different lengths return
 * false after the same full-length comparison, with no early exit; lengths are not treated as secret.
 *
 * @throws BulwarkError `ERR_INVALID_ARGUMENT` when an input is not a string or a Uint8Array.
 *
 * @example
 * ```ts
 * if (!timingSafeEqual(hmac(body, key), request.headers['x-signature'] ?? '')) {
 *   throw new Error('invalid signature');
 * }
 * ```
 */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const left = toBytes(a, 'a');
  const right = toBytes(b, 'b');

  // Both sides are copied into buffers of the longer length, so the comparison always runs over
  // the same number of bytes; the length check comes after it, not before.
  const length = Math.max(left.byteLength, right.byteLength);
  const paddedLeft = Buffer.alloc(length);
  const paddedRight = Buffer.alloc(length);
  paddedLeft.set(left);
  paddedRight.set(right);

  const sameBytes = nodeTimingSafeEqual(paddedLeft, paddedRight);
  return sameBytes && left.byteLength === right.byteLength;
}
