import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRedisDenylist } from '../../src/revocation/index.js';
import { isBulwarkError } from '../../src/errors.js';
import { frameworks, type RunningApp } from '../helpers/frameworks.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { AUDIENCE, ISSUER, SECRET, recordingLogger, send } from './fixtures.js';

// Redis expires keys by its own clock, so these tokens carry real times rather than the frozen
// clock of the other tests.
async function mintLive(extra: Record<string, unknown> = {}): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', jti: randomUUID(), ...extra })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 600)
    .sign(SECRET);
}

const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string; exp: number };

let redis: TestRedis;
const clients: Redis[] = [];

function connect(): Redis {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const client of clients) {
    client.disconnect();
  }
  await redis.stop();
});

describe('createRedisDenylist', () => {
  it('stores a revocation under the prefix until exp plus the retention (EXAT)', async () => {
    const client = connect();
    const keyPrefix = `bulwark-test:${randomUUID()}:`;
    const denylist = createRedisDenylist({ client, keyPrefix, retainSeconds: 30 });
    const exp = Math.floor(Date.now() / 1000) + 600;

    await denylist.revokeToken('token-1', exp);

    expect(await denylist.isRevoked('token-1')).toBe(true);
    expect(await denylist.isRevoked('token-2')).toBe(false);
    expect(await client.call('EXPIRETIME', `${keyPrefix}token-1`)).toBe(exp + 30);
  });

  it('sets a relative expiry with expiry px', async () => {
    const client = connect();
    const keyPrefix = `bulwark-test:${randomUUID()}:`;
    const frozenMs = Date.now();
    const denylist = createRedisDenylist({ client, keyPrefix, expiry: 'px', retainSeconds: 0, now: () => frozenMs });
    const exp = Math.floor(frozenMs / 1000) + 600;

    await denylist.revokeToken('token-1', exp);

    const remainingMs = exp * 1000 - frozenMs;
    const ttl = await client.pttl(`${keyPrefix}token-1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(remainingMs);
    expect(await denylist.isRevoked('token-1')).toBe(true);
  });

  it('stores nothing for a token past its retention', async () => {
    const client = connect();
    const keyPrefix = `bulwark-test:${randomUUID()}:`;
    const denylist = createRedisDenylist({ client, keyPrefix, retainSeconds: 0 });

    await denylist.revokeToken('old', Math.floor(Date.now() / 1000) - 10);
    expect(await client.exists(`${keyPrefix}old`)).toBe(0);
  });

  it('keeps one prefix apart from another', async () => {
    const client = connect();
    const first = createRedisDenylist({ client, keyPrefix: `bulwark-test:${randomUUID()}:` });
    const second = createRedisDenylist({ client, keyPrefix: `bulwark-test:${randomUUID()}:` });

    await first.revokeToken('shared-id', Math.floor(Date.now() / 1000) + 600);
    expect(await second.isRevoked('shared-id')).toBe(false);
  });

  it.each([
    ['client', { client: undefined }],
    ['client', { client: { get() {} } }],
    ['keyPrefix', { keyPrefix: '' }],
    ['expiry', { expiry: 'ex' }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['onUnavailable', { onUnavailable: 'ignore' }],
    ['retainSeconds', { retainSeconds: 1.5 }],
    ['logger', { logger: {} }],
  ])('rejects an invalid %s option', (option, options) => {
    let thrown: unknown;
    try {
      createRedisDenylist({ client: connect(), ...options } as never);
    } catch (error) {
      thrown = error;
    }
    expect(isBulwarkError(thrown, 'ERR_OPTION_INVALID')).toBe(true);
    expect((thrown as { details: { option: string } }).details.option).toBe(option);
  });
});

describe('createRedisDenylist when Redis does not answer', () => {
  let blackHole: Server;
  let blackHoleUrl: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // A TCP server on 127.0.0.1 that accepts connections and never replies, as a hung Redis would.
    blackHole = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    blackHoleUrl = `redis://127.0.0.1:${(blackHole.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => blackHole.close(() => resolve()));
  });

  function closedClient(): Redis {
    const client = connect();
    client.disconnect();
    return client;
  }

  it('rejects a check by default when the connection is closed (fail open)', async () => {
    const denylist = createRedisDenylist({ client: closedClient() });
    await expect(denylist.isRevoked('token-1')).rejects.toMatchObject({ code: 'ERR_SERVICE_UNAVAILABLE' });
  });

  it('rejects a check that times out', async () => {
    const client = new Redis(blackHoleUrl, { enableReadyCheck: false, maxRetriesPerRequest: 1 });
    clients.push(client);
    const denylist = createRedisDenylist({ client, timeoutMs: 100 });

    await expect(denylist.isRevoked('token-1')).rejects.toMatchObject({ code: 'ERR_SERVICE_UNAVAILABLE' });
  });

  it('lets a check pass with onUnavailable allow, and logs it', async () => {
    const { events, logger } = recordingLogger();
    const denylist = createRedisDenylist({ client: closedClient(), onUnavailable: 'allow', logger });

    expect(await denylist.isRevoked('token-1')).toBe(false);
    expect(events).toHaveLength(1);
    expect(events[0]!.object).toMatchObject({ event: 'denylist.unavailable', reason: 'ERR_SERVICE_UNAVAILABLE' });
  });

  it('always throws when a revocation cannot be stored', async () => {
    const denylist = createRedisDenylist({ client: closedClient(), onUnavailable: 'allow' });
    await expect(denylist.revokeToken('token-1', Math.floor(Date.now() / 1000) + 60)).rejects.toMatchObject({
      code: 'ERR_SERVICE_UNAVAILABLE',
    });
  });
});

describe.each(frameworks)('Redis denylist across two $name instances', (framework) => {
  const { requireJwt } = framework.bulwark as any;
  const keyPrefix = `bulwark-test:${framework.name}:${randomUUID()}:`;
  let first: RunningApp;
  let second: RunningApp;
  let down: RunningApp;

  function startInstance(client: Redis, onUnavailable?: 'allow'): Promise<RunningApp> {
    const denylist = createRedisDenylist({ client, keyPrefix, ...(onUnavailable ? { onUnavailable } : {}) });
    const guard = requireJwt({ key: SECRET, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, denylist });
    return framework.start([
      { method: 'get', path: '/orders', middleware: [guard], handle: () => ({ body: { ok: true } }) },
      {
        method: 'post',
        path: '/logout',
        middleware: [guard],
        handle: async (view: any) => {
          await denylist.revokeToken(view.auth.payload.jti, view.auth.payload.exp);
          return { status: 204 };
        },
      },
    ]);
  }

  beforeAll(async () => {
    first = await startInstance(connect());
    second = await startInstance(connect());
    const closed = connect();
    closed.disconnect();
    down = await startInstance(closed);
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await down.close();
  });

  it('rejects on one instance a token revoked through the other (revoked token replay)', async () => {
    const token = await mintLive();
    const other = await mintLive();
    const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

    expect((await send(`${second.url}/orders`, bearer(token))).status).toBe(200);
    expect((await send(`${first.url}/logout`, bearer(token), 'POST')).status).toBe(204);

    const replay = await send(`${second.url}/orders`, bearer(token));
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('ERR_JWT_REVOKED');
    expect((await send(`${first.url}/orders`, bearer(token))).status).toBe(401);
    expect((await send(`${second.url}/orders`, bearer(other))).status).toBe(200);
    expect(payloadOf(token).jti).not.toBe(payloadOf(other).jti);
  });

  it('answers 503 when Redis is unreachable rather than let the token pass', async () => {
    const response = await send(`${down.url}/orders`, { authorization: `Bearer ${await mintLive()}` });
    expect(response.status).toBe(503);
    expect(response.json.code).toBe('ERR_SERVICE_UNAVAILABLE');
  });
});
