import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import { SignJWT } from 'jose';

// Tokens are minted with jose, apart from bulwark's own signer, and checked against a frozen clock.
export const NOW_MS = Date.UTC(2026, 0, 1, 12);
export const NOW = NOW_MS / 1000;
export const now = (): number => NOW_MS;

export const SECRET = randomBytes(32);
export const ISSUER = 'https://issuer.test/';
export const AUDIENCE = 'orders-api';

export const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const RSA_PUBLIC_PEM = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;

/** Claims of a valid token at {@link NOW}. */
export function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: NOW - 10, exp: NOW + 600, jti: randomUUID(), ...extra };
}

/** Signs claims with HS256 and {@link SECRET}, or with the given header fields and secret. */
export async function mint(
  extra: Record<string, unknown> = {},
  options: { header?: Record<string, unknown>; secret?: Uint8Array } = {},
): Promise<string> {
  return new SignJWT(claims(extra))
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...options.header })
    .sign(options.secret ?? SECRET);
}

/** Signs claims with RS256 and the test RSA key. */
export async function mintRs256(extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims(extra)).setProtectedHeader({ alg: 'RS256', ...header }).sign(rsa.privateKey);
}

/** Signs a header and claims with HS256 by hand, for headers that jose refuses to produce. */
export function signHs256ByHand(header: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'HS256', ...header })}.${encode(claims(extra))}`;
  return `${signingInput}.${createHmac('sha256', SECRET).update(signingInput).digest('base64url')}`;
}

/** Builds a token with `alg: none` and an empty signature (RFC 7519, section 6). */
export function unsecured(extra: Record<string, unknown> = {}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims(extra))}.`;
}

/** A response as the tests read it. */
export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/**
 * Sends a GET or POST with node:http, which can repeat a header (fetch would join the values),
 * and reads the whole response.
 */
export function send(url: string, headers: Record<string, string | string[]> = {}, method = 'GET'): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Creates a logger that records every event, for assertions. */
export function recordingLogger() {
  const events: { level: string; object: Record<string, unknown>; message?: string }[] = [];
  const record = (level: string) => (object: Record<string, unknown>, message?: string) => {
    events.push({ level, object, message });
  };
  return { events, logger: { info: record('info'), warn: record('warn'), error: record('error') } };
}

/** Middleware that copies the auth error into the route view (`locals`) on every framework. */
export function exposeAuthError(kind: 'express' | 'koa'): unknown {
  if (kind === 'express') {
    return (req: any, res: any, next: any) => {
      res.locals.authError = req.authError;
      next();
    };
  }
  return async (_ctx: any, next: any) => {
    await next();
  };
}
