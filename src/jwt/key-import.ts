import { createPrivateKey, createPublicKey, createSecretKey, KeyObject } from 'node:crypto';

import { BulwarkError, type BulwarkErrorCode } from '../errors.js';
import { JWT_ALGORITHMS, type JwkObject, type JwtAlgorithm, type KeyInput } from './types.js';

/** A key turned into a `KeyObject`, with the `alg` that a JWK pinned it to, if any. */
export interface ImportedKey {
  readonly keyObject: KeyObject;
  readonly pinnedAlgorithm?: JwtAlgorithm;
}

/** The origin of a key and the error code that a problem with it raises. */
export interface KeyContext {
  /** The option or source, for the message: `'key'`, `'keys["2024-01"]'`, `'key returned by getKey'`. */
  readonly label: string;
  readonly code: BulwarkErrorCode;
}

const PEM_MARKER = '-----BEGIN';

/** Text that is a public key in a format other than PEM: OpenSSH, or JSON that contains a JWK. */
const PUBLIC_KEY_TEXT_PATTERN = /^\s*(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-|\{[\s\S]*"kty")/;

/**
 * Turns key material into a key that verifies: a public key, or an HMAC secret. A private key is
 * accepted and reduced to its public part.
 *
 * Material that is, or looks like, a public key never becomes an HMAC secret (RFC 8725 section
 * 3.1). That covers PEM text or bytes, a JWK whose `kty` is not `oct`, OpenSSH text, JSON text
 * with `kty`, and DER or base64 DER of a public key. Each is parsed as the public key it is, or
 * rejected.
 */
export function importVerificationKey(input: KeyInput, context: KeyContext): ImportedKey {
  if (input instanceof KeyObject) {
    return { keyObject: input.type === 'private' ? createPublicKey(input) : input };
  }
  if (typeof input === 'string') {
    return { keyObject: importKeyText(input, context, createPublicKey) };
  }
  if (input instanceof Uint8Array) {
    return { keyObject: importSecretBytes(input, context) };
  }
  if (isJwkObject(input)) {
    return importJwk(input, context, 'verify');
  }
  throw keyError(context, 'is not a KeyObject, a PEM string, an HMAC secret or a JWK object');
}

/** Turns key material into a key that signs: a private key, or an HMAC secret. */
export function importSigningKey(input: KeyInput, context: KeyContext): ImportedKey {
  if (input instanceof KeyObject) {
    if (input.type === 'public') {
      throw keyError(context, 'is a public key; signing needs the private key or an HMAC secret');
    }
    return { keyObject: input };
  }
  if (typeof input === 'string') {
    return { keyObject: importKeyText(input, context, createPrivateKey) };
  }
  if (input instanceof Uint8Array) {
    return { keyObject: importSecretBytes(input, context) };
  }
  if (isJwkObject(input)) {
    return importJwk(input, context, 'sign');
  }
  throw keyError(context, 'is not a KeyObject, a PEM string, an HMAC secret or a JWK object');
}

function importKeyText(text: string, context: KeyContext, parsePem: (pem: string) => KeyObject): KeyObject {
  if (text.includes(PEM_MARKER)) {
    try {
      return parsePem(text);
    } catch {
      throw keyError(context, 'is PEM text that could not be parsed as the expected key; check the PEM block');
    }
  }

  if (PUBLIC_KEY_TEXT_PATTERN.test(text) || isBase64DerPublicKey(text)) {
    throw keyError(context, 'looks like a public key, which is never used as an HMAC secret; pass it as PEM, a JWK object or a KeyObject');
  }

  return createSecretKey(Buffer.from(text, 'utf8'));
}

function importSecretBytes(bytes: Uint8Array, context: KeyContext): KeyObject {
  const buffer = Buffer.from(bytes);
  const head = buffer.subarray(0, 64).toString('latin1');

  if (head.trimStart().startsWith(PEM_MARKER) || isDerPublicKey(buffer)) {
    throw keyError(context, 'contains the bytes of a public key, which is never used as an HMAC secret; pass the PEM as a string or a KeyObject');
  }

  return createSecretKey(buffer);
}

function importJwk(jwk: JwkObject, context: KeyContext, use: 'sign' | 'verify'): ImportedKey {
  const pinnedAlgorithm = readJwkAlgorithm(jwk, context);
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw keyError(context, 'is a JWK whose "use" is not "sig"');
  }

  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string' || !/^[A-Za-z0-9_-]*$/.test(jwk.k)) {
      throw keyError(context, 'is an "oct" JWK without a base64url "k" member');
    }
    return withPin(createSecretKey(Buffer.from(jwk.k, 'base64url')), pinnedAlgorithm);
  }

  if (use === 'sign' && jwk.d === undefined) {
    throw keyError(context, 'is a public JWK; signing needs the private JWK (with "d") or an HMAC secret');
  }

  try {
    const key = use === 'sign' ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPublicKey({ key: jwk, format: 'jwk' });
    return withPin(key, pinnedAlgorithm);
  } catch {
    throw keyError(context, `is a JWK of kty "${String(jwk.kty)}" that could not be imported; check its members`);
  }
}

function readJwkAlgorithm(jwk: JwkObject, context: KeyContext): JwtAlgorithm | undefined {
  if (jwk.alg === undefined) {
    return undefined;
  }
  const algorithm = JWT_ALGORITHMS.find((candidate) => candidate === jwk.alg);
  if (algorithm === undefined) {
    throw keyError(context, `is a JWK whose "alg" is not one of ${JWT_ALGORITHMS.join(', ')}`);
  }
  return algorithm;
}

function withPin(keyObject: KeyObject, pinnedAlgorithm: JwtAlgorithm | undefined): ImportedKey {
  return pinnedAlgorithm === undefined ? { keyObject } : { keyObject, pinnedAlgorithm };
}

function isJwkObject(input: unknown): input is JwkObject {
  return typeof input === 'object' && input !== null && typeof (input as { kty?: unknown }).kty === 'string';
}

function isBase64DerPublicKey(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  if (!/^MI[A-Za-z0-9+/]{40,}={0,2}$/.test(compact)) {
    return false;
  }
  return isDerPublicKey(Buffer.from(compact, 'base64'));
}

function isDerPublicKey(bytes: Buffer): boolean {
  // A DER SEQUENCE starts with 0x30; anything else cannot be a SubjectPublicKeyInfo or a certificate.
  if (bytes[0] !== 0x30) {
    return false;
  }
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      createPublicKey({ key: bytes, format: 'der', type });
      return true;
    } catch {
      // Not this encoding; try the next one.
    }
  }
  return false;
}

function keyError(context: KeyContext, problem: string): BulwarkError {
  const details = context.code === 'ERR_OPTION_INVALID' ? { option: context.label } : { reason: 'key_invalid' };
  return new BulwarkError(context.code, `The ${context.label} ${problem}.`, details);
}
