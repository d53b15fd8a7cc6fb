import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

import { SignJWT, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { frameworks, type RunningApp } from '../helpers/frameworks.js';
import { AUDIENCE, ISSUER, claims, now, send } from './fixtures.js';

const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

let keyServer: Server;
let keyServerUrl: string;
let jwksFetches = 0;

beforeAll(async () => {
  const jwk = { ...(await exportJWK(signingKey.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const body = JSON.stringify({ keys: [jwk] });

  // A key server on 127.0.0.1: a good key set, one that fails with 500, and one that never responds.
  keyServer = createServer((request, response) => {
    if (request.url === '/jwks.json') {
      jwksFetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } else if (request.url === '/broken.json') {
      response.writeHead(500).end();
    }
  });
  keyServer.listen(0, '127.0.0.1');
  await once(keyServer, 'listening');
  keyServerUrl = `http://127.0.0.1:${(keyServer.address() as { port: number }).port}`;
});

afterAll(async () => {
  keyServer.closeAllConnections();
  await new Promise<void>((resolve) => keyServer.close(() => resolve()));
});

function signEs256(kid: string, key = signingKey.privateKey, extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims(extra)).setProtectedHeader({ alg: 'ES256', kid }).sign(key);
}

describe.each(frameworks)('requireJwt with jwksUri on $name', (framework) => {
  const { requireJwt } = framework.bulwark as any;
  let app: RunningApp;

  beforeAll(async () => {
    const base = { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], now, realm: 'orders' };
    const route = (path: string, options: Record<string, unknown>) => ({
      method: 'get' as const,
      path,
      middleware: [requireJwt({ ...base, ...options })],
      handle: (view: any) => ({ body: { sub: view.auth.payload.sub, kid: view.auth.protectedHeader.kid } }),
    });
    app = await framework.start([
      route('/orders', { jwksUri: `${keyServerUrl}/jwks.json` }),
      route('/broken', { jwksUri: `${keyServerUrl}/broken.json` }),
      route('/hanging', { jwksUri: `${keyServerUrl}/hanging.json`, jwks: { timeoutMs: 200 } }),
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('verifies a token signed with a key from the set', async () => {
    const response = await send(`${app.url}/orders`, bearer(await signEs256('k1')));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ sub: 'user-1', kid: 'k1' });
  });

  it('rejects a token signed with another key under a known kid (key substitution)', async () => {
    const response = await send(`${app.url}/orders`, bearer(await signEs256('k1', otherKey.privateKey)));
    expect(response.status).toBe(401);
    expect(response.json.code).toBe('ERR_JWT_SIGNATURE_INVALID');
  });

  it('rejects HS256 against the key set (algorithm confusion)', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(Buffer.alloc(32, 1));
    const response = await send(`${app.url}/orders`, bearer(token));
    expect(response.status).toBe(401);
    expect(response.json.code).toBe('ERR_JWT_ALGORITHM_NOT_ALLOWED');
  });

  it('bounds key set fetches under a flood of unknown kids', async () => {
    await send(`${app.url}/orders`, bearer(await signEs256('k1')));
    const before = jwksFetches;

    for (let index = 0; index < 20; index += 1) {
      const response = await send(`${app.url}/orders`, bearer(await signEs256(randomUUID())));
      expect(response.status).toBe(401);
      expect(response.json.code).toBe('ERR_JWT_KEY_NOT_FOUND');
    }

    expect(jwksFetches - before).toBeLessThanOrEqual(1);
  });

  it('answers 503 when the key server fails, not 401', async () => {
    const response = await send(`${app.url}/broken`, bearer(await signEs256('k1')));

    expect(response.status).toBe(503);
    expect(response.json.code).toBe('ERR_SERVICE_UNAVAILABLE');
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('answers 503 when the key server times out', async () => {
    const response = await send(`${app.url}/hanging`, bearer(await signEs256('k1')));
    expect(response.status).toBe(503);
  });
});
