import { request as httpRequest } from 'node:http';

import createError from 'http-errors';
import { describe, expect, it } from 'vitest';

import { frameworks, type Framework, type RouteSpec, type StartOptions } from '../helpers/frameworks.js';

interface LogEntry {
  level: 'info' | 'warn' | 'error';
  object: Record<string, unknown>;
  message?: string;
}

function recordingLogger() {
  const entries: LogEntry[] = [];
  const write = (level: LogEntry['level']) => (object: Record<string, unknown>, message?: string) => {
    entries.push({ level, object, message });
  };
  return { entries, logger: { info: write('info'), warn: write('warn'), error: write('error') } };
}

async function withApp<T>(
  framework: Framework,
  routes: RouteSpec[],
  options: StartOptions,
  run: (url: string) => Promise<T>,
): Promise<T> {
  const app = await framework.start(routes, options);
  try {
    return await run(app.url);
  } finally {
    await app.close();
  }
}

function throwing(path: string, makeError: () => unknown): RouteSpec {
  return {
    method: 'get',
    path,
    handle: () => {
      throw makeError();
    },
  };
}

// Marks the values that must never reach a client: secrets, request input, stack frames.
const SECRET = 'hunter2-db-password';
const INPUT_MARKER = 'INPUT-VALUE-7f3a';

function expectNothingLeaked(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(INPUT_MARKER);
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(text).not.toContain('node_modules');
  expect(text).not.toContain('.ts');
}

describe.each(frameworks)('errorHandler on $name', (framework) => {
  const { HttpError, errorHandler } = framework.bulwark;

  it('renders an HttpError as problem details', async () => {
    const routes = [
      throwing('/teapot', () =>
        new HttpError(401, 'ERR_TOKEN_MISSING', 'A bearer token is required.', {
          headers: { 'www-authenticate': 'Bearer' },
        }),
      ),
    ];
    await withApp(framework, routes, {}, async (url) => {
      const response = await fetch(`${url}/teapot`, { headers: { 'x-request-id': 'req-1' } });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        code: 'ERR_TOKEN_MISSING',
        detail: 'A bearer token is required.',
        requestId: 'req-1',
      });
    });
  });

  it('keeps Retry-After and exposed details', async () => {
    const routes = [
      throwing('/limited', () =>
        new HttpError(429, 'ERR_TOO_MANY_REQUESTS', 'Too many login attempts.', {
          headers: { 'retry-after': '30' },
          details: { retryAfterSeconds: 30, status: 200, type: 'https://evil.example' },
        }),
      ),
    ];
    await withApp(framework, routes, {}, async (url) => {
      const response = await fetch(`${url}/limited`);
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('30');
      const body = await response.json();
      expect(body.retryAfterSeconds).toBe(30);
      expect(body.status).toBe(429);
      expect(body.type).toBe('about:blank');
    });
  });

  it('leaves out details that JSON cannot hold', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const routes = [
      throwing('/odd', () =>
        new HttpError(422, 'ERR_VALIDATION_FAILED', 'The body is invalid.', {
          details: { count: 10n, cyclic, field: 'sku' },
        }),
      ),
    ];
    await withApp(framework, routes, {}, async (url) => {
      const response = await fetch(`${url}/odd`);
      expect(response.status).toBe(422);
      const body = await response.json();
      expect(body.field).toBe('sku');
      expect(body.count).toBeUndefined();
      expect(body.cyclic).toBeUndefined();
    });
  });

  it('hides the detail of an unexposed 5xx HttpError', async () => {
    const routes = [
      throwing('/down', () => new HttpError(503, 'ERR_SERVICE_UNAVAILABLE', `Redis auth ${SECRET} failed.`)),
    ];
    await withApp(framework, routes, {}, async (url) => {
      const response = await fetch(`${url}/down`);
      const text = await response.text();
      expect(response.status).toBe(503);
      expectNothingLeaked(text);
      expect(JSON.parse(text)).toEqual({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        code: 'ERR_SERVICE_UNAVAILABLE',
      });
    });
  });

  it('hides the message and stack of an unknown error', async () => {
    const { entries, logger } = recordingLogger();
    const routes = [throwing('/boom', () => new Error(`database password is ${SECRET}`))];
    await withApp(framework, routes, { errorHandlerOptions: { logger } }, async (url) => {
      const response = await fetch(`${url}/boom?token=abc`);
      const text = await response.text();
      expect(response.status).toBe(500);
      expectNothingLeaked(text);
      expect(JSON.parse(text)).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        code: 'ERR_INTERNAL',
      });
    });

    expect(entries).toHaveLength(1);
    expect(entries[0]!.level).toBe('error');
    expect((entries[0]!.object.err as Error).message).toContain(SECRET);
    expect(entries[0]!.object.path).toBe('/boom');
    expect(entries[0]!.object.status).toBe(500);
  });

  // Express reads next(null) as "no error" and goes on to its 404, so null is thrown on Koa only.
  const thrownValues: Array<[string, () => unknown]> = [
    ['string', () => `plain string ${SECRET}`],
    ['plain object', () => ({ secret: SECRET })],
    ...(framework.kind === 'koa' ? [['null', () => null] as [string, () => unknown]] : []),
  ];

  it.each(thrownValues)('renders a thrown %s as a 500 problem', async (_name, makeValue) => {
    const routes = [throwing('/value', makeValue)];
    await withApp(framework, routes, {}, async (url) => {
      const response = await fetch(`${url}/value`);
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'ERR_INTERNAL' });
      expectNothingLeaked(text);
    });
  });

  it('keeps the status of a foreign 4xx without its message', async () => {
    const { entries, logger } = recordingLogger();
    const routes = [
      throwing('/foreign', () =>
        createError(400, `Unexpected token in "${INPUT_MARKER}"`, {
          headers: { 'www-authenticate': 'Basic realm="api"', 'x-internal-host': 'db-7' },
        }),
      ),
      throwing('/gone', () => createError(404, `No order ${INPUT_MARKER}`)),
    ];
    await withApp(framework, routes, { errorHandlerOptions: { logger } }, async (url) => {
      const response = await fetch(`${url}/foreign`);
      const text = await response.text();
      expect(response.status).toBe(400);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="api"');
      expect(response.headers.get('x-internal-host')).toBeNull();
      expectNothingLeaked(text);
      expect(JSON.parse(text)).toEqual({ type: 'about:blank', title: 'Bad Request', status: 400, code: 'ERR_INVALID_REQUEST' });

      const notFound = await fetch(`${url}/gone`);
      expect(notFound.status).toBe(404);
      expect((await notFound.json()).code).toBe('ERR_NOT_FOUND');
    });

    expect(entries.map((entry) => entry.level)).toEqual(['info', 'info']);
    expectNothingLeaked(JSON.stringify(entries));
  });

  it.each([
    ['entity.too.large', 413, 'ERR_BODY_TOO_LARGE'],
    ['entity.parse.failed', 400, 'ERR_BODY_INVALID'],
    ['encoding.unsupported', 415, 'ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['charset.unsupported', 415, 'ERR_UNSUPPORTED_MEDIA_TYPE'],
  ] as const)('maps the body-parser type %s', async (type, status, code) => {
    const routes = [throwing('/parse', () => createError(status, `failed near ${INPUT_MARKER}`, { type }))];
    await withApp(framework, routes, {}, async (url) => {
      const response = await fetch(`${url}/parse`);
      const text = await response.text();
      expect(response.status).toBe(status);
      expectNothingLeaked(text);
      const body = JSON.parse(text);
      expect(body.code).toBe(code);
      expect(typeof body.detail).toBe('string');
    });
  });

  it.each([
    [403, 'ERR_FORBIDDEN'],
    [413, 'ERR_BODY_TOO_LARGE'],
    [415, 'ERR_UNSUPPORTED_MEDIA_TYPE'],
    [429, 'ERR_TOO_MANY_REQUESTS'],
    [409, 'ERR_INVALID_REQUEST'],
    [503, 'ERR_SERVICE_UNAVAILABLE'],
    [502, 'ERR_INTERNAL'],
  ] as const)('gives a foreign %i the code %s', async (status, code) => {
    const routes = [throwing('/foreign', () => createError(status, `failed near ${INPUT_MARKER}`, { headers: { 'Retry-After': '30' } }))];
    await withApp(framework, routes, {}, async (url) => {
      const response = await fetch(`${url}/foreign`);
      const text = await response.text();
      expect(response.status).toBe(status);
      expect(response.headers.get('retry-after')).toBe('30');
      expectNothingLeaked(text);
      expect(JSON.parse(text).code).toBe(code);
    });
  });

  it('replaces a cacheable Cache-Control (shared cache poisoning)', async () => {
    const cacheable: RouteSpec = {
      method: 'get',
      path: '/cached',
      middleware: [
        framework.kind === 'express'
          ? (_request: any, response: any, next: any) => {
              response.setHeader('cache-control', 'public, max-age=3600');
              response.setHeader('etag', '"v1"');
              next();
            }
          : async (context: any, next: any) => {
              context.set('cache-control', 'public, max-age=3600');
              context.set('etag', '"v1"');
              await next();
            },
      ],
      handle: () => {
        throw new HttpError(403, 'ERR_FORBIDDEN', 'Not yours.');
      },
    };
    await withApp(framework, [cacheable], {}, async (url) => {
      const response = await fetch(`${url}/cached`);
      expect(response.status).toBe(403);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('etag')).toBeNull();
    });
  });

  it('takes the request id the app assigned', async () => {
    const assignId =
      framework.kind === 'express'
        ? (request: any, _response: any, next: any) => {
            request.id = 'app-id-42';
            next();
          }
        : async (context: any, next: any) => {
            context.state.requestId = 'app-id-42';
            await next();
          };
    const routes = [throwing('/id', () => new HttpError(403, 'ERR_FORBIDDEN', 'Not yours.'))];
    await withApp(framework, routes, { use: [assignId] }, async (url) => {
      const response = await fetch(`${url}/id`, { headers: { 'x-request-id': 'client-id' } });
      expect((await response.json()).requestId).toBe('app-id-42');
    });
  });

  it('ignores an unsafe X-Request-Id (reflected injection)', async () => {
    const routes = [throwing('/id', () => new HttpError(403, 'ERR_FORBIDDEN', 'Not yours.'))];
    await withApp(framework, routes, {}, async (url) => {
      for (const unsafe of ['<script>alert(1)</script>', 'a'.repeat(129), 'id with spaces']) {
        const response = await fetch(`${url}/id`, { headers: { 'x-request-id': unsafe } });
        const body = await response.json();
        expect(body.requestId).toBeUndefined();
      }
    });
  });

  it('drops a header value with CR or LF (response splitting)', async () => {
    const routes = [
      throwing('/split', () =>
        new HttpError(401, 'ERR_TOKEN_MISSING', 'A bearer token is required.', {
          headers: { 'www-authenticate': 'Bearer\r\nSet-Cookie: session=stolen', 'retry-after': '5' },
        }),
      ),
    ];
    await withApp(framework, routes, {}, async (url) => {
      const response = await fetch(`${url}/split`);
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(response.headers.get('retry-after')).toBe('5');
    });
  });

  it('answers HEAD with headers only', async () => {
    const routes: RouteSpec[] = [
      {
        method: 'head',
        path: '/head',
        handle: () => {
          throw new HttpError(401, 'ERR_TOKEN_MISSING', 'A bearer token is required.', {
            headers: { 'www-authenticate': 'Bearer' },
          });
        },
      },
    ];
    await withApp(framework, routes, {}, async (url) => {
      const { status, headers, bytes } = await rawRequest(`${url}/head`, 'HEAD');
      expect(status).toBe(401);
      expect(headers['www-authenticate']).toBe('Bearer');
      expect(headers['content-type']).toBe('application/problem+json');
      expect(bytes).toBe(0);
    });
  });

  it('rejects a logger without methods', () => {
    expect(() => errorHandler({ logger: { info: () => {} } as any })).toThrow(
      expect.objectContaining({ code: 'ERR_OPTION_INVALID' }),
    );
    expect(() => errorHandler(null as any)).toThrow(expect.objectContaining({ code: 'ERR_OPTION_INVALID' }));
  });

  it('leaves its options unchanged', () => {
    const { logger } = recordingLogger();
    const options = Object.freeze({ logger: Object.freeze(logger) });
    expect(() => errorHandler(options)).not.toThrow();
    expect(options.logger).toBe(logger);
    expect(Object.keys(options)).toEqual(['logger']);
  });
});

describe.each(frameworks.filter((framework) => framework.kind === 'express'))(
  'errorHandler with express.json() on $name',
  (framework) => {
    const routes: RouteSpec[] = [{ method: 'post', path: '/echo', handle: ({ body }) => ({ body }) }];

    it('answers 413 to a body over the parser limit', async () => {
      await withApp(framework, routes, { jsonParser: true }, async (url) => {
        const body = JSON.stringify({ filler: INPUT_MARKER.repeat(20_000) });
        const response = await fetch(`${url}/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const text = await response.text();
        expect(response.status).toBe(413);
        expect(JSON.parse(text).code).toBe('ERR_BODY_TOO_LARGE');
        expectNothingLeaked(text);
      });
    });

    it('answers 400 without echoing invalid JSON', async () => {
      await withApp(framework, routes, { jsonParser: true }, async (url) => {
        const response = await fetch(`${url}/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"password": "${SECRET}", ${INPUT_MARKER}`,
        });
        const text = await response.text();
        expect(response.status).toBe(400);
        expect(JSON.parse(text).code).toBe('ERR_BODY_INVALID');
        expectNothingLeaked(text);
      });
    });

    it('answers 415 to an unknown content encoding', async () => {
      await withApp(framework, routes, { jsonParser: true }, async (url) => {
        const response = await fetch(`${url}/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'x-custom' },
          body: '{}',
        });
        expect(response.status).toBe(415);
        expect((await response.json()).code).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
      });
    });

    it('delegates to Express once headers are sent', async () => {
      const partial: RouteSpec = {
        method: 'get',
        path: '/partial',
        middleware: [
          (_request: any, response: any, next: any) => {
            response.writeHead(200, { 'content-type': 'text/plain' });
            response.write('partial');
            next(new Error(`late failure ${SECRET}`));
          },
        ],
      };
      await withApp(framework, [partial], {}, async (url) => {
        const response = await fetch(`${url}/partial`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/plain');
        // Express's final handler destroys the socket, so the body ends abruptly.
        await expect(response.text()).rejects.toThrow();
      });
    });
  },
);

function rawRequest(
  url: string,
  method: string,
): Promise<{ status: number; headers: Record<string, unknown>; bytes: number }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe.each(frameworks.filter((framework) => framework.kind === 'koa'))('errorHandler events on $name', (framework) => {
  it('emits server errors on the app', async () => {
    const Koa = (framework.name === 'koa2' ? (await import('koa2')).default : (await import('koa')).default) as any;
    const app = new Koa();
    app.silent = true;
    const emitted: unknown[] = [];
    app.on('error', (error: unknown) => emitted.push(error));
    app.use(framework.bulwark.errorHandler());
    app.use(async (context: any) => {
      if (context.path === '/boom') {
        throw new Error(`database password is ${SECRET}`);
      }
      context.throw(400, 'bad input');
    });

    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${server.address().port}`;
      expect((await fetch(`${url}/boom`)).status).toBe(500);
      expect((await fetch(`${url}/bad`)).status).toBe(400);
      expect(emitted).toHaveLength(1);
      expect((emitted[0] as Error).message).toContain(SECRET);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
