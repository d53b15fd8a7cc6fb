import Router from '@koa/router';
import Koa from 'koa';

import {
  HttpError,
  authenticate,
  encryptResponse,
  errorHandler,
  requireJwt,
  securityHeaders,
  validateBody,
} from 'bulwark/koa';

import {
  listOrders,
  placeOrder,
  profileOf,
  receiptKeyOf,
  receiptOf,
  registerReceiptKey,
  revokeToken,
  subjectOf,
  type VerifiedToken,
} from '../shared/api.js';
import { TOKEN_SETTINGS, type AppContext } from '../shared/context.js';
import type { User } from '../shared/users.js';
import {
  orderSchema,
  publicKeySchema,
  type OrderInput,
  type PublicKeyInput,
  type StoredPublicKey,
} from '../shared/schema.js';

type State = { auth?: VerifiedToken; receiptKey?: StoredPublicKey };

/**
 * Builds the orders API on Koa: the same routes and middleware as the Express app, without the page.
 * `errorHandler` is mounted first, so it wraps everything below it.
 */
export function createApp(context: AppContext): Koa<State> {
  const { users, signingKeys, logger } = context;
  const app = new Koa<State>();
  if (context.config.trustedProxyHops > 0) {
    app.proxy = true;
    app.maxIpsCount = context.config.trustedProxyHops;
  }

  const router = new Router<State>();

  app.use(errorHandler({ logger }));
  app.use(securityHeaders({ preset: 'api' }));
  app.use(notFound);

  router.post(
    '/login',
    authenticate({
      findUser: (username: string) => users.findByUsername(username),
      updatePasswordHash: (user: User, passwordHash: string) => users.updatePasswordHash(user.id, passwordHash),
      issueToken: {
        key: signingKeys.privateKey,
        kid: signingKeys.kid,
        algorithm: TOKEN_SETTINGS.algorithm,
        issuer: TOKEN_SETTINGS.issuer,
        audience: TOKEN_SETTINGS.audience,
        expiresIn: TOKEN_SETTINGS.expiresIn,
      },
      ...(context.redis ? { store: { redis: context.redis, keyPrefix: `${context.config.redisPrefix}login:` } } : {}),
      logger,
    }),
  );

  const jwt = requireJwt({
    key: signingKeys.publicKey,
    algorithms: [TOKEN_SETTINGS.algorithm],
    issuer: TOKEN_SETTINGS.issuer,
    audience: TOKEN_SETTINGS.audience,
    denylist: context.denylist,
    logger,
  });

  router.get('/me', jwt, (ctx) => {
    ctx.body = profileOf(context, subjectOf(ctx.state.auth));
  });

  router.put('/me/key', jwt, validateBody(publicKeySchema), (ctx) => {
    registerReceiptKey(context, subjectOf(ctx.state.auth), ctx.request.body as PublicKeyInput);
    ctx.status = 204;
  });

  router.post('/orders', jwt, validateBody(orderSchema), (ctx) => {
    const order = placeOrder(context, subjectOf(ctx.state.auth), ctx.request.body as OrderInput);
    ctx.status = 201;
    ctx.set('location', `/orders/${order.id}/receipt`);
    ctx.body = order;
  });

  router.get('/orders', jwt, (ctx) => {
    ctx.body = { orders: listOrders(context, subjectOf(ctx.state.auth)) };
  });

  // The key is looked up first, so a caller without one gets a 409 rather than encryptResponse's 500.
  router.get(
    '/orders/:id/receipt',
    jwt,
    async (ctx, next) => {
      ctx.state.receiptKey = receiptKeyOf(context, subjectOf(ctx.state.auth));
      await next();
    },
    encryptResponse({ getPublicKey: (ctx: { state: State }) => ctx.state.receiptKey, logger }),
    (ctx) => {
      ctx.body = receiptOf(context, subjectOf(ctx.state.auth), ctx.params.id!);
    },
  );

  router.post('/logout', jwt, async (ctx) => {
    await revokeToken(context, ctx.state.auth);
    ctx.status = 204;
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

// An unknown path is a problem-details 404 that does not echo the path back. A known path with
// another method gets the router's 405, turned into problem details that keep its `Allow` header.
async function notFound(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  await next();
  if (ctx.body != null) {
    return;
  }

  if (ctx.status === 404) {
    throw new HttpError(404, 'ERR_NOT_FOUND', 'No route matches this method and path.');
  }
  if (ctx.status === 405) {
    throw new HttpError(405, 'ERR_INVALID_REQUEST', 'This path does not accept this method.', {
      headers: { allow: ctx.response.get('allow') },
    });
  }
}
