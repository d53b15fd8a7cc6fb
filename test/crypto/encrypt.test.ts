import { createSecretKey, randomBytes as nodeRandomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { BulwarkError, createKeyring, decrypt, encrypt, generateSecretKey } from 'bulwark/core';

function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('encrypt and decrypt', () => {
  const key = generateSecretKey();

  it.each([
    ['empty string', ''],
    ['ASCII text', 'hello world'],
    ['text with a byte-order mark', '\uFEFFstarts with a BOM'],
    ['text outside the BMP', 'emoji 😀 and 汉字'],
    ['number', 42.5],
    ['zero', 0],
    ['boolean', false],
    ['null', null],
    ['array', [1, 'two', { three: 3 }]],
    ['nested object', { user: { id: 7, roles: ['admin'] }, active: true, note: null }],
    ['object with a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}') as unknown],
  ])('round-trips %s', (_name, value) => {
    const token = encrypt(value as string, key);

    expect(decrypt(token, key)).toEqual(value);
  });

  it('round-trips bytes as a Uint8Array', () => {
    for (const length of [0, 1, 15, 16, 17, 1024]) {
      const bytes = new Uint8Array(nodeRandomBytes(length));

      const result = decrypt(encrypt(bytes, key), key);

      expect(result).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(result as Uint8Array).equals(bytes)).toBe(true);
    }
  });

  it('writes a compact JWE with dir and A256GCM', () => {
    const token = encrypt('x', key);
    const segments = token.split('.');

    expect(segments).toHaveLength(5);
    expect(segments[1]).toBe('');
    expect(Buffer.from(segments[2] ?? '', 'base64url')).toHaveLength(12);
    expect(Buffer.from(segments[4] ?? '', 'base64url')).toHaveLength(16);
    expect(headerOf(token)).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'text/plain' });
  });

  it.each([
    ['a string', 'text', 'text/plain'],
    ['bytes', new Uint8Array([1, 2]), 'octet-stream'],
    ['an object', { a: 1 }, 'json'],
    ['a number', 1, 'json'],
  ])('records cty for %s', (_name, value, cty) => {
    expect(headerOf(encrypt(value, key)).cty).toBe(cty);
  });

  it('records an explicit content type and drops the application/ prefix', () => {
    const xml = encrypt('<a/>', key, { contentType: 'application/xml' });
    const csv = encrypt('a,b', key, { contentType: 'text/csv; charset=utf-8' });
    const problem = encrypt('{"status":400}', key, { contentType: 'application/problem+json' });
    const slashInParameter = encrypt('x', key, { contentType: 'application/x; profile="a/b"' });

    expect(headerOf(xml).cty).toBe('xml');
    expect(headerOf(csv).cty).toBe('text/csv; charset=utf-8');
    expect(headerOf(problem).cty).toBe('problem+json');
    expect(headerOf(slashInParameter).cty).toBe('application/x; profile="a/b"');
  });

  it.each([
    ['text/plain;', 'text/plain;'],
    ['text/html;charset=utf-8', 'text/html;charset=utf-8'],
    ['text/plain ; charset="utf-8" ', 'text/plain ; charset="utf-8" '],
    ['Application/JSON', 'JSON'],
  ])('accepts the Content-Type header form %s', (contentType, cty) => {
    const token = encrypt('{"a":1}', key, { contentType });

    expect(headerOf(token).cty).toBe(cty);
    expect(decrypt(token, key)).toEqual(contentType.startsWith('text') ? '{"a":1}' : { a: 1 });
  });

  it('returns values by the recorded content type', () => {
    expect(decrypt(encrypt('<a/>', key, { contentType: 'application/xml' }), key)).toEqual(new TextEncoder().encode('<a/>'));
    expect(decrypt(encrypt('a,b', key, { contentType: 'text/csv' }), key)).toBe('a,b');
    expect(decrypt(encrypt('{"status":400}', key, { contentType: 'application/problem+json' }), key)).toEqual({ status: 400 });
    expect(decrypt(encrypt('[1]', key, { contentType: 'application/json' }), key)).toEqual([1]);
  });

  it('draws a fresh IV for every message', () => {
    // IVs come from the CSPRNG in pools of 512, so 1,200 messages cross two pool refills.
    const ivs = new Set(Array.from({ length: 1200 }, () => encrypt('same', key).split('.')[2]));

    expect(ivs.size).toBe(1200);
  });

  it('writes kid from the options', () => {
    const token = encrypt('x', key, { kid: 'session-1' });

    expect(headerOf(token).kid).toBe('session-1');
    expect(decrypt(token, key)).toBe('x');
  });

  it('accepts the key as bytes, base64url text or a KeyObject', () => {
    const bytes = Buffer.from(key, 'base64url');

    const token = encrypt('x', new Uint8Array(bytes));

    expect(decrypt(token, key)).toBe('x');
    expect(decrypt(token, createSecretKey(bytes))).toBe('x');
  });

  it('leaves the options object unchanged', () => {
    const options = Object.freeze({ kid: 'k1', contentType: 'text/plain' });
    const decryptOptions = Object.freeze({ encryptions: Object.freeze(['A256GCM'] as const) });

    const token = encrypt('x', key, options);

    expect(decrypt(token, key, decryptOptions)).toBe('x');
    expect(options).toEqual({ kid: 'k1', contentType: 'text/plain' });
    expect(decryptOptions.encryptions).toEqual(['A256GCM']);
  });

  it.each([
    ['a lone surrogate', '\uD800'],
    ['a cycle', (() => { const a: Record<string, unknown> = {}; a.self = a; return a; })()],
    ['a BigInt', 10n],
    ['undefined', undefined],
    ['a function', () => 1],
    ['an Int16Array', new Int16Array(2)],
    ['an ArrayBuffer', new ArrayBuffer(2)],
  ])('rejects a value with %s', (_name, value) => {
    expect(() => encrypt(value as string, key)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('rejects a JSON value with a content type', () => {
    expect(() => encrypt({ a: 1 }, key, { contentType: 'application/json' })).toThrowError(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });

  it.each([['no/slash/twice'], ['text'], [''], ['text/plain; charset'], ['a'.repeat(300) + '/x'], [42]])(
    'rejects the content type %s',
    (contentType) => {
      expect(() => encrypt('x', key, { contentType: contentType as string })).toThrowError(
        expect.objectContaining({ code: 'ERR_OPTION_INVALID' }),
      );
    },
  );

  it.each([[''], ['with space'], ['x'.repeat(129)], [7]])('rejects the kid %s', (kid) => {
    expect(() => encrypt('x', key, { kid: kid as string })).toThrowError(expect.objectContaining({ code: 'ERR_OPTION_INVALID' }));
  });
});

describe('createKeyring', () => {
  const oldKey = generateSecretKey();
  const newKey = generateSecretKey();

  it('encrypts with the current key and writes its kid', () => {
    const keyring = createKeyring({ current: 'new', keys: { old: oldKey, new: newKey } });

    const token = encrypt({ a: 1 }, keyring);

    expect(headerOf(token).kid).toBe('new');
    expect(decrypt(token, newKey)).toEqual({ a: 1 });
  });

  it('decrypts tokens of every key it holds', () => {
    const before = createKeyring({ current: 'old', keys: { old: oldKey } });
    const after = createKeyring({ current: 'new', keys: { old: oldKey, new: newKey } });

    const oldToken = encrypt('old secret', before);
    const newToken = encrypt('new secret', after);

    expect(decrypt(oldToken, after)).toBe('old secret');
    expect(decrypt(newToken, after)).toBe('new secret');
  });

  it('encrypts with the key the kid option names', () => {
    const keyring = createKeyring({ current: 'new', keys: { old: oldKey, new: newKey } });

    const token = encrypt('x', keyring, { kid: 'old' });

    expect(headerOf(token).kid).toBe('old');
    expect(decrypt(token, oldKey)).toBe('x');
  });

  it('rejects a kid option the keyring lacks', () => {
    const keyring = createKeyring({ current: 'new', keys: { new: newKey } });

    expect(() => encrypt('x', keyring, { kid: 'gone' })).toThrowError(expect.objectContaining({ code: 'ERR_KEY_NOT_FOUND' }));
  });

  it('shows key ids but no keys', () => {
    const keyring = createKeyring({ current: 'new', keys: { old: oldKey, new: newKey } });
    const printed = JSON.stringify(keyring) + String(Object.values(keyring));

    expect(keyring.current).toBe('new');
    expect(keyring.kids).toEqual(['old', 'new']);
    expect(printed).not.toContain(oldKey);
    expect(printed).not.toContain(newKey);
    expect(Object.isFrozen(keyring)).toBe(true);
  });

  it('keeps its own copy of byte keys', () => {
    const bytes = new Uint8Array(Buffer.from(newKey, 'base64url'));
    const keyring = createKeyring({ current: 'k', keys: { k: bytes } });

    bytes.fill(0);

    expect(decrypt(encrypt('x', keyring), newKey)).toBe('x');
  });

  it('leaves its options unchanged', () => {
    const keys = Object.freeze({ k: newKey });
    const options = Object.freeze({ current: 'k', keys });

    createKeyring(options);

    expect(options).toEqual({ current: 'k', keys: { k: newKey } });
  });

  it.each([
    ['a current kid it lacks', { current: 'missing', keys: { k: newKey } }, 'ERR_OPTION_INVALID'],
    ['no keys', { current: 'k', keys: {} }, 'ERR_OPTION_INVALID'],
    ['keys that are not an object', { current: 'k', keys: 'k' }, 'ERR_OPTION_INVALID'],
    ['a kid with a space', { current: 'a b', keys: { 'a b': newKey } }, 'ERR_OPTION_INVALID'],
    ['a short key', { current: 'k', keys: { k: 'c2hvcnQ' } }, 'ERR_KEY_INVALID'],
    ['a short key beside a good one', { current: 'k', keys: { k: newKey, old: new Uint8Array(16) } }, 'ERR_KEY_INVALID'],
    ['options that are not an object', null, 'ERR_OPTION_INVALID'],
  ])('rejects %s at creation', (_name, options, code) => {
    expect(() => createKeyring(options as never)).toThrowError(expect.objectContaining({ code }));
  });

  it('throws BulwarkError instances', () => {
    expect(() => createKeyring({ current: 'k', keys: {} })).toThrowError(BulwarkError);
  });
});
