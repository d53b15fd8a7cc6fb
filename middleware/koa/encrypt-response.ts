import { createRequestDecryption, type DecryptRequestOptions } from '../http/decrypt-request.js';
import { collectBody, decodeContentEncoding } from '../http/encrypt-response-body.js';
import {
  resolveEncryptResponseOptions,
  type EncryptResponseOptions,
  type ResponseEncryptionSettings,
} from '../http/encrypt-response-options.js';
import {
  acceptsJose,
  bodyMediaType,
  encryptBody,
  isReadableProblem,
  JOSE_CONTENT_TYPE,
  logNotEncrypted,
  PLAINTEXT_HEADERS,
  removePlaintextConditions,
  statusHasNoBody,
  withVary,
} from '../http/encrypt-response.js';
import { logProblem, PROBLEM_CONTENT_TYPE, requestIdFor, toProblemResponse } from '../http/problem.js';
import { requestIdOf } from '../http/request-id.js';
import type { KoaContext, KoaMiddleware, KoaNext } from './types.js';

export type { DecryptRequestOptions } from '../http/decrypt-request.js';
export type { EncryptResponseOptions, MaybePromise } from '../http/encrypt-response-options.js';
export type { EcdhJwk } from '../../src/jwe/public-key.js';

/**
 * Creates Koa middleware that encrypts `ctx.body` as JWE compact serialization, so
 * that proxies, caches and agents between the server and the client cannot read it. A shared key
 * encrypts with `dir` + `A256GCM`, a client's public key with `ECDH-ES+A256KW` + `A256GCM`.
 *
 * After the downstream middleware, a string, `Buffer`, stream (read up to `limit`) or object
 * (serialized as JSON) body is encrypted with `cty` recording its media type. The response gets
 * `Content-Type: application/jose`, `Cache-Control: no-store` and a new `Content-Length`, and loses
 * `ETag`, `Content-Encoding` and the other headers that describe the plaintext. Status codes and
 * other headers pass through, and a HEAD response gets the same headers as GET. 1xx, 204, 205 and
 * 304 responses carry no body and pass through untouched, as do problem responses (status 400 or
 * more) unless `encryptErrors` is set. With it, an error thrown downstream is rendered as a problem
 * here and encrypted.
 *
 * When a body cannot be encrypted (over `limit`, no key for this client, a key function that
 * throws, an invalid key), the plaintext body is dropped and a 500 `ERR_RESPONSE_NOT_ENCRYPTED`
 * error is thrown to the error handler.
 *
 * NOTE: only `ctx.body` is encrypted. A route that writes to `ctx.res` itself (with
 * `ctx.respond = false`) bypasses Koa and this middleware, and its bytes go out as written.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` when an option is invalid, naming it and the fix.
 * @example
 * ```ts
 * router.get('/api/report', encryptResponse({ key: process.env.REPORT_KEY }), sendReport);
 * ```
 */
export function encryptResponse(options: EncryptResponseOptions<KoaContext>): KoaMiddleware {
  const settings = resolveEncryptResponseOptions(options);

  return async (context, next) => {
    if (settings.when === 'accept') {
      // RFC 9110, section 12.5.5: the representation depends on Accept, so caches must key on it.
      context.set('vary', withVary(context.res.getHeader('vary'), 'Accept'));
      if (!acceptsJose(context.req.headers.accept)) {
        await next();
        return;
      }
    }

    removePlaintextConditions(context.req.headers, context.method);

    await runDownstream(settings, context, next);

    const status = context.status;
    const contentType = context.res.getHeader('content-type');
    if (statusHasNoBody(status) || context.body == null || isReadableProblem(status, contentType, settings.encryptErrors)) {
      return;
    }

    // A HEAD response is encrypted like GET's, so its headers describe the JWE (RFC 9110, section
    // 9.3.2) and carry no ETag of the plaintext. Koa then sends the headers without the body.

    await replaceBody(settings, context);
  };
}

async function replaceBody(settings: ResponseEncryptionSettings<KoaContext>, context: KoaContext): Promise<void> {
  try {
    const body = await collectBody(context.body, settings.limit);
    const plaintext = decodeContentEncoding(body, context.res.getHeader('content-encoding'), settings.limit);
    const contentType = bodyMediaType(context.res.getHeader('content-type'));

    const token = await encryptBody(settings, context, plaintext, contentType);

    for (const name of PLAINTEXT_HEADERS) {
      context.remove(name);
    }
    context.body = token;
    context.set('content-type', JOSE_CONTENT_TYPE);
    context.set('cache-control', 'no-store');
    if (settings.when === 'accept') {
      // Set again, because the route may have replaced the Vary header set before it ran.
      context.set('vary', withVary(context.res.getHeader('vary'), 'Accept'));
    }
  } catch (error) {
    logNotEncrypted(settings.logger, error, { method: context.method, path: pathOf(context), requestId: requestIdOfContext(context) });

    // The plaintext must not reach the error handler's response or Koa's own.
    context.body = null;
    for (const name of PLAINTEXT_HEADERS) {
      context.remove(name);
    }
    throw error;
  }
}

// With `encryptErrors`, an error thrown downstream becomes its problem response here, so that the
// problem is encrypted like any body. Without it, the error goes on to the outer error handler.
async function runDownstream(settings: ResponseEncryptionSettings<KoaContext>, context: KoaContext, next: KoaNext): Promise<void> {
  try {
    await next();
  } catch (error) {
    if (!settings.encryptErrors || context.headerSent) {
      throw error;
    }

    const requestId = requestIdOfContext(context);
    const problem = toProblemResponse(error, requestId);
    logProblem(settings.logger, error, problem, { requestId, method: context.method, path: pathOf(context) });

    context.status = problem.status;
    for (const [name, value] of Object.entries(problem.headers)) {
      context.set(name, value);
    }
    context.body = JSON.stringify(problem.body);
    context.set('content-type', PROBLEM_CONTENT_TYPE);
  }
}

function pathOf(context: KoaContext): string {
  return typeof context.path === 'string' ? context.path : (context.req.url ?? '/').split('?', 1)[0]!;
}

function requestIdOfContext(context: KoaContext): string | undefined {
  return requestIdFor(context.state.requestId, () => requestIdOf(context.req.headers));
}

/**
 * Creates Koa middleware that decrypts `Content-Type: application/jose` request bodies and sets
 * `ctx.request.body` to the plaintext, parsed per the token's `cty` (JSON, a string for `text/*`,
 * or a `Buffer`), so that `validateBody(schema)` can follow it. Bodies of other media types pass
 * through unread, or get 415 with `rejectUnencrypted`.
 *
 * A body over `limit` (default 100 KiB) is 413 before any decryption. Every decryption failure,
 * whatever its cause, is the same 400 `ERR_DECRYPTION_FAILED` problem.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` when an option is invalid, naming it and the fix.
 * @example
 * ```ts
 * router.post('/api/orders', decryptRequest({ keyring }), validateBody(orderSchema), createOrder);
 * ```
 */
export function decryptRequest(options: DecryptRequestOptions): KoaMiddleware {
  const decryption = createRequestDecryption(options);

  return async (context, next) => {
    const result = await decryption.readBody(context.req, context.request.body);
    if (result !== undefined) {
      context.request.body = result.body;
    }
    await next();
  };
}
