import type { IncomingMessage } from 'node:http';

import type { InferOutput, Schema } from '../../src/validate/index.js';
import { assertSafeStructure, decodeUtf8, parseJsonBody, readRawBody } from './body.js';
import { HttpError } from './errors.js';
import { assertUtf8Charset, isJsonMediaType, mediaTypeOf } from './media-type.js';
import { parseUrlencoded } from './urlencoded.js';
import { resolveBodyOptions, type BodySettings, type ValidateBodyOptions } from './validate-options.js';
import { createPartValidator, type RequestPartValidator } from './validate-result.js';

const URLENCODED = 'application/x-www-form-urlencoded';

/** The framework-neutral part of `validateBody`: settings, the body reader and the validator. */
export interface BodyValidation<Output> {
  readonly settings: BodySettings;
  /** Returns the body that a parser already put on the request after checking its structure, or reads and parses it. */
  body(request: IncomingMessage, parsedBody: unknown): unknown | Promise<unknown>;
  /** Validates a body and returns the schema's output, or throws 422. */
  readonly validate: RequestPartValidator<Output>;
}

/**
 * Checks the options and compiles the schema, once, when `validateBody` is called. A schema that
 * does not compile throws `ERR_SCHEMA_INVALID`; a bad option throws `ERR_OPTION_INVALID`.
 */
export function createBodyValidation<S extends Schema>(schema: S, options: ValidateBodyOptions): BodyValidation<InferOutput<S>> {
  const settings = resolveBodyOptions(options);
  const validate = createPartValidator(schema, 'body', { unknownKeys: settings.unknownKeys });

  return {
    settings,
    validate,
    body(request, parsedBody) {
      if (hasParsedBody(request, parsedBody)) {
        assertSafeStructure(parsedBody, settings.maxDepth);
        return parsedBody;
      }
      return readBody(request, settings);
    },
  };
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
 * schema decides whether a body is required. Any other media type, or a non-empty body without
 * `Content-Type`, is rejected with 415 before it is parsed.
 */
export async function readBody(request: IncomingMessage, settings: BodySettings): Promise<unknown> {
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
    throw new HttpError(500, 'ERR_INTERNAL', 'Earlier middleware read the request body without setting it; validateBody cannot read it again.');
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

function unsupportedMediaType(settings: BodySettings): HttpError {
  const accepted = settings.urlencoded ? `application/json or ${URLENCODED}` : 'application/json';
  return new HttpError(415, 'ERR_UNSUPPORTED_MEDIA_TYPE', `The request body must be ${accepted}.`);
}
