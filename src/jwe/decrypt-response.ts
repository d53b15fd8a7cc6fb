import { base64url, compactDecrypt, decodeProtectedHeader } from 'jose';

import { BulwarkError } from '../errors.js';
import { decryptionFailed, readPlaintext, type DecryptedValue } from './content-type.js';
import { CONTENT_ENCRYPTION, PUBLIC_KEY_ALGORITHM, decryptWithPrivateKey, type EcdhJwk } from './public-key.js';

// This file runs in browsers as well as Node: it uses fetch's Response, WebCrypto (through jose)
// and TextDecoder, never a Node module.

/** The media type of a JWE compact serialization (RFC 7515, section 9.2.1). */
export const JOSE_MEDIA_TYPE = 'application/jose';

/**
 * A key that reads an encrypted response. A `dir` response needs the 32-byte shared secret: bytes,
 * base64url or an AES-GCM `CryptoKey`. A response encrypted to the client's public key needs its
 * X25519 or P-256 private key: a JWK with `d`, or an imported `CryptoKey`.
 */
export type ResponseDecryptionKey = Uint8Array | string | CryptoKey | EcdhJwk;

/**
 * Keys by `kid`, for a client that keeps several keys during a rotation. A token without a `kid`,
 * or with a `kid` missing here, fails like any other decryption.
 */
export type ResponseDecryptionKeys = Readonly<Record<string, ResponseDecryptionKey>>;

/** The part of a fetch `Response` that {@link decryptResponse} reads. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * Reads a response encrypted by `encryptResponse` and returns its value: parsed JSON, a string for
 * `text/*` or bytes, by the token's `cty`. It takes a fetch `Response` or the response text,
 * and runs in Node and in browsers.
 *
 * A `Response` whose `Content-Type` is not `application/jose` (such as an unencrypted 401 problem)
 * throws `ERR_RESPONSE_NOT_ENCRYPTED` with the `status` in its details, and its body is not read.
 * Every decryption failure throws the same `ERR_DECRYPTION_FAILED`. The status is not checked, so
 * read `response.status` when an encrypted error is possible.
 *
 * @example
 * ```ts
 * const response = await fetch('/api/report', { headers: { authorization: `Bearer ${token}` } });
 * const report = await decryptResponse(response, reportKey);
 * ```
 */
export async function decryptResponse(
  responseOrText: FetchResponseLike | string,
  key: ResponseDecryptionKey | ResponseDecryptionKeys,
): Promise<DecryptedValue> {
  const token = typeof responseOrText === 'string' ? responseOrText.trim() : await tokenOf(responseOrText);

  const header = protectedHeaderOf(token);
  const selected = selectKey(key, header.kid);

  if (header.alg === PUBLIC_KEY_ALGORITHM) {
    return decryptWithPrivateKey(token, asPrivateKey(selected));
  }
  if (header.alg === 'dir') {
    return decryptDirect(token, selected, header);
  }
  throw decryptionFailed();
}

async function tokenOf(response: FetchResponseLike): Promise<string> {
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== JOSE_MEDIA_TYPE) {
    throw new BulwarkError('ERR_RESPONSE_NOT_ENCRYPTED', 'The response is not an application/jose body.', {
      status: response.status,
    });
  }

  return (await response.text()).trim();
}

function protectedHeaderOf(token: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    throw decryptionFailed();
  }
}

async function decryptDirect(token: string, key: ResponseDecryptionKey, header: Record<string, unknown>): Promise<DecryptedValue> {
  // RFC 8725, section 3.6: a compressed plaintext is not accepted.
  if (header.enc !== CONTENT_ENCRYPTION || header.zip !== undefined) {
    throw decryptionFailed();
  }

  try {
    const { plaintext, protectedHeader } = await compactDecrypt(token, asSecret(key), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: [CONTENT_ENCRYPTION],
    });
    return readPlaintext(plaintext, protectedHeader.cty);
  } catch {
    throw decryptionFailed();
  }
}

function selectKey(key: ResponseDecryptionKey | ResponseDecryptionKeys, kid: unknown): ResponseDecryptionKey {
  if (!isKeysByKid(key)) {
    return key;
  }

  const selected = typeof kid === 'string' && Object.hasOwn(key, kid) ? key[kid] : undefined;
  if (selected === undefined) {
    throw decryptionFailed();
  }
  return selected;
}

function isKeysByKid(key: ResponseDecryptionKey | ResponseDecryptionKeys): key is ResponseDecryptionKeys {
  return (
    typeof key === 'object' &&
    key !== null &&
    !(key instanceof Uint8Array) &&
    !isCryptoKey(key) &&
    !('kty' in key)
  );
}

function asSecret(key: ResponseDecryptionKey): Uint8Array | CryptoKey {
  if (typeof key === 'string') {
    return base64url.decode(key);
  }
  if (key instanceof Uint8Array || isCryptoKey(key)) {
    return key;
  }
  throw decryptionFailed();
}

function asPrivateKey(key: ResponseDecryptionKey): CryptoKey | EcdhJwk {
  if (isCryptoKey(key) || (typeof key === 'object' && !(key instanceof Uint8Array) && 'd' in key)) {
    return key;
  }
  throw decryptionFailed();
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}
