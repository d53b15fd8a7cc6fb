import { generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import * as expressBulwark from 'bulwark';
import * as koaBulwark from 'bulwark/koa';
import { createKeyring, decrypt, generateSecretKey } from 'bulwark/core';

import { frameworks } from '../helpers/frameworks.js';

const key = generateSecretKey();
const keyring = createKeyring({ current: 'k1', keys: { k1: key } });
const x25519Private = generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' });
const x25519Public = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' });
const p384Private = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) {
      deepFreeze(member);
    }
  }
  return value;
}

const encryptCases: Array<[string, unknown, string]> = [
  ['no options', undefined, 'options'],
  ['no key at all', {}, 'key'],
  ['two key sources', { key, keyring }, 'key'],
  ['a short key', { key: 'c2hvcnQ' }, 'key'],
  ['a number as key', { key: 42 }, 'key'],
  ['a plain object as keyring', { keyring: { current: 'k1', kids: ['k1'] } }, 'keyring'],
  ['a string as getKey', { getKey: 'tenant' }, 'getKey'],
  ['a string as getPublicKey', { getPublicKey: 'cnf' }, 'getPublicKey'],
  ['an unknown when', { key, when: 'sometimes' }, 'when'],
  ['a string encryptErrors', { key, encryptErrors: 'yes' }, 'encryptErrors'],
  ['a zero limit', { key, limit: 0 }, 'limit'],
  ['a fractional limit', { key, limit: 1.5 }, 'limit'],
  ['a string limit', { key, limit: '10mb' }, 'limit'],
  ['a logger without methods', { key, logger: {} }, 'logger'],
];

const decryptCases: Array<[string, unknown, string]> = [
  ['no options', null, 'options'],
  ['no key at all', {}, 'key'],
  ['both key and keyring', { key, keyring }, 'keyring'],
  ['a short key', { key: 'c2hvcnQ' }, 'key'],
  ['a public key as privateKey', { privateKey: x25519Public }, 'privateKey'],
  ['a P-384 privateKey', { privateKey: p384Private }, 'privateKey'],
  ['a negative limit', { key, limit: -1 }, 'limit'],
  ['a zero maxDepth', { key, maxDepth: 0 }, 'maxDepth'],
  ['a string rejectUnencrypted', { key, rejectUnencrypted: 'yes' }, 'rejectUnencrypted'],
];

describe.each([
  ['bulwark', expressBulwark],
  ['bulwark/koa', koaBulwark],
] as const)('option checks in %s', (_name, bulwark) => {
  const expectOptionError = (create: () => unknown, option: string) => {
    let thrown: any;
    try {
      create();
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(bulwark.BulwarkError);
    expect(thrown.code).toBe('ERR_OPTION_INVALID');
    expect(thrown.details.option).toBe(option);
    expect(thrown.message).toContain(option);
    expect(thrown.message).not.toContain(key);
  };

  it.each(encryptCases)('encryptResponse rejects %s', (_case, options, option) => {
    expectOptionError(() => bulwark.encryptResponse(options as any), option);
  });

  it.each(decryptCases)('decryptRequest rejects %s', (_case, options, option) => {
    expectOptionError(() => bulwark.decryptRequest(options as any), option);
  });

  it('accepts every valid key form', () => {
    expect(() => bulwark.encryptResponse({ key })).not.toThrow();
    expect(() => bulwark.encryptResponse({ key: Buffer.from(key, 'base64url') })).not.toThrow();
    expect(() => bulwark.encryptResponse({ keyring, when: 'accept', encryptErrors: true, limit: 1 })).not.toThrow();
    expect(() => bulwark.decryptRequest({ privateKey: x25519Private as any })).not.toThrow();
    expect(() => bulwark.decryptRequest({ keyring, privateKey: x25519Private as any, rejectUnencrypted: true })).not.toThrow();
  });
});

describe.each(frameworks)('options on $name', (framework) => {
  it('are never mutated', async () => {
    const getKey = () => key;
    const responseOptions = deepFreeze({ getKey, when: 'always' as const, limit: 4096, encryptErrors: false });
    const requestOptions = deepFreeze({ keyring, limit: 4096, maxDepth: 8 });
    const responseSnapshot = { ...responseOptions };
    const requestSnapshot = { ...requestOptions };
    const { encryptResponse, decryptRequest } = framework.bulwark;

    const app = await framework.start([
      {
        method: 'post',
        path: '/echo',
        middleware: [decryptRequest(requestOptions), encryptResponse(responseOptions as any)],
        handle: (view) => ({ body: view.body }),
      },
    ]);
    try {
      const { encrypt } = await import('bulwark/core');
      const response = await fetch(`${app.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: encrypt({ ping: 1 }, keyring),
      });

      expect(decrypt(await response.text(), key)).toEqual({ ping: 1 });
      expect(responseOptions).toEqual(responseSnapshot);
      expect(requestOptions).toEqual(requestSnapshot);
    } finally {
      await app.close();
    }
  });
});
