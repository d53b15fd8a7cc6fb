import { createPrivateKey, type JsonWebKey as NodeJsonWebKey, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { decrypt, type Keyring, type SecretKeyInput } from '../../src/crypto/index.js';
import { assertHeaderAccepted, decryptWithPrivateKey, PUBLIC_KEY_ALGORITHM, type EcdhJwk } from '../../src/jwe/public-key.js';
import { assertSafeStructure, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_MAX_DEPTH, readRawBody } from './body.js';
import { assertSharedKey, optionInvalid, positiveIntegerOf } from './factory-options.js';
import { JOSE_CONTENT_TYPE } from './encrypt-response.js';
import { HttpError } from './errors.js';
import { mediaTypeOf } from './media-type.js';

/** Options of `decryptRequest`. Give `key` or `keyring`, `privateKey`, or both kinds. */
export interface DecryptRequestOptions {
  /** The 32-byte shared key (bytes, base64url or a secret `KeyObject`) for `dir` bodies. */
  readonly key?: SecretKeyInput;
  /** A key ring from `createKeyring`, which picks the key by the token's `kid`, for `dir` bodies. */
  readonly keyring?: Keyring;
  /** The server's X25519 or P-256 private key (a JWK with `d`, or a `KeyObject`) for `ECDH-ES+A256KW` bodies. */
  readonly privateKey?: EcdhJwk | KeyObject;
  /** The largest encrypted body, in bytes, that is read; a larger one gets the same 400 as any failure. Default: 100 KiB. */
  readonly limit?: number;
  /** The deepest nesting a decrypted JSON body may have; deeper is 400. Default: 32. */
  readonly maxDepth?: number;
  /**
   * Whether a request body of another media type is rejected with 415. Default: false, so such
   * bodies pass through unread to the next parser.
   */
  readonly rejectUnencrypted?: boolean;
}

/** Reads and decrypts request bodies; built once by {@link createRequestDecryption}. */
export interface RequestDecryption {
  /**
   * Returns the decrypted body of an `application/jose` request, or `undefined` when the request
   * carries another media type and passes through. `parsedBody` is the body an earlier parser set
   * (`req.body`), used when that parser already read the stream.
   */
  readBody(request: IncomingMessage, parsedBody?: unknown): Promise<{ readonly body: unknown } | undefined>;
}

/**
 * Validates the options of `decryptRequest` once and returns the step that reads a request.
 *
 * The encrypted body is read up to `limit` first, and reading stops there, before any decryption.
 * Every failure is then the same 400 `ERR_DECRYPTION_FAILED` with one message, whatever the cause:
 * a body over the limit, tampering, a wrong key, an unknown `kid`, another algorithm, a `zip`
 * header. So the response is no decryption oracle (RFC 7516, section 11.4), and only the expected
 * algorithms run (RFC 8725, section 3.1). The plaintext is read per the token's `cty`: JSON is
 * parsed and checked against deep nesting and prototype keys, `text/*` becomes a string, and
 * anything else a `Buffer`.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` naming the option and the fix.
 * @example
 * ```ts
 * const decryption = createRequestDecryption({ keyring });
 * const result = await decryption.readBody(req);
 * ```
 */
export function createRequestDecryption(options: DecryptRequestOptions): RequestDecryption {
  if (typeof options !== 'object' || options === null) {
    throw optionInvalid('options', 'decryptRequest options must be an object with a key, keyring or privateKey.');
  }

  const sharedKey = sharedKeyOf(options);
  const privateKey = privateKeyOf(options.privateKey);
  if (sharedKey === undefined && privateKey === undefined) {
    throw optionInvalid('key', 'decryptRequest needs a key, a keyring or a privateKey.');
  }
  const limit = positiveIntegerOf(options.limit, DEFAULT_BODY_LIMIT_BYTES, 'decryptRequest', 'limit', 'bytes');
  const maxDepth = positiveIntegerOf(options.maxDepth, DEFAULT_MAX_DEPTH, 'decryptRequest', 'maxDepth', 'levels');
  const rejectUnencrypted = options.rejectUnencrypted ?? false;
  if (typeof rejectUnencrypted !== 'boolean') {
    throw optionInvalid('rejectUnencrypted', 'decryptRequest option "rejectUnencrypted" must be true or false.');
  }

  return {
    async readBody(request, parsedBody) {
      const mediaType = mediaTypeOf(request.headers);
      if (mediaType?.type !== JOSE_CONTENT_TYPE) {
        if (rejectUnencrypted && hasBody(request)) {
          throw new HttpError(415, 'ERR_UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/jose.');
        }
        return undefined;
      }

      const raw = request.readableEnded ? bodyReadEarlier(parsedBody, limit) : await readEncryptedBody(request, limit);
      const token = raw.toString('latin1').trim();

      const value = await decryptToken(token, sharedKey, privateKey);
      return { body: toBody(value, maxDepth) };
    },
  };
}

async function decryptToken(
  token: string,
  sharedKey: SecretKeyInput | Keyring | undefined,
  privateKey: KeyObject | undefined,
): Promise<unknown> {
  try {
    if (sharedKey !== undefined && isAlgorithm(token, 'dir')) {
      return decrypt(token, sharedKey);
    }
    if (privateKey !== undefined && isAlgorithm(token, PUBLIC_KEY_ALGORITHM)) {
      return await decryptWithPrivateKey(token, privateKey);
    }
  } catch {
    throw bodyNotDecrypted();
  }
  throw bodyNotDecrypted();
}

// Reads the `alg` of the protected header without trusting it: it only picks which of the
// configured keys to try, and each path allows that single algorithm.
function isAlgorithm(token: string, algorithm: string): boolean {
  try {
    assertHeaderAccepted(token, algorithm);
    return true;
  } catch {
    return false;
  }
}

function toBody(value: unknown, maxDepth: number): unknown {
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }

  // Only the holder of the key can produce this plaintext, so a distinct 400 here is no oracle.
  assertSafeStructure(value, maxDepth);
  return value;
}

// A parser such as `express.text({ type: 'application/jose' })` has read the stream already, so the
// token is the text or bytes it left in the body. Anything else means the token is gone.
function bodyReadEarlier(parsedBody: unknown, limit: number): Buffer {
  const raw = typeof parsedBody === 'string' ? Buffer.from(parsedBody, 'latin1') : Buffer.isBuffer(parsedBody) ? parsedBody : undefined;
  if (raw === undefined) {
    throw new HttpError(500, 'ERR_INTERNAL', 'An earlier body parser read the application/jose body and kept no text.');
  }
  if (raw.byteLength > limit) {
    throw bodyNotDecrypted();
  }
  return raw;
}

// A body over the limit gets the same response as every decryption failure, so that no two failures
// of an encrypted body can be distinguished. Reading still stops at the limit.
async function readEncryptedBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  try {
    return await readRawBody(request, limit);
  } catch (error) {
    if (error instanceof HttpError && error.code === 'ERR_BODY_TOO_LARGE') {
      throw bodyNotDecrypted();
    }
    throw error;
  }
}

function bodyNotDecrypted(): HttpError {
  return new HttpError(400, 'ERR_DECRYPTION_FAILED', 'The request body could not be decrypted.');
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function sharedKeyOf(options: DecryptRequestOptions): SecretKeyInput | Keyring | undefined {
  if (options.key !== undefined && options.keyring !== undefined) {
    throw optionInvalid('keyring', 'decryptRequest takes a key or a keyring, not both; put the key into the keyring.');
  }

  const name = options.key !== undefined ? 'key' : 'keyring';
  const key = options[name];
  if (key === undefined) {
    return undefined;
  }

  assertSharedKey(key, name, 'decryptRequest');
  return key;
}

function privateKeyOf(value: EcdhJwk | KeyObject | undefined): KeyObject | undefined {
  if (value === undefined) {
    return undefined;
  }

  const key = toKeyObject(value);
  const isPrivate = key?.type === 'private';
  const isX25519 = isPrivate && key?.asymmetricKeyType === 'x25519';
  const isP256 = isPrivate && key?.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (!isX25519 && !isP256) {
    throw optionInvalid(
      'privateKey',
      'decryptRequest option "privateKey" must be an X25519 or P-256 private key: a JWK with "d", or a KeyObject.',
    );
  }
  return key;
}

function toKeyObject(value: EcdhJwk | KeyObject): KeyObject | undefined {
  try {
    return 'asymmetricKeyType' in value ? (value as KeyObject) : createPrivateKey({ key: { ...value } as NodeJsonWebKey, format: 'jwk' });
  } catch {
    return undefined;
  }
}
