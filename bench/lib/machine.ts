import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

import type { Table } from './report.js';

/** Describes the machine of a run: the facts that BENCHMARKS.md records beside the numbers. */
export function describeMachine(): Table {
  const processors = cpus();
  return {
    caption: 'Machine',
    columns: ['fact', 'value'],
    rows: [
      ['CPU', processors[0]?.model.trim() ?? 'unknown'],
      ['cores', String(processors.length)],
      ['memory', `${Math.round(totalmem() / 2 ** 30)} GiB`],
      ['Node.js', process.versions.node],
      ['OpenSSL (Node)', process.versions.openssl],
      ['V8', process.versions.v8],
    ],
  };
}

/**
 * Runs `openssl speed -evp aes-256-gcm` at the given sizes and returns MB/s (10^6 bytes) for each,
 * the machine's ceiling for AES-256-GCM. Returns an empty map where the `openssl` command is missing.
 */
export function opensslAesGcmSpeed(sizes: readonly number[], seconds: number): Map<number, number> {
  const speeds = new Map<number, number>();
  for (const size of sizes) {
    let output: string;
    try {
      output = execFileSync(
        'openssl',
        ['speed', '-evp', 'aes-256-gcm', '-bytes', String(size), '-seconds', String(seconds)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch {
      return speeds;
    }

    // The last line reads: "AES-256-GCM  <n>k" with the rate in thousands of bytes per second.
    const match = /aes-256-gcm\s+([\d.]+)k\s*$/im.exec(output.trim());
    if (match) {
      speeds.set(size, (Number(match[1]) * 1000) / 1e6);
    }
  }
  return speeds;
}
