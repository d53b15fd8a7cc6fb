import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, describe, expect, it } from 'vitest';

import { generateSecretKey } from 'bulwark/core';

import { frameworks, type Framework, type RunningApp } from '../helpers/frameworks.js';
import { readToken } from './interop.js';
import { rawRequest } from './wire.js';

const MARKER = 'PLAINTEXT-MARKER-7f3a';
const LIMIT = 4096;

interface LoggedEvent {
  level: string;
  event: Record<string, unknown>;
}

function recordingLogger(events: LoggedEvent[]) {
  const record = (level: string) => (event: Record<string, unknown>) => events.push({ level, event });
  return { info: record('info'), warn: record('warn'), error: record('error') };
}

// Sends `chunks` one at a time with a pause between them, so that a chunk written through to the
// socket would be on the wire before the body grows past the limit.
function slowWriter(framework: Framework, chunks: string[]) {
  if (framework.kind === 'express') {
    return async (_req: any, res: any) => {
      res.type('text/plain');
      for (const chunk of chunks) {
        res.write(chunk);
        await sleep(5);
      }
      res.end();
    };
  }
  return (ctx: any) => {
    ctx.type = 'text/plain';
    ctx.body = Readable.from(
      (async function* () {
        for (const chunk of chunks) {
          yield chunk;
          await sleep(5);
        }
      })(),
    );
  };
}

describe.each(frameworks)('encryptResponse failures on $name', (framework) => {
  const { encryptResponse } = framework.bulwark;
  const key = generateSecretKey();
  const secretBody = { note: MARKER, padding: 'x'.repeat(64) };
  let app: RunningApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function expectNoLeak(middleware: unknown[], handle?: () => { body?: unknown; raw?: string }): Promise<void> {
    app = await framework.start([{ method: 'get', path: '/secret', middleware, ...(handle ? { handle } : {}) }]);

    const response = await rawRequest(app.url, { path: '/secret' });

    expect(response.raw.includes(MARKER)).toBe(false);
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(response.body.toString('utf8'));
    expect(problem).toMatchObject({ status: 500, code: 'ERR_RESPONSE_NOT_ENCRYPTED', title: 'Internal Server Error' });
    expect(problem.detail).toBeUndefined();
  }

  const cases: Array<{ attack: string; reason: string; options: (events: LoggedEvent[]) => object; body?: () => { body?: unknown; raw?: string } }> = [
    {
      attack: 'a JSON body over the limit',
      reason: 'body-too-large',
      options: (events) => ({ key, limit: LIMIT, logger: recordingLogger(events) }),
      body: () => ({ body: { note: MARKER, padding: 'x'.repeat(LIMIT) } }),
    },
    {
      attack: 'a client without a key',
      reason: 'key-missing',
      options: (events) => ({ getKey: () => undefined, logger: recordingLogger(events) }),
    },
    {
      attack: 'a key function that throws',
      reason: 'key-function-failed',
      options: (events) => ({
        getKey: () => {
          throw new Error('key store down');
        },
        logger: recordingLogger(events),
      }),
    },
    {
      attack: 'a client without a public key',
      reason: 'key-missing',
      options: (events) => ({ getPublicKey: async () => null, logger: recordingLogger(events) }),
    },
    {
      attack: 'a low-order X25519 public key',
      reason: 'key-invalid',
      options: (events) => ({
        getPublicKey: () => ({ kty: 'OKP', crv: 'X25519', x: Buffer.alloc(32).toString('base64url') }),
        logger: recordingLogger(events),
      }),
    },
    {
      attack: 'a public key of another curve',
      reason: 'key-invalid',
      options: (events) => ({ getPublicKey: () => ({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }), logger: recordingLogger(events) }),
    },
    {
      attack: 'a signing key given as the encryption key',
      reason: 'key-invalid',
      options: (events) => ({ getKey: () => 'c2hvcnQ', logger: recordingLogger(events) }),
    },
  ];

  it.each(cases)('never sends the plaintext for $attack', async ({ reason, options, body }) => {
    const events: LoggedEvent[] = [];

    await expectNoLeak([encryptResponse(options(events) as any)], body ?? (() => ({ body: secretBody })));

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ level: 'error', event: { reason, method: 'GET', path: '/secret' } });
    expect(JSON.stringify(events)).not.toContain(MARKER);
  });

  it('never sends a streamed body that grows past the limit', async () => {
    const chunks = [`${MARKER}\n`, 'y'.repeat(LIMIT / 2), 'z'.repeat(LIMIT / 2), 'end\n'];

    await expectNoLeak([encryptResponse({ key, limit: LIMIT }), slowWriter(framework, chunks)]);
  });

  it('never sends the first chunks before the key is known', async () => {
    const chunks = [`${MARKER}\n`, 'more\n', 'end\n'];

    await expectNoLeak([encryptResponse({ getKey: async () => undefined }), slowWriter(framework, chunks)]);
  });

  it('never sends a body in an unknown content coding', async () => {
    const events: LoggedEvent[] = [];
    const send = framework.kind === 'express'
      ? (_req: any, res: any) => res.set('content-encoding', 'compress').type('text/plain').send(MARKER)
      : (ctx: any) => {
          ctx.set('content-encoding', 'compress');
          ctx.type = 'text/plain';
          ctx.body = MARKER;
        };

    await expectNoLeak([encryptResponse({ key, logger: recordingLogger(events) }), send]);

    expect(events[0]).toMatchObject({ event: { reason: 'content-encoding-unsupported' } });
  });

  if (framework.kind === 'express') {
    it('never sends a started body when the route then fails', async () => {
      const { HttpError } = framework.bulwark;
      app = await framework.start([
        {
          method: 'get',
          path: '/partial',
          middleware: [
            encryptResponse({ key }),
            (_req: any, res: any, next: any) => {
              res.type('application/json').write(`{"note":"${MARKER}",`);
              next(new HttpError(401, 'ERR_TOKEN_MISSING', 'A bearer token is required.'));
            },
          ],
        },
      ]);

      const response = await rawRequest(app.url, { path: '/partial' });

      // The started part is dropped, so the problem goes out alone and the client can read it.
      expect(response.raw.includes(MARKER)).toBe(false);
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body.toString())).toMatchObject({ status: 401, code: 'ERR_TOKEN_MISSING' });
    });

    it('drops a write after end (late write leak)', async () => {
      app = await framework.start([
        {
          method: 'get',
          path: '/late',
          middleware: [
            encryptResponse({ key }),
            (_req: any, res: any) => {
              res.type('text/plain').end('first part');
              // A route bug: this write comes while the body is still being encrypted.
              res.write(MARKER);
            },
          ],
        },
      ]);

      const response = await rawRequest(app.url, { path: '/late' });

      expect(response.raw.includes(MARKER)).toBe(false);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/jose');
      expect(await readToken(response.body.toString(), key)).toBe('first part');
    });

    it('encrypts only the problem after a started body with encryptErrors', async () => {
      const { HttpError } = framework.bulwark;
      app = await framework.start([
        {
          method: 'get',
          path: '/partial',
          middleware: [
            encryptResponse({ key, encryptErrors: true }),
            (_req: any, res: any, next: any) => {
              res.type('application/json').write(`{"note":"${MARKER}",`);
              next(new HttpError(401, 'ERR_TOKEN_MISSING', 'A bearer token is required.'));
            },
          ],
        },
      ]);

      const response = await rawRequest(app.url, { path: '/partial' });

      expect(response.raw.includes(MARKER)).toBe(false);
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toBe('application/jose');
      expect(await readToken(response.body.toString(), key)).toMatchObject({ status: 401, code: 'ERR_TOKEN_MISSING' });
    });
  }

  it('does not send the limit error for a body at the limit', async () => {
    const text = 'a'.repeat(LIMIT);
    app = await framework.start([
      { method: 'get', path: '/exact', middleware: [encryptResponse({ key, limit: LIMIT })], handle: () => ({ raw: text }) },
    ]);

    const response = await rawRequest(app.url, { path: '/exact' });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/jose');
    expect(response.raw.includes(text)).toBe(false);
  });
});
