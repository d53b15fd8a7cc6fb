import type { IncomingMessage } from 'node:http';

import { isBasicAuthorization, parseBasicCredentials } from './authenticate-basic.js';
import { DEFAULT_MAX_DEPTH } from './body.js';
import { HttpError } from './errors.js';
import { countRawHeader } from './raw-headers.js';
import { hasParsedBody, readBody, type BodyReadSettings } from './read-body.js';
import { DEFAULT_MAX_PARAMETERS } from './validate-options.js';

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
 * credentials at all, it throws 401 with a Basic challenge (RFC 9110, section 11.6.1). When Basic is
 * allowed, a repeated `Authorization` header is 400: Node keeps only the first one, while a proxy
 * in front may have checked another.
 */
export async function readCredentials(request: LoginRequest, source: CredentialSource, challenge: string | undefined): Promise<Credentials> {
  if (source.allowBasic && countRawHeader(request.raw.rawHeaders, 'authorization') > 1) {
    throw new HttpError(400, 'ERR_INVALID_REQUEST', 'The request must carry only one Authorization header.', { headers: NO_STORE });
  }

  const authorization = request.raw.headers.authorization;
  if (source.allowBasic && isBasicAuthorization(authorization)) {
    return parseBasicCredentials(authorization);
  }

  if (source.allowBasic && !hasBody(request)) {
    throw new HttpError(401, 'ERR_CREDENTIALS_MISSING', 'Credentials are required.', {
      headers: { ...NO_STORE, 'www-authenticate': challenge ?? 'Basic' },
    });
  }

  const body = await readLoginBody(request, source.bodyLimitBytes);
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

// The body that a parser set, or the body read here with the same reader as validateBody. An empty
// body is an object without fields, so it gets the 400 for missing fields.
async function readLoginBody(request: LoginRequest, limitBytes: number): Promise<Record<string, unknown>> {
  const settings: BodyReadSettings = { limitBytes, maxDepth: DEFAULT_MAX_DEPTH, urlencoded: true, maxParameters: DEFAULT_MAX_PARAMETERS };

  let body: unknown;
  try {
    body = hasParsedBody(request.raw, request.parsedBody) ? request.parsedBody : await readBody(request.raw, settings);
  } catch (error) {
    throw withNoStore(error);
  }
  return asObject(body ?? {});
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body)) {
    throw new HttpError(400, 'ERR_INVALID_REQUEST', 'The login body must be an object.', { headers: NO_STORE });
  }
  return body as Record<string, unknown>;
}

// Every login response carries no-store, so the errors of the shared reader get it too.
function withNoStore(error: unknown): unknown {
  if (!(error instanceof HttpError)) {
    return error;
  }
  return new HttpError(error.status, error.code, error.message, {
    headers: { ...error.headers, ...NO_STORE },
    expose: error.expose,
    details: error.details,
  });
}

// A repeated form field is parsed into an array, so it fails the string check like any other type.
function stringField(body: Record<string, unknown>, field: string, source: CredentialSource): string {
  const value = Object.hasOwn(body, field) ? body[field] : undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new HttpError(400, 'ERR_INVALID_REQUEST', `The login body must contain the string fields "${source.usernameField}" and "${source.passwordField}", each once.`, {
      headers: NO_STORE,
      details: { fields: [source.usernameField, source.passwordField] },
    });
  }
  return value;
}
