import type { IncomingMessage, ServerResponse } from 'node:http';

// Structural types for Koa 2 and 3, so that bulwark's public types need only Node's own.
// Each member here exists on Koa's context with a compatible type.

/** Koa's `next`. */
export type KoaNext = () => Promise<unknown>;

/** The part of Koa's context that bulwark reads and writes. */
export interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  request: { body?: unknown; ip: string; [key: string]: unknown };
  state: Record<string, unknown>;
  method: string;
  status: number;
  body: unknown;
  headerSent: boolean;
  get(field: string): string;
  set(field: string, value: string | string[]): void;
  remove(field: string): void;
  [key: string]: unknown;
}

/** Koa middleware. */
export type KoaMiddleware = (context: KoaContext, next: KoaNext) => Promise<void>;

/**
 * A Koa context whose `request.body` contains a value of type `Body`, for handlers after `validateBody`.
 *
 * @example
 * ```ts
 * router.post('/orders', validateBody(order), (ctx: KoaBodyContext<z.output<typeof order>>) => {
 *   ctx.body = { sku: ctx.request.body.sku };
 * });
 * ```
 */
export type KoaBodyContext<Body> = KoaContext & { request: { body: Body } };

/**
 * A Koa context whose `request.query` and `query` contain a value of type `Query`, for handlers after `validateQuery`.
 *
 * @example
 * ```ts
 * router.get('/orders', validateQuery(page), (ctx: KoaQueryContext<z.output<typeof page>>) => {
 *   ctx.body = { page: ctx.query.page };
 * });
 * ```
 */
export type KoaQueryContext<Query> = KoaContext & { request: { query: Query }; query: Query };
