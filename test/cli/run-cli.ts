import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI: `npm run build` writes it, and `npm test` builds before testing. */
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** The result of one run of the built CLI. */
export interface CliRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Bytes written to the CLI's stdin, which is then closed. Default: an empty stdin. */
  input?: string | Uint8Array;
  /** Variables added to the environment. */
  env?: Record<string, string>;
}

/**
 * Runs `node dist/cli/main.js ...args` with stdin piped, and collects stdout, stderr and the exit
 * code. The process is killed after 20 seconds so that a hung prompt fails the test.
 */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} is missing: run npm run build before the CLI tests`);
  }

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 20_000,
    });

    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    });

    child.stdin.on('error', () => {
      // The CLI may exit before reading stdin (a usage error); the write then fails harmlessly.
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Checks that stderr is exactly one line starting with `bulwark: `. */
export function isOneLineError(stderr: string): boolean {
  return /^bulwark: [^\n]+\n$/.test(stderr);
}
