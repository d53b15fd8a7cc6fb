import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { createMemoryDenylist } from '../../src/revocation/index.js';
import { frameworks, type RunningApp } from '../helpers/frameworks.js';
import { parseChallenge } from './challenge-parser.js';
import {
  AUDIENCE,
  ISSUER,
  NOW,
  RSA_PUBLIC_PEM,
  SECRET,
  exposeAuthError,
  mint,
  mintRs256,
  now,
  recordingLogger,
  send,
  signHs256ByHand,
  unsecured,
} from './fixtures.js';

const REALM = 'orders';

describe.each(frameworks)('requireJwt on $name', (framework) => {
  const { requireJwt } = framework.bulwark as any;
  const base = { key: SECRET, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, realm: REALM, now };
  const denylist = createMemoryDenylist({ now });
  const isRevoked = vi.fn(async (payload: { sub?: string }) => payload.sub === 'banned-user');
  const failingIsRevoked = vi.fn(async () => {
    throw new Error('session database is down');
  });
  const { events, logger } = recordingLogger();
  let app: RunningApp;
  let bareApp: RunningApp;

  const echo = (view: any) => ({ body: { auth: view.auth ?? null, authError: view.locals.authError ?? null } });
  const route = (path: string, options: Record<string, unknown>, method: 'get' | 'post' = 'get') => ({
    method,
    path,
    middleware: [requireJwt({ ...base, ...options }), exposeAuthError(framework.kind)],
    handle: echo,
  });

  beforeAll(async () => {
    app = await framework.start([
      route('/strict', { logger }),
      route('/cookie', { cookie: 'access_token' }),
      route('/custom', { getToken: (request: any) => request.headers['x-access-token'] }),
      route('/custom-broken', {
        logger,
        getToken: () => {
          throw new Error('token store password is hunter2');
        },
      }),
      route('/custom-wrong-type', { getToken: () => 42 }),
      route('/optional', { optional: true }),
      route('/optional-invalid', { optional: { invalid: 'allow' }, logger }),
      route('/optional-expired', { optional: { expired: 'allow' } }),
      route('/scoped', { scopes: ['orders:write'] }),
      route('/any-scope', { scopes: { allOf: ['orders:read'], anyOf: ['admin', 'support'] } }),
      route('/revocable', { denylist, isRevoked }),
      route('/cached', { denylist, cache: true }),
      route('/revocation-down', { isRevoked: failingIsRevoked, logger }),
      route('/rs256', { key: RSA_PUBLIC_PEM, algorithms: ['RS256'] }),
      route('/claims', { requiredClaims: ['tenant'], typ: 'at+jwt', maxTokenAge: '5m' }),
      {
        method: 'post',
        path: '/logout',
        middleware: [requireJwt({ ...base, denylist })],
        handle: async (view: any) => {
          await denylist.revokeToken(view.auth.payload.jti, view.auth.payload.exp);
          return { status: 204 };
        },
      },
    ]);
    bareApp = await framework.start([route('/strict', {})], { errorHandler: false });
  });

  afterAll(async () => {
    await app.close();
    await bareApp.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  function expectChallenge(response: { headers: Record<string, unknown> }, params: Record<string, string>): void {
    const header = response.headers['www-authenticate'];
    expect(typeof header).toBe('string');
    const parsed = parseChallenge(header as string);
    expect(parsed.scheme).toBe('Bearer');
    expect(parsed.params).toEqual({ realm: REALM, ...params });
  }

  describe('a valid token', () => {
    it('sets auth to the payload, header and token', async () => {
      const token = await mint({ tenant: 'acme' });
      const response = await send(`${app.url}/strict`, bearer(token));

      expect(response.status).toBe(200);
      expect(response.json.auth.token).toBe(token);
      expect(response.json.auth.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(response.json.auth.payload).toMatchObject({ sub: 'user-1', tenant: 'acme', iss: ISSUER, aud: AUDIENCE });
      expect(response.json.authError).toBeNull();
    });

    it.each(['bearer', 'BEARER'])('accepts the %s scheme spelling', async (scheme) => {
      const response = await send(`${app.url}/strict`, { authorization: `${scheme} ${await mint()}` });
      expect(response.status).toBe(200);
    });

    it('accepts a token from the configured cookie', async () => {
      const token = await mint();
      const response = await send(`${app.url}/cookie`, { cookie: `theme=dark; access_token=${token}` });
      expect(response.status).toBe(200);
      expect(response.json.auth.token).toBe(token);
    });

    it('accepts a token from getToken', async () => {
      const token = await mint();
      const response = await send(`${app.url}/custom`, { 'x-access-token': token });
      expect(response.status).toBe(200);
      expect(response.json.auth.token).toBe(token);
    });

    it('verifies RS256 with a public key', async () => {
      const response = await send(`${app.url}/rs256`, bearer(await mintRs256({})));
      expect(response.status).toBe(200);
    });
  });

  describe('no credentials', () => {
    it('answers a request without a token with a bare challenge', async () => {
      const response = await send(`${app.url}/strict`);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${REALM}"`);
      expect(response.json).toMatchObject({ status: 401, code: 'ERR_TOKEN_MISSING' });
    });

    it('answers another scheme with a bare challenge', async () => {
      const response = await send(`${app.url}/strict`, { authorization: 'Basic dXNlcjpwYXNz' });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${REALM}"`);
    });

    it('ignores the cookie on a route without the cookie option', async () => {
      const response = await send(`${app.url}/strict`, { cookie: `access_token=${await mint()}` });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${REALM}"`);
    });

    it('never reads a token from the query string', async () => {
      const response = await send(`${app.url}/strict?access_token=${await mint()}`);
      expect(response.status).toBe(401);
    });
  });

  describe('malformed requests (400 invalid_request)', () => {
    it('rejects a token in two places (header and cookie)', async () => {
      const token = await mint();
      const response = await send(`${app.url}/cookie`, { ...bearer(token), cookie: `access_token=${token}` });

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: 'ERR_INVALID_REQUEST', reason: 'TOKEN_IN_MULTIPLE_PLACES' });
      expectChallenge(response, {
        error: 'invalid_request',
        error_description: 'The request must carry the access token in only one place.',
      });
    });

    it('rejects a repeated Authorization header (header smuggling)', async () => {
      const response = await send(`${app.url}/strict`, {
        authorization: [`Bearer ${await mint()}`, `Bearer ${await mint({ sub: 'admin' })}`],
      });
      expect(response.status).toBe(400);
      expect(response.json.reason).toBe('AUTHORIZATION_REPEATED');
    });

    it('rejects a repeated token cookie (cookie tossing)', async () => {
      const response = await send(`${app.url}/cookie`, { cookie: `access_token=${await mint()}; access_token=${await mint()}` });
      expect(response.status).toBe(400);
      expect(response.json.reason).toBe('COOKIE_REPEATED');
    });

    it.each([
      ['no token after the scheme', 'Bearer'],
      ['two tokens', 'Bearer abc def'],
      ['a quoted token', 'Bearer "abc"'],
    ])('rejects a Bearer header with %s', async (_name, authorization) => {
      const response = await send(`${app.url}/strict`, { authorization });
      expect(response.status).toBe(400);
      expectChallenge(response, { error: 'invalid_request', error_description: 'The bearer token is not a valid b64token.' });
    });
  });

  describe('invalid tokens (401 invalid_token)', () => {
    async function expectInvalid(path: string, token: string, description: string, code?: string) {
      const response = await send(`${app.url}${path}`, bearer(token));
      expect(response.status).toBe(401);
      expectChallenge(response, { error: 'invalid_token', error_description: description });
      expect(response.text).not.toContain(token);
      if (code !== undefined) {
        expect(response.json.code).toBe(code);
      }
      return response;
    }

    it('rejects alg none reaching the middleware', async () => {
      await expectInvalid('/strict', unsecured(), 'The token is malformed.');
    });

    it('rejects a forged signature', async () => {
      const forged = await mint({}, { secret: Buffer.alloc(32, 7) });
      await expectInvalid('/strict', forged, 'The token signature is invalid.', 'ERR_JWT_SIGNATURE_INVALID');
    });

    it('rejects a payload swapped under a valid signature', async () => {
      const [header, , signature] = (await mint()).split('.');
      const [, payload] = (await mint({ sub: 'admin' }, { secret: Buffer.alloc(32, 1) })).split('.');
      await expectInvalid('/strict', `${header}.${payload}.${signature}`, 'The token signature is invalid.');
    });

    it('rejects algorithm confusion (HS256 signed with the RSA public key)', async () => {
      const confused = await mint({}, { secret: Buffer.from(RSA_PUBLIC_PEM) });
      await expectInvalid('/rs256', confused, 'The token algorithm is not allowed.', 'ERR_JWT_ALGORITHM_NOT_ALLOWED');
    });

    it('rejects an embedded jwk header (key injection)', async () => {
      const attackerKey = Buffer.alloc(32, 9);
      const token = await mint({}, { secret: attackerKey, header: { jwk: { kty: 'oct', k: attackerKey.toString('base64url') } } });
      await expectInvalid('/strict', token, 'The token signature is invalid.');
    });

    it('rejects an expired token (replay after expiry)', async () => {
      await expectInvalid('/strict', await mint({ exp: NOW - 3600 }), 'The token has expired.', 'ERR_JWT_EXPIRED');
    });

    it('rejects a token for another audience (token substitution)', async () => {
      await expectInvalid('/strict', await mint({ aud: 'billing-api' }), 'A token claim is invalid.', 'ERR_JWT_CLAIM_INVALID');
    });

    it('rejects a token from another issuer', async () => {
      await expectInvalid('/strict', await mint({ iss: 'https://evil.test/' }), 'A token claim is invalid.');
    });

    it('rejects an oversized token before parsing it (resource exhaustion)', async () => {
      const token = await mint({ padding: 'a'.repeat(9000) });
      await expectInvalid('/strict', token, 'The token is too large.', 'ERR_JWT_TOO_LARGE');
    });

    it('rejects an unknown critical header (crit bypass)', async () => {
      const token = signHs256ByHand({ crit: ['x-bound'], 'x-bound': true });
      await expectInvalid('/strict', token, 'The token has an unsupported critical header.', 'ERR_JWT_CRIT_UNSUPPORTED');
    });

    it('rejects a token that is not valid yet', async () => {
      await expectInvalid('/strict', await mint({ nbf: NOW + 3600 }), 'The token is not valid yet.', 'ERR_JWT_NOT_YET_VALID');
    });

    it('accepts a token expired within the clock tolerance', async () => {
      expect((await send(`${app.url}/strict`, bearer(await mint({ exp: NOW - 10 })))).status).toBe(200);
    });

    it('accepts a token with the required typ, claims and age', async () => {
      const token = await mint({ tenant: 'acme' }, { header: { typ: 'at+jwt' } });
      expect((await send(`${app.url}/claims`, bearer(token))).status).toBe(200);
    });

    it('rejects an ID token used as an access token (typ confusion)', async () => {
      const token = await mint({ tenant: 'acme' }, { header: { typ: 'JWT' } });
      await expectInvalid('/claims', token, 'A token claim is invalid.', 'ERR_JWT_CLAIM_INVALID');
    });

    it('rejects a token without a required claim', async () => {
      const token = await mint({}, { header: { typ: 'at+jwt' } });
      await expectInvalid('/claims', token, 'A required token claim is missing.', 'ERR_JWT_CLAIM_MISSING');
    });

    it('rejects a token older than maxTokenAge (stale token replay)', async () => {
      const token = await mint({ tenant: 'acme', iat: NOW - 3600 }, { header: { typ: 'at+jwt' } });
      await expectInvalid('/claims', token, 'The token has expired.', 'ERR_JWT_EXPIRED');
    });

    it('rejects a token that is not a JWT', async () => {
      await expectInvalid('/strict', 'abc.def', 'The token is malformed.');
    });

    it('never reflects a token value into the challenge (header injection)', async () => {
      const token = await mint({ aud: 'x", error="none', exp: NOW - 3600 });
      const response = await send(`${app.url}/strict`, bearer(token));
      expect(response.status).toBe(401);
      expect(String(response.headers['www-authenticate'])).not.toContain('none');
      expect(parseChallenge(String(response.headers['www-authenticate'])).params.error).toBe('invalid_token');
    });
  });

  describe('scopes (403 insufficient_scope)', () => {
    it('accepts a token with the required scope', async () => {
      const response = await send(`${app.url}/scoped`, bearer(await mint({ scope: 'orders:read orders:write' })));
      expect(response.status).toBe(200);
    });

    it.each([
      ['a prefix of the scope', { scope: 'orders' }],
      ['another case', { scope: 'ORDERS:WRITE' }],
      ['two scopes in one permission', { permissions: ['orders:read orders:write'] }],
      ['no scope claim', {}],
    ])('stops scope escalation through %s', async (_name, extra) => {
      const response = await send(`${app.url}/scoped`, bearer(await mint(extra)));

      expect(response.status).toBe(403);
      expect(response.json).toMatchObject({ code: 'ERR_INSUFFICIENT_SCOPE', scope: 'orders:write' });
      expectChallenge(response, {
        error: 'insufficient_scope',
        error_description: 'The token does not grant the scope that this resource requires.',
        scope: 'orders:write',
      });
    });

    it('accepts allOf and anyOf across scp and permissions', async () => {
      const response = await send(`${app.url}/any-scope`, bearer(await mint({ scp: ['orders:read'], permissions: ['support'] })));
      expect(response.status).toBe(200);
    });

    it('names every scope of allOf and anyOf in the challenge', async () => {
      const response = await send(`${app.url}/any-scope`, bearer(await mint({ scp: 'orders:read' })));
      expect(response.status).toBe(403);
      expect(parseChallenge(String(response.headers['www-authenticate'])).params.scope).toBe('orders:read admin support');
    });
  });

  describe('revocation', () => {
    it('rejects a revoked token replay', async () => {
      const token = await mint();
      expect((await send(`${app.url}/revocable`, bearer(token))).status).toBe(200);

      expect((await send(`${app.url}/logout`, bearer(token), 'POST')).status).toBe(204);

      const replay = await send(`${app.url}/revocable`, bearer(token));
      expect(replay.status).toBe(401);
      expect(replay.json.code).toBe('ERR_JWT_REVOKED');
      expectChallenge(replay, { error: 'invalid_token', error_description: 'The token has been revoked.' });
    });

    it('rejects a revoked token replayed through the verified-token cache', async () => {
      const token = await mint();
      expect((await send(`${app.url}/cached`, bearer(token))).status).toBe(200);
      expect((await send(`${app.url}/cached`, bearer(token))).status).toBe(200);

      expect((await send(`${app.url}/logout`, bearer(token), 'POST')).status).toBe(204);

      const replay = await send(`${app.url}/cached`, bearer(token));
      expect(replay.status).toBe(401);
      expect(replay.json.code).toBe('ERR_JWT_REVOKED');
    });

    it('rejects a token that isRevoked reports', async () => {
      const response = await send(`${app.url}/revocable`, bearer(await mint({ sub: 'banned-user' })));
      expect(response.status).toBe(401);
      expect(response.json.code).toBe('ERR_JWT_REVOKED');
    });

    it('rejects a token without jti under a denylist (unrevocable token)', async () => {
      const response = await send(`${app.url}/revocable`, bearer(await mint({ jti: undefined })));
      expect(response.status).toBe(401);
      expect(response.json.code).toBe('ERR_JWT_CLAIM_MISSING');
    });

    it('runs isRevoked only after full verification (forged token probing)', async () => {
      isRevoked.mockClear();
      const forged = await mint({ sub: 'banned-user' }, { secret: Buffer.alloc(32, 3) });
      const expired = await mint({ sub: 'banned-user', exp: NOW - 3600 });

      expect((await send(`${app.url}/revocable`, bearer(forged))).json.code).toBe('ERR_JWT_SIGNATURE_INVALID');
      expect((await send(`${app.url}/revocable`, bearer(expired))).json.code).toBe('ERR_JWT_EXPIRED');
      expect(isRevoked).not.toHaveBeenCalled();
    });

    it('answers 503 when the revocation check fails, never letting the token pass', async () => {
      const response = await send(`${app.url}/revocation-down`, bearer(await mint()));

      expect(response.status).toBe(503);
      expect(response.json.code).toBe('ERR_SERVICE_UNAVAILABLE');
      expect(response.text).not.toContain('session database');
      expect(response.headers['www-authenticate']).toBeUndefined();
    });
  });

  describe('optional', () => {
    it('lets a request without a token through without auth', async () => {
      const response = await send(`${app.url}/optional`);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ auth: null, authError: null });
    });

    it('still verifies a token that is sent', async () => {
      const response = await send(`${app.url}/optional`, bearer(await mint()));
      expect(response.json.auth.payload.sub).toBe('user-1');
    });

    it('still rejects an invalid token under optional: true (silent downgrade)', async () => {
      const forged = await mint({}, { secret: Buffer.alloc(32, 5) });
      expect((await send(`${app.url}/optional`, bearer(forged))).status).toBe(401);
      expect((await send(`${app.url}/optional`, bearer(await mint({ exp: NOW - 3600 })))).status).toBe(401);
    });

    it('records why an allowed invalid token failed and leaves auth unset', async () => {
      const forged = await mint({}, { secret: Buffer.alloc(32, 5) });
      const response = await send(`${app.url}/optional-invalid`, bearer(forged));

      expect(response.status).toBe(200);
      expect(response.json.auth).toBeNull();
      expect(response.json.authError).toEqual({
        code: 'ERR_JWT_SIGNATURE_INVALID',
        description: 'The token signature is invalid.',
      });
    });

    it('rejects an expired token when only invalid ones are allowed', async () => {
      expect((await send(`${app.url}/optional-invalid`, bearer(await mint({ exp: NOW - 3600 })))).status).toBe(401);
      expect((await send(`${app.url}/optional-invalid`)).status).toBe(401);
    });

    it('decides for expired tokens on their own', async () => {
      const expired = await send(`${app.url}/optional-expired`, bearer(await mint({ exp: NOW - 3600 })));
      expect(expired.status).toBe(200);
      expect(expired.json.authError.code).toBe('ERR_JWT_EXPIRED');

      const forged = await mint({}, { secret: Buffer.alloc(32, 5) });
      expect((await send(`${app.url}/optional-expired`, bearer(forged))).status).toBe(401);
    });

    it('never allows a malformed request', async () => {
      const token = await mint();
      const response = await send(`${app.url}/optional`, { authorization: [`Bearer ${token}`, `Bearer ${token}`] });
      expect(response.status).toBe(400);
    });
  });

  describe('logging', () => {
    it('logs rejections with the reason and request id, never the token', async () => {
      events.length = 0;
      const expired = await mint({ exp: NOW - 3600 });
      const forged = await mint({}, { secret: Buffer.alloc(32, 5) });

      await send(`${app.url}/strict`, { ...bearer(expired), 'x-request-id': 'req-expired' });
      await send(`${app.url}/strict`, { 'x-request-id': 'req-missing' });
      await send(`${app.url}/optional-invalid`, { ...bearer(forged), 'x-request-id': 'req-ignored' });
      await send(`${app.url}/revocation-down`, { ...bearer(expired.replace(/\..*/, '') + '.x.y'), 'x-request-id': 'req-x' });

      expect(events.map(({ level, object }) => [level, object.event, object.reason, object.requestId])).toEqual([
        ['warn', 'jwt.rejected', 'ERR_JWT_EXPIRED', 'req-expired'],
        ['info', 'jwt.missing', 'ERR_TOKEN_MISSING', 'req-missing'],
        ['warn', 'jwt.ignored', 'ERR_JWT_SIGNATURE_INVALID', 'req-ignored'],
        ['warn', 'jwt.rejected', 'ERR_JWT_MALFORMED', 'req-x'],
      ]);
      const logged = JSON.stringify(events);
      expect(logged).not.toContain(expired);
      expect(logged).not.toContain(forged);
      expect(logged).not.toContain(expired.split('.')[1]);
    });

    it('answers 500 without details when getToken fails', async () => {
      events.length = 0;
      const broken = await send(`${app.url}/custom-broken`, { 'x-request-id': 'req-broken' });

      expect(broken.status).toBe(500);
      expect(broken.json.code).toBe('ERR_INTERNAL');
      expect(broken.text).not.toContain('hunter2');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ level: 'error', object: { event: 'jwt.check_failed', requestId: 'req-broken' } });

      expect((await send(`${app.url}/custom-wrong-type`)).status).toBe(500);
    });

    it('logs a failed revocation check as an error', async () => {
      events.length = 0;
      await send(`${app.url}/revocation-down`, { ...bearer(await mint()), 'x-request-id': 'req-down' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ level: 'error', object: { event: 'jwt.check_failed', reason: 'ERR_SERVICE_UNAVAILABLE', requestId: 'req-down' } });
    });
  });

  describe("the framework's own error handling", () => {
    it('sends the status and challenge without bulwark errorHandler', async () => {
      const missing = await send(`${bareApp.url}/strict`);
      expect(missing.status).toBe(401);
      expect(missing.headers['www-authenticate']).toBe(`Bearer realm="${REALM}"`);

      const expired = await send(`${bareApp.url}/strict`, bearer(await mint({ exp: NOW - 3600 })));
      expect(expired.status).toBe(401);
      expectChallenge(expired, { error: 'invalid_token', error_description: 'The token has expired.' });
    });
  });
});
