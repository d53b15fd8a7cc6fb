import express, { type NextFunction, type Request, type Response } from 'express';

import {
  HttpError,
  authenticate,
  encryptResponse,
  errorHandler,
  requireJwt,
  securityHeaders,
  validateBody,
  type WithJwtAuth,
} from 'bulwark';

import {
  listOrders,
  placeOrder,
  profileOf,
  receiptKeyOf,
  receiptOf,
  registerReceiptKey,
  revokeToken,
  subjectOf,
} from '../shared/api.js';
import { TOKEN_SETTINGS, type AppContext } from '../shared/context.js';
import type { User } from '../shared/users.js';
import { orderSchema, publicKeySchema, type OrderInput, type PublicKeyInput, type StoredPublicKey } from '../shared/schema.js';
import { mountPage } from './page.js';

type AuthenticatedRequest = Request & WithJwtAuth & { receiptKey?: StoredPublicKey };

/**
 * Builds the orders API on Express: every route behind `securityHeaders` and `errorHandler`, every
 * route but the login behind `requireJwt`.
 */
export function createApp(context: AppContext): express.Express {
  const { users, signingKeys, logger } = context;
  const app = express();
  app.disable('x-powered-by');
  if (context.config.trustedProxyHops > 0) {
    app.set('trust proxy', context.config.trustedProxyHops);
  }

  // The page and its scripts get the `pages` preset, with a fresh CSP nonce for each response.
  mountPage(app, securityHeaders({ preset: 'pages', nonce: true }));

  // Everything else is JSON, under the strict `api` preset.
  app.use(securityHeaders({ preset: 'api' }));

  app.post(
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

  app.get('/me', jwt, (request: AuthenticatedRequest, response: Response) => {
    response.json(profileOf(context, subjectOf(request.auth)));
  });

  app.put('/me/key', jwt, validateBody(publicKeySchema), (request: AuthenticatedRequest, response: Response) => {
    registerReceiptKey(context, subjectOf(request.auth), request.body as PublicKeyInput);
    response.status(204).end();
  });

  app.post('/orders', jwt, validateBody(orderSchema), (request: AuthenticatedRequest, response: Response) => {
    const order = placeOrder(context, subjectOf(request.auth), request.body as OrderInput);
    response.status(201).location(`/orders/${order.id}/receipt`).json(order);
  });

  app.get('/orders', jwt, (request: AuthenticatedRequest, response: Response) => {
    response.json({ orders: listOrders(context, subjectOf(request.auth)) });
  });

  // The key is looked up first, so a caller without one gets a 409 rather than encryptResponse's 500.
  const loadReceiptKey = (request: AuthenticatedRequest, _response: Response, next: NextFunction) => {
    request.receiptKey = receiptKeyOf(context, subjectOf(request.auth));
    next();
  };

  app.get(
    '/orders/:id/receipt',
    jwt,
    loadReceiptKey,
    encryptResponse({ getPublicKey: (request: AuthenticatedRequest) => request.receiptKey, logger }),
    (request: AuthenticatedRequest, response: Response) => {
      response.json(receiptOf(context, subjectOf(request.auth), String(request.params.id)));
    },
  );

  app.post('/logout', jwt, async (request: AuthenticatedRequest, response: Response, next: NextFunction) => {
    try {
      await revokeToken(context, request.auth);
      response.status(204).end();
    } catch (error) {
      next(error);
    }
  });

  // An unknown path is a problem-details 404 that does not echo the path back.
  app.use((_request: Request, _response: Response, next: NextFunction) => {
    next(new HttpError(404, 'ERR_NOT_FOUND', 'No route matches this method and path.'));
  });
  app.use(errorHandler({ logger }));
  return app;
}
