import {
  assertErrorHandlerOptions,
  type ErrorHandlerOptions,
  logProblem,
  requestIdFor,
  STALE_REPRESENTATION_HEADERS,
  toProblemResponse,
} from '../http/problem.js';
import { requestIdOf } from '../http/request-id.js';
import type { ExpressErrorMiddleware } from './types.js';

export type { ErrorHandlerOptions } from '../http/problem.js';

/**
 * Creates Express error middleware that renders errors as `application/problem+json` (RFC 9457).
 * Mount it after every route.
 *
 * - bulwark's `HttpError`s keep their status, code, headers (`WWW-Authenticate`, `Retry-After`) and,
 *   when exposed, their message as `detail`.
 * - body-parser errors (`express.json()`) become 413 `ERR_BODY_TOO_LARGE`, 400 `ERR_BODY_INVALID` or
 *   415 `ERR_UNSUPPORTED_MEDIA_TYPE`, with a fixed detail that never quotes the body.
 * - Other errors with a 4xx or 5xx `status` (http-errors) keep the status, `Retry-After` and
 *   `WWW-Authenticate`, but not the message. Everything else is a 500 `ERR_INTERNAL` without message
 *   or stack.
 * - The body carries `requestId` from `req.id`, or from a safe `X-Request-Id` header.
 * - When the headers are already sent, the error goes on to Express's default handler, which closes
 *   the connection. A HEAD request gets the headers only.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` when `logger` lacks `info`, `warn` or `error`.
 * @example
 * ```ts
 * app.use(errorHandler({ logger: console }));
 * ```
 */
export function errorHandler(options: ErrorHandlerOptions = {}): ExpressErrorMiddleware {
  assertErrorHandlerOptions(options);
  const { logger } = options;

  return (error, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }

    const requestId = requestIdFor(request.id, () => requestIdOf(request.headers));
    const problem = toProblemResponse(error, requestId);
    logProblem(logger, error, problem, { requestId, method: request.method, path: pathOf(request.url) });

    const body = JSON.stringify(problem.body);
    for (const name of STALE_REPRESENTATION_HEADERS) {
      response.removeHeader(name);
    }
    response.statusCode = problem.status;
    for (const [name, value] of Object.entries(problem.headers)) {
      response.setHeader(name, value);
    }
    response.setHeader('content-length', Buffer.byteLength(body));
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}

// The path without the query string, which can carry tokens or personal data.
function pathOf(url: string | undefined): string | undefined {
  return url?.split('?', 1)[0];
}
