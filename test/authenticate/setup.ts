import { hashPassword } from 'bulwark/core';

import type { Framework, RouteSpec, RunningApp } from '../helpers/frameworks.js';

/**
 * Cheap Argon2id parameters for tests that do not depend on the default cost (1 MiB, one pass),
 * so that the four frameworks' tables stay fast on a shared two-core machine.
 */
export const FAST_ARGON2 = Object.freeze({ memoryCost: 1024, timeCost: 1 });

/** bcrypt at its lowest accepted cost, for the bcrypt cases. */
export const BCRYPT_10 = Object.freeze({ algorithm: 'bcrypt', cost: 10 } as const);

/** A user in the test store. */
export interface TestUser {
  id: string;
  username: string;
  passwordHash?: string;
}

/** The passwords of the test users. */
export const PASSWORDS = {
  alice: 'alice-password',
  // 72 bytes exactly: bcrypt's limit.
  bob: 'b'.repeat(72),
  carol: 'Crème brûlée'.normalize('NFC'),
  nul: 'nul\u0000password',
} as const;

/** Creates the users once per file: hashing is the expensive part of these tests. */
export async function createUsers(): Promise<Map<string, TestUser>> {
  const users = new Map<string, TestUser>();
  users.set('alice', { id: 'u-alice', username: 'alice', passwordHash: await hashPassword(PASSWORDS.alice, FAST_ARGON2) });
  users.set('bob', { id: 'u-bob', username: 'bob', passwordHash: await hashPassword(PASSWORDS.bob, BCRYPT_10) });
  users.set('carol', { id: 'u-carol', username: 'carol', passwordHash: await hashPassword(PASSWORDS.carol, FAST_ARGON2) });
  users.set('corrupt', { id: 'u-corrupt', username: 'corrupt', passwordHash: '$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHQ$aGFzaA' });
  return users;
}

/** Starts an app with `POST /login` behind the given middleware; the handler returns the user's id. */
export function startLoginApp(framework: Framework, middleware: unknown, extra: RouteSpec[] = [], jsonParser = false): Promise<RunningApp> {
  return framework.start(
    [
      {
        method: 'post',
        path: '/login',
        middleware: [middleware],
        handle: (view) => ({ body: { id: (view.user as TestUser).id } }),
      },
      ...extra,
    ],
    { jsonParser },
  );
}

/** Posts a JSON login. */
export function postJson(app: RunningApp, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Posts a login and returns its status, headers (but `date`) and body text, for byte comparison. */
export async function snapshot(response: Response): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'date') {
      headers[name] = value;
    }
  });
  return { status: response.status, headers, body: await response.text() };
}

/** Runs `body` with a started app and always closes it. */
export async function withApp(start: Promise<RunningApp>, body: (app: RunningApp) => Promise<void>): Promise<void> {
  const app = await start;
  try {
    await body(app);
  } finally {
    await app.close();
  }
}
