// The README's Express quick start and Redis section, run as written against real servers, so
// that the first code a new user copies keeps working.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { authenticate, errorHandler, requireJwt, securityHeaders, validateBody, type WithJwtAuth } from 'bulwark';
import { createRedisDenylist, generateKeypair, hashPassword } from 'bulwark/core';

import { startRedis, type TestRedis } from '../helpers/redis.js';

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function login(url: string, password: string): Promise<Response> {
  return fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'ada', password }),
  });
}

describe('README Express quick start', () => {
  let url: string;
  let server: Server;

  beforeAll(async () => {
    // Lower Argon2id cost than the default keeps the test fast; the README's code uses the default.
    const users = new Map([['ada', { id: 1, passwordHash: await hashPassword('correct horse', { memoryCost: 1024, timeCost: 1 }) }]]);
    const db = { users: { findByName: (username: string) => users.get(username) } };

    // From here on, the README's code.
    const { publicKey, privateKey } = generateKeypair('EdDSA');
    const tokens = { issuer: 'https://shop.example', audience: 'orders-api' };

    const app = express();
    app.use(securityHeaders());

    app.post('/login', authenticate({
      findUser: (username: string) => db.users.findByName(username),
      hash: { memoryCost: 1024, timeCost: 1 },
      issueToken: { key: privateKey, expiresIn: '15m', ...tokens },
    }));

    app.use('/api', requireJwt({ key: publicKey, algorithms: ['EdDSA'], ...tokens }));

    const order = z.object({ sku: z.string().max(32), quantity: z.number().int().min(1) });
    app.post('/api/orders', validateBody(order), (req: express.Request & WithJwtAuth, res) => {
      res.status(201).json({ owner: req.auth!.payload.sub, ...req.body });
    });

    app.use(errorHandler());
    ({ url, server } = await listen(app));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('logs in and places an order', async () => {
    const loginResponse = await login(url, 'correct horse');
    expect(loginResponse.status).toBe(200);
    const body = (await loginResponse.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(900);

    const orderResponse = await fetch(`${url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${body.access_token}` },
      body: JSON.stringify({ sku: 'SKU-1', quantity: 2 }),
    });
    expect(orderResponse.status).toBe(201);
    expect(await orderResponse.json()).toEqual({ owner: '1', sku: 'SKU-1', quantity: 2 });
  });

  it('rejects an order without a token', async () => {
    const response = await fetch(`${url}/api/orders`, { method: 'POST' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('rejects a wrong password with 401', async () => {
    const response = await login(url, 'wrong horse');
    expect(response.status).toBe(401);
  });
});

describe('README Redis section', () => {
  let redisServer: TestRedis;
  let redis: Redis;

  beforeAll(async () => {
    redisServer = await startRedis();
    redis = new Redis(redisServer.url);
  });

  afterAll(async () => {
    await redis.quit();
    await redisServer.stop();
  });

  it('revokes a token on logout across instances', async () => {
    const users = new Map([['ada', { id: 1, passwordHash: await hashPassword('correct horse', { memoryCost: 1024, timeCost: 1 }) }]]);
    const findUser = (username: string) => users.get(username);
    const { publicKey, privateKey } = generateKeypair('EdDSA');
    const issueToken = { key: privateKey, expiresIn: '15m' };
    const prefix = `readme-${Date.now()}:`;

    // The README's code, once per instance.
    const startInstance = () => {
      const app = express();
      const denylist = createRedisDenylist({ client: redis, keyPrefix: `${prefix}denylist:` });
      app.post('/login', authenticate({ findUser, issueToken, hash: { memoryCost: 1024, timeCost: 1 }, store: { redis, keyPrefix: `${prefix}login:` } }));
      app.use('/api', requireJwt({ key: publicKey, denylist }));
      app.get('/api/me', (req: express.Request & WithJwtAuth, res) => {
        res.json({ sub: req.auth!.payload.sub });
      });
      app.post('/logout', requireJwt({ key: publicKey }), async (req: express.Request & WithJwtAuth, res) => {
        await denylist.revokeToken(req.auth!.payload.jti!, req.auth!.payload.exp!);
        res.status(204).end();
      });
      app.use(errorHandler());
      return listen(app);
    };

    const first = await startInstance();
    const second = await startInstance();
    try {
      const { access_token: token } = (await (await login(first.url, 'correct horse')).json()) as { access_token: string };
      const headers = { authorization: `Bearer ${token}` };
      expect((await fetch(`${second.url}/api/me`, { headers })).status).toBe(200);

      expect((await fetch(`${first.url}/logout`, { method: 'POST', headers })).status).toBe(204);
      expect((await fetch(`${second.url}/api/me`, { headers })).status).toBe(401);
    } finally {
      for (const instance of [first, second]) {
        instance.server.closeAllConnections();
        await new Promise((resolve) => instance.server.close(resolve));
      }
    }
  });
});
