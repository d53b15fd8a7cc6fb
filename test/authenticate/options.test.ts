import { generateKeyPairSync } from 'node:crypto';

import { beforeAll, describe, expect, it } from 'vitest';

import { isBulwarkError } from 'bulwark';
import { frameworks } from '../helpers/frameworks.js';
import { FAST_ARGON2, PASSWORDS, createUsers, postJson, startLoginApp, withApp, type TestUser } from './setup.js';

let users: Map<string, TestUser>;

beforeAll(async () => {
  users = await createUsers();
});

const findUser = (username: string) => users.get(username);
const { publicKey, privateKey } = generateKeyPairSync('ed25519');

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) {
      if (typeof child === 'object' && child !== null && !('type' in child && 'asymmetricKeyType' in child)) {
        deepFreeze(child);
      }
    }
    Object.freeze(value);
  }
  return value;
}

describe.each(frameworks)('authenticate options on $name', (framework) => {
  const { authenticate } = framework.bulwark;

  it.each([
    ['no findUser', {}, 'findUser'],
    ['a numeric usernameField', { findUser, usernameField: 3 }, 'usernameField'],
    ['the same field twice', { findUser, usernameField: 'login', passwordField: 'login' }, 'passwordField'],
    ['a __proto__ field', { findUser, passwordField: '__proto__' }, 'passwordField'],
    ['a realm with a quote', { findUser, allowBasic: true, realm: 'a"b' }, 'realm'],
    ['a tiny body limit', { findUser, bodyLimitBytes: 10 }, 'bodyLimitBytes'],
    ['zero failures allowed', { findUser, limits: { maxConsecutiveFailures: 0 } }, 'limits.maxConsecutiveFailures'],
    ['a fractional window', { findUser, limits: { consecutiveFailureWindowSeconds: 1.5 } }, 'limits.consecutiveFailureWindowSeconds'],
    ['a string IP limit', { findUser, limits: { maxFailuresPerIp: '100' } }, 'limits.maxFailuresPerIp'],
    ['a store without a client', { findUser, store: { redis: {} } }, 'store.redis'],
    ['a bcrypt cost of 4', { findUser, hash: { algorithm: 'bcrypt', cost: 4 } }, 'hash.cost'],
    ['a public key to sign with', { findUser, issueToken: { key: publicKey } }, 'issueToken.key'],
    ['an algorithm the key does not allow', { findUser, issueToken: { key: privateKey, algorithm: 'RS256' } }, 'issueToken.algorithm'],
    ['a negative lifetime', { findUser, issueToken: { key: privateKey, expiresIn: -5 } }, 'issueToken.expiresIn'],
    ['a logger without warn', { findUser, logger: { info() {}, error() {} } }, 'logger'],
    ['a logger that is a function', { findUser, logger: () => undefined }, 'logger'],
  ])('rejects %s when the factory is called', (_label, options, option) => {
    let error: unknown;
    try {
      authenticate(options as never);
    } catch (caught) {
      error = caught;
    }

    expect(isBulwarkError(error, 'ERR_OPTION_INVALID')).toBe(true);
    expect((error as Error).message).toContain(option);
  });

  it('leaves its options unchanged', async () => {
    const options = deepFreeze({
      findUser,
      hash: { ...FAST_ARGON2 },
      usernameField: 'username',
      limits: { maxConsecutiveFailures: 2 },
      issueToken: { key: privateKey, expiresIn: 60, audience: ['a', 'b'] },
    });
    const before = JSON.stringify(options);

    await withApp(startLoginApp(framework, authenticate<TestUser>(options)), async (app) => {
      expect((await postJson(app, { username: 'alice', password: PASSWORDS.alice })).status).toBe(200);
      expect((await postJson(app, { username: 'alice', password: 'wrong' })).status).toBe(401);
    });

    expect(JSON.stringify(options)).toBe(before);
  });
});

describe.each(frameworks.filter((framework) => framework.kind === 'express'))('authenticate after express.json() on $name', (framework) => {
  it('uses the body that the parser set', async () => {
    const middleware = framework.bulwark.authenticate<TestUser>({ findUser, hash: FAST_ARGON2 });

    await withApp(startLoginApp(framework, middleware, [], true), async (app) => {
      const json = await postJson(app, { username: 'alice', password: PASSWORDS.alice });
      const form = await fetch(`${app.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'alice', password: PASSWORDS.alice }).toString(),
      });

      expect(json.status).toBe(200);
      // The JSON parser skips a form body, which the middleware then reads itself.
      expect(form.status).toBe(200);
    });
  });
});
