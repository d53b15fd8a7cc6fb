import { STATUS_CODES } from 'node:http';

import { BulwarkError, type BulwarkErrorCode, type BulwarkErrorDetails } from '../../src/errors.js';

/** Options of {@link HttpError} beyond its status, code and message. */
export interface HttpErrorOptions {
  /** Response headers that the error needs, such as `WWW-Authenticate` or `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Whether the message may be shown to the client. Defaults to true below 500 and false from 500. */
  readonly expose?: boolean;
  /** Structured facts about the failure, rendered as problem-details extension members when exposed. */
  readonly details?: BulwarkErrorDetails;
}

/**
 * A {@link BulwarkError} that maps to an HTTP response.
 *
 * It carries `status`, `statusCode`, `expose` and `headers`: the fields that Express's final handler
 * and Koa's `ctx.onerror` read, so apps with their own error handling still send the right status
 * and challenge. `errorHandler()` renders it as `application/problem+json` (RFC 9457).
 *
 * @example
 * ```ts
 * throw new HttpError(404, 'ERR_NOT_FOUND', 'Order not found.');
 * ```
 */
export class HttpError extends BulwarkError {
  /** The HTTP status code, 400 to 599. */
  readonly status: number;

  /** The same as `status`, for handlers that read this name. */
  readonly statusCode: number;

  /** Whether the message is safe to show to the client. */
  readonly expose: boolean;

  /** Response headers to send with the error. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: BulwarkErrorCode, message: string, options: HttpErrorOptions = {}) {
    super(code, message, options.details);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError('HttpError status must be an integer from 400 to 599.');
    }
    this.name = 'HttpError';
    this.status = status;
    this.statusCode = status;
    this.expose = options.expose ?? status < 500;
    this.headers = { ...options.headers };
  }

  /** The standard reason phrase of the status, such as "Unauthorized". */
  get title(): string {
    return STATUS_CODES[this.status] ?? 'Error';
  }
}

/**
 * Reads the HTTP status of an error from another library (http-errors, body-parser, Koa's
 * `ctx.throw`): its `status` or `statusCode` when that is an integer from 400 to 599.
 */
export function httpStatusOf(value: unknown): number | undefined {
  if (!(value instanceof Error)) {
    return undefined;
  }

  const { status, statusCode } = value as { status?: unknown; statusCode?: unknown };
  const candidate = typeof status === 'number' ? status : statusCode;
  if (typeof candidate !== 'number' || !Number.isInteger(candidate) || candidate < 400 || candidate > 599) {
    return undefined;
  }
  return candidate;
}
