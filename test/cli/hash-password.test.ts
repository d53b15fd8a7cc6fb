import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { verifyPassword } from '../../src/password/index.js';
import { CLI_PATH, isOneLineError, runCli } from './run-cli.js';

const PASSWORD = 'correct horse battery staple';

describe('bulwark hash-password', () => {
  it('hashes a piped password with argon2id', async () => {
    const { code, stdout, stderr } = await runCli(['hash-password'], { input: PASSWORD });
    expect(code).toBe(0);
    expect(stderr).toBe('');

    const hash = stdout.toString().trim();
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, hash)).toBe(false);
  });

  it('removes one trailing newline', async () => {
    const { stdout } = await runCli(['hash-password'], { input: `${PASSWORD}\r\n` });
    expect(await verifyPassword(PASSWORD, stdout.toString().trim())).toBe(true);
  });

  it('hashes with bcrypt', async () => {
    const { code, stdout } = await runCli(['hash-password', '--algorithm', 'bcrypt'], { input: PASSWORD });
    expect(code).toBe(0);
    const hash = stdout.toString().trim();
    expect(hash).toMatch(/^\$2b\$12\$/);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
  });

  it('rejects a password on the command line (shell history)', async () => {
    for (const args of [['hunter2-argv'], ['--password', 'hunter2-argv'], ['--password=hunter2-argv']]) {
      const { code, stdout, stderr } = await runCli(['hash-password', ...args], { input: PASSWORD });
      expect(code).toBe(2);
      expect(stdout).toHaveLength(0);
      expect(isOneLineError(stderr)).toBe(true);
      expect(stderr).not.toContain('hunter2');
    }
  });

  it('exits 1 for an empty password', async () => {
    const { code, stdout, stderr } = await runCli(['hash-password'], { input: '\n' });
    expect(code).toBe(1);
    expect(stdout).toHaveLength(0);
    expect(isOneLineError(stderr)).toBe(true);
  });

  it('exits 1 for a password that is not UTF-8 (replacement collision)', async () => {
    // Decoded leniently, both inputs would become "pass\uFFFD" and share one hash.
    for (const input of [Buffer.from([0x70, 0x61, 0x73, 0x73, 0xe9]), Buffer.from([0x70, 0x61, 0x73, 0x73, 0xff])]) {
      const { code, stdout, stderr } = await runCli(['hash-password'], { input });
      expect(code).toBe(1);
      expect(stdout).toHaveLength(0);
      expect(isOneLineError(stderr)).toBe(true);
      expect(stderr).toContain('not valid UTF-8');
    }
  });

  it('rejects an unknown algorithm', async () => {
    const { code, stderr } = await runCli(['hash-password', '--algorithm', 'md5'], { input: PASSWORD });
    expect(code).toBe(2);
    expect(stderr).toContain('argon2id, bcrypt');
  });

  it('prompts on a terminal without echo', async () => {
    const { output, code } = await runOnTerminal(['hash-password'], [PASSWORD, PASSWORD]);
    expect(code).toBe(0);
    expect(output).toContain('Password: ');
    expect(output).toContain('Repeat password: ');
    expect(output).not.toContain(PASSWORD);

    const hash = /\$argon2id\$\S+/.exec(output)?.[0];
    expect(hash).toBeDefined();
    expect(await verifyPassword(PASSWORD, hash!)).toBe(true);
  });

  it('exits 1 when the prompted passwords differ', async () => {
    const { output, code } = await runOnTerminal(['hash-password'], [PASSWORD, 'something else']);
    expect(code).toBe(1);
    expect(output).toContain('bulwark: the passwords do not match');
    expect(output).not.toContain('$argon2id$');
  });
});

/**
 * Runs the CLI on a pseudo-terminal through util-linux `script`, typing each line only after the
 * CLI has printed its prompt, as a person would, and returns everything the terminal showed.
 */
function runOnTerminal(args: string[], lines: string[]): Promise<{ output: string; code: number | null }> {
  expect(existsSync('/usr/bin/script')).toBe(true);
  const command = [process.execPath, CLI_PATH, ...args].map((word) => `'${word}'`).join(' ');

  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/script', ['-qefc', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 20_000 });
    let output = '';
    let prompts = 0;

    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const seen = output.split('assword: ').length - 1;
      while (prompts < seen && prompts < lines.length) {
        child.stdin.write(`${lines[prompts]}\r`);
        prompts += 1;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ output, code }));
  });
}
