import { toProblemResponse } from '../http/problem.js';
import { requestIdOf } from '../http/request-id.js';
import type { Logger } from '../http/logger.js';
import type { ExpressErrorMiddleware } from './types.js';

/** Options of {@link errorHandler}. */
export interface ErrorHandlerOptions {
  /** Receives every 5xx error with its stack; nothing is logged without it. */
  readonly logger?: Logger;
}

/**
 * Creates Express error middleware that renders errors as `application/problem+json` (RFC 9457).
 * Mount it after every route.
 *
 * @example
 * ```ts
 * app.use(errorHandler({ logger: console }));
 * ```
 */
export function errorHandler(options: ErrorHandlerOptions = {}): ExpressErrorMiddleware {
  const { logger } = options;

  return (error, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }

    const requestId = request.id ?? requestIdOf(request.headers);
    const problem = toProblemResponse(error, requestId);
    if (problem.status >= 500) {
      logger?.error({ err: error, requestId, status: problem.status }, 'request failed');
    }

    const body = JSON.stringify(problem.body);
    response.statusCode = problem.status;
    for (const [name, value] of Object.entries(problem.headers)) {
      response.setHeader(name, value);
    }
    response.setHeader('content-length', Buffer.byteLength(body));
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}
