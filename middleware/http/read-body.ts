import type { IncomingMessage } from 'node:http';

import { decodeUtf8, parseJsonBody, readRawBody } from './body.js';
import { HttpError } from './errors.js';
import { assertUtf8Charset, isJsonMediaType, mediaTypeOf } from './media-type.js';
import { parseUrlencoded } from './urlencoded.js';

const URLENCODED = 'application/x-www-form-urlencoded';

/** The limits and media types of {@link readBody}; `validateBody` and `authenticate` fill them from their options. */
export interface BodyReadSettings {
  /** The maximum body size in bytes (413 above it). */
  readonly limitBytes: number;
  /** The maximum nesting depth of the parsed body (400 deeper). */
  readonly maxDepth: number;
  /** Whether `application/x-www-form-urlencoded` is accepted beside JSON. */
  readonly urlencoded: boolean;
  /** The maximum number of urlencoded `name=value` pairs (413 above it). */
  readonly maxParameters: number;
}

/**
 * Tells whether a body parser ran before: the body is set and the stream was consumed, or
 * body-parser marked the request (`_body`). Express 4's `express.json()` sets `req.body = {}` for
 * requests that it skips without reading them, so a set body alone is not enough.
 */
export function hasParsedBody(request: IncomingMessage, body: unknown): boolean {
  if (body === undefined) {
    return false;
  }
  return (request as IncomingMessage & { _body?: unknown })._body === true || request.readableEnded;
}

/**
 * Reads and parses the body: JSON, or urlencoded when enabled. An empty body is `undefined`, so the
 * caller (the schema, or the login's field check) decides whether a body is required. Any other media type, or a non-empty body without
 * `Content-Type`, is rejected with 415 before it is parsed.
 */
export async function readBody(request: IncomingMessage, settings: BodyReadSettings): Promise<unknown> {
  const mediaType = mediaTypeOf(request.headers);
  const isJson = mediaType !== undefined && isJsonMediaType(mediaType.type);
  const isUrlencoded = mediaType !== undefined && settings.urlencoded && mediaType.type === URLENCODED;

  if (mediaType !== undefined && !isJson && !isUrlencoded) {
    request.resume();
    throw unsupportedMediaType(settings);
  }
  if (mediaType !== undefined) {
    assertUtf8Charset(mediaType);
  }

  // A stream that earlier middleware consumed without setting a body would never end again.
  if (request.readableEnded) {
    throw new HttpError(500, 'ERR_INTERNAL', 'Earlier middleware read the request body without setting it; set the parsed body there or remove that middleware.');
  }

  const raw = await readRawBody(request, settings.limitBytes);
  if (raw.length === 0) {
    return undefined;
  }
  if (mediaType === undefined) {
    throw unsupportedMediaType(settings);
  }

  const text = decodeUtf8(raw);
  if (isJson) {
    return parseJsonBody(text, settings.maxDepth);
  }
  return parseUrlencoded(text, settings, 'body');
}

function unsupportedMediaType(settings: BodyReadSettings): HttpError {
  const accepted = settings.urlencoded ? `application/json or ${URLENCODED}` : 'application/json';
  return new HttpError(415, 'ERR_UNSUPPORTED_MEDIA_TYPE', `The request body must be ${accepted}.`);
}
