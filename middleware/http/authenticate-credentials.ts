import type { IncomingMessage } from 'node:http';

import { isBasicAuthorization, parseBasicCredentials } from './authenticate-basic.js';
import { decodeUtf8, parseJsonBody, readRawBody } from './body.js';
import { HttpError } from './errors.js';
import { assertUtf8Charset, isJsonMediaType, mediaTypeOf } from './media-type.js';

/** The sources and field names of login credentials, with the body limit. */
export interface CredentialSource {
  readonly usernameField: string;
  readonly passwordField: string;
  readonly allowBasic: boolean;
  readonly bodyLimitBytes: number;
}

/** A login request as the neutral handler reads it. */
export interface LoginRequest {
  /** The Node request, for its headers and (when no parser ran) its body stream. */
  readonly raw: IncomingMessage;
  /** The body that a parser set (Express `req.body`, Koa `ctx.request.body`), or undefined. */
  readonly parsedBody: unknown;
  /** The client address, as the framework reports it (after its proxy settings). */
  readonly ip: string | undefined;
}

/** The username and password of a login request. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

const NO_STORE = { 'cache-control': 'no-store' } as const;

/**
 * Reads the username and password: from HTTP Basic credentials when `allowBasic` is set and the
 * request carries them, otherwise from a JSON or urlencoded body. A body that a parser already read
 * is used as it is; otherwise the body is read here, up to `bodyLimitBytes`.
 *
 * Throws 400 `ERR_INVALID_REQUEST` for missing, empty, repeated or non-string fields, 415 for other
 * media types and 413 for a body over the limit. When Basic is allowed and the request has no
 * credentials at all, it throws 401 with a Basic challenge (RFC 9110, section 11.6.1).
 */
export async function readCredentials(request: LoginRequest, source: CredentialSource, challenge: string | undefined): Promise<Credentials> {
  const authorization = request.raw.headers.authorization;
  if (source.allowBasic && isBasicAuthorization(authorization)) {
    return parseBasicCredentials(authorization);
  }

  if (source.allowBasic && !hasBody(request)) {
    throw new HttpError(401, 'ERR_CREDENTIALS_MISSING', 'Credentials are required.', {
      headers: { ...NO_STORE, 'www-authenticate': challenge ?? 'Basic' },
    });
  }

  const body = await readBody(request, source.bodyLimitBytes);
  return {
    username: stringField(body, source.usernameField, source),
    password: stringField(body, source.passwordField, source),
  };
}

function hasBody(request: LoginRequest): boolean {
  if (request.raw.readableEnded) {
    return request.parsedBody !== undefined;
  }
  const length = request.raw.headers['content-length'];
  return request.raw.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

async function readBody(request: LoginRequest, limitBytes: number): Promise<Record<string, unknown> | URLSearchParams> {
  // A parser that ran has consumed the stream. A parser that skipped this media type (Express 4's
  // json parser on a form body sets `{}`) has not, so the body is still read here.
  if (request.raw.readableEnded) {
    return asObject(request.parsedBody);
  }

  const mediaType = mediaTypeOf(request.raw.headers);
  const isJson = mediaType !== undefined && isJsonMediaType(mediaType.type);
  const isForm = mediaType?.type === 'application/x-www-form-urlencoded';
  if (mediaType === undefined || (!isJson && !isForm)) {
    request.raw.resume();
    throw new HttpError(415, 'ERR_UNSUPPORTED_MEDIA_TYPE', 'The login body must be application/json or application/x-www-form-urlencoded.', {
      headers: NO_STORE,
    });
  }
  assertUtf8Charset(mediaType);

  const text = decodeUtf8(await readRawBody(request.raw, limitBytes));
  return isJson ? asObject(parseJsonBody(text)) : new URLSearchParams(text);
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body)) {
    throw new HttpError(400, 'ERR_INVALID_REQUEST', 'The login body must be an object.', { headers: NO_STORE });
  }
  return body as Record<string, unknown>;
}

function stringField(body: Record<string, unknown> | URLSearchParams, field: string, source: CredentialSource): string {
  const values = body instanceof URLSearchParams ? body.getAll(field) : [Object.hasOwn(body, field) ? body[field] : undefined];
  const value = values.length === 1 ? values[0] : undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new HttpError(400, 'ERR_INVALID_REQUEST', `The login body must contain the string fields "${source.usernameField}" and "${source.passwordField}", each once.`, {
      headers: NO_STORE,
      details: { fields: [source.usernameField, source.passwordField] },
    });
  }
  return value;
}
