import express from 'express';
import { beforeAll, describe, expect, it } from 'vitest';

import { frameworks } from '../helpers/frameworks.js';
import { recordingLogger } from '../helpers/logger.js';
import { BCRYPT_10, FAST_ARGON2, PASSWORDS, createUsers, postJson, snapshot, startLoginApp, withApp, type TestUser } from './setup.js';

let users: Map<string, TestUser>;

beforeAll(async () => {
  users = await createUsers();
});

const findUser = (username: string) => users.get(username);

describe.each(frameworks)('authenticate on $name', (framework) => {
  const { authenticate } = framework.bulwark;
  const login = (options: Record<string, unknown> = {}) => authenticate<TestUser>({ findUser, hash: FAST_ARGON2, ...options });

  it('signs in with the right password', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await postJson(app, { username: 'alice', password: PASSWORDS.alice });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 'u-alice' });
    });
  });

  it('reads a urlencoded body', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await fetch(`${app.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'alice', password: PASSWORDS.alice }).toString(),
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 'u-alice' });
    });
  });

  it('reads configured field names', async () => {
    await withApp(startLoginApp(framework, login({ usernameField: 'email', passwordField: 'secret' })), async (app) => {
      const response = await postJson(app, { email: 'alice', secret: PASSWORDS.alice });

      expect(response.status).toBe(200);
    });
  });

  it('answers 401 with no-store for a wrong password', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await postJson(app, { username: 'alice', password: 'wrong' });

      expect(response.status).toBe(401);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toMatchObject({ status: 401, code: 'ERR_LOGIN_FAILED' });
    });
  });

  it('stops user enumeration by response: unknown user and wrong password are byte-identical', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const headers = { 'x-request-id': 'same-id' };

      const wrongPassword = await snapshot(await postJson(app, { username: 'alice', password: 'wrong' }, headers));
      const unknownUser = await snapshot(await postJson(app, { username: 'mallory', password: 'wrong' }, headers));
      const noPassword = await snapshot(await postJson(app, { username: 'corrupt', password: 'wrong' }, headers));

      expect(wrongPassword.status).toBe(401);
      expect(unknownUser).toEqual(wrongPassword);
      expect(noPassword).toEqual(wrongPassword);
    });
  });

  it('logs the failure reason, never the password', async () => {
    const logger = recordingLogger();
    await withApp(startLoginApp(framework, login({ logger })), async (app) => {
      await postJson(app, { username: 'alice', password: 'hunter2-wrong' }, { 'x-request-id': 'req-1' });
      await postJson(app, { username: 'mallory', password: 'hunter2-unknown' }, { 'x-request-id': 'req-2' });
    });

    expect(logger.events('warn')).toEqual([
      expect.objectContaining({ event: 'login_failed', reason: 'wrong_password', requestId: 'req-1', username: 'alice' }),
      expect.objectContaining({ event: 'login_failed', reason: 'unknown_user', requestId: 'req-2', username: 'mallory' }),
    ]);
    expect(logger.serialized()).not.toContain('hunter2');
  });

  it.each([
    ['no fields', {}],
    ['a missing password', { username: 'alice' }],
    ['a numeric username', { username: 42, password: 'x' }],
    ['an array password', { username: 'alice', password: ['x'] }],
    ['an empty password', { username: 'alice', password: '' }],
    ['an array body', [{ username: 'alice', password: 'x' }]],
    ['a string body', '"alice:x"'],
  ])('answers 400 for %s', async (_label, body) => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await postJson(app, body);

      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toMatchObject({ code: 'ERR_INVALID_REQUEST' });
    });
  });

  it('answers 400 for invalid JSON without echoing it', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await postJson(app, '{"username": "alice", "password": "hunter2"');
      const text = await response.text();

      expect(response.status).toBe(400);
      expect(text).not.toContain('hunter2');
    });
  });

  it('answers 400 for a repeated form field', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await fetch(`${app.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=alice&password=a&password=b',
      });

      expect(response.status).toBe(400);
    });
  });

  it('answers 415 for another media type', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await fetch(`${app.url}/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'alice:x' });

      expect(response.status).toBe(415);
    });
  });

  it('answers 400 for an empty body without a content type', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await fetch(`${app.url}/login`, { method: 'POST' });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'ERR_INVALID_REQUEST', fields: ['username', 'password'] });
    });
  });

  it('rejects prototype-pollution keys in a form body', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await fetch(`${app.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `username=alice&password=${PASSWORDS.alice}&__proto__[admin]=1`,
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'ERR_BODY_FORBIDDEN_KEY' });
    });
  });

  it('keeps no-store on body errors without the error handler', async () => {
    const start = framework.start(
      [{ method: 'post', path: '/login', middleware: [login({ bodyLimitBytes: 256 })], handle: () => ({ status: 204 }) }],
      { errorHandler: false },
    );

    await withApp(start, async (app) => {
      const tooLarge = await postJson(app, { username: 'alice', password: 'x'.repeat(400) });
      const notJson = await postJson(app, '{"username":');

      expect(tooLarge.status).toBe(413);
      expect(tooLarge.headers.get('cache-control')).toBe('no-store');
      expect(notJson.status).toBe(400);
      expect(notJson.headers.get('cache-control')).toBe('no-store');
    });
  });

  it('answers 413 for a body over the limit', async () => {
    await withApp(startLoginApp(framework, login({ bodyLimitBytes: 256 })), async (app) => {
      const response = await postJson(app, { username: 'alice', password: 'x'.repeat(400) });

      expect(response.status).toBe(413);
    });
  });

  it('rejects prototype-pollution keys in the body', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const response = await postJson(app, '{"username":"alice","password":"x","__proto__":{"admin":true}}');

      expect(response.status).toBe(400);
    });
  });

  it('signs in with the NFC and the NFD form of one password', async () => {
    await withApp(startLoginApp(framework, login()), async (app) => {
      const composed = await postJson(app, { username: 'carol', password: PASSWORDS.carol.normalize('NFC') });
      const decomposed = await postJson(app, { username: 'carol', password: PASSWORDS.carol.normalize('NFD') });

      expect(composed.status).toBe(200);
      expect(decomposed.status).toBe(200);
    });
  });

  it('stops bcrypt truncation: 72 bytes plus more is 401', async () => {
    await withApp(startLoginApp(framework, login({ hash: BCRYPT_10 })), async (app) => {
      const exact = await postJson(app, { username: 'bob', password: PASSWORDS.bob });
      const extended = await postJson(app, { username: 'bob', password: PASSWORDS.bob + 'suffix' });

      expect(exact.status).toBe(200);
      expect(extended.status).toBe(401);
    });
  });

  it('answers 401 for a password with NUL under bcrypt', async () => {
    await withApp(startLoginApp(framework, login({ hash: BCRYPT_10 })), async (app) => {
      const response = await postJson(app, { username: 'bob', password: 'b'.repeat(10) + '\u0000' });

      expect(response.status).toBe(401);
    });
  });

  it('answers 401, not 500, for a malformed stored hash (memory exhaustion)', async () => {
    const logger = recordingLogger();
    await withApp(startLoginApp(framework, login({ logger })), async (app) => {
      const response = await postJson(app, { username: 'corrupt', password: 'anything' });

      expect(response.status).toBe(401);
    });

    expect(logger.events('warn').map((event) => event.event)).toEqual(['password_hash_invalid', 'login_failed']);
  });

  it('upgrades a bcrypt hash to Argon2id on login', async () => {
    const stored: TestUser = { ...users.get('bob')! };
    const updates: string[] = [];
    const middleware = authenticate<TestUser>({
      findUser: (name) => (name === 'bob' ? stored : undefined),
      updatePasswordHash: (user, newHash) => {
        updates.push(newHash);
        user.passwordHash = newHash;
      },
      hash: FAST_ARGON2,
    });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const first = await postJson(app, { username: 'bob', password: PASSWORDS.bob });
      const second = await postJson(app, { username: 'bob', password: PASSWORDS.bob });

      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
    });

    expect(updates).toHaveLength(1);
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  });

  it('passes errors from findUser on as 500 without details', async () => {
    const middleware = authenticate<TestUser>({ findUser: () => Promise.reject(new Error('db password hunter2')), hash: FAST_ARGON2 });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const response = await postJson(app, { username: 'alice', password: 'x' });
      const text = await response.text();

      expect(response.status).toBe(500);
      expect(text).not.toContain('hunter2');
    });
  });
});

describe.each(frameworks.filter((framework) => framework.kind === 'express'))('authenticate after express.urlencoded() on $name', (framework) => {
  const { authenticate } = framework.bulwark;
  const login = authenticate<TestUser>({ findUser, hash: FAST_ARGON2 });
  const start = () => framework.start(
    [{ method: 'post', path: '/login', middleware: [login], handle: (view) => ({ body: { id: (view.user as TestUser).id } }) }],
    { use: [express.urlencoded({ extended: true })] },
  );
  const postForm = (url: string, body: string) =>
    fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  it('signs in with the body that the parser set', async () => {
    await withApp(start(), async (app) => {
      const response = await postForm(app.url, new URLSearchParams({ username: 'alice', password: PASSWORDS.alice }).toString());

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 'u-alice' });
    });
  });

  it('answers 400 for a field that the parser nested', async () => {
    await withApp(start(), async (app) => {
      const response = await postForm(app.url, `username[$ne]=x&password=${PASSWORDS.alice}`);

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'ERR_INVALID_REQUEST' });
    });
  });
});
