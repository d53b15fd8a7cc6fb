// Memory: the example app's heap after a 60 s load, against its heap after warm-up. A leak in any
// middleware on the request path (limiter entries, cache entries, listeners) shows as growth here.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

import { runStandalone, type AreaReport, type BenchOptions, type TargetResult } from './lib/report.js';
import { formatRatio } from './lib/stats.js';

const serverFile = fileURLToPath(new URL('./servers/example-memory.ts', import.meta.url));

async function start(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', serverFile], {
    env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'silent' },
    // The example app logs every rejected request to stderr: far too much for a load test's output.
    stdio: ['ignore', 'pipe', 'ignore', 'ipc'],
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = /^listening (\d+)$/.exec(line.trim());
    if (match) {
      return { child, url: `http://127.0.0.1:${match[1]}` };
    }
  }
  throw new Error('the example app exited before it listened');
}

async function heapUsed(child: ChildProcess): Promise<number> {
  child.send('heap');
  const [message] = (await once(child, 'message')) as [{ heapUsed: number }];
  return message.heapUsed;
}

async function load(url: string, token: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url,
    connections: 20,
    duration: seconds,
    requests: [
      { method: 'GET', path: '/me', headers: { authorization: `Bearer ${token}` } },
      { method: 'GET', path: '/orders', headers: { authorization: `Bearer ${token}` } },
      { method: 'GET', path: '/me', headers: { authorization: 'Bearer not-a-token' } },
    ],
  });
  return result.requests.total;
}

export async function run(options: BenchOptions): Promise<AreaReport> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-bench-memory-'));
  const { child, url } = await start(dataDir);
  const warmupSeconds = options.quick ? 2 : 10;
  const loadSeconds = options.quick ? 3 : 60;

  try {
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'alice-demo-password' }),
    });
    if (login.status !== 200) {
      throw new Error(`login to the example app failed with status ${login.status}`);
    }
    const { access_token: token } = (await login.json()) as { access_token: string };

    await load(url, token, warmupSeconds);
    const afterWarmup = await heapUsed(child);
    const requests = await load(url, token, loadSeconds);
    const afterLoad = await heapUsed(child);

    const mebibytes = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    const growth = afterLoad / afterWarmup;
    const targets: TargetResult[] = [
      { measure: `example app heap after ${loadSeconds} s of load against after warm-up`, target: 'within 10%', measured: formatRatio(growth), met: growth <= 1.1 },
    ];
    return {
      title: 'Memory',
      targets,
      tables: [
        {
          caption: `Example Express app: heap in use after a full GC (target: after the load within 10% of after warm-up)`,
          columns: ['moment', 'heap MiB', 'ratio'],
          rows: [
            [`after ${warmupSeconds} s warm-up`, mebibytes(afterWarmup), '1.00x'],
            [`after ${loadSeconds} s more load (${requests.toLocaleString('en-US')} requests)`, mebibytes(afterLoad), formatRatio(afterLoad / afterWarmup)],
          ],
        },
      ],
      notes: ['The load cycles GET /me and GET /orders with a valid token and GET /me with a malformed one, over 20 connections.'],
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await runStandalone(import.meta.url, run);
