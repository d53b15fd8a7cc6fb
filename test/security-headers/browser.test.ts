import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { frameworks, type RouteSpec } from '../helpers/frameworks.js';

// Debian's chromium package; playwright-core drives it without downloading a browser of its own.
const CHROMIUM_PATH = '/usr/bin/chromium';

let browser: Browser;

beforeAll(async () => {
  expect(existsSync(CHROMIUM_PATH)).toBe(true);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
});

// A page with one script that carries the response's nonce, and the kinds of markup an XSS
// injection would add: an inline script, an event handler attribute and a plugin object.
function pageWith(nonce: string): string {
  return `<!doctype html>
<html><head><title>before</title>
<style nonce="${nonce}">body { color: #222; }</style>
<script nonce="${nonce}">document.title = 'nonce script ran';</script>
</head><body>
<script>window.injectedScriptRan = true;</script>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.injectedHandlerRan = true">
<object data="data:text/html,<p>plugin</p>"></object>
</body></html>`;
}

const PAGE_ROUTE: RouteSpec = {
  method: 'get',
  path: '/page',
  handle: ({ locals }) => ({ raw: pageWith(String(locals.cspNonce)), contentType: 'text/html' }),
};

describe.each(frameworks)('securityHeaders pages preset in Chromium on $name', (framework) => {
  it('runs the nonce script and blocks injected ones (XSS)', async () => {
    const app = await framework.start([PAGE_ROUTE], { use: [framework.bulwark.securityHeaders({ preset: 'pages', nonce: true })] });
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    const consoleWarnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        consoleErrors.push(message.text());
      }
      if (message.type() === 'warning') {
        consoleWarnings.push(message.text());
      }
    });

    try {
      await page.goto(`${app.url}/page`);
      expect(await page.title()).toBe('nonce script ran');
      expect(await page.evaluate(() => (window as any).injectedScriptRan)).toBeUndefined();
      expect(await page.evaluate(() => (window as any).injectedHandlerRan)).toBeUndefined();

      expect(consoleErrors.some((text) => text.includes('Content Security Policy'))).toBe(true);
      // Chromium reports an unknown Permissions-Policy feature as a console warning.
      const messages = [...consoleErrors, ...consoleWarnings];
      expect(messages.filter((text) => /Permissions-Policy|Unrecognized feature/i.test(text))).toEqual([]);
    } finally {
      await page.close();
      await app.close();
    }
  });

  it('refuses to be framed by another origin (clickjacking)', async () => {
    const app = await framework.start([PAGE_ROUTE], { use: [framework.bulwark.securityHeaders({ preset: 'pages', nonce: true })] });
    const attacker = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><iframe src="${app.url}/page"></iframe>`);
    });
    attacker.listen(0, '127.0.0.2');
    await once(attacker, 'listening');
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        consoleErrors.push(message.text());
      }
    });

    try {
      const { port } = attacker.address() as AddressInfo;
      const refusal = page.waitForEvent('console', { predicate: (message) => message.text().includes('frame-ancestors') });
      await page.goto(`http://127.0.0.2:${port}/`);
      await refusal;

      const framed = page.frames().find((frame) => frame.url().startsWith(app.url));
      const framedTitle = framed === undefined ? undefined : await framed.title().catch(() => undefined);
      expect(framedTitle).not.toBe('nonce script ran');
      expect(consoleErrors.some((text) => text.includes('frame-ancestors'))).toBe(true);
    } finally {
      await page.close();
      attacker.closeAllConnections();
      attacker.close();
      await app.close();
    }
  });
});
