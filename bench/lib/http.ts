import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

import { summarize, type Summary } from './stats.js';

/** One request shape that autocannon sends. */
export interface BenchRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One HTTP case: a server script under `bench/servers/` started in its own process with `env`, and the
 * requests to send it. `requests` with several entries are sent in turn (autocannon cycles them).
 */
export interface HttpCase {
  name: string;
  server: string;
  env?: Record<string, string>;
  requests: BenchRequest[];
  /** The status every response must have; a run with any other status fails the case. */
  expectStatus?: number;
}

export interface HttpSettings {
  rounds: number;
  durationSeconds: number;
  connections: number;
  /** Load before measuring, not counted, so that the server's code is optimized when the count starts. */
  warmupSeconds: number;
}

export const HTTP_FULL: HttpSettings = { rounds: 3, durationSeconds: 5, connections: 50, warmupSeconds: 1 };
export const HTTP_QUICK: HttpSettings = { rounds: 1, durationSeconds: 1, connections: 10, warmupSeconds: 0 };

const serversFolder = fileURLToPath(new URL('../servers/', import.meta.url));

interface RunningServer {
  child: ChildProcess;
  url: string;
}

/**
 * Starts a bench server in a child process on 127.0.0.1 and waits for the line `listening <port>` it
 * prints. The server runs on one core and autocannon on the other.
 */
async function startServer(item: HttpCase): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${serversFolder}${item.server}`], {
    env: { ...process.env, ...item.env, NODE_ENV: 'production', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    for await (const line of lines) {
      const match = /^listening (\d+)$/.exec(line.trim());
      if (match) {
        return { child, url: `http://127.0.0.1:${match[1]}` };
      }
    }
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`bench server ${item.server} exited before it listened`);
}

async function stopServer(server: RunningServer): Promise<void> {
  if (server.child.exitCode !== null) {
    return;
  }
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
}

async function load(item: HttpCase, url: string, settings: HttpSettings, durationSeconds: number): Promise<number> {
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: durationSeconds,
    requests: item.requests.map((request) => ({
      method: request.method ?? 'GET',
      path: request.path,
      headers: request.headers,
      body: request.body,
    })),
  });

  const expected = item.expectStatus ?? 200;
  const total = result.requests.total;
  const matching = (result.statusCodeStats as Record<string, { count: number }> | undefined)?.[String(expected)]?.count ?? 0;
  if (result.errors > 0 || result.timeouts > 0 || matching !== total || total === 0) {
    throw new Error(
      `bench case "${item.name}": ${total} requests, ${matching} with status ${expected}, ` +
        `${result.errors} errors, ${result.timeouts} timeouts, statuses ${JSON.stringify(result.statusCodeStats ?? {})}`,
    );
  }
  return total / durationSeconds;
}

/**
 * Measures requests per second for each case over several rounds. Each round starts every case's
 * server afresh, in a rotating order, loads it for the set duration and stops it by its process id.
 */
export async function measureHttp(cases: readonly HttpCase[], settings: HttpSettings): Promise<Map<string, Summary>> {
  const perRound = new Map<string, number[]>(cases.map((item) => [item.name, []]));

  for (let round = 0; round < settings.rounds; round += 1) {
    for (let index = 0; index < cases.length; index += 1) {
      const item = cases[(index + round) % cases.length]!;
      const server = await startServer(item);
      try {
        if (settings.warmupSeconds > 0) {
          await load(item, server.url, settings, settings.warmupSeconds);
        }
        perRound.get(item.name)!.push(await load(item, server.url, settings, settings.durationSeconds));
      } finally {
        await stopServer(server);
      }
    }
  }

  return new Map([...perRound].map(([name, values]) => [name, summarize(values)]));
}
