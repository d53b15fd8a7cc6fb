// An Express 5 app for the login benchmark: authenticate() over in-memory users user-0 to user-15,
// each with an Argon2id hash made with the defaults. The password comes from BENCH_PASSWORD.
import { authenticate } from 'bulwark';
import { hashPassword } from 'bulwark/core';
import express, { type RequestHandler } from 'express';

import { announce } from './listen.js';

const password = process.env.BENCH_PASSWORD ?? '';
const users = new Map<string, { id: number; passwordHash: string }>();
for (let index = 0; index < 16; index += 1) {
  users.set(`user-${index}`, { id: index, passwordHash: await hashPassword(password) });
}

const app = express();
app.disable('x-powered-by');
// The limits are raised so that 8 logins in flight for one user are not refused: authenticate counts
// each attempt while its check runs. The counters still run on every request.
const limits = { maxConsecutiveFailures: 1_000_000, maxFailuresPerIp: 1_000_000 };
app.post('/login', authenticate({ findUser: (username: string) => users.get(username), limits }) as unknown as RequestHandler, (_req, res) => {
  res.json({ ok: true });
});
announce(app.listen(0, '127.0.0.1'));
