import type { IncomingMessage, ServerResponse } from 'node:http';

// Structural types for Express 4 and 5, so that bulwark's public types need only Node's own.
// Express's Request and Response extend IncomingMessage and ServerResponse, so each of these
// handlers is accepted by `app.use` and the route methods.

/** Express's `next`: call with nothing to continue, with an error to skip to error middleware. */
export type NextFunction = (error?: unknown) => void;

/** A request as bulwark reads it: Node's request with the fields that Express and its parsers add. */
export interface ExpressRequest extends IncomingMessage {
  body?: unknown;
  ip?: string;
  id?: string;
  cookies?: Record<string, string>;
}

/** A response as bulwark writes it: Node's response with Express's `locals`. */
export interface ExpressResponse extends ServerResponse {
  locals?: Record<string, unknown>;
}

/** Express middleware. */
export type ExpressMiddleware = (request: ExpressRequest, response: ExpressResponse, next: NextFunction) => void;

/** Express error middleware: four parameters, so Express calls it only for errors. */
export type ExpressErrorMiddleware = (
  error: unknown,
  request: ExpressRequest,
  response: ExpressResponse,
  next: NextFunction,
) => void;

/**
 * Express middleware after which `request.body` contains a value of type `Body`, for route handlers to infer.
 *
 * @example
 * ```ts
 * const checkOrder: ExpressBodyMiddleware<{ sku: string }> = validateBody(z.object({ sku: z.string() }));
 * ```
 */
export type ExpressBodyMiddleware<Body> = (
  request: ExpressRequest & { body: Body },
  response: ExpressResponse,
  next: NextFunction,
) => void;

/**
 * Express middleware after which `request.query` contains a value of type `Query`, for route handlers to infer.
 *
 * @example
 * ```ts
 * const checkPage: ExpressQueryMiddleware<{ page: number }> = validateQuery(z.object({ page: z.coerce.number() }));
 * ```
 */
export type ExpressQueryMiddleware<Query> = (
  request: ExpressRequest & { query: Query },
  response: ExpressResponse,
  next: NextFunction,
) => void;
