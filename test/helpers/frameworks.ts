import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import Router from '@koa/router';
import express5 from 'express';
import express4 from 'express4';
import Koa3 from 'koa';
import Koa2 from 'koa2';

import * as expressBulwark from '../../middleware/express/index.js';
import * as koaBulwark from '../../middleware/koa/index.js';

/** The request view a route's final handler receives, the same on every framework. */
export interface RouteView {
  method: string;
  body: unknown;
  query: unknown;
  user: unknown;
  auth: unknown;
  locals: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** What a route's final handler returns: sent as JSON unless `raw` is set. */
export interface RouteResult {
  status?: number;
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
}

/** A route: its middleware (built with the framework's own bulwark module) and a final handler. */
export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';
  path: string;
  middleware?: unknown[];
  handle?: (view: RouteView) => RouteResult | Promise<RouteResult>;
}

/** A running app on 127.0.0.1. */
export interface RunningApp {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Options of {@link Framework.start}. */
export interface StartOptions {
  /** Middleware for every route, mounted before the routes (after the error handler on Koa). */
  use?: unknown[];
  /** Set false to leave out bulwark's error handler. */
  errorHandler?: boolean;
  /** Options passed to bulwark's error handler. */
  errorHandlerOptions?: Record<string, unknown>;
  /** Express only: install `express.json()` before everything else. */
  jsonParser?: boolean;
}

/** One framework under test, with the bulwark module that matches it. */
export interface Framework {
  name: 'express4' | 'express5' | 'koa2' | 'koa3';
  kind: 'express' | 'koa';
  bulwark: typeof expressBulwark | typeof koaBulwark;
  start(routes: RouteSpec[], options?: StartOptions): Promise<RunningApp>;
}

async function listen(server: Server): Promise<RunningApp> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function startExpress(createApp: () => any): Framework['start'] {
  return async (routes, options = {}) => {
    const app = createApp();
    app.disable('x-powered-by');
    if (options.jsonParser) {
      app.use(express5.json());
    }
    for (const middleware of options.use ?? []) {
      app.use(middleware);
    }

    for (const route of routes) {
      app[route.method](route.path, ...(route.middleware ?? []), async (req: any, res: any, next: any) => {
        try {
          const view: RouteView = {
            method: req.method,
            body: req.body,
            query: req.query,
            user: req.user,
            auth: req.auth,
            locals: res.locals,
            headers: req.headers,
          };
          sendExpress(res, (await route.handle?.(view)) ?? { status: 204 });
        } catch (error) {
          next(error);
        }
      });
    }

    if (options.errorHandler !== false) {
      app.use(expressBulwark.errorHandler(options.errorHandlerOptions));
    }
    return listen(app.listen(0, '127.0.0.1'));
  };
}

function sendExpress(res: any, result: RouteResult): void {
  res.status(result.status ?? 200);
  if (result.raw !== undefined) {
    res.type(result.contentType ?? 'text/plain').send(result.raw);
  } else if (result.body === undefined) {
    res.end();
  } else {
    res.json(result.body);
  }
}

function startKoa(createApp: () => any): Framework['start'] {
  return async (routes, options = {}) => {
    const app = createApp();
    const router = new Router();
    if (options.errorHandler !== false) {
      app.use(koaBulwark.errorHandler(options.errorHandlerOptions));
    }
    for (const middleware of options.use ?? []) {
      app.use(middleware);
    }

    for (const route of routes) {
      router[route.method](route.path, ...((route.middleware ?? []) as any[]), async (ctx: any) => {
        const view: RouteView = {
          method: ctx.method,
          body: ctx.request.body,
          query: ctx.query,
          user: ctx.state.user,
          auth: ctx.state.auth,
          locals: ctx.state,
          headers: ctx.headers,
        };
        const result = (await route.handle?.(view)) ?? { status: 204 };
        ctx.status = result.status ?? 200;
        if (result.raw !== undefined) {
          ctx.type = result.contentType ?? 'text/plain';
          ctx.body = result.raw;
        } else if (result.body !== undefined) {
          ctx.body = result.body;
        }
      });
    }

    app.use(router.routes());
    app.use(router.allowedMethods());
    app.silent = true;
    return listen(app.listen(0, '127.0.0.1'));
  };
}

const list: Framework[] = [
  { name: 'express4', kind: 'express', bulwark: expressBulwark, start: startExpress(() => express4()) },
  { name: 'express5', kind: 'express', bulwark: expressBulwark, start: startExpress(() => express5()) },
  { name: 'koa2', kind: 'koa', bulwark: koaBulwark, start: startKoa(() => new Koa2()) },
  { name: 'koa3', kind: 'koa', bulwark: koaBulwark, start: startKoa(() => new Koa3()) },
];

/**
 * Express 4, Express 5, Koa 2 and Koa 3, for `describe.each(frameworks)`. Each entry's `bulwark`
 * is the module of the same kind, so one test table builds its middleware for every framework.
 */
export const frameworks: readonly Framework[] = list;
