import type { Framework } from '../helpers/frameworks.js';

// A final handler written against the framework itself, for responses the harness does not build.
export function handler(framework: Framework, send: { express: (req: any, res: any) => void; koa: (ctx: any) => void }) {
  return framework.kind === 'express' ? (req: any, res: any) => send.express(req, res) : (ctx: any) => send.koa(ctx);
}
