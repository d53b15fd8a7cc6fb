import {
  assertErrorHandlerOptions,
  type ErrorHandlerOptions,
  logProblem,
  requestIdFor,
  STALE_REPRESENTATION_HEADERS,
  toProblemResponse,
} from '../http/problem.js';
import { requestIdOf } from '../http/request-id.js';
import type { KoaMiddleware } from './types.js';

export type { ErrorHandlerOptions } from '../http/problem.js';

/**
 * Creates Koa middleware that renders errors thrown downstream as `application/problem+json`
 * (RFC 9457). Mount it first, so that it wraps every other middleware.
 *
 * - bulwark's `HttpError`s keep their status, code, headers (`WWW-Authenticate`, `Retry-After`) and,
 *   when exposed, their message as `detail`.
 * - Errors with a 4xx or 5xx `status` from other libraries (`ctx.throw`, body parsers) keep the
 *   status, `Retry-After` and `WWW-Authenticate`, but not the message. Known body-parser error types
 *   map to bulwark codes.
 * - Everything else is a 500 `ERR_INTERNAL` without message or stack.
 * - The body carries `requestId` from `ctx.state.requestId`, or from a safe `X-Request-Id` header.
 * - A 5xx is also emitted as the app's `error` event, as Koa's own handler does, so that
 *   `app.on('error')` hooks still see it.
 * - When the headers are already sent, the error is rethrown to Koa's own handler. A HEAD request gets
 *   the headers only, as Koa sends no body for HEAD.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` when `logger` lacks `info`, `warn` or `error`.
 * @example
 * ```ts
 * app.use(errorHandler({ logger: console }));
 * ```
 */
export function errorHandler(options: ErrorHandlerOptions = {}): KoaMiddleware {
  assertErrorHandlerOptions(options);
  const { logger } = options;

  return async (context, next) => {
    try {
      await next();
    } catch (error) {
      if (context.headerSent) {
        throw error;
      }

      const requestId = requestIdFor(context.state.requestId, () => requestIdOf(context.req.headers));
      const problem = toProblemResponse(error, requestId);
      logProblem(logger, error, problem, { requestId, method: context.method, path: pathOf(context.req.url) });

      for (const name of STALE_REPRESENTATION_HEADERS) {
        context.remove(name);
      }
      context.status = problem.status;
      for (const [name, value] of Object.entries(problem.headers)) {
        context.set(name, value);
      }
      context.body = JSON.stringify(problem.body);
      context.set('content-type', problem.headers['content-type']!);

      // Koa's own handler emits server errors on the app, where monitoring hooks listen; a 5xx
      // rendered here still reaches them. Koa's default listener throws on a value that is not an
      // Error, which would replace this problem with Koa's text 500, so such a value is wrapped.
      if (problem.status >= 500) {
        (context.app as KoaEmitter | undefined)?.emit('error', asError(error), context);
      }
    }
  };
}

// The value itself is not put into the message: it may quote a secret or the request's input.
function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error('A value that is not an Error was thrown.');
}

interface KoaEmitter {
  emit(event: 'error', error: unknown, context: unknown): boolean;
}

// The path without the query string, which can carry tokens or personal data.
function pathOf(url: string | undefined): string | undefined {
  return url?.split('?', 1)[0];
}
