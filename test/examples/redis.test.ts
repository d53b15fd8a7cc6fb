import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRedis, type TestRedis } from '../helpers/redis.js';
import { ALICE, BOB, logIn, request } from './client.js';
import { makeDataDir, removeDataDir, startApp, type RunningApp } from './processes.js';

// The maximum number of wrong passwords the test sends while waiting for the lock. It only bounds
// the loop: the login limit itself is the authenticate middleware's default (5 per username and IP).
const MAX_FAILED_ATTEMPTS = 30;

describe('two Express instances on one redis-server', () => {
  let redis: TestRedis;
  let dataDir: string;
  let first: RunningApp;
  let second: RunningApp;

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = makeDataDir();
    const env = { DATA_DIR: dataDir, REDIS_URL: redis.url, REDIS_PREFIX: `bulwark-test-examples-${process.pid}:` };

    // The first start seeds the database and writes the signing key; the second reuses both, as
    // two instances behind one proxy would.
    first = await startApp('express', env);
    second = await startApp('express', env);
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await redis?.stop();
    removeDataDir(dataDir);
  });

  it('runs as two separate processes', () => {
    expect(first.pid).not.toBe(second.pid);
    expect(first.url).not.toBe(second.url);
  });

  it('accepts a token from one instance on the other', async () => {
    const token = await logIn(first.url, BOB);

    const response = await request(second.url, 'GET', '/me', { token });

    expect(response.status).toBe(200);
  });

  it('rejects on one instance a token revoked through the other', async () => {
    const token = await logIn(first.url, BOB);
    expect((await request(second.url, 'GET', '/me', { token })).status).toBe(200);

    const logout = await request(first.url, 'POST', '/logout', { token });
    expect(logout.status).toBe(204);

    const afterLogout = await request(second.url, 'GET', '/me', { token });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.headers.get('www-authenticate')).toContain('invalid_token');
    const sameInstance = await request(first.url, 'GET', '/me', { token });
    expect(sameInstance.status).toBe(401);
  });

  it('locks an account on both instances after brute force on one', async () => {
    let lockedAfter = 0;
    for (let attempt = 1; attempt <= MAX_FAILED_ATTEMPTS; attempt += 1) {
      const response = await request(first.url, 'POST', '/login', { body: { username: ALICE.username, password: `wrong-${attempt}` } });
      if (response.status === 429) {
        lockedAfter = attempt;
        break;
      }
      expect(response.status).toBe(401);
    }
    expect(lockedAfter).toBeGreaterThan(1);

    const onOther = await request(second.url, 'POST', '/login', { body: ALICE });

    expect(onOther.status).toBe(429);
    expect(Number(onOther.headers.get('retry-after'))).toBeGreaterThan(0);
    const otherUser = await request(second.url, 'POST', '/login', { body: BOB });
    expect(otherUser.status).toBe(200);
  });
});

describe('Express instance when Redis stops', () => {
  let redis: TestRedis;
  let dataDir: string;
  let app: RunningApp;
  let token: string;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    dataDir = makeDataDir();
    app = await startApp('express', { DATA_DIR: dataDir, REDIS_URL: redis.url, REDIS_PREFIX: `bulwark-test-outage-${process.pid}:` });
    token = await logIn(app.url, BOB);
    await redis.stop();
  });

  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
    removeDataDir(dataDir);
  });

  it('rejects tokens with 503 instead of skipping the denylist', async () => {
    const response = await request(app.url, 'GET', '/me', { token });

    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('rejects logins with 503 instead of skipping the limits', async () => {
    const response = await request(app.url, 'POST', '/login', { body: BOB });

    expect(response.status).toBe(503);
  });
});

// The outage test stops its server, so it never uses the shared one that BULWARK_TEST_REDIS_URL
// names: startRedis() starts a private redis-server when that variable is unset.
async function startPrivateRedis(): Promise<TestRedis> {
  const shared = process.env.BULWARK_TEST_REDIS_URL;
  delete process.env.BULWARK_TEST_REDIS_URL;
  try {
    return await startRedis();
  } finally {
    if (shared !== undefined) {
      process.env.BULWARK_TEST_REDIS_URL = shared;
    }
  }
}
