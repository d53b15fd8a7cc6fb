import { describe, expect, it } from 'vitest';

import { hash, hmac, timingSafeEqual } from 'bulwark/core';

describe('hash', () => {
  // Digests of "abc" from FIPS 180-4 (SHA-2), FIPS 202 (SHA-3) and RFC 7693 appendix A (BLAKE2b).
  it.each([
    ['SHA-256', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['SHA-384', 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
    ['SHA-512', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
    ['SHA3-256', '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532'],
    ['SHA3-512', 'b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0'],
    ['BLAKE2b-512', 'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923'],
  ] as const)('computes %s of "abc"', (algorithm, expected) => {
    expect(hash('abc', { algorithm })).toBe(expected);
    expect(hash(new TextEncoder().encode('abc'), { algorithm })).toBe(expected);
  });

  it('defaults to SHA-256 in hex', () => {
    expect(hash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('encodes as base64url or bytes', () => {
    expect(hash('abc', { encoding: 'base64url' })).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');

    const bytes = hash('abc', { encoding: 'bytes' });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([['MD5'], ['sha256'], ['SHA-1']])('rejects the algorithm %s', (algorithm) => {
    expect(() => hash('abc', { algorithm: algorithm as never })).toThrowError(expect.objectContaining({ code: 'ERR_OPTION_INVALID' }));
  });

  it('rejects an unknown encoding', () => {
    expect(() => hash('abc', { encoding: 'base64' as never })).toThrowError(expect.objectContaining({ code: 'ERR_OPTION_INVALID' }));
  });
});

describe('hmac', () => {
  // RFC 4231 test case 1: a 20-byte key of 0x0b and the data "Hi There".
  const key = new Uint8Array(20).fill(0x0b);

  it.each([
    ['SHA-256', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['SHA-384', 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6'],
    ['SHA-512', '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854'],
  ] as const)('computes HMAC-%s of RFC 4231 case 1', (algorithm, expected) => {
    expect(hmac('Hi There', key, { algorithm })).toBe(expected);
  });

  it('takes the key as base64url text', () => {
    const text = Buffer.from(key).toString('base64url');

    expect(hmac('Hi There', text)).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
  });

  it.each([
    ['an empty key', new Uint8Array(0)],
    ['a 15-byte key', new Uint8Array(15)],
    ['an empty string', ''],
    ['text that is not base64url', 'my webhook secret!'],
    ['a number', 1234],
  ])('rejects %s', (_name, badKey) => {
    expect(() => hmac('data', badKey as never)).toThrowError(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('rejects a SHA-3 algorithm', () => {
    expect(() => hmac('data', key, { algorithm: 'SHA3-256' as never })).toThrowError(
      expect.objectContaining({ code: 'ERR_OPTION_INVALID' }),
    );
  });
});

describe('timingSafeEqual', () => {
  it.each([
    ['equal strings', 'abc', 'abc', true],
    ['equal bytes', new Uint8Array([1, 2]), new Uint8Array([1, 2]), true],
    ['a string and its bytes', 'abc', new TextEncoder().encode('abc'), true],
    ['two empty inputs', '', new Uint8Array(0), true],
    ['different last byte', 'abc', 'abd', false],
    ['different first byte', 'abc', 'xbc', false],
    ['a prefix', 'abc', 'ab', false],
    ['a longer input', 'abc', 'abcd', false],
    ['a zero-padded input', new Uint8Array([1]), new Uint8Array([1, 0]), false],
    ['empty and non-empty', '', 'a', false],
  ])('compares %s', (_name, a, b, expected) => {
    expect(timingSafeEqual(a, b)).toBe(expected);
    expect(timingSafeEqual(b, a)).toBe(expected);
  });

  it.each([[null], [undefined], [42], [['a']]])('rejects %s as an input', (input) => {
    expect(() => timingSafeEqual(input as never, 'a')).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
