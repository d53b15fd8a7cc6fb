import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the working directory of every process these tests start. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The server file of each example app. */
export const SERVER_FILES = {
  express: 'examples/express-app/server.ts',
  koa: 'examples/koa-app/server.ts',
} as const;

/** An example app running as its own process. */
export interface RunningApp {
  readonly url: string;
  readonly pid: number;
  /** Everything the process has printed so far, stdout and stderr interleaved. */
  output(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** Creates an empty temporary data folder; the caller removes it with {@link removeDataDir}. */
export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'bulwark-example-'));
}

/** Removes a folder made by {@link makeDataDir}. */
export function removeDataDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/**
 * Starts an example app with `node --import tsx`, as `npm start` does with tsx, on port 0 so the
 * system picks a free 127.0.0.1 port, and resolves with the URL the app prints once it listens.
 */
export async function startApp(app: keyof typeof SERVER_FILES, env: Record<string, string>): Promise<RunningApp> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_FILES[app]], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  try {
    const url = await waitForUrl(child, () => output);
    return { url, pid: child.pid!, output: () => output, stop: () => stopProcess(child) };
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the app did not start within ${START_TIMEOUT_MS} ms:\n${output()}`)), START_TIMEOUT_MS);
    const onData = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
      if (match) {
        finish(undefined, match[1]);
      }
    };
    const onExit = (code: number | null) => finish(new Error(`the app exited with code ${code} before listening:\n${output()}`));
    const finish = (error?: Error, url?: string) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (error) {
        reject(error);
      } else {
        resolve(url!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Stops a process by its pid with SIGTERM, then SIGKILL if it has not exited in time. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }

  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** The result of a finished process. */
export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the demo client against `baseUrl` with `node --import tsx` and waits for it to exit. */
export function runDemo(baseUrl: string, env: Record<string, string> = {}): Promise<ProcessResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo-client.ts'], {
    cwd: ROOT,
    env: { ...process.env, BASE_URL: baseUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
