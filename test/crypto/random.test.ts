import { describe, expect, it } from 'vitest';

import { MAX_RANDOM_LENGTH, generateSecretKey, random, randomBytes, randomInt } from 'bulwark/core';

const ALPHABET_62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

describe('random', () => {
  it('draws URL-safe characters by default', () => {
    const text = random(4096);

    expect(text).toHaveLength(4096);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('draws only from the given alphabet', () => {
    expect(random(500, { alphabet: 'ab' })).toMatch(/^[ab]{500}$/);
    expect(Array.from(random(50, { alphabet: '😀🙂' })).every((c) => c === '😀' || c === '🙂')).toBe(true);
  });

  it('gives a 62-symbol alphabet no modulo bias', () => {
    // 256 % 62 = 8, so `byte % 62` would draw the first 8 symbols with probability 5/256 and the
    // other 54 with 4/256. A chi-square test over 620,000 draws separates the two clearly:
    // with that bias the statistic is near 4,100; without it, it follows chi-square with 61
    // degrees of freedom, which exceeds 120 with probability below 1e-5.
    const draws = 620_000;
    const counts = new Map<string, number>();
    for (let drawn = 0; drawn < draws; drawn += MAX_RANDOM_LENGTH) {
      for (const symbol of random(Math.min(MAX_RANDOM_LENGTH, draws - drawn), { alphabet: ALPHABET_62 })) {
        counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
      }
    }

    const expected = draws / 62;
    let chiSquare = 0;
    for (const symbol of ALPHABET_62) {
      const observed = counts.get(symbol) ?? 0;
      chiSquare += (observed - expected) ** 2 / expected;
    }

    expect(counts.size).toBe(62);
    expect(chiSquare).toBeLessThan(120);

    // The 8 symbols that modulo reduction would favour get no more than their share.
    const favoured = Array.from(ALPHABET_62.slice(0, 8)).reduce((sum, symbol) => sum + (counts.get(symbol) ?? 0), 0);
    const favouredShare = favoured / draws;
    expect(favouredShare).toBeLessThan(8 / 62 + 0.003);
    expect(favouredShare).toBeGreaterThan(8 / 62 - 0.003);
  });

  it.each([[0], [-1], [1.5], [MAX_RANDOM_LENGTH + 1], [Number.NaN], ['8']])('rejects the length %s', (length) => {
    expect(() => random(length as number)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it.each([
    ['one character', 'a'],
    ['a repeated character', 'abca'],
    ['257 characters', Array.from({ length: 257 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('')],
    ['a lone surrogate', 'ab\uD800'],
    ['a number', 10],
  ])('rejects an alphabet with %s', (_name, alphabet) => {
    expect(() => random(8, { alphabet: alphabet as string })).toThrowError(expect.objectContaining({ code: 'ERR_OPTION_INVALID' }));
  });

  it('accepts an alphabet of 256 characters', () => {
    const alphabet = Array.from({ length: 256 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');

    expect(Array.from(random(64, { alphabet }))).toHaveLength(64);
  });
});

describe('randomBytes and randomInt', () => {
  it('returns the requested number of bytes', () => {
    expect(randomBytes(1)).toHaveLength(1);
    expect(randomBytes(MAX_RANDOM_LENGTH)).toHaveLength(MAX_RANDOM_LENGTH);
    expect(randomBytes(32)).toBeInstanceOf(Uint8Array);
  });

  it.each([[0], [-5], [2.5], [MAX_RANDOM_LENGTH + 1], [undefined]])('rejects the byte length %s', (length) => {
    expect(() => randomBytes(length as number)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('stays within the half-open range and reaches both ends', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i += 1) {
      const value = randomInt(-3, 3);
      expect(value).toBeGreaterThanOrEqual(-3);
      expect(value).toBeLessThan(3);
      seen.add(value);
    }

    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2]);
  });

  it.each([
    ['an empty range', 5, 5],
    ['a reversed range', 5, 1],
    ['a fractional bound', 0.5, 3],
    ['an unsafe integer', 0, 2 ** 53],
    ['a range of 2^48', 0, 2 ** 48],
    ['a string bound', '1', 3],
  ])('rejects %s', (_name, min, max) => {
    expect(() => randomInt(min as number, max as number)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('generates 32-byte base64url secret keys', () => {
    const key = generateSecretKey();

    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(generateSecretKey()).not.toBe(key);
  });
});
