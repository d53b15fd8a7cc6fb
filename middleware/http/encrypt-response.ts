import type { IncomingHttpHeaders } from 'node:http';

import { encrypt, type Keyring, type SecretKeyInput } from '../../src/crypto/index.js';
import { encryptForPublicKey } from '../../src/jwe/public-key.js';
import { HttpError } from './errors.js';
import type { ResponseEncryptionSettings } from './encrypt-response-options.js';
import type { Logger } from './logger.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

/** The media type of a JWE compact serialization (RFC 7515, section 9.2.1). */
export const JOSE_CONTENT_TYPE = 'application/jose';

/**
 * Response headers that describe the plaintext, so they would be false on the encrypted body or
 * leak a digest of it. An `ETag` is a hash of the plaintext that lets an observer confirm a guess,
 * and ranges and digests refer to bytes that are no longer sent. `Content-Length` is set anew.
 */
export const PLAINTEXT_HEADERS: readonly string[] = [
  'etag',
  'content-encoding',
  'content-md5',
  'digest',
  'content-digest',
  'repr-digest',
  'content-range',
  'accept-ranges',
  'content-length',
];

/** The reason a response could not be encrypted, as reported to the logger. */
export type NotEncryptedReason =
  | 'body-too-large'
  | 'body-unreadable'
  | 'content-encoding-unsupported'
  | 'key-missing'
  | 'key-function-failed'
  | 'key-invalid';

/**
 * Builds the 500 error of a response that cannot be encrypted. It is not exposed, so the problem
 * body carries only the title "Internal Server Error", and the reason goes to the logger.
 *
 * @example
 * ```ts
 * throw responseNotEncrypted('key-missing');
 * ```
 */
export function responseNotEncrypted(reason: NotEncryptedReason): HttpError {
  return new HttpError(500, 'ERR_RESPONSE_NOT_ENCRYPTED', 'The response could not be encrypted.', {
    expose: false,
    details: { reason },
  });
}

/**
 * Tells whether an `Accept` header lists `application/jose` with a quality above zero
 * (RFC 9110, section 12.5.1). Wildcards do not count: a client opts in by naming the type.
 *
 * @example
 * ```ts
 * acceptsJose('application/jose, application/json;q=0.5'); // true
 * ```
 */
export function acceptsJose(accept: string | string[] | undefined): boolean {
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (header === undefined) {
    return false;
  }

  return header.split(',').some((range) => {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type !== JOSE_CONTENT_TYPE) {
      return false;
    }
    const quality = parameters.find((parameter) => parameter.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

/**
 * Removes the request headers that would make the route send part of the plaintext, or a 304 that
 * depends on it, instead of the whole body. Runs before the route.
 *
 * - `Range`: RFC 9110, section 14.2, lets a server ignore it. A range of the plaintext would be
 *   encrypted as if it were the whole body.
 * - `If-None-Match` and `If-Modified-Since` on GET and HEAD: the route compares them with a
 *   validator of the plaintext (Express's ETag is a hash of the body), so a 304 would confirm a
 *   guessed body to anyone who can send the request. The encrypted response carries no ETag and is
 *   `no-store`, so an honest client has nothing to revalidate. Other methods keep them, because
 *   there they guard writes (`If-None-Match: *`).
 *
 * @example
 * ```ts
 * removePlaintextConditions(request.headers, request.method);
 * ```
 */
export function removePlaintextConditions(headers: IncomingHttpHeaders, method: string | undefined): void {
  delete headers.range;

  if (method === 'GET' || method === 'HEAD') {
    delete headers['if-none-match'];
    delete headers['if-modified-since'];
  }
}

/**
 * Tells whether a status carries no content, so there is no body to encrypt (RFC 9110, sections
 * 15.2, 15.3.5, 15.3.6 and 15.4.5).
 *
 * @example
 * ```ts
 * statusHasNoBody(304); // true
 * ```
 */
export function statusHasNoBody(status: number): boolean {
  return status < 200 || status === 204 || status === 205 || status === 304;
}

/**
 * Tells whether a response is an error problem (RFC 9457) that stays readable, because the
 * `encryptErrors` option is off.
 *
 * @example
 * ```ts
 * isReadableProblem(401, 'application/problem+json', false); // true
 * ```
 */
export function isReadableProblem(status: number, contentType: unknown, encryptErrors: boolean): boolean {
  if (encryptErrors || status < 400 || typeof contentType !== 'string') {
    return false;
  }
  return contentType.split(';')[0]!.trim().toLowerCase() === PROBLEM_CONTENT_TYPE;
}

/**
 * Adds a field name to a `Vary` header value, keeping the names already there (RFC 9110,
 * section 12.5.5). A `*` stays `*`.
 *
 * @example
 * ```ts
 * withVary('Origin', 'Accept'); // 'Origin, Accept'
 * ```
 */
export function withVary(existing: string | number | readonly string[] | undefined, field: string): string {
  const current = (Array.isArray(existing) ? existing.join(',') : String(existing ?? ''))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');

  if (current.includes('*') || current.some((name) => name.toLowerCase() === field.toLowerCase())) {
    return current.join(', ');
  }
  return [...current, field].join(', ');
}

/**
 * Reads the media type of a response body from its `Content-Type` header, without parameters,
 * for the token's `cty`. A body without one is `application/octet-stream` (RFC 9110, section 8.3).
 *
 * NOTE: the body is not checked against this type, because parsing every JSON body would cost a
 * second pass. A route that sends invalid JSON as `application/json`, or text in a charset other
 * than UTF-8, gets a token that `decrypt` and `decryptResponse` reject as a decryption failure.
 *
 * @example
 * ```ts
 * bodyMediaType('application/json; charset=utf-8'); // 'application/json'
 * ```
 */
export function bodyMediaType(contentType: unknown): string {
  const type = typeof contentType === 'string' ? contentType.split(';')[0]!.trim().toLowerCase() : '';
  return type === '' ? 'application/octet-stream' : type;
}

/**
 * Reports a response that could not be encrypted to the logger, with the reason and the request's
 * method and path, never the body or the key.
 *
 * @example
 * ```ts
 * logNotEncrypted(settings.logger, error, { method: 'GET', path: '/report', requestId });
 * ```
 */
export function logNotEncrypted(
  logger: Logger | undefined,
  error: unknown,
  context: { readonly method: string | undefined; readonly path: string | undefined; readonly requestId: string | undefined },
): void {
  const reason = (error as { details?: { reason?: unknown } }).details?.reason;
  logger?.error({ ...context, reason: typeof reason === 'string' ? reason : 'unknown' }, 'response not encrypted');
}

/**
 * Encrypts a response body with the key that the settings give for this request, recording its
 * media type in `cty`. Every failure throws {@link responseNotEncrypted} with its reason, so the
 * caller never falls back to the plaintext.
 *
 * @example
 * ```ts
 * const token = await encryptBody(settings, req, body, 'application/json');
 * ```
 */
export async function encryptBody<Request>(
  settings: ResponseEncryptionSettings<Request>,
  request: Request,
  body: Uint8Array,
  contentType: string,
): Promise<string> {
  if (body.byteLength > settings.limit) {
    throw responseNotEncrypted('body-too-large');
  }

  const source = settings.keySource;
  if (source.kind === 'getPublicKey') {
    const publicKey = await callKeyFunction(() => source.getPublicKey(request));
    return encryptOrThrow(() => encryptForPublicKey(body, publicKey, { contentType }));
  }

  const key = source.kind === 'shared' ? source.key : await callKeyFunction(() => source.getKey(request));
  return encryptOrThrow(() => encryptShared(body, key, contentType));
}

async function callKeyFunction<T>(getKey: () => T | null | undefined | Promise<T | null | undefined>): Promise<T> {
  let key: T | null | undefined;
  try {
    key = await getKey();
  } catch {
    throw responseNotEncrypted('key-function-failed');
  }

  if (key === undefined || key === null) {
    throw responseNotEncrypted('key-missing');
  }
  return key;
}

async function encryptOrThrow(run: () => string | Promise<string>): Promise<string> {
  try {
    return await run();
  } catch {
    throw responseNotEncrypted('key-invalid');
  }
}

function encryptShared(body: Uint8Array, key: SecretKeyInput | Keyring, contentType: string): string {
  return encrypt(body, key, { contentType });
}
