import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { CLI_PATH, isOneLineError, runCli } from './run-cli.js';

const COMMANDS = ['secret', 'keypair', 'hash-password', 'encrypt', 'decrypt', 'jwt decode', 'jwt verify'];

describe('bulwark CLI basics', () => {
  it('starts with a node shebang', () => {
    const firstLine = readFileSync(CLI_PATH, 'utf8').split('\n', 1)[0];
    expect(firstLine).toBe('#!/usr/bin/env node');
  });

  it('is the package bin', () => {
    const packageJson = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
    expect(packageJson.bin).toEqual({ bulwark: './dist/cli/main.js' });
    expect(fileURLToPath(new URL(`../../${packageJson.bin.bulwark}`, import.meta.url))).toBe(CLI_PATH);
  });

  it('lists every command in --help', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const command of COMMANDS) {
      expect(stdout.toString()).toContain(`  ${command} `);
    }
  });

  it.each(COMMANDS)('prints help for %s', async (command) => {
    const { code, stdout, stderr } = await runCli([...command.split(' '), '--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.toString()).toMatch(new RegExp(`^Usage: bulwark ${command}`));
  });

  it('exits 2 with usage when no command is given', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toHaveLength(0);
    expect(stderr).toContain('Usage: bulwark <command>');
  });

  it('exits 2 for an unknown command without repeating it', async () => {
    const { code, stderr } = await runCli(['s3cr3t-typed-by-mistake']);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).not.toContain('s3cr3t');
  });

  it('exits 2 for an unknown option without repeating its value', async () => {
    const { code, stderr } = await runCli(['secret', '--length=s3cr3t-value']);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain('--length');
    expect(stderr).not.toContain('s3cr3t');
  });

  it('exits 2 for an option without its value', async () => {
    const { code, stderr } = await runCli(['keypair', '--alg']);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
  });
});

describe('bulwark secret', () => {
  it('prints 32 random bytes as base64url', async () => {
    const first = await runCli(['secret']);
    const second = await runCli(['secret']);
    expect(first.code).toBe(0);
    expect(first.stdout.toString()).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(Buffer.from(first.stdout.toString().trim(), 'base64url')).toHaveLength(32);
    expect(second.stdout.toString()).not.toBe(first.stdout.toString());
  });

  it('rejects arguments', async () => {
    const { code, stderr } = await runCli(['secret', 'extra']);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
  });
});

describe('bulwark keypair', () => {
  it.each([
    ['EdDSA', 'ed25519'],
    ['ES256', 'ec'],
    ['PS256', 'rsa'],
    ['RS256', 'rsa'],
    ['X25519', 'x25519'],
  ])('prints a %s pair as PEM', async (alg, keyType) => {
    const { code, stdout } = await runCli(['keypair', '--alg', alg]);
    expect(code).toBe(0);

    const text = stdout.toString();
    const privateKey = createPrivateKey(text);
    const publicKey = createPublicKey(text.slice(text.indexOf('-----BEGIN PUBLIC KEY-----')));
    expect(privateKey.asymmetricKeyType).toBe(keyType);
    expect(publicKey.asymmetricKeyType).toBe(keyType);
    expect(createPublicKey(privateKey).export({ format: 'jwk' })).toEqual(publicKey.export({ format: 'jwk' }));
  });

  it('prints an EdDSA pair by default', async () => {
    const { stdout } = await runCli(['keypair']);
    expect(createPrivateKey(stdout.toString()).asymmetricKeyType).toBe('ed25519');
  });

  it('prints JWKs with the kid', async () => {
    const { code, stdout } = await runCli(['keypair', '--alg', 'ES256', '--format', 'jwk']);
    expect(code).toBe(0);

    const { kid, publicKey, privateKey } = JSON.parse(stdout.toString());
    expect(publicKey).toMatchObject({ kty: 'EC', crv: 'P-256', kid, alg: 'ES256' });
    expect(publicKey.d).toBeUndefined();
    expect(privateKey).toMatchObject({ kty: 'EC', crv: 'P-256', kid });
    expect(typeof privateKey.d).toBe('string');
  });

  it.each([
    ['an unknown algorithm', ['--alg', 'HS256']],
    ['an unknown format', ['--format', 'der']],
  ])('rejects %s', async (_name, args) => {
    const { code, stderr, stdout } = await runCli(['keypair', ...args]);
    expect(code).toBe(2);
    expect(stdout).toHaveLength(0);
    expect(isOneLineError(stderr)).toBe(true);
  });
});
