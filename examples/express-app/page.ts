import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import express, { type Request, type RequestHandler, type Response } from 'express';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

// jose's browser build: the same ES modules that Node runs, served as they are installed.
const JOSE_DIR = dirname(createRequire(import.meta.url).resolve('jose'));

const STATIC_OPTIONS = { index: false, dotfiles: 'ignore', redirect: false, fallthrough: true } as const;

/**
 * Serves the orders page at `/`, its script and stylesheet under `/assets/`, and jose's browser
 * build under `/vendor/jose/`, all behind `headers` (the `pages` preset with a CSP nonce).
 *
 * The nonce goes into the one `<script>` tag of the page. The page has no inline script, style or
 * event handler, so its policy needs no `'unsafe-inline'`.
 */
export function mountPage(app: express.Express, headers: RequestHandler): void {
  const template = readFileSync(new URL('./public/index.html', import.meta.url), 'utf8');

  app.get('/', headers, (_request: Request, response: Response) => {
    const nonce = response.locals.cspNonce;
    if (typeof nonce !== 'string') {
      throw new Error('securityHeaders did not set res.locals.cspNonce; pass { nonce: true }.');
    }
    response.type('html').send(template.replaceAll('{{cspNonce}}', nonce));
  });

  app.use('/assets', headers, express.static(PUBLIC_DIR, STATIC_OPTIONS));
  app.use('/vendor/jose', headers, express.static(JOSE_DIR, STATIC_OPTIONS));
}
