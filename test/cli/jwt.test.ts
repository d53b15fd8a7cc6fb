import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isOneLineError, runCli } from './run-cli.js';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-cli-jwt-'));

const signing = generateKeyPairSync('ed25519');
const attacker = generateKeyPairSync('ed25519');
const publicPem = signing.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const publicJwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'EdDSA' };

const pemFile = join(folder, 'public.pem');
const jwkFile = join(folder, 'public.jwk.json');
const brokenJwkFile = join(folder, 'broken.json');
writeFileSync(pemFile, publicPem);
writeFileSync(jwkFile, JSON.stringify(publicJwk));
writeFileSync(brokenJwkFile, '{ "kty": ');

const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'orders-api';

async function sign(
  claims: Record<string, unknown> = {},
  options: { key?: typeof signing.privateKey; expiresIn?: string | number; kid?: string } = {},
): Promise<string> {
  const jwt = new SignJWT({ scope: 'orders:read', ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: options.kid ?? 'key-1' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('user-7')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m');
  return jwt.sign(options.key ?? signing.privateKey);
}

let jwksServer: Server;
let jwksUrl: string;
let jwksRequests = 0;

beforeAll(async () => {
  jwksServer = createServer((_request, response) => {
    jwksRequests += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [publicJwk] }));
  });
  jwksServer.listen(0, '127.0.0.1');
  await once(jwksServer, 'listening');
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  jwksServer.closeAllConnections();
  await new Promise((resolve) => jwksServer.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

describe('bulwark jwt decode', () => {
  it('prints header and payload marked unverified', async () => {
    const token = await sign();
    const { code, stdout, stderr } = await runCli(['jwt', 'decode', token]);
    expect(code).toBe(0);
    expect(stderr).toBe('');

    const decoded = JSON.parse(stdout.toString());
    expect(decoded.verified).toBe(false);
    expect(decoded.header).toEqual({ alg: 'EdDSA', kid: 'key-1' });
    expect(decoded.payload).toMatchObject({ sub: 'user-7', iss: ISSUER, aud: AUDIENCE, scope: 'orders:read' });
  });

  it('reads the token from stdin', async () => {
    const token = await sign({}, { key: attacker.privateKey });
    const { code, stdout } = await runCli(['jwt', 'decode'], { input: `${token}\n` });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.toString()).payload.sub).toBe('user-7');
  });

  it('exits 1 for input that is not a JWT', async () => {
    const { code, stdout, stderr } = await runCli(['jwt', 'decode', 'not.a.jwt-MARKER']);
    expect(code).toBe(1);
    expect(stdout).toHaveLength(0);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).not.toContain('MARKER');
  });

  it('exits 2 for empty stdin', async () => {
    const { code, stderr } = await runCli(['jwt', 'decode'], { input: '' });
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
  });
});

describe('bulwark jwt verify with a key file', () => {
  it('verifies with a PEM public key', async () => {
    const token = await sign();
    const { code, stdout, stderr } = await runCli(['jwt', 'verify', '--key', pemFile, '--issuer', ISSUER, '--audience', AUDIENCE, token]);
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const verified = JSON.parse(stdout.toString());
    expect(verified.verified).toBe(true);
    expect(verified.payload.sub).toBe('user-7');
    expect(verified.header.alg).toBe('EdDSA');
  });

  it('verifies with a JWK file and the token on stdin', async () => {
    const token = await sign();
    const { code, stdout } = await runCli(['jwt', 'verify', '--key', jwkFile, '--alg', 'EdDSA'], { input: token });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.toString()).verified).toBe(true);
  });

  it('exits 1 for a token signed by another key (forgery)', async () => {
    const token = await sign({}, { key: attacker.privateKey });
    const { code, stdout, stderr } = await runCli(['jwt', 'verify', '--key', pemFile, token]);
    expect(code).toBe(1);
    expect(stdout).toHaveLength(0);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain('verification failed');
    expect(stderr).toContain('ERR_JWT_SIGNATURE_INVALID');
  });

  it('exits 1 for an expired token', async () => {
    const token = await sign({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    const { code, stderr } = await runCli(['jwt', 'verify', '--key', pemFile, token]);
    expect(code).toBe(1);
    expect(stderr).toContain('ERR_JWT_EXPIRED');
  });

  it('exits 1 for a wrong issuer or audience', async () => {
    const token = await sign();
    const wrongIssuer = await runCli(['jwt', 'verify', '--key', pemFile, '--issuer', 'https://other.test/', token]);
    const wrongAudience = await runCli(['jwt', 'verify', '--key', pemFile, '--audience', 'billing-api', token]);
    expect(wrongIssuer.code).toBe(1);
    expect(wrongIssuer.stderr).toContain('ERR_JWT_CLAIM_INVALID');
    expect(wrongAudience.code).toBe(1);
    expect(wrongAudience.stderr).toContain('ERR_JWT_CLAIM_INVALID');
  });

  it('exits 2 for an algorithm the key cannot use', async () => {
    const token = await sign();
    const { code, stderr } = await runCli(['jwt', 'verify', '--key', pemFile, '--alg', 'ES256', token]);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain('ERR_OPTION_INVALID');
  });

  it('exits 1 for a token algorithm not allowed (downgrade)', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaPemFile = join(folder, 'rsa.pem');
    writeFileSync(rsaPemFile, rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    const token = await new SignJWT({ sub: 'user-7' }).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('5m').sign(rsa.privateKey);

    const allowed = await runCli(['jwt', 'verify', '--key', rsaPemFile, '--alg', 'RS256', token]);
    const notAllowed = await runCli(['jwt', 'verify', '--key', rsaPemFile, '--alg', 'PS256', token]);
    expect(allowed.code).toBe(0);
    expect(notAllowed.code).toBe(1);
    expect(notAllowed.stderr).toContain('ERR_JWT_ALGORITHM_NOT_ALLOWED');
  });

  it('rejects alg none (unsigned token)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'admin', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    const { code, stdout, stderr } = await runCli(['jwt', 'verify', '--key', pemFile, `${header}.${payload}.`]);
    expect(code).toBe(1);
    expect(stdout).toHaveLength(0);
    expect(isOneLineError(stderr)).toBe(true);
  });

  it('rejects HS256 signed with the public key (algorithm confusion)', async () => {
    const token = await new SignJWT({ sub: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(publicPem));
    const { code, stdout } = await runCli(['jwt', 'verify', '--key', pemFile, token]);
    expect(code).toBe(1);
    expect(stdout).toHaveLength(0);
  });

  it('never prints the token on failure', async () => {
    const token = await sign({}, { key: attacker.privateKey });
    const { stderr } = await runCli(['jwt', 'verify', '--key', pemFile, token]);
    expect(stderr).not.toContain(token);
    expect(stderr).not.toContain(token.split('.')[1]);
  });
});

describe('bulwark jwt verify with a JWKS URL', () => {
  it('verifies against the key set', async () => {
    const before = jwksRequests;
    const token = await sign();
    const { code, stdout, stderr } = await runCli(['jwt', 'verify', '--jwks', jwksUrl, '--alg', 'EdDSA', '--issuer', ISSUER], {
      input: token,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.toString()).payload.sub).toBe('user-7');
    expect(jwksRequests).toBeGreaterThan(before);
  });

  it('exits 1 for a forged token with a known kid', async () => {
    const token = await sign({}, { key: attacker.privateKey, kid: 'key-1' });
    const { code, stderr } = await runCli(['jwt', 'verify', '--jwks', jwksUrl], { input: token });
    expect(code).toBe(1);
    expect(stderr).toContain('ERR_JWT_SIGNATURE_INVALID');
  });

  it('exits 1 for an unknown kid', async () => {
    const token = await sign({}, { kid: 'key-9' });
    const { code, stderr } = await runCli(['jwt', 'verify', '--jwks', jwksUrl], { input: token });
    expect(code).toBe(1);
    expect(isOneLineError(stderr)).toBe(true);
  });

  it('exits 1 when the key set is unreachable', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const token = await sign();
    const { code, stderr } = await runCli(['jwt', 'verify', '--jwks', `http://127.0.0.1:${port}/jwks.json`], { input: token });
    expect(code).toBe(1);
    expect(stderr).toContain('ERR_JWKS_UNAVAILABLE');
  });
});

describe('bulwark jwt verify usage', () => {
  it.each([
    ['no key source', []],
    ['both key sources', ['--key', 'public.pem', '--jwks', 'http://127.0.0.1:9/jwks.json']],
    ['an unknown algorithm', ['--key', 'public.pem', '--alg', 'XS256']],
    ['an unreadable key file', ['--key', 'missing.pem']],
  ])('exits 2 for %s', async (_name, args) => {
    const token = await sign();
    const resolved = args.map((arg) => (arg.endsWith('.pem') ? join(folder, arg) : arg));
    const { code, stdout, stderr } = await runCli(['jwt', 'verify', ...resolved], { input: token });
    expect(code).toBe(2);
    expect(stdout).toHaveLength(0);
    expect(isOneLineError(stderr)).toBe(true);
  });

  it('exits 2 for a key file of invalid JSON', async () => {
    const token = await sign();
    const { code, stderr } = await runCli(['jwt', 'verify', '--key', brokenJwkFile, token]);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
  });

  it('exits 2 for a key file that is neither JWK nor PEM', async () => {
    const token = await sign();
    const secretFile = join(folder, 'secret.key');
    writeFileSync(secretFile, randomBytes(32).toString('base64url'));

    const { code, stdout, stderr } = await runCli(['jwt', 'verify', '--key', secretFile, token]);
    expect(code).toBe(2);
    expect(stdout).toHaveLength(0);
    expect(isOneLineError(stderr)).toBe(true);
    expect(stderr).toContain('neither a JWK nor a PEM key');
  });

  it('exits 2 for an unknown jwt subcommand', async () => {
    const { code, stderr } = await runCli(['jwt', 'sign']);
    expect(code).toBe(2);
    expect(isOneLineError(stderr)).toBe(true);
  });
});
