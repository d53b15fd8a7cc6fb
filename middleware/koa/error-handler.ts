import { toProblemResponse } from '../http/problem.js';
import { requestIdOf } from '../http/request-id.js';
import type { Logger } from '../http/logger.js';
import type { KoaMiddleware } from './types.js';

/** Options of {@link errorHandler}. */
export interface ErrorHandlerOptions {
  /** Receives every 5xx error with its stack; nothing is logged without it. */
  readonly logger?: Logger;
}

/**
 * Creates Koa middleware that renders errors thrown downstream as `application/problem+json`
 * (RFC 9457). Mount it first, so that it wraps every other middleware.
 *
 * @example
 * ```ts
 * app.use(errorHandler({ logger: console }));
 * ```
 */
export function errorHandler(options: ErrorHandlerOptions = {}): KoaMiddleware {
  const { logger } = options;

  return async (context, next) => {
    try {
      await next();
    } catch (error) {
      if (context.headerSent) {
        throw error;
      }

      const requestId = (context.state.requestId as string | undefined) ?? requestIdOf(context.req.headers);
      const problem = toProblemResponse(error, requestId);
      if (problem.status >= 500) {
        logger?.error({ err: error, requestId, status: problem.status }, 'request failed');
      }

      context.status = problem.status;
      for (const [name, value] of Object.entries(problem.headers)) {
        context.set(name, value);
      }
      context.body = JSON.stringify(problem.body);
      context.set('content-type', problem.headers['content-type']!);
    }
  };
}
