import { webcrypto } from 'node:crypto';

import { base64url, CompactEncrypt, exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  type DecryptedValue,
  decrypt,
  decryptResponse,
  encrypt,
  encryptForPublicKey,
  generateSecretKey,
  importPrivateKey,
} from 'bulwark/core';

import { frameworks, type RunningApp } from '../helpers/frameworks.js';

async function failureOf(run: () => Promise<unknown>): Promise<{ code: unknown; message: unknown }> {
  try {
    await run();
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  throw new Error('Expected the call to fail, but it returned a value.');
}

describe.each(frameworks)('decryptResponse against $name', (framework) => {
  const { encryptResponse, HttpError } = framework.bulwark;
  const key = generateSecretKey();
  let app: RunningApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('reads a fetch Response with the shared key in every form', async () => {
    app = await framework.start([{ method: 'get', path: '/data', middleware: [encryptResponse({ key })], handle: () => ({ body: { n: 7 } }) }]);
    const cryptoKey = await webcrypto.subtle.importKey('raw', base64url.decode(key), 'AES-GCM', false, ['decrypt']);

    for (const form of [key, base64url.decode(key), cryptoKey]) {
      const response = await fetch(`${app.url}/data`);
      const value: DecryptedValue = await decryptResponse(response, form);
      expect(value).toEqual({ n: 7 });
    }
  });

  it('reads a response encrypted to the client’s public key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519', extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    app = await framework.start([
      { method: 'get', path: '/me', middleware: [encryptResponse({ getPublicKey: () => publicJwk as any })], handle: () => ({ raw: 'hello', contentType: 'text/plain' }) },
    ]);

    const fromJwk = await decryptResponse(await fetch(`${app.url}/me`), privateJwk as any);
    const fromImported = await decryptResponse(await fetch(`${app.url}/me`), await importPrivateKey(privateJwk as any));

    expect(fromJwk).toBe('hello');
    expect(fromImported).toBe('hello');
  });

  it('reports an unencrypted problem without reading its body', async () => {
    app = await framework.start([
      {
        method: 'get',
        path: '/private',
        middleware: [encryptResponse({ key })],
        handle: () => {
          throw new HttpError(401, 'ERR_TOKEN_MISSING', 'A bearer token is required.');
        },
      },
    ]);

    const response = await fetch(`${app.url}/private`);
    let thrown: any;
    try {
      await decryptResponse(response, key);
    } catch (error) {
      thrown = error;
    }

    expect(thrown.code).toBe('ERR_RESPONSE_NOT_ENCRYPTED');
    expect(thrown.details).toEqual({ status: 401 });
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toMatchObject({ code: 'ERR_TOKEN_MISSING' });
  });
});

describe('decryptResponse on tokens', () => {
  const key = generateSecretKey();
  let privateJwk: any;
  let publicJwk: any;

  beforeAll(async () => {
    const pair = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    privateJwk = await exportJWK(pair.privateKey);
    publicJwk = await exportJWK(pair.publicKey);
  });

  it('reads the three kinds of value', async () => {
    expect(await decryptResponse(encrypt({ a: [1, 2] }, key), key)).toEqual({ a: [1, 2] });
    expect(await decryptResponse(encrypt('text', key), key)).toBe('text');
    expect(await decryptResponse(encrypt(new Uint8Array([9, 8]), key), key)).toEqual(new Uint8Array([9, 8]));
  });

  it('gives the core decrypt message for every failure', async () => {
    const good = encrypt({ a: 1 }, key);
    const coreMessage = (() => {
      try {
        decrypt(`${good}x`, key);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    const zipped = await new CompactEncrypt(new TextEncoder().encode('{"a":1}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', zip: 'DEF', cty: 'json' })
      .encrypt(base64url.decode(key));
    const toPublicKey = await encryptForPublicKey({ a: 1 }, publicJwk);

    const attacks: Array<[string, () => Promise<unknown>]> = [
      ['a tampered ciphertext', () => decryptResponse(good.replace(/\.([^.]{4})/, '.AAAA'), key)],
      ['a wrong key', () => decryptResponse(good, generateSecretKey())],
      ['a compressed (zip) token', () => decryptResponse(zipped, key)],
      ['a dir token read with a private key', () => decryptResponse(good, privateJwk)],
      ['a public-key token read with a shared key', () => decryptResponse(toPublicKey, key)],
      ['a kid missing from the keys', () => decryptResponse(encrypt({ a: 1 }, key, { kid: 'k9' }), { k1: key })],
      ['a token without a kid and keys by kid', () => decryptResponse(good, { k1: key })],
      ['text that is not a JWE', () => decryptResponse('not a token', key)],
    ];

    for (const [attack, run] of attacks) {
      expect({ attack, ...(await failureOf(run)) }).toEqual({ attack, code: 'ERR_DECRYPTION_FAILED', message: coreMessage });
    }
  });

  it('reads a public-key token with keys by kid', async () => {
    const token = await encryptForPublicKey({ rotated: true }, { ...publicJwk, kid: 'p2' });

    expect(await decryptResponse(token, { p1: key, p2: privateJwk })).toEqual({ rotated: true });
  });
});
