import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import express5 from 'express';
import express4 from 'express4';
import { beforeAll, describe, expect, it } from 'vitest';

import { authenticate } from '../../middleware/express/index.js';
import { FAST_ARGON2, PASSWORDS, createUsers, type TestUser } from './setup.js';

let users: Map<string, TestUser>;

beforeAll(async () => {
  users = await createUsers();
});

const { privateKey } = generateKeyPairSync('ed25519');

describe.each([
  ['express4', express4],
  ['express5', express5],
] as const)('authenticate with issueToken on %s', (_name, createApp) => {
  it('passes a token send failure to next', async () => {
    const app = (createApp as () => any)();
    let reportError: (code: unknown) => void = () => undefined;
    const reported = new Promise<unknown>((resolve) => {
      reportError = resolve;
    });

    // Like a timeout middleware, this sends a response while the password is still being checked.
    const answerEarly = (_req: unknown, res: any, next: () => void) => {
      res.status(503).end();
      next();
    };
    app.post('/login', answerEarly, authenticate<TestUser>({ findUser: (name) => users.get(name), hash: FAST_ARGON2, issueToken: { key: privateKey } }));
    app.use((error: { code?: unknown }, _req: unknown, _res: unknown, _next: unknown) => reportError(error.code));

    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: PASSWORDS.alice }),
      });

      expect(response.status).toBe(503);
      expect(await reported).toBe('ERR_HTTP_HEADERS_SENT');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
