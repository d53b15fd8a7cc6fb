import { generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import { beforeAll, describe, expect, it } from 'vitest';

import { frameworks } from '../helpers/frameworks.js';
import { FAST_ARGON2, PASSWORDS, createUsers, postJson, startLoginApp, withApp, type TestUser } from './setup.js';

let users: Map<string, TestUser>;

beforeAll(async () => {
  users = await createUsers();
});

const findUser = (username: string) => users.get(username);
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const ISSUER = 'https://auth.test.example/';
const AUDIENCE = 'orders-api';

function decodePart(token: string, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8'));
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

// fetch joins repeated headers into one line, so this sends each Authorization header on its own line.
function postWithAuthorizations(url: string, authorizations: string[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = ['host', new URL(url).host, ...authorizations.flatMap((value) => ['authorization', value])];
    const outgoing = httpRequest(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe.each(frameworks)('authenticate issueToken on $name', (framework) => {
  const { authenticate, requireJwt } = framework.bulwark;
  const tokenLogin = () =>
    authenticate<TestUser>({
      findUser,
      hash: FAST_ARGON2,
      issueToken: { key: privateKey, expiresIn: '15m', issuer: ISSUER, audience: AUDIENCE, kid: 'k1', claims: () => ({ scope: 'orders:read' }) },
    });

  it('responds with a bearer token that requireJwt accepts', async () => {
    const protectedRoute = {
      method: 'get' as const,
      path: '/me',
      middleware: [requireJwt({ key: publicKey, issuer: ISSUER, audience: AUDIENCE })],
      handle: (view: { auth: unknown }) => ({ body: (view.auth as { payload: unknown }).payload }),
    };

    await withApp(startLoginApp(framework, tokenLogin(), [protectedRoute]), async (app) => {
      const response = await postJson(app, { username: 'alice', password: PASSWORDS.alice });
      const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('pragma')).toBe('no-cache');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
      expect(body.token_type).toBe('Bearer');
      expect(body.expires_in).toBe(900);

      const me = await fetch(`${app.url}/me`, { headers: { authorization: `Bearer ${body.access_token}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ sub: 'u-alice', iss: ISSUER, aud: AUDIENCE, scope: 'orders:read' });
    });
  });

  it('puts a unique jti, exp and the EdDSA header in each token', async () => {
    await withApp(startLoginApp(framework, tokenLogin()), async (app) => {
      const first = ((await (await postJson(app, { username: 'alice', password: PASSWORDS.alice })).json()) as { access_token: string }).access_token;
      const second = ((await (await postJson(app, { username: 'alice', password: PASSWORDS.alice })).json()) as { access_token: string }).access_token;
      const payload = decodePart(first, 1);

      expect(decodePart(first, 0)).toMatchObject({ alg: 'EdDSA', kid: 'k1' });
      expect(payload.jti).toEqual(expect.any(String));
      expect(payload.jti).not.toBe(decodePart(second, 1).jti);
      expect((payload.exp as number) - (payload.iat as number)).toBe(900);
    });
  });

  it('still answers 401 without a token for a wrong password', async () => {
    await withApp(startLoginApp(framework, tokenLogin()), async (app) => {
      const response = await postJson(app, { username: 'alice', password: 'wrong' });
      const text = await response.text();

      expect(response.status).toBe(401);
      expect(text).not.toContain('access_token');
    });
  });
});

describe.each(frameworks)('authenticate with HTTP Basic on $name', (framework) => {
  const { authenticate } = framework.bulwark;
  const basicLogin = () => authenticate<TestUser>({ findUser, hash: FAST_ARGON2, allowBasic: true, realm: 'staff' });

  it('signs in with Basic credentials', async () => {
    await withApp(startLoginApp(framework, basicLogin()), async (app) => {
      const response = await fetch(`${app.url}/login`, { method: 'POST', headers: { authorization: basic('alice', PASSWORDS.alice) } });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 'u-alice' });
    });
  });

  it('decodes UTF-8 and keeps colons in the password', async () => {
    const colonUser: TestUser = { ...users.get('carol')! };
    const middleware = authenticate<TestUser>({ findUser: (name) => (name === 'carol' ? colonUser : undefined), hash: FAST_ARGON2, allowBasic: true });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const response = await fetch(`${app.url}/login`, { method: 'POST', headers: { authorization: basic('carol', PASSWORDS.carol.normalize('NFD')) } });
      const withColon = await fetch(`${app.url}/login`, { method: 'POST', headers: { authorization: basic('carol', `${PASSWORDS.carol}:extra`) } });

      expect(response.status).toBe(200);
      expect(withColon.status).toBe(401);
    });
  });

  it('challenges a request without credentials', async () => {
    await withApp(startLoginApp(framework, basicLogin()), async (app) => {
      const response = await fetch(`${app.url}/login`, { method: 'POST' });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="staff", charset="UTF-8"');
      expect(await response.json()).toMatchObject({ code: 'ERR_CREDENTIALS_MISSING' });
    });
  });

  it('sends the same challenge with a failed login', async () => {
    await withApp(startLoginApp(framework, basicLogin()), async (app) => {
      const response = await fetch(`${app.url}/login`, { method: 'POST', headers: { authorization: basic('alice', 'wrong') } });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="staff", charset="UTF-8"');
    });
  });

  it('stops credential smuggling: a repeated Authorization header is 400', async () => {
    const logins: string[] = [];
    const recordingFind = (username: string) => {
      logins.push(username);
      return users.get(username);
    };
    const middleware = authenticate<TestUser>({ findUser: recordingFind, hash: FAST_ARGON2, allowBasic: true });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const response = await postWithAuthorizations(`${app.url}/login`, [basic('mallory', 'guess'), basic('alice', PASSWORDS.alice)]);

      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toMatchObject({ code: 'ERR_INVALID_REQUEST' });
      expect(response.text).not.toContain('mallory');
    });

    expect(logins).toEqual([]);
  });

  it.each([
    ['not base64', 'Basic !!!'],
    ['no colon', `Basic ${Buffer.from('alice').toString('base64')}`],
    ['invalid UTF-8', `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`],
    ['a control character in the user-id', `Basic ${Buffer.from('ali\u0001ce:pw').toString('base64')}`],
    ['a control character in the password', `Basic ${Buffer.from('alice:pass\u0000word').toString('base64')}`],
    ['a line break in the password', `Basic ${Buffer.from('alice:pass\nword').toString('base64')}`],
    ['no credentials after the scheme', 'Basic'],
  ])('answers 400 for Basic credentials with %s', async (_label, authorization) => {
    await withApp(startLoginApp(framework, basicLogin()), async (app) => {
      const response = await fetch(`${app.url}/login`, { method: 'POST', headers: { authorization } });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'ERR_INVALID_REQUEST' });
    });
  });

  it('ignores Basic credentials unless allowBasic is set', async () => {
    const middleware = authenticate<TestUser>({ findUser, hash: FAST_ARGON2 });

    await withApp(startLoginApp(framework, middleware), async (app) => {
      const response = await fetch(`${app.url}/login`, { method: 'POST', headers: { authorization: basic('alice', PASSWORDS.alice) } });

      // Without Basic, the credentials come from the body, and an empty body lacks both fields.
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'ERR_INVALID_REQUEST', fields: ['username', 'password'] });
    });
  });
});
