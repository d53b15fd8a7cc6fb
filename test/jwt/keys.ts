// Test keys, generated once per test file run.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

import type { JwtAlgorithm } from 'bulwark/core';

export interface TestKeyPair {
  readonly algorithm: JwtAlgorithm;
  readonly privateKey: KeyObject | Buffer;
  readonly publicKey: KeyObject | Buffer;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const ed25519 = generateKeyPairSync('ed25519');
const secret = randomBytes(64);

/** A key pair for each algorithm; HMAC uses one 64-byte secret on both sides. */
export const KEY_PAIRS: Readonly<Record<JwtAlgorithm, TestKeyPair>> = {
  HS256: { algorithm: 'HS256', privateKey: secret, publicKey: secret },
  HS384: { algorithm: 'HS384', privateKey: secret, publicKey: secret },
  HS512: { algorithm: 'HS512', privateKey: secret, publicKey: secret },
  RS256: { algorithm: 'RS256', ...rsa },
  RS384: { algorithm: 'RS384', ...rsa },
  RS512: { algorithm: 'RS512', ...rsa },
  PS256: { algorithm: 'PS256', ...rsa },
  PS384: { algorithm: 'PS384', ...rsa },
  PS512: { algorithm: 'PS512', ...rsa },
  ES256: { algorithm: 'ES256', ...p256 },
  ES384: { algorithm: 'ES384', ...p384 },
  ES512: { algorithm: 'ES512', ...p521 },
  EdDSA: { algorithm: 'EdDSA', ...ed25519 },
};

export const rsaKeys = rsa;
export const p256Keys = p256;
export const ed25519Keys = ed25519;
export const hmacSecret = secret;

/** Builds a compact JWS from raw parts, for tokens that signJwt refuses to make. */
export function compact(header: object, payload: object | string, signature = ''): string {
  const encode = (value: object | string) =>
    Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  return `${encode(header)}.${encode(payload)}.${signature}`;
}

/** Returns the code of the BulwarkError that a promise rejects with. */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
  throw new Error('expected a rejection, but the promise resolved');
}
