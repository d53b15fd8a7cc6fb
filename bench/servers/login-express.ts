// An Express 5 app for the login benchmark: authenticate() over an in-memory user with an Argon2id
// hash made with the defaults. The password comes from BENCH_PASSWORD.
import { authenticate } from 'bulwark';
import { hashPassword } from 'bulwark/core';
import express, { type RequestHandler } from 'express';

import { announce } from './listen.js';

const password = process.env.BENCH_PASSWORD ?? '';
const users = new Map([['ada', { id: 1, username: 'ada', passwordHash: await hashPassword(password) }]]);

const app = express();
app.disable('x-powered-by');
app.post('/login', authenticate({ findUser: (username: string) => users.get(username) }) as unknown as RequestHandler, (_req, res) => {
  res.json({ ok: true });
});
announce(app.listen(0, '127.0.0.1'));
