import type { KeyObject } from 'node:crypto';

import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';

import { BulwarkError } from '../errors.js';
import { ctyOf, decryptionFailed, encodePlaintext, readPlaintext, type DecryptedValue } from './content-type.js';

// This file runs in browsers as well as Node: jose does the work through WebCrypto, and the Node
// `KeyObject` above is a type only.

/** The key management algorithm for a client's public key (RFC 7518, section 4.6). */
export const PUBLIC_KEY_ALGORITHM = 'ECDH-ES+A256KW';

/** The content encryption algorithm of every bulwark JWE (RFC 7518, section 5.3). */
export const CONTENT_ENCRYPTION = 'A256GCM';

/**
 * An elliptic-curve JSON Web Key (RFC 7517) for ECDH-ES: X25519 (`kty: 'OKP'`, RFC 8037) or P-256
 * (`kty: 'EC'`). A private key also has `d`. The members are optional in the type, so that a JWK
 * from jose's `exportJWK` or from a token claim fits, and are checked at run time.
 */
export interface EcdhJwk {
  readonly kty?: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly d?: string;
  readonly kid?: string;
  readonly use?: string;
  readonly alg?: string;
}

/** Options of {@link encryptForPublicKey}. */
export interface PublicKeyEncryptOptions {
  /** The media type of a string or bytes value, recorded in `cty`. Defaults by value type. */
  readonly contentType?: string;
  /** The `kid` header. Defaults to the key's own `kid`, if it has one. */
  readonly kid?: string;
}

/**
 * Encrypts a value to a recipient's public key as JWE compact serialization with
 * `ECDH-ES+A256KW` and `A256GCM`, so that only the holder of the private key can read it.
 * Strings are `text/plain`, bytes `application/octet-stream` and anything else JSON, unless
 * `contentType` names the media type of a string or bytes value.
 *
 * Throws `ERR_KEY_INVALID` when the key is not an X25519 or P-256 public key meant for this use.
 *
 * @example
 * ```ts
 * const token = await encryptForPublicKey({ balance: 120 }, client.cnf.jwk);
 * ```
 */
export async function encryptForPublicKey(
  value: unknown,
  publicKey: EcdhJwk,
  options: PublicKeyEncryptOptions = {},
): Promise<string> {
  const jwk = publicPartOf(publicKey);
  const { bytes, contentType } = encodePlaintext(value, options.contentType);

  let key: CryptoKey | Uint8Array;
  try {
    key = (await importJWK({ ...jwk }, PUBLIC_KEY_ALGORITHM)) as CryptoKey;
  } catch {
    throw new BulwarkError('ERR_KEY_INVALID', 'The public key is not a valid X25519 or P-256 key.');
  }

  const kid = options.kid ?? publicKey.kid;
  const header = { alg: PUBLIC_KEY_ALGORITHM, enc: CONTENT_ENCRYPTION, cty: ctyOf(contentType), ...(kid ? { kid } : {}) };
  try {
    return await new CompactEncrypt(bytes).setProtectedHeader(header).encrypt(key);
  } catch {
    // WebCrypto rejects a low-order X25519 point, whose shared secret is all zeros (RFC 7748,
    // section 6.1): a body encrypted to it would be readable by anyone.
    throw new BulwarkError('ERR_KEY_INVALID', 'The public key cannot be used for key agreement.');
  }
}

/**
 * Imports an X25519 or P-256 private JWK for {@link decryptWithPrivateKey}. Import once and reuse
 * the result, because the import is the costly step.
 *
 * @example
 * ```ts
 * const privateKey = await importPrivateKey(JSON.parse(process.env.CLIENT_PRIVATE_JWK!));
 * ```
 */
export async function importPrivateKey(privateKey: EcdhJwk): Promise<CryptoKey> {
  assertCurve(privateKey);
  if (typeof privateKey.d !== 'string') {
    throw new BulwarkError('ERR_KEY_INVALID', 'The private key has no "d" member.');
  }

  try {
    return (await importJWK({ ...privateKey }, PUBLIC_KEY_ALGORITHM)) as CryptoKey;
  } catch {
    throw new BulwarkError('ERR_KEY_INVALID', 'The private key is not a valid X25519 or P-256 key.');
  }
}

/**
 * Decrypts a JWE compact serialization made by {@link encryptForPublicKey} and returns the value
 * its `cty` names: parsed JSON, a string for `text/*`, or bytes.
 *
 * Only `ECDH-ES+A256KW` with `A256GCM` is accepted, and compressed (`zip`) tokens are rejected
 * (RFC 8725, section 3.1: a recipient allows only the algorithms it expects). Every failure throws
 * the same `ERR_DECRYPTION_FAILED`, whatever the cause.
 *
 * @example
 * ```ts
 * const value = await decryptWithPrivateKey(token, await importPrivateKey(privateJwk));
 * ```
 */
export async function decryptWithPrivateKey(
  token: string,
  privateKey: CryptoKey | KeyObject | EcdhJwk,
): Promise<DecryptedValue> {
  const key = isImportedKey(privateKey) ? privateKey : await importPrivateKey(privateKey);
  assertHeaderAccepted(token, PUBLIC_KEY_ALGORITHM);

  try {
    const { plaintext, protectedHeader } = await compactDecrypt(token, key, {
      keyManagementAlgorithms: [PUBLIC_KEY_ALGORITHM],
      contentEncryptionAlgorithms: [CONTENT_ENCRYPTION],
    });
    return readPlaintext(plaintext, protectedHeader.cty);
  } catch {
    throw decryptionFailed();
  }
}

/**
 * Rejects a token whose protected header is unreadable, names another `alg` or `enc`, or requests
 * compression. A compressed plaintext could expand far beyond the size limit that the caller
 * checked on the token, and RFC 8725, section 3.6, warns against compressing before encryption.
 *
 * @example
 * ```ts
 * assertHeaderAccepted(token, 'ECDH-ES+A256KW'); // throws ERR_DECRYPTION_FAILED otherwise
 * ```
 */
export function assertHeaderAccepted(token: string, algorithm: string): void {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    throw decryptionFailed();
  }

  if (header.alg !== algorithm || header.enc !== CONTENT_ENCRYPTION || header.zip !== undefined) {
    throw decryptionFailed();
  }
}

/**
 * Checks a recipient key and returns its public members only. The key of a client may come from a
 * token claim (`cnf.jwk`, RFC 7800), so its `use` and `alg` must fit this purpose.
 *
 * @example
 * ```ts
 * const jwk = publicPartOf(request.auth.payload.cnf.jwk); // { kty: 'OKP', crv: 'X25519', x }
 * ```
 */
export function publicPartOf(jwk: EcdhJwk): Readonly<Record<string, string>> {
  assertCurve(jwk);
  if (jwk.use !== undefined && jwk.use !== 'enc') {
    throw new BulwarkError('ERR_KEY_INVALID', 'The public key has a "use" other than "enc".');
  }
  if (jwk.alg !== undefined && jwk.alg !== PUBLIC_KEY_ALGORITHM) {
    throw new BulwarkError('ERR_KEY_INVALID', `The public key has an "alg" other than "${PUBLIC_KEY_ALGORITHM}".`);
  }

  return jwk.kty === 'EC' ? { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! } : { kty: 'OKP', crv: 'X25519', x: jwk.x! };
}

function assertCurve(jwk: EcdhJwk): void {
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.x !== 'string') {
    throw new BulwarkError('ERR_KEY_INVALID', 'The key must be a JWK with an "x" member.');
  }

  const isX25519 = jwk.kty === 'OKP' && jwk.crv === 'X25519';
  const isP256 = jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.y === 'string';
  if (!isX25519 && !isP256) {
    throw new BulwarkError('ERR_KEY_INVALID', 'The key must be an X25519 (OKP) or P-256 (EC) JWK.');
  }
}

function isImportedKey(value: unknown): value is CryptoKey | KeyObject {
  const isCryptoKey = typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
  const isKeyObject = typeof value === 'object' && value !== null && 'asymmetricKeyType' in value;
  return isCryptoKey || isKeyObject;
}
