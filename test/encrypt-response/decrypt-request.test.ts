import { generateKeyPairSync } from 'node:crypto';

import { base64url, CompactEncrypt } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { createKeyring, encrypt, encryptForPublicKey, generateSecretKey } from 'bulwark/core';

import { frameworks, type RunningApp } from '../helpers/frameworks.js';

const JOSE = { 'content-type': 'application/jose' };

// Replaces one character of a compact JWE segment, keeping it valid base64url.
function tamper(token: string, segment: number): string {
  const parts = token.split('.');
  const part = parts[segment]!;
  const index = Math.floor(part.length / 2);
  parts[segment] = part.slice(0, index) + (part[index] === 'A' ? 'B' : 'A') + part.slice(index + 1);
  return parts.join('.');
}

function describeBody(body: unknown) {
  if (Buffer.isBuffer(body)) {
    return { kind: 'buffer', base64: body.toString('base64') };
  }
  return { kind: typeof body, value: body };
}

describe.each(frameworks)('decryptRequest on $name', (framework) => {
  const { decryptRequest, validateBody } = framework.bulwark as any;
  const key = generateSecretKey();
  const otherKey = generateSecretKey();
  const keyring = createKeyring({ current: 'k2', keys: { k1: generateSecretKey(), k2: key } });
  const serverPair = generateKeyPairSync('x25519');
  const serverPublicJwk = serverPair.publicKey.export({ format: 'jwk' }) as any;
  let app: RunningApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function startEcho(middleware: unknown[], options: { jsonParser?: boolean } = {}) {
    app = await framework.start([{ method: 'post', path: '/echo', middleware, handle: (view) => ({ body: describeBody(view.body) }) }], options);
    return app;
  }

  async function post(body: string, headers: Record<string, string> = JOSE) {
    const response = await fetch(`${app!.url}/echo`, { method: 'POST', headers, body });
    return { status: response.status, text: await response.text() };
  }

  it('hands a decrypted JSON body to the route', async () => {
    await startEcho([decryptRequest({ key })]);

    const response = await post(encrypt({ sku: 'A-1', quantity: 2 }, key));

    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ kind: 'object', value: { sku: 'A-1', quantity: 2 } });
  });

  it('hands a decrypted text body to the route as a string', async () => {
    await startEcho([decryptRequest({ key })]);

    const response = await post(encrypt('plain words', key, { contentType: 'text/plain' }));

    expect(JSON.parse(response.text)).toEqual({ kind: 'string', value: 'plain words' });
  });

  it('hands a decrypted binary body to the route as a Buffer', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await startEcho([decryptRequest({ key })]);

    const response = await post(encrypt(new Uint8Array(bytes), key));

    expect(JSON.parse(response.text)).toEqual({ kind: 'buffer', base64: bytes.toString('base64') });
  });

  it('reads the kid of a keyring body', async () => {
    await startEcho([decryptRequest({ keyring })]);

    const response = await post(encrypt({ rotated: true }, keyring));

    expect(JSON.parse(response.text)).toEqual({ kind: 'object', value: { rotated: true } });
  });

  it('decrypts a body encrypted to the server’s public key', async () => {
    await startEcho([decryptRequest({ key, privateKey: serverPair.privateKey.export({ format: 'jwk' }) })]);

    const response = await post(await encryptForPublicKey({ card: 'tokenized' }, serverPublicJwk));

    expect(JSON.parse(response.text)).toEqual({ kind: 'object', value: { card: 'tokenized' } });
  });

  it('works in front of validateBody', async () => {
    const order = z.object({ sku: z.string(), quantity: z.number().int().min(1) });
    await startEcho([decryptRequest({ key }), validateBody(order)]);

    const valid = await post(encrypt({ sku: 'A-1', quantity: 3 }, key));
    const invalid = await post(encrypt({ sku: 'A-1', quantity: 0 }, key));

    expect(JSON.parse(valid.text)).toEqual({ kind: 'object', value: { sku: 'A-1', quantity: 3 } });
    expect(invalid.status).toBe(422);
  });

  if (framework.kind === 'express') {
    it('keeps its body behind express.json()', async () => {
      await startEcho([decryptRequest({ key })], { jsonParser: true });

      const encrypted = await post(encrypt({ via: 'jose' }, key));
      const plain = await post(JSON.stringify({ via: 'json' }), { 'content-type': 'application/json' });

      expect(JSON.parse(encrypted.text)).toEqual({ kind: 'object', value: { via: 'jose' } });
      expect(JSON.parse(plain.text)).toEqual({ kind: 'object', value: { via: 'json' } });
    });
  }

  if (framework.kind === 'express') {
    it('takes the token from express.text() when it read the body', async () => {
      const express = (await import('express')).default;
      await startEcho([express.text({ type: 'application/jose' }), decryptRequest({ key })]);

      const response = await post(encrypt({ via: 'text parser' }, key));

      expect(JSON.parse(response.text)).toEqual({ kind: 'object', value: { via: 'text parser' } });
    });
  }

  it('passes other media types through unread', async () => {
    await startEcho([decryptRequest({ key })]);

    const response = await post('a=1', { 'content-type': 'application/x-www-form-urlencoded' });

    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ kind: 'undefined' });
  });

  it('rejects other media types with rejectUnencrypted', async () => {
    await startEcho([decryptRequest({ key, rejectUnencrypted: true })]);

    const json = await post(JSON.stringify({ a: 1 }), { 'content-type': 'application/json' });
    const bodyless = await fetch(`${app!.url}/echo`, { method: 'POST' });

    expect(json.status).toBe(415);
    expect(JSON.parse(json.text)).toMatchObject({ code: 'ERR_UNSUPPORTED_MEDIA_TYPE' });
    expect(bodyless.status).toBe(200);
  });

  it('answers an oversized body like a tampered one', async () => {
    await startEcho([decryptRequest({ key, limit: 1024 })]);

    const oversized = await post(encrypt({ blob: 'x'.repeat(2048) }, key));
    const tampered = await post(tamper(encrypt({ blob: 'x' }, key), 3));

    expect(oversized.status).toBe(400);
    expect(oversized.text).toBe(tampered.text);
    expect(JSON.parse(oversized.text)).toMatchObject({ code: 'ERR_DECRYPTION_FAILED' });
  });

  it('rejects prototype pollution inside the ciphertext', async () => {
    await startEcho([decryptRequest({ key })]);

    const response = await post(encrypt('{"__proto__":{"admin":true}}', key, { contentType: 'application/json' }));

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ code: 'ERR_BODY_FORBIDDEN_KEY' });
  });

  describe('answers every attack with the same 400', () => {
    const plaintext = { amount: 100 };
    let attacks: Array<[string, string]>;

    beforeAll(async () => {
      const good = encrypt(plaintext, keyring);
      const foreignRing = createKeyring({ current: 'k9', keys: { k9: generateSecretKey() } });
      const zipped = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(plaintext)))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', zip: 'DEF', kid: 'k2', cty: 'json' })
        .encrypt(base64url.decode(key));
      const unsignedHeader = base64url.encode(JSON.stringify({ alg: 'none', enc: 'A256GCM', kid: 'k2' }));
      const [, ...rest] = good.split('.');

      attacks = [
        ['a tampered ciphertext', tamper(good, 3)],
        ['a tampered tag', tamper(good, 4)],
        ['a tampered IV', tamper(good, 2)],
        ['a swapped protected header', [base64url.encode(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: 'k2', cty: 'text/plain' })), ...rest].join('.')],
        ['a body encrypted with the wrong key', encrypt(plaintext, otherKey)],
        ['a body with an unknown kid', encrypt(plaintext, foreignRing)],
        ['a compressed (zip) body', zipped],
        ['an alg of none', [unsignedHeader, ...rest].join('.')],
        ['a body encrypted to a public key the server lacks', await encryptForPublicKey(plaintext, serverPublicJwk)],
        ['a truncated token', good.split('.').slice(0, 4).join('.')],
        ['text that is not a JWE', 'hello'],
        ['an empty body', ''],
      ];
    });

    it('gives one status and one body for every cause', async () => {
      await startEcho([decryptRequest({ keyring })]);

      const responses = [];
      for (const [attack, token] of attacks) {
        responses.push({ attack, ...(await post(token)) });
      }

      expect(responses).toHaveLength(12);
      for (const response of responses) {
        expect({ attack: response.attack, status: response.status }).toEqual({ attack: response.attack, status: 400 });
        expect(response.text).toBe(responses[0]!.text);
      }
      expect(JSON.parse(responses[0]!.text)).toEqual({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        code: 'ERR_DECRYPTION_FAILED',
        detail: 'The request body could not be decrypted.',
      });
    });
  });
});
