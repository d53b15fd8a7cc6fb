import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build } from 'esbuild';
import { exportJWK, generateKeyPair } from 'jose';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { encrypt, encryptForPublicKey, generateSecretKey } from 'bulwark/core';

// Debian's chromium package, driven through playwright-core; no browser is downloaded.
const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

describe('decryptResponse in headless Chromium', () => {
  let bundle: string;
  let profileDir: string;
  let context: BrowserContext;
  let server: Server;
  let pageUrl: string;

  beforeAll(async () => {
    // A browser bundle fails to build if the file reaches a Node module at runtime.
    const result = await build({
      entryPoints: [join(import.meta.dirname, '../../src/jwe/decrypt-response.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'bulwarkJwe',
      write: false,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0]!.text;

    // WebCrypto exists only in a secure context, and http://127.0.0.1 is one (about:blank is not).
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end('<!doctype html><title>decryptResponse</title>');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

    profileDir = mkdtempSync(join(tmpdir(), 'bulwark-jwe-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await context?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('bundles without Node modules', () => {
    expect(bundle).not.toMatch(/require\(["']node:/);
    expect(bundle).toContain('decryptResponse');
  });

  it('reads shared-key and public-key responses', async () => {
    const key = generateSecretKey();
    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519', extractable: true });
    const sharedToken = encrypt({ from: 'server', items: [1, 2] }, key);
    const segments = sharedToken.split('.');
    segments[3] = (segments[3]!.startsWith('A') ? 'B' : 'A') + segments[3]!.slice(1);
    const tamperedToken = segments.join('.');
    const publicToken = await encryptForPublicKey('only for this browser', await exportJWK(publicKey));
    const privateJwk = await exportJWK(privateKey);

    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(pageUrl);
    await page.addScriptTag({ content: bundle });

    const results = await page.evaluate(
      async ({ sharedToken, tamperedToken, publicToken, key, privateJwk }) => {
        const { decryptResponse } = (window as any).bulwarkJwe;
        const asResponse = (token: string) => new Response(token, { headers: { 'content-type': 'application/jose' } });
        let failure = '';
        try {
          await decryptResponse(asResponse(tamperedToken), key);
        } catch (error) {
          failure = (error as { code: string }).code;
        }
        return {
          shared: await decryptResponse(asResponse(sharedToken), key),
          publicKey: await decryptResponse(asResponse(publicToken), privateJwk),
          failure,
        };
      },
      { sharedToken, tamperedToken, publicToken, key, privateJwk },
    );

    expect(results.shared).toEqual({ from: 'server', items: [1, 2] });
    expect(results.publicKey).toBe('only for this browser');
    expect(results.failure).toBe('ERR_DECRYPTION_FAILED');
  });
});
