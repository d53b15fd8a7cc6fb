import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ALICE, BOB } from './client.js';
import { makeDataDir, removeDataDir, startApp, type RunningApp } from './processes.js';

// Debian's chromium package, driven through playwright-core; no browser is downloaded.
const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const STEP_TIMEOUT_MS = 20_000;

// Makes WebCrypto reject X25519, as browsers without it do, so the page takes its P-256 path.
const WITHOUT_X25519 = `
  const generateKey = crypto.subtle.generateKey.bind(crypto.subtle);
  crypto.subtle.generateKey = (algorithm, ...rest) =>
    algorithm && algorithm.name === 'X25519'
      ? Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'))
      : generateKey(algorithm, ...rest);
`;

// Runs in the page before its own script and records every CSP violation the browser reports.
const RECORD_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
  });
`;

// fetch normalizes `..` and `%2e%2e` segments away before sending, so this sends the path as written.
function getRawPath(baseUrl: string, path: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = get({ hostname, port, path, timeout: 10_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${path} timed out`)));
    request.on('error', reject);
  });
}

describe('orders page in headless Chromium', () => {
  let dataDir: string;
  let profileDir: string;
  let app: RunningApp;
  let context: BrowserContext;
  let page: Page;
  const consoleProblems: string[] = [];

  beforeAll(async () => {
    dataDir = makeDataDir();
    profileDir = mkdtempSync(join(tmpdir(), 'bulwark-chromium-'));
    app = await startApp('express', { DATA_DIR: dataDir });

    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.addInitScript(RECORD_VIOLATIONS);
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        consoleProblems.push(`${message.type()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) {
        consoleProblems.push(`response: ${response.status()} ${new URL(response.url()).pathname}`);
      }
    });
  });

  afterAll(async () => {
    await context?.close();
    await app?.stop();
    removeDataDir(dataDir);
    removeDataDir(profileDir);
  });

  it('serves the page with a fresh CSP nonce and no unsafe-inline', async () => {
    const first = await fetch(`${app.url}/`);
    const second = await fetch(`${app.url}/`);
    const policy = first.headers.get('content-security-policy') ?? '';
    const html = await first.text();

    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(second.headers.get('content-security-policy')).not.toContain(`'nonce-${nonce}'`);
    await second.text();
  });

  it('serves jose under the pages policy', async () => {
    const response = await fetch(`${app.url}/vendor/jose/index.js`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('compactDecrypt');
  });

  it.each(['/vendor/jose/../../package.json', '/vendor/jose/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fserver.ts'])(
    'blocks path traversal through %s',
    async (path) => {
      const { status, text } = await getRawPath(app.url, path);

      expect([400, 403, 404]).toContain(status);
      expect(text).not.toContain('"dependencies"');
      expect(text).not.toContain('createAppContext');
    },
  );

  it('logs in, orders and decrypts a receipt', async () => {
    await page.goto(`${app.url}/`);

    await page.fill('#login-form input[name="username"]', ALICE.username);
    await page.fill('#login-form input[name="password"]', ALICE.password);
    await page.click('#login-form button[type="submit"]');
    await page.waitForSelector('#account-section:not([hidden])');
    expect(await page.textContent('#display-name')).toBe('Alice Archer');
    expect(await page.textContent('#key-info')).toBe('X25519, generated in this browser');

    await page.selectOption('#order-form select[name="sku"]', 'KETTLE-1L');
    await page.fill('#order-form input[name="quantity"]', '2');
    await page.click('#order-form button[type="submit"]');
    await page.waitForSelector('#orders-body tr');
    expect(await page.textContent('#orders-body tr')).toContain('68.00');

    await page.click('#orders-body .receipt-button');
    await page.waitForSelector('#receipt-section:not([hidden])');
    const receipt = JSON.parse((await page.textContent('#receipt-output'))!) as Record<string, any>;
    expect(receipt.customer).toBe('Alice Archer');
    expect(receipt.totalCents).toBe(6800);
    expect(receipt.shipTo.city).toBe('Berlin');
    expect(await page.textContent('#receipt-header')).toMatch(/^alg ECDH-ES(\+A\d+KW)?, enc A\d+GCM$/);

    await page.click('#logout-button');
    await page.waitForSelector('#login-section:not([hidden])');
    expect(await page.textContent('#status')).toContain('Logged out');
  });

  it('reports no CSP violation or console error', async () => {
    const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

    expect(violations).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });

  it('falls back to a P-256 key without X25519', async () => {
    const fallbackPage = await context.newPage();
    const problems: string[] = [];
    fallbackPage.setDefaultTimeout(STEP_TIMEOUT_MS);
    fallbackPage.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await fallbackPage.addInitScript(RECORD_VIOLATIONS);
    await fallbackPage.addInitScript(WITHOUT_X25519);

    try {
      await fallbackPage.goto(`${app.url}/`);
      await fallbackPage.fill('#login-form input[name="username"]', BOB.username);
      await fallbackPage.fill('#login-form input[name="password"]', BOB.password);
      await fallbackPage.click('#login-form button[type="submit"]');
      await fallbackPage.waitForSelector('#account-section:not([hidden])');
      expect(await fallbackPage.textContent('#key-info')).toBe('P-256, generated in this browser');

      await fallbackPage.click('#order-form button[type="submit"]');
      await fallbackPage.waitForSelector('#orders-body tr');
      await fallbackPage.click('#orders-body .receipt-button');
      await fallbackPage.waitForSelector('#receipt-section:not([hidden])');
      const receipt = JSON.parse((await fallbackPage.textContent('#receipt-output'))!) as Record<string, any>;
      expect(receipt.customer).toBe('Bob Baker');

      const violations = await fallbackPage.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
      expect(violations).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await fallbackPage.close();
    }
  });
});
