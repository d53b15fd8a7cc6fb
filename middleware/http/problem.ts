import { STATUS_CODES } from 'node:http';

import { BulwarkError } from '../../src/errors.js';
import { HttpError, httpStatusOf } from './errors.js';

/** The media type of problem details (RFC 9457, section 3). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

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

// Extension members that would overwrite the standard members if copied from `details`.
const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'requestId', 'instance']);

/**
 * Turns any thrown value into a problem details response (RFC 9457).
 *
 * - An {@link HttpError} keeps its status, code and headers; its message becomes `detail` and its
 *   details become extension members when the error is exposed.
 * - Another error with a 4xx or 5xx `status` keeps the status and the challenge headers, but not its
 *   message, because parsers put the input into theirs.
 * - Anything else is a 500 with no detail: the message and stack stay on the server.
 */
export function toProblemResponse(error: unknown, requestId?: string): ProblemResponse {
  if (error instanceof HttpError) {
    return fromHttpError(error, requestId);
  }

  const status = httpStatusOf(error) ?? 500;
  const code = error instanceof BulwarkError ? error.code : status >= 500 ? 'ERR_INTERNAL' : 'ERR_INVALID_REQUEST';
  const headers = foreignHeaders(error);
  return {
    status,
    headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE },
    body: withRequestId({ type: 'about:blank', title: titleOf(status), status, code }, requestId),
  };
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
      if (!RESERVED_MEMBERS.has(name)) {
        body[name] = value;
      }
    }
  }

  return {
    status: error.status,
    headers: { ...error.headers, 'content-type': PROBLEM_CONTENT_TYPE },
    body: withRequestId(body as unknown as ProblemDetails, requestId),
  };
}

function foreignHeaders(error: unknown): Record<string, string> {
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (typeof headers !== 'object' || headers === null) {
    return {};
  }

  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (FOREIGN_HEADERS_KEPT.has(name.toLowerCase()) && typeof value === 'string') {
      kept[name.toLowerCase()] = value;
    }
  }
  return kept;
}

function withRequestId(body: ProblemDetails, requestId: string | undefined): ProblemDetails {
  return requestId === undefined ? body : { ...body, requestId };
}

function titleOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
