import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { compactDecrypt, CompactEncrypt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';

import { isOneLineError, runCli } from './run-cli.js';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const keyBytes = randomBytes(32);
const keyText = keyBytes.toString('base64url');
const keyFile = join(folder, 'data.key');
writeFileSync(keyFile, `${keyText}\n`);

const rawKeyFile = join(folder, 'raw.key');
writeFileSync(rawKeyFile, keyBytes);

const otherKeyFile = join(folder, 'other.key');
writeFileSync(otherKeyFile, randomBytes(32).toString('base64url'));

async function encryptWith(args: string[], input: string | Uint8Array): Promise<string> {
  const { code, stdout, stderr } = await runCli(['encrypt', ...args], { input });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout.toString();
}

describe('bulwark encrypt and decrypt', () => {
  it('round-trips binary data byte for byte', async () => {
    const plaintext = Buffer.concat([randomBytes(4096), Buffer.from([0, 10, 13, 255])]);
    const token = await encryptWith(['--key-file', keyFile], plaintext);
    expect(token).toMatch(/^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const { code, stdout } = await runCli(['decrypt', '--key-file', keyFile], { input: token });
    expect(code).toBe(0);
    expect(stdout.equals(plaintext)).toBe(true);
  });

  it('takes the key from an environment variable', async () => {
    const env = { RECEIPT_KEY: keyText };
    const token = (await runCli(['encrypt', '--key-env', 'RECEIPT_KEY'], { input: 'hello', env })).stdout.toString();
    const { code, stdout } = await runCli(['decrypt', '--key-env', 'RECEIPT_KEY'], { input: token, env });
    expect(code).toBe(0);
    expect(stdout.toString()).toBe('hello');
  });

  it('takes a key file of 32 raw bytes', async () => {
    const token = await encryptWith(['--key-file', rawKeyFile], 'raw key');
    const { stdout } = await runCli(['decrypt', '--key-file', keyFile], { input: token });
    expect(stdout.toString()).toBe('raw key');
  });

  it('takes 32 raw bytes that happen to be base64url text', async () => {
    // 32 characters of base64url decode to 24 bytes, so the file is the raw key itself.
    const textLikeKey = Buffer.from('abcdefghijklmnopqrstuvwxyz012345');
    const textLikeKeyFile = join(folder, 'text-like.key');
    writeFileSync(textLikeKeyFile, textLikeKey);

    const token = await encryptWith(['--key-file', textLikeKeyFile], 'raw text-like key');
    const { plaintext } = await compactDecrypt(token.trim(), textLikeKey);
    expect(Buffer.from(plaintext).toString()).toBe('raw text-like key');
  });

  it('prints JSON for a JSON content type', async () => {
    const token = await encryptWith(['--key-file', keyFile, '--content-type', 'application/json'], '{ "order": 42 }\n');
    const { code, stdout } = await runCli(['decrypt', '--key-file', keyFile], { input: token });
    expect(code).toBe(0);
    expect(stdout.toString()).toBe('{"order":42}\n');
  });

  it('writes a JWE that jose decrypts', async () => {
    const token = await encryptWith(['--key-file', keyFile], 'interoperable');
    const { plaintext, protectedHeader } = await compactDecrypt(token.trim(), keyBytes);
    expect(Buffer.from(plaintext).toString()).toBe('interoperable');
    expect(protectedHeader).toMatchObject({ alg: 'dir', enc: 'A256GCM' });
  });

  it('decrypts a JWE that jose wrote', async () => {
    const token = await new CompactEncrypt(new TextEncoder().encode('from jose'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'text/plain' })
      .encrypt(keyBytes);
    const { code, stdout } = await runCli(['decrypt', '--key-file', keyFile], { input: token });
    expect(code).toBe(0);
    expect(stdout.toString()).toBe('from jose');
  });

  it('exits 1 for a wrong key', async () => {
    const token = await encryptWith(['--key-file', keyFile], 'secret order');
    const { code, stdout, stderr } = await runCli(['decrypt', '--key-file', otherKeyFile], { input: token });
    expect(code).toBe(1);
    expect(stdout).toHaveLength(0);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain('ERR_DECRYPTION_FAILED');
  });

  it('exits 1 for a changed ciphertext (tampering)', async () => {
    const token = (await encryptWith(['--key-file', keyFile], 'pay 10 EUR')).trim();
    const parts = token.split('.');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    ciphertext[0]! ^= 0x01;
    parts[3] = ciphertext.toString('base64url');

    const { code, stdout, stderr } = await runCli(['decrypt', '--key-file', keyFile], { input: parts.join('.') });
    expect(code).toBe(1);
    expect(stdout).toHaveLength(0);
    expect(stderr).toContain('ERR_DECRYPTION_FAILED');
  });

  it('gives one message for every decryption failure', async () => {
    const token = (await encryptWith(['--key-file', keyFile], 'x')).trim();
    const inputs = [token.slice(0, -2), 'not-a-token', `${token}.extra`, token.replace(/^[^.]+/, 'eyJhbGciOiJub25lIn0')];
    const messages = new Set<string>();
    for (const input of inputs) {
      const { code, stderr } = await runCli(['decrypt', '--key-file', keyFile], { input });
      expect(code).toBe(1);
      messages.add(stderr);
    }
    expect(messages.size).toBe(1);
  });

  it.each([
    ['no key option', []],
    ['both key options', ['--key-file', 'x', '--key-env', 'Y']],
    ['an unreadable key file', ['--key-file', join(folder, 'missing.key')]],
    ['an unset key variable', ['--key-env', 'BULWARK_TEST_UNSET_KEY']],
  ])('exits 2 for %s', async (_name, args) => {
    for (const command of ['encrypt', 'decrypt']) {
      const { code, stdout, stderr } = await runCli([command, ...args], { input: 'data' });
      expect(code).toBe(2);
      expect(stdout).toHaveLength(0);
      expect(isOneLineError(stderr)).toBe(true);
    }
  });

  it('exits 2 for a key of the wrong size without showing it', async () => {
    const shortKey = randomBytes(16).toString('base64url');
    const { code, stderr } = await runCli(['encrypt', '--key-env', 'SHORT_KEY'], { input: 'x', env: { SHORT_KEY: shortKey } });
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).not.toContain(shortKey);
  });

  it('exits 2 for a key file of the wrong size, naming bulwark secret', async () => {
    const shortKey = randomBytes(16).toString('base64url');
    const shortKeyFile = join(folder, 'short.key');
    writeFileSync(shortKeyFile, shortKey);

    for (const command of ['encrypt', 'decrypt']) {
      const { code, stdout, stderr } = await runCli([command, '--key-file', shortKeyFile], { input: 'x' });
      expect(code).toBe(2);
      expect(stdout).toHaveLength(0);
      expect(isOneLineError(stderr)).toBe(true);
      expect(stderr).toContain('bulwark secret');
      expect(stderr).not.toContain('KeyObject');
      expect(stderr).not.toContain(shortKey);
    }
  });

  it.each([
    ['invalid JSON for a JSON type', 'application/json', Buffer.from('{"order": 4')],
    ['invalid UTF-8 for a text type', 'text/plain', Buffer.from([0x63, 0x61, 0x66, 0xe9])],
  ])('exits 1 for stdin of %s, which decrypt could never read', async (_name, contentType, input) => {
    const { code, stdout, stderr } = await runCli(['encrypt', '--key-file', keyFile, '--content-type', contentType], { input });
    expect(code).toBe(1);
    expect(stdout).toHaveLength(0);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain('--content-type');
    expect(stderr).not.toContain('order');
  });

  it('never prints the key or plaintext on failure', async () => {
    const token = await encryptWith(['--key-file', keyFile], 'PLAINTEXT-MARKER');
    const { stderr } = await runCli(['decrypt', '--key-file', otherKeyFile], { input: token });
    expect(stderr).not.toContain(keyText);
    expect(stderr).not.toContain('PLAINTEXT-MARKER');
    expect(stderr).not.toContain(token.trim());
  });
});
