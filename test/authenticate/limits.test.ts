import { setTimeout as delay } from 'node:timers/promises';

import { beforeAll, describe, expect, it } from 'vitest';

import { frameworks } from '../helpers/frameworks.js';
import { recordingLogger } from '../helpers/logger.js';
import { FAST_ARGON2, PASSWORDS, createUsers, postJson, startLoginApp, withApp, type TestUser } from './setup.js';

let users: Map<string, TestUser>;

beforeAll(async () => {
  users = await createUsers();
});

const findUser = (username: string) => users.get(username);

describe.each(frameworks)('authenticate limits on $name', (framework) => {
  const { authenticate } = framework.bulwark;
  const login = (limits: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    authenticate<TestUser>({ findUser, hash: FAST_ARGON2, limits, ...extra });

  it('stops password guessing: Nth failure 401, then 429, then success after the window', async () => {
    // A one-second window, so that the test waits only that long for the counter to expire.
    const middleware = login({ maxConsecutiveFailures: 3, consecutiveFailureWindowSeconds: 1 });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const statuses: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        statuses.push((await postJson(app, { username: 'alice', password: `guess-${attempt}` })).status);
      }
      const blocked = await postJson(app, { username: 'alice', password: 'guess-4' });
      const blockedRightPassword = await postJson(app, { username: 'alice', password: PASSWORDS.alice });

      expect(statuses).toEqual([401, 401, 401]);
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe('1');
      expect(blocked.headers.get('cache-control')).toBe('no-store');
      expect(await blocked.json()).toMatchObject({ status: 429, code: 'ERR_TOO_MANY_REQUESTS' });
      expect(blockedRightPassword.status).toBe(429);

      await delay(1100);
      const afterWindow = await postJson(app, { username: 'alice', password: PASSWORDS.alice });
      expect(afterWindow.status).toBe(200);
    });
  });

  it('resets the username counter after a success', async () => {
    const middleware = login({ maxConsecutiveFailures: 3 });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const statuses: number[] = [];
      for (const password of ['wrong-1', 'wrong-2', PASSWORDS.alice, 'wrong-3', 'wrong-4', 'wrong-5', 'wrong-6']) {
        statuses.push((await postJson(app, { username: 'alice', password })).status);
      }

      expect(statuses).toEqual([401, 401, 200, 401, 401, 401, 429]);
    });
  });

  it('stops case-variant bypass: Alice, ALICE and alice share a counter', async () => {
    const middleware = login({ maxConsecutiveFailures: 3 });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const statuses: number[] = [];
      for (const username of ['alice', 'Alice', 'ALICE', 'aLiCe']) {
        statuses.push((await postJson(app, { username, password: 'wrong' })).status);
      }

      expect(statuses).toEqual([401, 401, 401, 429]);
    });
  });

  it('stops normalisation bypass: NFC and NFD usernames share a counter', async () => {
    const middleware = login({ maxConsecutiveFailures: 2 });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const statuses: number[] = [];
      for (const username of ['José'.normalize('NFC'), 'José'.normalize('NFD'), 'José'.normalize('NFC')]) {
        statuses.push((await postJson(app, { username, password: 'wrong' })).status);
      }

      expect(statuses).toEqual([401, 401, 429]);
    });
  });

  it('keeps case variants apart when caseInsensitiveUsernames is false', async () => {
    const middleware = login({ maxConsecutiveFailures: 1, caseInsensitiveUsernames: false });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const statuses: number[] = [];
      for (const username of ['alice', 'Alice', 'alice']) {
        statuses.push((await postJson(app, { username, password: 'wrong' })).status);
      }

      expect(statuses).toEqual([401, 401, 429]);
    });
  });

  it('stops credential stuffing: failures across usernames count per IP', async () => {
    const middleware = login({ maxConsecutiveFailures: 10, maxFailuresPerIp: 3 });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const statuses: number[] = [];
      for (const username of ['user-1', 'user-2', 'user-3', 'user-4']) {
        statuses.push((await postJson(app, { username, password: 'leaked-password' })).status);
      }
      const rightPassword = await postJson(app, { username: 'alice', password: PASSWORDS.alice });

      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(rightPassword.status).toBe(429);
    });
  });

  it('does not count successes against the IP', async () => {
    const middleware = login({ maxFailuresPerIp: 2 });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        statuses.push((await postJson(app, { username: 'alice', password: PASSWORDS.alice })).status);
      }

      expect(statuses).toEqual([200, 200, 200, 200]);
    });
  });

  it('stops parallel guessing: concurrent attempts cannot pass the limit', async () => {
    const middleware = login({ maxConsecutiveFailures: 3 });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, index) => postJson(app, { username: 'alice', password: `parallel-${index}` })),
      );
      const statuses = responses.map((response) => response.status).sort();

      expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    });
  });

  it('does not count user-store errors as failures', async () => {
    let storeDown = true;
    const middleware = authenticate<TestUser>({
      findUser: (username) => (storeDown ? Promise.reject(new Error('database down')) : users.get(username)),
      hash: FAST_ARGON2,
      limits: { maxConsecutiveFailures: 2, maxFailuresPerIp: 2 },
    });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        statuses.push((await postJson(app, { username: 'alice', password: PASSWORDS.alice })).status);
      }
      storeDown = false;
      const afterRecovery = await postJson(app, { username: 'alice', password: PASSWORDS.alice });

      expect(statuses).toEqual([500, 500, 500, 500]);
      expect(afterRecovery.status).toBe(200);
    });
  });

  it('logs a blocked login as a security event', async () => {
    const logger = recordingLogger();
    const middleware = login({ maxConsecutiveFailures: 1 }, { logger });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      await postJson(app, { username: 'alice', password: 'hunter2' }, { 'x-request-id': 'req-1' });
      await postJson(app, { username: 'alice', password: 'hunter3' }, { 'x-request-id': 'req-2' });
    });

    expect(logger.events('warn')).toEqual([
      expect.objectContaining({ event: 'login_failed', requestId: 'req-1' }),
      expect.objectContaining({ event: 'login_blocked', limit: 'username_ip', requestId: 'req-2', username: 'alice' }),
    ]);
    expect(logger.serialized()).not.toContain('hunter');
  });
});
