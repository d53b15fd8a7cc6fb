import { statSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { decryptResponse, generateKeypair, type EcdhJwk } from 'bulwark/core';
import { SignJWT, decodeProtectedHeader, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ALICE, BOB, CAROL, ORDER, logIn, request } from './client.js';
import { makeDataDir, removeDataDir, runDemo, startApp, type RunningApp } from './processes.js';

const TOKEN_CLAIMS = { issuer: 'urn:bulwark-example:auth', audience: 'urn:bulwark-example:orders' };

interface UserRow {
  id: number;
  display_name: string;
  password_hash: string;
}

function readUser(dataDir: string, username: string): UserRow {
  const database = new Database(join(dataDir, 'orders.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return database.prepare<UserRow>('SELECT id, display_name, password_hash FROM users WHERE username = ?').get(username)!;
  } finally {
    database.close();
  }
}

// The maximum number of failed logins a test sends while waiting for the lock (the default limit is 5).
const MAX_FAILED_ATTEMPTS = 30;

/** Sends wrong passwords for `username` until the app responds 429, and returns the number of attempts. */
async function failLoginUntilLocked(baseUrl: string, username: string, forwardedFor: (attempt: number) => string): Promise<number> {
  for (let attempt = 1; attempt <= MAX_FAILED_ATTEMPTS; attempt += 1) {
    const response = await request(baseUrl, 'POST', '/login', {
      body: { username, password: `wrong-${attempt}` },
      headers: { 'x-forwarded-for': forwardedFor(attempt) },
    });
    if (response.status === 429) {
      return attempt;
    }
    expect(response.status).toBe(401);
  }
  throw new Error(`no lock after ${MAX_FAILED_ATTEMPTS} failed logins`);
}

function readPasswordHash(dataDir: string, username: string): string {
  return readUser(dataDir, username).password_hash;
}

describe.each(['express', 'koa'] as const)('%s example app', (appName) => {
  let dataDir: string;
  let app: RunningApp;

  beforeAll(async () => {
    dataDir = makeDataDir();
    app = await startApp(appName, { DATA_DIR: dataDir });
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  it('demo client completes every step', async () => {
    const result = await runDemo(app.url);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const step of ['POST /login', 'PUT /me/key', 'GET /me', 'POST /orders', 'GET /orders', 'GET /orders/:id/receipt', 'POST /logout', 'GET /me (revoked token)']) {
      expect(result.stdout).toContain(step);
    }
    expect(result.stdout).toContain('"shipTo"');
    expect(result.stdout).toContain('Every step behaved as expected.');
  });

  it('prints the URL and a curl login on start', () => {
    expect(app.output()).toContain(`listening on ${app.url}`);
    expect(app.output()).toContain(`curl -s -X POST ${app.url}/login`);
    expect(app.output()).toContain('Demo credentials');
  });

  it('creates the database and a private signing key on first start', () => {
    expect(statSync(join(dataDir, 'orders.sqlite')).isFile()).toBe(true);
    expect(statSync(join(dataDir, 'signing-key.json')).mode & 0o777).toBe(0o600);
  });

  it('stores seeded passwords as argon2id hashes', () => {
    expect(readPasswordHash(dataDir, 'alice')).toMatch(/^\$argon2id\$/);
    expect(readPasswordHash(dataDir, 'bob')).toMatch(/^\$argon2id\$/);
  });

  it('upgrades the legacy bcrypt hash on login', async () => {
    const before = readUser(dataDir, 'carol');
    expect(before.password_hash).toMatch(/^\$2[aby]\$/);

    await logIn(app.url, CAROL);

    const after = readUser(dataDir, 'carol');
    expect(after.password_hash).toMatch(/^\$argon2id\$/);
    expect(after.id).toBe(before.id);
    expect(after.display_name).toBe(before.display_name);
    const again = await logIn(app.url, CAROL);
    expect(again.split('.')).toHaveLength(3);
  });

  it('issues an EdDSA token with a kid and a jti', async () => {
    const token = await logIn(app.url, ALICE);

    const header = decodeProtectedHeader(token);
    expect(header.alg).toBe('EdDSA');
    expect(typeof header.kid).toBe('string');
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(typeof payload.jti).toBe('string');
    expect(payload.iss).toBe(TOKEN_CLAIMS.issuer);
    expect(payload.aud).toBe(TOKEN_CLAIMS.audience);
  });

  it('rejects a wrong password without echoing it', async () => {
    const response = await request(app.url, 'POST', '/login', { body: { username: 'alice', password: 'guess-123456' } });
    const text = await response.text();

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(text).not.toContain('guess-123456');
    expect(app.output()).toContain('"level":"info"');
    expect(app.output()).not.toContain('guess-123456');
  });

  it('logs no token of a revoked session', async () => {
    const token = await logIn(app.url, ALICE);
    await request(app.url, 'POST', '/logout', { token });
    const rejected = await request(app.url, 'GET', '/me', { token });

    expect(rejected.status).toBe(401);
    expect(app.output()).not.toContain(token);
    expect(app.output()).not.toContain(token.split('.')[2]);
  });

  it('ignores a forged X-Forwarded-For in the login lock', async () => {
    const attempts = await failLoginUntilLocked(app.url, 'dave', (attempt) => `203.0.113.${attempt}`);

    expect(attempts).toBeGreaterThan(1);
    const fromAnotherForgedAddress = await request(app.url, 'POST', '/login', {
      body: { username: 'dave', password: 'wrong' },
      headers: { 'x-forwarded-for': '198.51.100.99' },
    });
    expect(fromAnotherForgedAddress.status).toBe(429);
  });

  it('answers a missing token with a Bearer challenge', async () => {
    const response = await request(app.url, 'GET', '/me');

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('rejects a forged token signed with another key', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    const forged = await new SignJWT({ sub: '1' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer(TOKEN_CLAIMS.issuer)
      .setAudience(TOKEN_CLAIMS.audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('forged-jti')
      .sign(privateKey);

    const response = await request(app.url, 'GET', '/me', { token: forged });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('rejects an unsigned alg none token', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: '1', iss: TOKEN_CLAIMS.issuer, aud: TOKEN_CLAIMS.audience, iat: now, exp: now + 300, jti: 'none-jti' })}.`;

    const response = await request(app.url, 'GET', '/me', { token: unsigned });

    expect(response.status).toBe(401);
  });

  it('sends the api security headers', async () => {
    const response = await request(app.url, 'GET', '/orders');

    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers an unknown path with a 404 that does not echo it', async () => {
    const response = await request(app.url, 'GET', '/no-such-route-xyz');
    const text = await response.text();

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(text).not.toContain('no-such-route-xyz');
  });

  describe('with a logged-in user', () => {
    let token: string;

    beforeAll(async () => {
      token = await logIn(app.url, BOB);
    });

    it('rejects an invalid order with 422 naming the field', async () => {
      const response = await request(app.url, 'POST', '/orders', {
        token,
        body: { items: [{ sku: 'TEA-GREEN-100', quantity: 1000 }], shipTo: ORDER.shipTo },
      });
      const text = await response.text();

      expect(response.status).toBe(422);
      expect(text).toContain('quantity');
      expect(text).not.toContain('1000');
    });

    it('rejects an unknown key in an order', async () => {
      const response = await request(app.url, 'POST', '/orders', { token, body: { ...ORDER, discountPercent: 100 } });

      expect(response.status).toBe(422);
    });

    it('rejects an order for an unknown SKU', async () => {
      const response = await request(app.url, 'POST', '/orders', {
        token,
        body: { ...ORDER, items: [{ sku: 'NOT-IN-CATALOG', quantity: 1 }] },
      });
      const text = await response.text();

      expect(response.status).toBe(422);
      expect(text).not.toContain('NOT-IN-CATALOG');
    });

    it('rejects a body that is not JSON', async () => {
      const response = await request(app.url, 'POST', '/orders', { token, body: '{"items": [', headers: { 'content-type': 'application/json' } });

      expect(response.status).toBe(400);
    });

    it('rejects a prototype pollution key in an order', async () => {
      const response = await request(app.url, 'POST', '/orders', {
        token,
        body: `{"items":[{"sku":"MUG-STONE","quantity":1}],"shipTo":${JSON.stringify(ORDER.shipTo)},"__proto__":{"admin":true}}`,
      });

      expect([400, 422]).toContain(response.status);
    });

    it('rejects a registered key that carries the private part', async () => {
      const response = await request(app.url, 'PUT', '/me/key', {
        token,
        body: { kty: 'OKP', crv: 'X25519', x: 'A'.repeat(43), d: 'B'.repeat(43) },
      });

      expect(response.status).toBe(422);
    });

    it('answers 409 for a receipt before a key is registered', async () => {
      // Runs before any test registers a key for this user.
      const created = await request(app.url, 'POST', '/orders', { token, body: ORDER });
      const { id } = (await created.json()) as { id: string };

      const response = await request(app.url, 'GET', `/orders/${id}/receipt`, { token });

      expect(response.status).toBe(409);
    });

    it('encrypts the receipt to the registered key only', async () => {
      const receiptKeys = generateKeypair('X25519', { format: 'jwk' });
      const otherKeys = generateKeypair('X25519', { format: 'jwk' });
      await request(app.url, 'PUT', '/me/key', { token, body: receiptKeys.publicKey });
      const created = await request(app.url, 'POST', '/orders', { token, body: ORDER });
      const { id } = (await created.json()) as { id: string };

      const response = await request(app.url, 'GET', `/orders/${id}/receipt`, { token });
      const body = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/jose');
      expect(response.headers.get('cache-control')).toContain('no-store');
      expect(body).not.toContain('Example Road');
      const receipt = (await decryptResponse(body, receiptKeys.privateKey as EcdhJwk)) as { id: string; shipTo: { line1: string } };
      expect(receipt.id).toBe(id);
      expect(receipt.shipTo.line1).toBe('1 Example Road');
      await expect(decryptResponse(body, otherKeys.privateKey as EcdhJwk)).rejects.toMatchObject({ code: 'ERR_DECRYPTION_FAILED' });
    });

    it('encrypts the receipt to a P-256 key', async () => {
      // The page falls back to a P-256 ECDH key where WebCrypto has no X25519.
      const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
      const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
      const register = await request(app.url, 'PUT', '/me/key', { token, body: { kty, crv, x, y } });
      expect(register.status).toBe(204);
      const profile = (await (await request(app.url, 'GET', '/me', { token })).json()) as { receiptKey: string };
      expect(profile.receiptKey).toBe('P-256');
      const created = await request(app.url, 'POST', '/orders', { token, body: ORDER });
      const { id } = (await created.json()) as { id: string };

      const response = await request(app.url, 'GET', `/orders/${id}/receipt`, { token });

      expect(response.status).toBe(200);
      const receipt = (await decryptResponse(response, pair.privateKey)) as { id: string };
      expect(receipt.id).toBe(id);
    });

    it("hides another user's order as not found", async () => {
      const aliceToken = await logIn(app.url, ALICE);
      const created = await request(app.url, 'POST', '/orders', { token: aliceToken, body: ORDER });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const register = await request(app.url, 'PUT', '/me/key', { token, body: generateKeypair('X25519', { format: 'jwk' }).publicKey });
      expect(register.status).toBe(204);

      const response = await request(app.url, 'GET', `/orders/${id}/receipt`, { token });

      expect(response.status).toBe(404);
      const list = (await (await request(app.url, 'GET', '/orders', { token })).json()) as { orders: { id: string }[] };
      expect(list.orders.map((order) => order.id)).not.toContain(id);
    });
  });
});

describe('express example app restart', () => {
  let dataDir: string;
  let app: RunningApp | undefined;

  beforeAll(() => {
    dataDir = makeDataDir();
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  it('keeps the signing key, users and orders', async () => {
    app = await startApp('express', { DATA_DIR: dataDir });
    const token = await logIn(app.url, ALICE);
    const created = await request(app.url, 'POST', '/orders', { token, body: ORDER });
    const { id } = (await created.json()) as { id: string };
    await app.stop();

    app = await startApp('express', { DATA_DIR: dataDir });

    expect(app.output()).not.toContain('seeded the demo users');
    const me = await request(app.url, 'GET', '/me', { token });
    expect(me.status).toBe(200);
    const list = (await (await request(app.url, 'GET', '/orders', { token })).json()) as { orders: { id: string }[] };
    expect(list.orders.map((order) => order.id)).toEqual([id]);
  });
});

describe.each(['express', 'koa'] as const)('%s example app behind a proxy', (appName) => {
  let dataDir: string;
  let app: RunningApp;

  beforeAll(async () => {
    dataDir = makeDataDir();
    app = await startApp(appName, { DATA_DIR: dataDir, TRUST_PROXY: '1' });
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  it('locks logins per forwarded client address', async () => {
    const attempts = await failLoginUntilLocked(app.url, 'alice', () => '203.0.113.7');

    expect(attempts).toBeGreaterThan(1);
    const sameClient = await request(app.url, 'POST', '/login', { body: ALICE, headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(sameClient.status).toBe(429);
    const otherClient = await request(app.url, 'POST', '/login', { body: ALICE, headers: { 'x-forwarded-for': '203.0.113.8' } });
    expect(otherClient.status).toBe(200);
  });
});
