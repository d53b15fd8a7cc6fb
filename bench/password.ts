// Passwords: hash and verify time for Argon2id and bcrypt against bcryptjs, event-loop delay while 8
// logins run at once, logins a second through the middleware against the machine's limit, and the
// time of an unknown-user login against a wrong-password login.
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import { createAuthenticator, hashPassword, verifyPassword } from 'bulwark/core';
import bcryptjs from 'bcryptjs';

import { HTTP_FULL, HTTP_QUICK, measureHttp } from './lib/http.js';
import { runStandalone, type AreaReport, type BenchOptions, type TargetResult } from './lib/report.js';
import { formatRatio, formatSummary, summarize, type Summary } from './lib/stats.js';

const PASSWORD = 'correct horse battery staple';

/** Times `count` sequential calls and returns the per-call summary in milliseconds. */
async function timeCalls(count: number, call: () => Promise<unknown>): Promise<Summary> {
  const durations: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await call();
    durations.push(performance.now() - started);
  }
  return summarize(durations);
}

/** Measures the 99th percentile of event-loop delay, in milliseconds, while `calls` run at once. */
async function eventLoopDelayDuring(calls: Array<() => Promise<unknown>>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await Promise.all(calls.map((call) => call()));
  histogram.disable();
  return histogram.percentile(99) / 1e6;
}

export async function run(options: BenchOptions): Promise<AreaReport> {
  const count = options.quick ? 2 : 15;
  const argonHash = await hashPassword(PASSWORD);
  const bcrypt10 = await hashPassword(PASSWORD, { algorithm: 'bcrypt', cost: 10 });
  const bcrypt12 = await hashPassword(PASSWORD, { algorithm: 'bcrypt', cost: 12 });
  const bcryptjs10 = bcryptjs.hashSync(PASSWORD, 10);
  const bcryptjs12 = bcryptjs.hashSync(PASSWORD, 12);

  const timings: Array<[string, Summary]> = [
    ['hashPassword, Argon2id (m=19456, t=2, p=1)', await timeCalls(count, () => hashPassword(PASSWORD))],
    ['verifyPassword, Argon2id', await timeCalls(count, () => verifyPassword(PASSWORD, argonHash))],
    ['hashPassword, bcrypt cost 10', await timeCalls(count, () => hashPassword(PASSWORD, { algorithm: 'bcrypt', cost: 10 }))],
    ['verifyPassword, bcrypt cost 10', await timeCalls(count, () => verifyPassword(PASSWORD, bcrypt10))],
    ['bcryptjs hash, cost 10', await timeCalls(count, () => bcryptjs.hash(PASSWORD, 10))],
    ['bcryptjs compare, cost 10', await timeCalls(count, () => bcryptjs.compare(PASSWORD, bcryptjs10))],
    ['verifyPassword, bcrypt cost 12', await timeCalls(Math.ceil(count / 3), () => verifyPassword(PASSWORD, bcrypt12))],
    ['bcryptjs compare, cost 12', await timeCalls(Math.ceil(count / 3), () => bcryptjs.compare(PASSWORD, bcryptjs12))],
  ];

  // Event-loop delay while 8 logins run at once.
  const users = new Map([['ada', { passwordHash: argonHash }]]);
  const login = createAuthenticator({ findUser: (username: string) => users.get(username) });
  const eight = <T>(call: () => Promise<T>) => Array.from({ length: 8 }, () => call);
  const delays: Array<[string, number]> = [
    ['bulwark authenticate, Argon2id', await eventLoopDelayDuring(eight(() => login('ada', PASSWORD)))],
    ['@node-rs/bcrypt through verifyPassword, cost 10', await eventLoopDelayDuring(eight(() => verifyPassword(PASSWORD, bcrypt10)))],
    ['bcryptjs compare, cost 10', await eventLoopDelayDuring(eight(() => bcryptjs.compare(PASSWORD, bcryptjs10)))],
  ];

  // Unknown user against wrong password, alternating so that drift lands on both.
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let index = 0; index < (options.quick ? 2 : 30); index += 1) {
    let started = performance.now();
    await login('nobody', 'wrong password');
    unknown.push(performance.now() - started);
    started = performance.now();
    await login('ada', 'wrong password');
    wrong.push(performance.now() - started);
  }
  const unknownSummary = summarize(unknown);
  const wrongSummary = summarize(wrong);

  // Logins a second through the middleware, against cores divided by the verify time.
  const http = options.quick ? HTTP_QUICK : { ...HTTP_FULL, connections: 8 };
  const logins = await measureHttp(
    [
      {
        name: 'POST /login, Argon2id, correct password',
        server: 'login-express.ts',
        env: { BENCH_PASSWORD: PASSWORD },
        requests: Array.from({ length: 16 }, (_, index) => ({
          method: 'POST' as const,
          path: '/login',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: `user-${index}`, password: PASSWORD }),
        })),
      },
    ],
    http,
  );
  const verifyMs = timings[1]![1].median;
  const cores = availableParallelism();
  const ceiling = cores / (verifyMs / 1000);
  const loginRate = logins.get('POST /login, Argon2id, correct password')!;

  const loginShare = loginRate.median / ceiling;
  const loopDelay = delays[0]![1];
  const timingRatio = unknownSummary.median / wrongSummary.median;
  const targets: TargetResult[] = [
    {
      measure: 'authenticate, logins a second against cores / verify time',
      target: '>= 0.90x',
      measured: formatRatio(loginShare),
      met: loginShare >= 0.9,
      bound: 'autocannon and the server share the cores that the Argon2id threads need, so the load generator takes part of the limit it is measured against.',
    },
    { measure: 'authenticate, event-loop delay p99 during 8 concurrent logins', target: '< 10 ms', measured: `${loopDelay.toFixed(1)} ms`, met: loopDelay < 10 },
    {
      measure: 'authenticate, unknown-user against wrong-password median time',
      target: 'within 5%',
      measured: formatRatio(timingRatio),
      met: Math.abs(timingRatio - 1) <= 0.05,
    },
  ];

  return {
    title: 'Passwords and login',
    targets,
    tables: [
      { caption: 'Hash and verify time, milliseconds a call', columns: ['case', 'ms'], rows: timings.map(([name, summary]) => [name, formatSummary(summary)]) },
      {
        caption: 'Event-loop delay p99 while 8 logins run at once (target: under 10 ms)',
        columns: ['case', 'p99 ms'],
        rows: delays.map(([name, value]) => [name, value.toFixed(1)]),
      },
      {
        caption: `Logins a second through authenticate() against the machine's limit (${cores} cores / verify time; target 0.9x)`,
        columns: ['case', 'logins/s', 'limit', 'share'],
        rows: [['POST /login, Argon2id', formatSummary(loginRate), ceiling.toFixed(1), formatRatio(loginRate.median / ceiling)]],
      },
      {
        caption: 'Unknown user against wrong password, milliseconds a login (target: medians within 5%)',
        columns: ['case', 'ms', 'ratio'],
        rows: [
          ['unknown user', formatSummary(unknownSummary), formatRatio(unknownSummary.median / wrongSummary.median)],
          ['wrong password', formatSummary(wrongSummary), '1.00x'],
        ],
      },
    ],
    notes: [
      'Hash and verify times are sequential calls, one at a time; bulwark\'s run on the libuv thread pool through napi-rs, bcryptjs in JavaScript.',
      'The login rate runs autocannon with 8 connections over 16 users, with the brute-force limits raised: authenticate counts each attempt while its check runs, so the default of 5 would refuse a 6th login in flight for one user. The counters still run on every request.',
    ],
  };
}

await runStandalone(import.meta.url, run);
