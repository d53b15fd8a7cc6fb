import { decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';

import { generateSecretKey } from 'bulwark/core';

import { frameworks, type RunningApp } from '../helpers/frameworks.js';
import { handler } from './handlers.js';
import { readToken } from './interop.js';
import { rawRequest } from './wire.js';

describe.each(frameworks)('encryptResponse pass-through on $name', (framework) => {
  const { encryptResponse } = framework.bulwark;
  const key = generateSecretKey();
  let app: RunningApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  describe('when: accept', () => {
    it('encrypts only when Accept asks for application/jose', async () => {
      app = await framework.start([
        { method: 'get', path: '/data', middleware: [encryptResponse({ key, when: 'accept' })], handle: () => ({ body: { n: 1 } }) },
      ]);

      const plain = await fetch(`${app.url}/data`, { headers: { accept: 'application/json' } });
      const wildcard = await fetch(`${app.url}/data`, { headers: { accept: '*/*' } });
      const refused = await fetch(`${app.url}/data`, { headers: { accept: 'application/jose;q=0' } });
      const encrypted = await fetch(`${app.url}/data`, { headers: { accept: 'application/json;q=0.5, application/jose' } });

      expect(await plain.json()).toEqual({ n: 1 });
      expect(await wildcard.json()).toEqual({ n: 1 });
      expect(await refused.json()).toEqual({ n: 1 });
      expect(encrypted.headers.get('content-type')).toBe('application/jose');
      expect(await readToken(await encrypted.text(), key)).toEqual({ n: 1 });
      for (const response of [plain, wildcard, refused, encrypted]) {
        expect(response.headers.get('vary')).toMatch(/\bAccept\b/);
      }
    });
  });

  it('keeps Accept in a Vary header that the route replaced', async () => {
    app = await framework.start([
      {
        method: 'get',
        path: '/vary',
        middleware: [
          encryptResponse({ key, when: 'accept' }),
          handler(framework, {
            express: (_req, res) => res.set('vary', 'Origin').json({ v: 1 }),
            koa: (ctx) => {
              ctx.set('vary', 'Origin');
              ctx.body = { v: 1 };
            },
          }),
        ],
      },
    ]);

    const response = await fetch(`${app.url}/vary`, { headers: { accept: 'application/jose' } });

    expect(response.headers.get('vary')).toBe('Origin, Accept');
    expect(await readToken(await response.text(), key)).toEqual({ v: 1 });
  });

  describe('error problems', () => {
    const { HttpError } = framework.bulwark;
    const unauthorized = () => {
      throw new HttpError(401, 'ERR_TOKEN_MISSING', 'A bearer token is required.', { headers: { 'www-authenticate': 'Bearer' } });
    };

    it('leaves a 401 problem readable by default', async () => {
      app = await framework.start([{ method: 'get', path: '/private', middleware: [encryptResponse({ key })], handle: unauthorized }]);

      const response = await fetch(`${app.url}/private`);

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ status: 401, code: 'ERR_TOKEN_MISSING' });
    });

    it('encrypts the problem with encryptErrors', async () => {
      app = await framework.start([
        { method: 'get', path: '/private', middleware: [encryptResponse({ key, encryptErrors: true })], handle: unauthorized },
      ]);

      const response = await fetch(`${app.url}/private`);
      const token = await response.text();

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/jose');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(decodeProtectedHeader(token).cty).toBe('problem+json');
      expect(await readToken(token, key)).toMatchObject({ status: 401, code: 'ERR_TOKEN_MISSING' });
    });
  });

  describe('responses without a body', () => {
    it('gives HEAD no plaintext ETag (guess confirmation)', async () => {
      // An ETag of the plaintext lets anyone who can read the headers confirm a guessed body.
      const setEtag =
        framework.kind === 'express'
          ? (_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => {
              response.setHeader('etag', '"plaintext-hash"');
              next();
            }
          : async (context: { set(name: string, value: string): void }, next: () => Promise<void>) => {
              await next();
              context.set('etag', '"plaintext-hash"');
            };
      app = await framework.start([
        { method: 'get', path: '/data', middleware: [encryptResponse({ key }), setEtag], handle: () => ({ body: { balance: 1234 } }) },
      ]);

      const head = await fetch(`${app.url}/data`, { method: 'HEAD' });
      const get = await fetch(`${app.url}/data`);

      expect(head.status).toBe(200);
      expect(head.headers.get('etag')).toBeNull();
      expect(head.headers.get('content-type')).toBe('application/jose');
      expect(head.headers.get('cache-control')).toBe('no-store');
      expect(await head.text()).toBe('');
      expect(get.headers.get('etag')).toBeNull();
      expect(await readToken(await get.text(), key)).toEqual({ balance: 1234 });
    });

    it('ignores a guessed If-None-Match (guess confirmation)', async () => {
      // The route's ETag identifies the plaintext, so a 304 would confirm that a guess is right.
      const validate =
        framework.kind === 'express'
          ? (_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => {
              response.setHeader('etag', '"balance-1234"');
              next();
            }
          : async (context: { etag: string; fresh: boolean; status: number }, next: () => Promise<void>) => {
              await next();
              context.etag = '"balance-1234"';
              if (context.fresh) {
                context.status = 304;
              }
            };
      app = await framework.start([
        { method: 'get', path: '/data', middleware: [encryptResponse({ key }), validate], handle: () => ({ body: { balance: 1234 } }) },
      ]);

      const response = await rawRequest(app.url, { path: '/data', headers: { 'if-none-match': '"balance-1234"' } });

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/jose');
      expect(response.headers.etag).toBeUndefined();
      expect(await readToken(response.body.toString(), key)).toEqual({ balance: 1234 });
    });

    it('passes 204 through untouched', async () => {
      app = await framework.start([{ method: 'delete', path: '/data', middleware: [encryptResponse({ key })], handle: () => ({ status: 204 }) }]);

      const response = await fetch(`${app.url}/data`, { method: 'DELETE' });

      expect(response.status).toBe(204);
      expect(response.headers.get('content-type')).toBeNull();
      expect(await response.text()).toBe('');
    });

    it('passes 304 through untouched', async () => {
      app = await framework.start([
        {
          method: 'get',
          path: '/cached',
          middleware: [
            encryptResponse({ key }),
            handler(framework, {
              express: (_req, res) => res.set('etag', '"v1"').status(304).end(),
              koa: (ctx) => {
                ctx.set('etag', '"v1"');
                ctx.status = 304;
              },
            }),
          ],
        },
      ]);

      const response = await fetch(`${app.url}/cached`, { headers: { 'if-none-match': '"v1"' } });

      expect(response.status).toBe(304);
      expect(response.headers.get('etag')).toBe('"v1"');
      expect(response.headers.get('content-type')).toBeNull();
      expect(await response.text()).toBe('');
    });
  });
});
