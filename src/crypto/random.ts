import { randomBytes as nodeRandomBytes, randomInt as nodeRandomInt } from 'node:crypto';

import { assertIntegerInRange, invalidArgument, invalidOption, isWellFormedString, readOptions } from './internal/arguments.js';
import { BoundedCache } from './internal/bounded-cache.js';

/** Options of {@link random}. */
export interface RandomOptions {
  /**
   * The characters to draw from: 2 to 256 distinct characters (Unicode code points). Default: the
   * 64 URL-safe characters `A-Z a-z 0-9 - _` of base64url.
   */
  readonly alphabet?: string;
}

/** The longest string {@link random} makes and the most bytes {@link randomBytes} returns. */
export const MAX_RANDOM_LENGTH = 65_536;

const URL_SAFE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const URL_SAFE_SYMBOLS: readonly string[] = Array.from(URL_SAFE_ALPHABET);

// Node's limits for crypto.randomInt: safe integers, and a range below 2^48.
const MAX_INT_RANGE = 2 ** 48 - 1;

const alphabetCache = new BoundedCache<string, readonly string[]>(16);

/**
 * Generates a random string of `length` characters from the CSPRNG, for tokens, codes and ids.
 *
 * Each character comes from one random byte by rejection sampling: a byte at or above the largest
 * multiple of the alphabet size below 256 is thrown away and redrawn, because taking every byte
 * modulo the size would make the first `256 % size` characters more likely than the others.
 * With the default alphabet every character carries 6 bits, so 22 characters give 132 bits.
 *
 * @param length - the number of characters, 1 to 65,536
 * @throws BulwarkError `ERR_INVALID_ARGUMENT` for a length out of range, `ERR_OPTION_INVALID` for
 *   an alphabet with fewer than 2 or more than 256 characters, or a repeated one.
 *
 * @example
 * ```ts
 * random(22); // 'hV3y_0Qm2fK9sPz-LxT7aB'
 * random(6, { alphabet: '0123456789' }); // '083152', a one-time code
 * ```
 */
export function random(length: number, options?: RandomOptions): string {
  assertIntegerInRange(length, 'length', 1, MAX_RANDOM_LENGTH);
  const { alphabet } = readOptions(options);
  const symbols = alphabet === undefined ? URL_SAFE_SYMBOLS : readAlphabet(alphabet);

  const size = symbols.length;
  const limit = 256 - (256 % size);
  const characters: string[] = [];

  while (characters.length < length) {
    // Draw a little more than the expected need (256 / limit bytes per character) to avoid a
    // second round in the common case.
    const missing = length - characters.length;
    const bytes = nodeRandomBytes(Math.ceil((missing * 256) / limit) + 8);
    for (const byte of bytes) {
      if (byte < limit) {
        characters.push(symbols[byte % size] as string);
        if (characters.length === length) {
          break;
        }
      }
    }
  }

  return characters.join('');
}

/**
 * Returns `length` random bytes from the operating system's CSPRNG.
 *
 * @param length - the number of bytes, 1 to 65,536
 * @throws BulwarkError `ERR_INVALID_ARGUMENT` for a length out of range.
 *
 * @example
 * ```ts
 * const salt = randomBytes(16);
 * ```
 */
export function randomBytes(length: number): Uint8Array {
  assertIntegerInRange(length, 'length', 1, MAX_RANDOM_LENGTH);
  const bytes = nodeRandomBytes(length);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Returns a uniformly random integer `n` with `min <= n < max` (the upper bound is exclusive, as
 * in `crypto.randomInt`), without modulo bias.
 *
 * @param min - a safe integer, the smallest possible result
 * @param max - a safe integer above `min`; `max - min` must be below 2^48
 * @throws BulwarkError `ERR_INVALID_ARGUMENT` when a bound is not a safe integer or the range is
 *   empty or too wide.
 *
 * @example
 * ```ts
 * const die = randomInt(1, 7); // 1 to 6
 * ```
 */
export function randomInt(min: number, max: number): number {
  if (!Number.isSafeInteger(min)) {
    invalidArgument('min', 'a safe integer');
  }
  if (!Number.isSafeInteger(max) || max <= min || max - min > MAX_INT_RANGE) {
    invalidArgument('max', 'a safe integer above min, with max - min below 2^48');
  }
  return nodeRandomInt(min, max);
}

function readAlphabet(alphabet: unknown): readonly string[] {
  if (typeof alphabet !== 'string' || !isWellFormedString(alphabet)) {
    return invalidOption('alphabet', 'a string of 2 to 256 distinct characters');
  }

  const cached = alphabetCache.get(alphabet);
  if (cached !== undefined) {
    return cached;
  }

  const symbols = Array.from(alphabet);
  if (symbols.length < 2 || symbols.length > 256 || new Set(symbols).size !== symbols.length) {
    return invalidOption('alphabet', 'a string of 2 to 256 distinct characters');
  }

  alphabetCache.set(alphabet, symbols);
  return symbols;
}
