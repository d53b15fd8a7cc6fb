import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decodeBase64url, encodeBase64url } from '../../src/crypto/internal/base64url.js';

/** The reference: only the base64url alphabet, no padding, and the text must be the canonical encoding. */
function referenceDecode(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    return undefined;
  }
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const noise = ['+', '/', '=', ' ', '\n', '.', 'é', '\u0000', '😀', '%', '\t', 'A', 'Q', 'g', '-'];

describe('strict base64url decoder', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const decoded = decodeBase64url(encodeBase64url(bytes));
        expect(decoded).toBeDefined();
        expect(Buffer.from(decoded ?? []).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('agrees with the reference on altered encodings', () => {
    const altered = fc
      .tuple(
        fc.uint8Array({ maxLength: 24 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...noise, ...alphabet), fc.boolean()), { maxLength: 3 }),
      )
      .map(([bytes, edits]) => {
        let text = Buffer.from(bytes).toString('base64url');
        for (const [position, character, replace] of edits) {
          const at = position % (text.length + 1);
          text = text.slice(0, at) + character + text.slice(replace ? at + 1 : at);
        }
        return text;
      });

    fc.assert(
      fc.property(altered, (text) => {
        const expected = referenceDecode(text);
        const actual = decodeBase64url(text);
        expect(actual === undefined).toBe(expected === undefined);
        if (expected !== undefined) {
          expect(actual?.equals(expected)).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['standard alphabet', '+/+/'],
    ['padding', 'YQ=='],
    ['unused trailing bits', 'YR'],
    ['a lone character', 'Y'],
    ['whitespace', 'Y Q'],
  ])('rejects %s', (_name, text) => {
    expect(decodeBase64url(text)).toBeUndefined();
  });
});
