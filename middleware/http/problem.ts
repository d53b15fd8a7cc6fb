import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';

import { BulwarkError, type BulwarkErrorCode } from '../../src/errors.js';
import { HttpError, httpStatusOf } from './errors.js';
import { loggerOf } from './factory-options.js';
import type { Logger } from './logger.js';

/** The media type of problem details (RFC 9457, section 3). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Options of `errorHandler`, the same for Express and Koa. */
export interface ErrorHandlerOptions {
  /**
   * Receives every 5xx error with its stack at `error` level, and the status and code of every 4xx at
   * `info` level. Default: none, and nothing is logged.
   */
  readonly logger?: Logger;
}

/** A problem details object (RFC 9457) with bulwark's `code` and `requestId` extension members. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly requestId?: string;
  readonly [extension: string]: unknown;
}

/** A response ready to send: status, headers and the problem details body. */
export interface ProblemResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ProblemDetails;
}

// Headers that a foreign error (http-errors, body-parser) may carry to the client. Anything else on
// such an error is dropped, because its origin is unknown.
const FOREIGN_HEADERS_KEPT = new Set(['www-authenticate', 'retry-after', 'allow']);

// The codes of foreign client errors whose status has a code of its own; other 4xx statuses get
// ERR_INVALID_REQUEST.
const FOREIGN_CODES_BY_STATUS: Readonly<Record<number, BulwarkErrorCode>> = {
  403: 'ERR_FORBIDDEN',
  404: 'ERR_NOT_FOUND',
  413: 'ERR_BODY_TOO_LARGE',
  415: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  429: 'ERR_TOO_MANY_REQUESTS',
};

// Extension members that would overwrite the standard members if copied from `details`.
const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'requestId', 'instance']);

// An error answers one request: a shared cache must not serve a 401, 403 or 500 to the next client
// (RFC 9111, section 5.2.2.5). An HttpError that sets its own Cache-Control overrides this.
const NOT_STORED: Readonly<Record<string, string>> = { 'cache-control': 'no-store' };

/**
 * Response headers that describe the representation a failed handler had started to build. They
 * would misdescribe the problem body, so the error handlers remove them before rendering it.
 */
export const STALE_REPRESENTATION_HEADERS: readonly string[] = [
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-range',
  'etag',
  'last-modified',
];

interface ParserErrorMapping {
  readonly status: number;
  readonly code: BulwarkErrorCode;
  readonly detail: string;
}

// body-parser (1.x and 2.x) and raw-body mark their errors with a `type`. Their messages quote the
// input (a JSON syntax error shows the offending text), so each known type gets a fixed detail here.
const PARSER_ERRORS: Readonly<Record<string, ParserErrorMapping>> = {
  'entity.too.large': { status: 413, code: 'ERR_BODY_TOO_LARGE', detail: 'The request body is larger than the limit.' },
  'entity.parse.failed': { status: 400, code: 'ERR_BODY_INVALID', detail: 'The request body could not be parsed.' },
  'entity.verify.failed': { status: 403, code: 'ERR_BODY_INVALID', detail: 'The request body failed verification.' },
  'encoding.unsupported': {
    status: 415,
    code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
    detail: 'The request body content encoding is not supported.',
  },
  'charset.unsupported': {
    status: 415,
    code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
    detail: 'The request body charset is not supported.',
  },
  'parameters.too.many': { status: 413, code: 'ERR_BODY_TOO_LARGE', detail: 'The request body has too many parameters.' },
  'request.aborted': { status: 400, code: 'ERR_BODY_INVALID', detail: 'The request body was not received in full.' },
  'request.size.invalid': {
    status: 400,
    code: 'ERR_BODY_INVALID',
    detail: 'The request body length does not match its Content-Length.',
  },
};

/**
 * Turns any thrown value into a problem details response (RFC 9457).
 *
 * - An {@link HttpError} keeps its status, code and headers; its message becomes `detail` and its
 *   details become extension members when the error is exposed.
 * - A body-parser or raw-body error of a known `type` gets its status, a bulwark code and a fixed
 *   detail (for example `entity.too.large` becomes 413 `ERR_BODY_TOO_LARGE`).
 * - Another error with a 4xx or 5xx `status` keeps the status and the challenge headers, but not its
 *   message, because parsers put the input into theirs.
 * - Anything else is a 500 `ERR_INTERNAL` with no detail: the message and stack stay on the server.
 *
 * Every response carries `Cache-Control: no-store` unless an HttpError sets its own. Every header is
 * checked with Node's own header validation and dropped when invalid, so that a bad header on an
 * error cannot make the error handler throw.
 *
 * @example
 * ```ts
 * const problem = toProblemResponse(new HttpError(404, 'ERR_NOT_FOUND', 'Order not found.'), 'req-1');
 * // problem.status === 404, problem.body.detail === 'Order not found.'
 * ```
 */
export function toProblemResponse(error: unknown, requestId?: string): ProblemResponse {
  if (error instanceof HttpError) {
    return fromHttpError(error, requestId);
  }

  const parserError = parserErrorOf(error);
  if (parserError !== undefined) {
    const { status, code, detail } = parserError;
    return {
      status,
      headers: { ...NOT_STORED, 'content-type': PROBLEM_CONTENT_TYPE },
      body: withRequestId({ type: 'about:blank', title: titleOf(status), status, code, detail }, requestId),
    };
  }

  const status = httpStatusOf(error) ?? 500;
  const code = foreignCodeOf(error, status);
  return {
    status,
    headers: { ...NOT_STORED, ...foreignHeaders(error), 'content-type': PROBLEM_CONTENT_TYPE },
    body: withRequestId({ type: 'about:blank', title: titleOf(status), status, code }, requestId),
  };
}

/** Context of one failed request, for {@link logProblem}. */
export interface ProblemLogContext {
  readonly requestId: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
}

/**
 * Reports a rendered error to the logger. A 5xx goes to `error` with the error itself, so its message
 * and stack stay on the server. A 4xx goes to `info` with its status and code only, because a foreign
 * 4xx message can quote the request input.
 *
 * @example
 * ```ts
 * logProblem(console, error, toProblemResponse(error), { requestId, method: 'GET', path: '/orders' });
 * ```
 */
export function logProblem(
  logger: Logger | undefined,
  error: unknown,
  problem: ProblemResponse,
  context: ProblemLogContext,
): void {
  if (logger === undefined) {
    return;
  }

  const event = { ...context, status: problem.status, code: problem.body.code };
  if (problem.status >= 500) {
    logger.error({ ...event, err: error }, 'request failed');
  } else {
    logger.info(event, 'request rejected');
  }
}

/**
 * Picks the request id for a problem body: the id the app set (Express `req.id`, Koa
 * `ctx.state.requestId`) when it is a string or a number, else the `X-Request-Id` header value that
 * `fallback` returns.
 *
 * @example
 * ```ts
 * const requestId = requestIdFor(request.id, () => requestIdOf(request.headers));
 * ```
 */
export function requestIdFor(appId: unknown, fallback: () => string | undefined): string | undefined {
  if (typeof appId === 'string' && appId !== '') {
    return appId;
  }
  if (typeof appId === 'number' && Number.isFinite(appId)) {
    return String(appId);
  }
  return fallback();
}

/**
 * Checks the options shared by the Express and Koa error handlers, once, at factory time.
 *
 * @example
 * ```ts
 * assertErrorHandlerOptions({ logger: console });
 * ```
 */
export function assertErrorHandlerOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new BulwarkError('ERR_OPTION_INVALID', 'errorHandler options must be an object; pass {} or leave it out.');
  }

  loggerOf((options as { logger?: unknown }).logger, 'errorHandler');
}

function fromHttpError(error: HttpError, requestId: string | undefined): ProblemResponse {
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: error.title,
    status: error.status,
    code: error.code,
  };

  if (error.expose) {
    body.detail = error.message;
    for (const [name, value] of Object.entries(error.details)) {
      if (!RESERVED_MEMBERS.has(name) && isSerializable(value)) {
        body[name] = value;
      }
    }
  }

  return {
    status: error.status,
    headers: { ...NOT_STORED, ...validHeaders(error.headers), 'content-type': PROBLEM_CONTENT_TYPE },
    body: withRequestId(body as unknown as ProblemDetails, requestId),
  };
}

// A detail that JSON.stringify rejects (a BigInt, a cycle) is left out, so that serializing the
// problem body cannot throw inside the error handler.
function isSerializable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

function parserErrorOf(error: unknown): ParserErrorMapping | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }

  const { type } = error as { type?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(PARSER_ERRORS, type)) {
    return undefined;
  }
  return PARSER_ERRORS[type];
}

function foreignCodeOf(error: unknown, status: number): BulwarkErrorCode {
  if (status === 503) {
    return 'ERR_SERVICE_UNAVAILABLE';
  }
  if (status >= 500) {
    return 'ERR_INTERNAL';
  }
  if (error instanceof BulwarkError) {
    return error.code;
  }
  return FOREIGN_CODES_BY_STATUS[status] ?? 'ERR_INVALID_REQUEST';
}

function foreignHeaders(error: unknown): Record<string, string> {
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (typeof headers !== 'object' || headers === null) {
    return {};
  }

  const allowed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (FOREIGN_HEADERS_KEPT.has(name.toLowerCase()) && typeof value === 'string') {
      allowed[name.toLowerCase()] = value;
    }
  }
  return validHeaders(allowed);
}

// Drops a header whose name or value Node would reject (a CR or LF smuggled into a challenge, for
// example), because setHeader would throw inside the error handler.
function validHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const valid: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
      valid[name.toLowerCase()] = value;
    } catch {
      continue;
    }
  }
  return valid;
}

function withRequestId(body: ProblemDetails, requestId: string | undefined): ProblemDetails {
  return requestId === undefined ? body : { ...body, requestId };
}

function titleOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
