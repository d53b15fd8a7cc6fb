import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

import express from 'express';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';

import { resolveHelmetOptions } from '../../middleware/http/security-headers-helmet.js';
import { frameworks, type Framework, type RouteSpec, type StartOptions } from '../helpers/frameworks.js';

// The headers that helmet 8 and bulwark set. Anything else on a response comes from the framework.
const SECURITY_HEADERS = [
  'content-security-policy',
  'content-security-policy-report-only',
  'cross-origin-embedder-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'permissions-policy',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-powered-by',
  'x-xss-protection',
];

const DEFAULT_PERMISSIONS_POLICY =
  'accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), geolocation=(), ' +
  'gyroscope=(), hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), ' +
  'picture-in-picture=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()';

const API_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'permissions-policy': DEFAULT_PERMISSIONS_POLICY,
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

const PAGES_POLICY =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';" +
  "connect-src 'self';object-src 'none';base-uri 'none';frame-ancestors 'none';form-action 'self'";

function securityHeadersOf(response: Response): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of SECURITY_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) {
      picked[name] = value;
    }
  }
  return picked;
}

// A route that returns the nonce the middleware exposed, from res.locals or ctx.state.
const NONCE_ROUTE: RouteSpec = {
  method: 'get',
  path: '/page',
  handle: ({ locals }) => ({ body: { nonce: locals.cspNonce ?? null } }),
};

async function fetchFrom(
  framework: Framework,
  options: Record<string, unknown>,
  startOptions: StartOptions = {},
  count = 1,
): Promise<Response[]> {
  const middleware = framework.bulwark.securityHeaders(options);
  const app = await framework.start([NONCE_ROUTE], { ...startOptions, use: [...(startOptions.use ?? []), middleware] });
  try {
    const responses: Response[] = [];
    for (let index = 0; index < count; index += 1) {
      const response = await fetch(`${app.url}/page`);
      await response.clone().arrayBuffer();
      responses.push(response);
    }
    return responses;
  } finally {
    await app.close();
  }
}

// Starts a plain Express 5 app with helmet itself, for the comparison with bulwark's headers.
async function fetchFromHelmet(helmetOptions: Record<string, unknown>, fixedNonce?: string): Promise<Response> {
  const app = express();
  app.use((_request, response, next) => {
    response.locals.cspNonce = fixedNonce;
    next();
  });
  app.use(helmet(helmetOptions as Parameters<typeof helmet>[0]));
  app.get('/page', (_request, response) => {
    response.json({});
  });

  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    return await fetch(`http://127.0.0.1:${port}/page`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const nonceFromHelmetLocals = (_request: unknown, response: any) => `'nonce-${response.locals.cspNonce}'`;

describe.each(frameworks)('securityHeaders on $name', (framework) => {
  const { securityHeaders } = framework.bulwark;

  it('sends the api preset by default', async () => {
    const [response] = await fetchFrom(framework, {});
    expect(securityHeadersOf(response!)).toEqual(API_HEADERS);
  });

  it('sends the pages preset', async () => {
    const [response] = await fetchFrom(framework, { preset: 'pages' });
    expect(securityHeadersOf(response!)).toEqual({ ...API_HEADERS, 'content-security-policy': PAGES_POLICY });
  });

  it('stops clickjacking with frame-ancestors and X-Frame-Options', async () => {
    for (const preset of ['api', 'pages']) {
      const [response] = await fetchFrom(framework, { preset });
      expect(response!.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response!.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('stops MIME sniffing and disables the XSS auditor', async () => {
    const [response] = await fetchFrom(framework, {});
    expect(response!.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response!.headers.get('x-xss-protection')).toBe('0');
  });

  it('removes X-Powered-By (fingerprinting)', async () => {
    const announce = framework.kind === 'express'
      ? (_request: any, response: any, next: any) => {
          response.setHeader('x-powered-by', 'Express');
          next();
        }
      : async (context: any, next: any) => {
          context.set('x-powered-by', 'Koa');
          await next();
        };
    const [response] = await fetchFrom(framework, {}, { use: [announce] });
    expect(response!.headers.get('x-powered-by')).toBeNull();
  });

  it('issues a fresh nonce per response (nonce reuse)', async () => {
    const responses = await fetchFrom(framework, { preset: 'pages', nonce: true }, {}, 3);
    const nonces: string[] = [];
    for (const response of responses) {
      const { nonce } = (await response.json()) as { nonce: string };
      const policy = response.headers.get('content-security-policy')!;
      expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(policy).toContain(`script-src 'self' 'nonce-${nonce}'`);
      expect(policy).toContain(`style-src 'self' 'nonce-${nonce}'`);
      expect(policy).not.toContain('unsafe-inline');
      nonces.push(nonce);
    }
    expect(new Set(nonces).size).toBe(3);
  });

  it('exposes no nonce unless asked', async () => {
    const [response] = await fetchFrom(framework, { preset: 'pages' });
    expect((await response!.json()).nonce).toBeNull();
    expect(response!.headers.get('content-security-policy')).not.toContain('nonce-');
  });

  it('keeps the headers on error responses', async () => {
    const middleware = securityHeaders();
    const routes: RouteSpec[] = [
      {
        method: 'get',
        path: '/fail',
        handle: () => {
          throw new framework.bulwark.HttpError(404, 'ERR_NOT_FOUND', 'Order not found.');
        },
      },
    ];
    const app = await framework.start(routes, { use: [middleware] });
    try {
      const response = await fetch(`${app.url}/fail`);
      expect(response.status).toBe(404);
      expect(securityHeadersOf(response)).toEqual(API_HEADERS);
    } finally {
      await app.close();
    }
  });

  it('merges Permissions-Policy features over the default', async () => {
    const [response] = await fetchFrom(framework, {
      permissionsPolicy: { geolocation: ['self', 'https://maps.example.com'], camera: null, fullscreen: ['*'] },
    });
    const policy = response!.headers.get('permissions-policy')!;
    expect(policy).toContain('geolocation=(self "https://maps.example.com")');
    expect(policy).toContain('fullscreen=*');
    expect(policy).not.toContain('camera');
    expect(policy).toContain('microphone=()');
  });

  it('leaves Permissions-Policy out when disabled', async () => {
    const [response] = await fetchFrom(framework, { permissionsPolicy: false });
    expect(response!.headers.get('permissions-policy')).toBeNull();
  });

  it('passes helmet options through', async () => {
    const [response] = await fetchFrom(framework, {
      strictTransportSecurity: { maxAge: 600, preload: true },
      referrerPolicy: { policy: ['same-origin', 'strict-origin'] },
      crossOriginEmbedderPolicy: true,
      xFrameOptions: false,
      contentSecurityPolicy: { directives: { imgSrc: ["'self'", 'data:'], frameAncestors: null }, reportOnly: true },
    });
    const headers = securityHeadersOf(response!);
    expect(headers['strict-transport-security']).toBe('max-age=600; includeSubDomains; preload');
    expect(headers['referrer-policy']).toBe('same-origin,strict-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(headers['x-frame-options']).toBeUndefined();
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['content-security-policy-report-only']).toBe("default-src 'none';img-src 'self' data:");
  });
});

describe('securityHeaders against helmet', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['the api preset', {}],
    ['the pages preset', { preset: 'pages' }],
    [
      'pass-through options',
      {
        preset: 'pages',
        strictTransportSecurity: { maxAge: 86_400, includeSubDomains: false },
        crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
        crossOriginResourcePolicy: { policy: 'cross-origin' },
        originAgentCluster: false,
        xDnsPrefetchControl: { allow: true },
        contentSecurityPolicy: { directives: { 'connect-src': ["'self'", 'https://api.example.com'] } },
      },
    ],
    ['a CSP without the preset', { contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"] } } }],
  ];

  it.each(cases)('equals helmet for %s', async (_name, options) => {
    const { preset = 'api', ...passThrough } = options as { preset?: 'api' | 'pages' };
    const expected = securityHeadersOf(await fetchFromHelmet(resolveHelmetOptions(preset, passThrough)));
    delete expected['permissions-policy'];

    for (const framework of frameworks) {
      const [response] = await fetchFrom(framework, { ...options, permissionsPolicy: false });
      expect(securityHeadersOf(response!), framework.name).toEqual(expected);
    }
  });

  it('equals helmet with a per-request nonce', async () => {
    const helmetOptions = resolveHelmetOptions('pages', {}, nonceFromHelmetLocals);
    const expected = securityHeadersOf(await fetchFromHelmet(helmetOptions, 'FIXED-NONCE'));

    for (const framework of frameworks) {
      const [response] = await fetchFrom(framework, { preset: 'pages', nonce: true, permissionsPolicy: false });
      const { nonce } = (await response!.json()) as { nonce: string };
      const headers = securityHeadersOf(response!);
      headers['content-security-policy'] = headers['content-security-policy']!.replaceAll(nonce, 'FIXED-NONCE');
      expect(headers, framework.name).toEqual(expected);
    }
  });
});

describe.each(frameworks)('securityHeaders options on $name', (framework) => {
  const { securityHeaders } = framework.bulwark;

  it.each([
    ['an unknown preset', { preset: 'html' }],
    ['a camelCase feature name', { permissionsPolicy: { displayCapture: [] } }],
    ['a feature name with a space', { permissionsPolicy: { 'camera ': [] } }],
    ['an empty feature name', { permissionsPolicy: { '': [] } }],
    ['an allowlist that is a string', { permissionsPolicy: { camera: 'self' } }],
    ['an origin with a path', { permissionsPolicy: { camera: ['https://example.com/path'] } }],
    ['a quoted self', { permissionsPolicy: { camera: ["'self'"] } }],
    ['a wildcard beside origins', { permissionsPolicy: { camera: ['*', 'self'] } }],
    ['a nonce without script-src', { nonce: true }],
    ['a nonce without a CSP', { preset: 'pages', nonce: true, contentSecurityPolicy: false }],
    ['a nonce that is a string', { preset: 'pages', nonce: 'yes' }],
    ['a directive function', { contentSecurityPolicy: { directives: { scriptSrc: [() => "'self'"] } } }],
    ['an unknown option', { contentSecurityPolicyy: {} }],
    ['a legacy helmet name', { hsts: { maxAge: 60 } }],
    ['a boolean-only option with an object', { xPoweredBy: {} }],
    ['a helmet-rejected referrer policy', { referrerPolicy: { policy: 'bogus' } }],
    ['a helmet-rejected directive value', { contentSecurityPolicy: { directives: { scriptSrc: ['self'] } } }],
    ['options that are not an object', 'api'],
  ])('rejects %s', (_name, options) => {
    expect(() => securityHeaders(options as any)).toThrow(expect.objectContaining({ code: 'ERR_OPTION_INVALID' }));
  });

  it('names the option in the error', () => {
    expect(() => securityHeaders({ preset: 'html' as any })).toThrow(/"preset" must be 'api' or 'pages'/);
    expect(() => securityHeaders({ hsts: {} } as any)).toThrow(/use "strictTransportSecurity"/);
    expect(() => securityHeaders({ permissionsPolicy: { displayCapture: [] } })).toThrow(/"display-capture"/);
  });

  it('leaves its options unchanged', () => {
    const options = {
      preset: 'pages' as const,
      nonce: true,
      permissionsPolicy: { geolocation: ['self'], camera: null },
      contentSecurityPolicy: { directives: { imgSrc: ["'self'"], scriptSrc: ["'self'", 'https://cdn.example.com'] } },
      strictTransportSecurity: { maxAge: 600 },
    };
    const snapshot = structuredClone(options);
    deepFreeze(options);

    expect(() => securityHeaders(options)).not.toThrow();
    expect(options).toEqual(snapshot);
  });
});

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) {
    return;
  }
  for (const child of Object.values(value)) {
    deepFreeze(child);
  }
  Object.freeze(value);
}
