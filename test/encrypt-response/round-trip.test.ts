import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import { base64url, compactDecrypt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';

import { createKeyring, decrypt, decryptResponse, generateSecretKey } from 'bulwark/core';

import { frameworks, type RunningApp } from '../helpers/frameworks.js';
import { handler } from './handlers.js';
import { readToken } from './interop.js';

async function readWithJose(token: string, key: string) {
  return compactDecrypt(token, base64url.decode(key), {
    keyManagementAlgorithms: ['dir'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
}

describe.each(frameworks)('encryptResponse on $name', (framework) => {
  const { encryptResponse } = framework.bulwark;
  const key = generateSecretKey();
  let app: RunningApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('encrypts a JSON body that jose reads', async () => {
    app = await framework.start([
      { method: 'get', path: '/report', middleware: [encryptResponse({ key })], handle: () => ({ body: { total: 42, items: ['a', 'b'] } }) },
    ]);

    const response = await fetch(`${app.url}/report`);
    const token = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jose');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(token)));
    expect(response.headers.get('etag')).toBeNull();
    expect(token).not.toContain('total');

    const { plaintext, protectedHeader } = await readWithJose(token, key);
    expect(protectedHeader).toMatchObject({ alg: 'dir', enc: 'A256GCM', cty: 'json' });
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual({ total: 42, items: ['a', 'b'] });
    expect(await readToken(token, key)).toEqual({ total: 42, items: ['a', 'b'] });
  });

  it('encrypts a text body with its media type in cty', async () => {
    app = await framework.start([
      { method: 'get', path: '/csv', middleware: [encryptResponse({ key })], handle: () => ({ raw: 'id,total\n1,42\n', contentType: 'text/csv' }) },
    ]);

    const token = await (await fetch(`${app.url}/csv`)).text();

    const { plaintext, protectedHeader } = await readWithJose(token, key);
    expect(protectedHeader.cty).toBe('text/csv');
    expect(new TextDecoder().decode(plaintext)).toBe('id,total\n1,42\n');
    expect(await readToken(token, key)).toBe('id,total\n1,42\n');
  });

  it('encrypts a binary body byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    app = await framework.start([
      { method: 'get', path: '/blob', middleware: [encryptResponse({ key })], handle: () => ({ raw: bytes, contentType: 'application/octet-stream' }) },
    ]);

    const token = await (await fetch(`${app.url}/blob`)).text();

    const { plaintext, protectedHeader } = await readWithJose(token, key);
    expect(protectedHeader.cty).toBe('octet-stream');
    expect(Buffer.from(plaintext).equals(bytes)).toBe(true);
  });

  it('collects a streamed body before encrypting it', async () => {
    const parts = ['first line\n', 'second line\n', 'third line\n'];
    app = await framework.start([
      {
        method: 'get',
        path: '/stream',
        middleware: [
          encryptResponse({ key }),
          handler(framework, {
            express: (_req, res) => {
              res.type('text/plain');
              Readable.from(parts).pipe(res);
            },
            koa: (ctx) => {
              ctx.type = 'text/plain';
              ctx.body = Readable.from(parts);
            },
          }),
        ],
      },
    ]);

    const token = await (await fetch(`${app.url}/stream`)).text();

    expect(await readToken(token, key)).toBe(parts.join(''));
  });

  // Koa 3 sends Blob and web stream bodies; Koa 2 serializes them as JSON objects.
  if (framework.name === 'koa3') {
    it('collects Blob and web stream bodies', async () => {
      app = await framework.start([
        {
          method: 'get',
          path: '/blob',
          middleware: [
            encryptResponse({ key }),
            (ctx: any) => {
              ctx.type = 'text/plain';
              ctx.body = new Blob(['from a blob']);
            },
          ],
        },
        {
          method: 'get',
          path: '/web-stream',
          middleware: [
            encryptResponse({ key }),
            (ctx: any) => {
              ctx.type = 'text/plain';
              ctx.body = new ReadableStream({
                start(controller) {
                  controller.enqueue(new TextEncoder().encode('from a '));
                  controller.enqueue(new TextEncoder().encode('web stream'));
                  controller.close();
                },
              });
            },
          ],
        },
      ]);

      const blob = await (await fetch(`${app.url}/blob`)).text();
      const webStream = await (await fetch(`${app.url}/web-stream`)).text();

      expect(await readToken(blob, key)).toBe('from a blob');
      expect(await readToken(webStream, key)).toBe('from a web stream');
    });
  }

  it('decodes a gzip body before encrypting it', async () => {
    const json = JSON.stringify({ compressed: true });
    app = await framework.start([
      {
        method: 'get',
        path: '/gzip',
        middleware: [
          encryptResponse({ key }),
          handler(framework, {
            express: (_req, res) => {
              res.set('content-encoding', 'gzip').type('application/json').end(gzipSync(json));
            },
            koa: (ctx) => {
              ctx.set('content-encoding', 'gzip');
              ctx.type = 'application/json';
              ctx.body = gzipSync(json);
            },
          }),
        ],
      },
    ]);

    const response = await fetch(`${app.url}/gzip`);

    expect(response.headers.get('content-encoding')).toBeNull();
    expect(await readToken(await response.text(), key)).toEqual({ compressed: true });
  });

  if (framework.kind === 'express') {
    it('holds back headers given to writeHead', async () => {
      app = await framework.start([
        {
          method: 'get',
          path: '/head',
          middleware: [
            encryptResponse({ key }),
            (_req: any, res: any) => {
              res.writeHead(202, { 'content-type': 'application/json', 'x-batch': 'b1' });
              res.flushHeaders();
              res.end('{"queued":true}');
            },
          ],
        },
      ]);

      const response = await fetch(`${app.url}/head`);

      expect(response.status).toBe(202);
      expect(response.headers.get('x-batch')).toBe('b1');
      expect(response.headers.get('content-type')).toBe('application/jose');
      expect(await readToken(await response.text(), key)).toEqual({ queued: true });
    });
  }

  it('keeps the status and the route headers', async () => {
    app = await framework.start([
      {
        method: 'post',
        path: '/orders',
        middleware: [
          encryptResponse({ key }),
          handler(framework, {
            express: (_req, res) => {
              res.set({ location: '/orders/7', vary: 'Origin', 'x-order-id': '7' }).status(201).json({ id: 7 });
            },
            koa: (ctx) => {
              ctx.set({ location: '/orders/7', vary: 'Origin', 'x-order-id': '7' });
              ctx.status = 201;
              ctx.body = { id: 7 };
            },
          }),
        ],
      },
    ]);

    const response = await fetch(`${app.url}/orders`, { method: 'POST' });

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/orders/7');
    expect(response.headers.get('x-order-id')).toBe('7');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(await readToken(await response.text(), key)).toEqual({ id: 7 });
  });

  it('reads old and new responses with a rotated keyring', async () => {
    const oldKey = generateSecretKey();
    const newKey = generateSecretKey();
    const before = createKeyring({ current: 'k1', keys: { k1: oldKey } });
    const after = createKeyring({ current: 'k2', keys: { k1: oldKey, k2: newKey } });
    app = await framework.start([
      { method: 'get', path: '/before', middleware: [encryptResponse({ keyring: before })], handle: () => ({ body: { era: 'old' } }) },
      { method: 'get', path: '/after', middleware: [encryptResponse({ keyring: after })], handle: () => ({ body: { era: 'new' } }) },
    ]);

    const oldToken = await (await fetch(`${app.url}/before`)).text();
    const newToken = await (await fetch(`${app.url}/after`)).text();

    expect(decodeProtectedHeader(oldToken).kid).toBe('k1');
    expect(decodeProtectedHeader(newToken).kid).toBe('k2');
    expect(decrypt(oldToken, after)).toEqual({ era: 'old' });
    expect(await readToken(oldToken, oldKey)).toEqual({ era: 'old' });
    expect(decrypt(newToken, after)).toEqual({ era: 'new' });
    expect(await readToken(newToken, newKey)).toEqual({ era: 'new' });
    expect(await decryptResponse(newToken, { k1: oldKey, k2: newKey })).toEqual({ era: 'new' });
  });

  it('stops a second client from reading the first one’s body', async () => {
    const clientKeys: Record<string, string> = { alice: generateSecretKey(), bob: generateSecretKey() };
    const getKey = (request: any) => {
      const headers = framework.kind === 'express' ? request.headers : request.req.headers;
      return clientKeys[String(headers['x-client'])];
    };
    app = await framework.start([
      { method: 'get', path: '/statement', middleware: [encryptResponse({ getKey })], handle: (view) => ({ body: { owner: view.headers['x-client'] } }) },
    ]);

    const aliceToken = await (await fetch(`${app.url}/statement`, { headers: { 'x-client': 'alice' } })).text();

    expect(await readToken(aliceToken, clientKeys.alice!)).toEqual({ owner: 'alice' });
    expect(() => decrypt(aliceToken, clientKeys.bob!)).toThrow(expect.objectContaining({ code: 'ERR_DECRYPTION_FAILED' }));
    await expect(readWithJose(aliceToken, clientKeys.bob!)).rejects.toThrow();
  });

  it.each(['X25519', 'P-256'] as const)('encrypts to the client’s %s public key', async (curve) => {
    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: curve, extractable: true });
    const clientJwk = { ...(await exportJWK(publicKey)), kid: 'client-1' };
    const auth = { sub: 'client-1', cnf: { jwk: clientJwk } };
    const setAuth = framework.kind === 'express'
      ? (req: any, _res: any, next: any) => { req.auth = auth; next(); }
      : async (ctx: any, next: any) => { ctx.state.auth = auth; await next(); };
    const getPublicKey = (request: any) => (framework.kind === 'express' ? request.auth : request.state.auth).cnf.jwk;
    app = await framework.start([
      { method: 'get', path: '/me', middleware: [setAuth, encryptResponse({ getPublicKey })], handle: () => ({ body: { name: 'Alice' } }) },
    ]);

    const response = await fetch(`${app.url}/me`);
    const token = await response.clone().text();

    const { plaintext, protectedHeader } = await compactDecrypt(token, privateKey, {
      keyManagementAlgorithms: ['ECDH-ES+A256KW'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'json', kid: 'client-1' });
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual({ name: 'Alice' });
    expect(await decryptResponse(response, await exportJWK(privateKey) as any)).toEqual({ name: 'Alice' });
  });

  if (framework.kind === 'express') {
    it('sends the whole file for a Range request', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'bulwark-range-'));
      const file = join(directory, 'report.txt');
      writeFileSync(file, '0123456789abcdef');
      app = await framework.start([
        { method: 'get', path: '/file', middleware: [encryptResponse({ key }), (_req: any, res: any) => res.sendFile(file)] },
      ]);

      try {
        const response = await fetch(`${app.url}/file`, { headers: { range: 'bytes=0-3' } });

        expect(response.status).toBe(200);
        expect(response.headers.get('content-range')).toBeNull();
        expect(response.headers.get('accept-ranges')).toBeNull();
        expect(response.headers.get('last-modified')).not.toBeNull();
        expect(await readToken(await response.text(), key)).toBe('0123456789abcdef');
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });
  }
});
