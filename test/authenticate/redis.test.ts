import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { frameworks } from '../helpers/frameworks.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { recordingLogger } from '../helpers/logger.js';
import { FAST_ARGON2, PASSWORDS, createUsers, postJson, startLoginApp, withApp, type TestUser } from './setup.js';

let users: Map<string, TestUser>;
let redis: TestRedis;
const clients: Redis[] = [];

beforeAll(async () => {
  users = await createUsers();
  redis = await startRedis();
});

afterAll(async () => {
  for (const client of clients) {
    client.disconnect();
  }
  await redis?.stop();
});

const findUser = (username: string) => users.get(username);

function client(url: string, options: Record<string, unknown> = {}): Redis {
  const created = new Redis(url, { maxRetriesPerRequest: 1, ...options });
  // An app handles its client's connection errors; without a listener ioredis prints them.
  created.on('error', () => undefined);
  clients.push(created);
  return created;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(frameworks)('authenticate with a Redis store on $name', (framework) => {
  const { authenticate } = framework.bulwark;

  it('locks an account on a second instance after failures on the first', async () => {
    // Each app instance has its own ioredis client, as two processes would; they share one prefix.
    const prefix = `test:login:${randomUUID()}:`;
    const limits = { maxConsecutiveFailures: 3 };
    const first = authenticate<TestUser>({ findUser, hash: FAST_ARGON2, limits, store: { redis: client(redis.url), keyPrefix: prefix } });
    const second = authenticate<TestUser>({ findUser, hash: FAST_ARGON2, limits, store: { redis: client(redis.url), keyPrefix: prefix } });

    await withApp(startLoginApp(framework, first), async (appA) => {
      await withApp(startLoginApp(framework, second), async (appB) => {
        const statuses: number[] = [];
        for (let attempt = 1; attempt <= 3; attempt += 1) {
          statuses.push((await postJson(appA, { username: 'alice', password: `guess-${attempt}` })).status);
        }
        const onSecond = await postJson(appB, { username: 'alice', password: PASSWORDS.alice });

        expect(statuses).toEqual([401, 401, 401]);
        expect(onSecond.status).toBe(429);
        expect(Number(onSecond.headers.get('retry-after'))).toBeGreaterThan(800);
      });
    });
  });

  it('stores no username in Redis keys', async () => {
    const prefix = `test:login:${randomUUID()}:`;
    const store = client(redis.url);
    const middleware = authenticate<TestUser>({ findUser, hash: FAST_ARGON2, store: { redis: store, keyPrefix: prefix } });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      await postJson(app, { username: 'alice-secret-name', password: 'wrong' });
    });

    const keys = await store.keys(`${prefix}*`);
    expect(keys.length).toBe(2);
    expect(keys.join(' ')).not.toContain('alice');
  });

  it('refuses logins with 503 while Redis is unreachable', async () => {
    const port = await closedPort();
    const logger = recordingLogger();
    const unreachable = client(`redis://127.0.0.1:${port}`, { lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
    const middleware = authenticate<TestUser>({ findUser, hash: FAST_ARGON2, logger, store: { redis: unreachable } });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const response = await postJson(app, { username: 'alice', password: PASSWORDS.alice });

      expect(response.status).toBe(503);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toMatchObject({ status: 503, code: 'ERR_SERVICE_UNAVAILABLE' });
    });

    expect(logger.events('error')).toEqual([expect.objectContaining({ event: 'login_limiter_unavailable', action: 'rejected' })]);
  });

  it('refuses logins with 503 when Redis does not answer in time', async () => {
    // The client keeps retrying with its offline queue on, so only the timeout ends the wait.
    const port = await closedPort();
    const retrying = client(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    const middleware = authenticate<TestUser>({ findUser, hash: FAST_ARGON2, store: { redis: retrying, timeoutMilliseconds: 100 } });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const response = await postJson(app, { username: 'alice', password: PASSWORDS.alice });

      expect(response.status).toBe(503);
    });
    retrying.disconnect();
  });

  it('signs in without limits while Redis is unreachable when allowed by name', async () => {
    const port = await closedPort();
    const logger = recordingLogger();
    const unreachable = client(`redis://127.0.0.1:${port}`, { lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false });
    const middleware = authenticate<TestUser>({ findUser, hash: FAST_ARGON2, logger, store: { redis: unreachable, allowLoginsWhenUnavailable: true } });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const response = await postJson(app, { username: 'alice', password: PASSWORDS.alice });

      expect(response.status).toBe(200);
    });

    expect(logger.events('warn')).toEqual([expect.objectContaining({ event: 'login_limiter_unavailable', action: 'allowed_without_limit' })]);
  });
});
