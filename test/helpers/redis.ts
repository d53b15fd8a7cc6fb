import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import { Redis } from 'ioredis';

/** A Redis server for a test: its URL and a way to stop it. */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts a real `redis-server` on a free 127.0.0.1 port, with persistence off, and waits until it
 * replies to PING. Needs the `redis-server` binary (Debian package `redis-server`; `.ci/run` installs it).
 * When `BULWARK_TEST_REDIS_URL` is set (as `.ci/run` does), that server is used instead.
 * Tests that share one server use their own key prefix.
 */
export async function startRedis(): Promise<TestRedis> {
  const shared = process.env.BULWARK_TEST_REDIS_URL;
  if (shared) {
    return { url: shared, stop: async () => {} };
  }

  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;

  for (let attempt = 0; attempt < 100; attempt += 1) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections are expected while the server starts; connect() reports them below.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      break;
    } catch {
      client.disconnect();
      if (attempt === 99) {
        child.kill('SIGKILL');
        throw new Error(`redis-server did not answer on port ${port}`);
      }
      await delay(50);
    }
  }

  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
}
