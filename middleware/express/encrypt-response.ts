import { createRequestDecryption, type DecryptRequestOptions } from '../http/decrypt-request.js';
import { decodeContentEncoding } from '../http/encrypt-response-body.js';
import { captureResponse, type CapturedBody, type CaptureFacts, type ResponseSender } from '../http/encrypt-response-capture.js';
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
  responseNotEncrypted,
  statusHasNoBody,
  withVary,
} from '../http/encrypt-response.js';
import { requestIdFor, STALE_REPRESENTATION_HEADERS, toProblemResponse } from '../http/problem.js';
import { requestIdOf } from '../http/request-id.js';
import type { ExpressMiddleware, ExpressRequest, ExpressResponse } from './types.js';

export type { DecryptRequestOptions } from '../http/decrypt-request.js';
export type { EncryptResponseOptions, MaybePromise } from '../http/encrypt-response-options.js';
export type { EcdhJwk } from '../../src/jwe/public-key.js';

/**
 * Creates Express middleware that encrypts the response body as JWE compact serialization,
 * so that proxies, caches and agents between the server and the client cannot read it. A shared
 * key encrypts with `dir` + `A256GCM`, a client's public key with `ECDH-ES+A256KW` + `A256GCM`.
 *
 * Everything the route writes (`res.json`, `res.send`, `res.write`, `res.end`, piped streams) is
 * held back and encrypted once at `end`, with `cty` recording its media type. The response gets
 * `Content-Type: application/jose`, `Cache-Control: no-store` and a new `Content-Length`, and loses
 * `ETag`, `Content-Encoding` and the other headers that describe the plaintext. Status codes and
 * other headers pass through. A HEAD response gets the same headers without `Content-Length`.
 * 1xx, 204, 205 and 304 responses carry no body and pass through untouched, as do problem
 * responses (status 400 or more) unless `encryptErrors` is set.
 *
 * When a body cannot be encrypted (over `limit`, no key for this client, a key function that
 * throws, an invalid key), the response is a 500 problem and no byte of the plaintext is sent.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` when an option is invalid, naming it and the fix.
 * @example
 * ```ts
 * app.get('/api/report', encryptResponse({ key: process.env.REPORT_KEY }), sendReport);
 * // To the client's own public key, from the `cnf.jwk` claim of its verified token (RFC 7800):
 * const clientKey = (req: Request & WithJwtAuth<{ cnf?: { jwk?: Jwk } }>) => req.auth?.payload.cnf?.jwk;
 * app.get('/api/me', requireJwt(jwtOptions), encryptResponse({ getPublicKey: clientKey }), sendProfile);
 * ```
 */
export function encryptResponse(options: EncryptResponseOptions<ExpressRequest>): ExpressMiddleware {
  const settings = resolveEncryptResponseOptions(options);

  return (request, response, next) => {
    if (settings.when === 'accept') {
      // RFC 9110, section 12.5.5: the representation depends on Accept, so caches must key on it.
      response.setHeader('vary', withVary(response.getHeader('vary'), 'Accept'));
      if (!acceptsJose(request.headers.accept)) {
        next();
        return;
      }
    }

    removePlaintextConditions(request.headers, request.method);

    captureResponse(response, settings.limit, (body, sender, facts) => {
      // Should even the 500 problem fail to go out, the connection is closed rather than left open.
      sendCaptured(settings, request, response, { body, facts }, sender).catch(() => response.destroy());
    });
    next();
  };
}

async function sendCaptured(
  settings: ResponseEncryptionSettings<ExpressRequest>,
  request: ExpressRequest,
  response: ExpressResponse,
  captured: { readonly body: CapturedBody; readonly facts: CaptureFacts },
  sender: ResponseSender,
): Promise<void> {
  const status = response.statusCode;
  const isProblem = isReadableProblem(status, response.getHeader('content-type'), false);
  const body = problemAlone(captured, isProblem);

  if ((statusHasNoBody(status) || (isProblem && !settings.encryptErrors)) && body !== undefined) {
    sender.end(body);
    return;
  }

  // RFC 9110, section 9.3.2: HEAD gets the header fields that GET would get, so the plaintext's
  // ETag (a hash that confirms a guessed body) and media type must go here too. Express writes no
  // body for HEAD, so the token's length is unknown and Content-Length is left out.
  if (request.method === 'HEAD') {
    describeEncryptedBody(settings, response, undefined);
    sender.end();
    return;
  }

  try {
    if (body === undefined) {
      throw responseNotEncrypted('body-too-large');
    }
    const plaintext = decodeContentEncoding(body, response.getHeader('content-encoding'), settings.limit);
    const contentType = bodyMediaType(response.getHeader('content-type'));

    const token = await encryptBody(settings, request, plaintext, contentType);

    describeEncryptedBody(settings, response, token);
    sender.end(token);
  } catch (error) {
    sendFailure(settings, request, response, error, sender);
  }
}

// A problem that errorHandler renders arrives in one `end` call. Earlier `write` calls mean that
// the route had started a plaintext body before it failed. That part is dropped, so it can neither
// go out readable nor turn the problem into a body that the client cannot parse.
function problemAlone(captured: { readonly body: CapturedBody; readonly facts: CaptureFacts }, isProblem: boolean): CapturedBody {
  const { body, facts } = captured;
  if (!isProblem || !facts.wroteBeforeEnd || body === undefined) {
    return body;
  }
  return body.subarray(body.byteLength - facts.endChunkBytes);
}

// Replaces the headers that describe the plaintext with those of the JWE body.
function describeEncryptedBody(
  settings: ResponseEncryptionSettings<ExpressRequest>,
  response: ExpressResponse,
  token: string | undefined,
): void {
  for (const name of PLAINTEXT_HEADERS) {
    response.removeHeader(name);
  }
  response.setHeader('content-type', JOSE_CONTENT_TYPE);
  response.setHeader('cache-control', 'no-store');
  if (token !== undefined) {
    response.setHeader('content-length', Buffer.byteLength(token));
  }
  if (settings.when === 'accept') {
    // Set again, because the route may have replaced the Vary header set before it ran.
    response.setHeader('vary', withVary(response.getHeader('vary'), 'Accept'));
  }
}

// Replaces the held-back plaintext with a 500 problem. The headers are still unsent, because the
// capture kept them back, so the status and every plaintext header can change here.
function sendFailure(
  settings: ResponseEncryptionSettings<ExpressRequest>,
  request: ExpressRequest,
  response: ExpressResponse,
  error: unknown,
  sender: ResponseSender,
): void {
  const requestId = requestIdFor(request.id, () => requestIdOf(request.headers));
  const problem = toProblemResponse(error, requestId);
  logNotEncrypted(settings.logger, error, { method: request.method, path: pathOf(request), requestId });

  for (const name of [...STALE_REPRESENTATION_HEADERS, ...PLAINTEXT_HEADERS]) {
    response.removeHeader(name);
  }
  const body = JSON.stringify(problem.body);
  response.statusCode = problem.status;
  for (const [name, value] of Object.entries(problem.headers)) {
    response.setHeader(name, value);
  }
  response.setHeader('cache-control', 'no-store');
  response.setHeader('content-length', Buffer.byteLength(body));
  sender.end(body);
}

// The path without the query string, which can carry tokens or personal data.
function pathOf(request: ExpressRequest): string | undefined {
  const { originalUrl } = request as { originalUrl?: string };
  return (originalUrl ?? request.url)?.split('?', 1)[0];
}

/**
 * Creates Express middleware that decrypts `Content-Type: application/jose` request bodies and
 * sets `req.body` to the plaintext, parsed per the token's `cty` (JSON, a string for `text/*`, or
 * a `Buffer`), so that `validateBody(schema)` can follow it. Bodies of other media types pass
 * through unread, or get 415 with `rejectUnencrypted`.
 *
 * A body over `limit` (default 100 KiB) is 413 before any decryption. Every decryption failure,
 * whatever its cause, is the same 400 `ERR_DECRYPTION_FAILED` problem.
 *
 * @throws BulwarkError `ERR_OPTION_INVALID` when an option is invalid, naming it and the fix.
 * @example
 * ```ts
 * app.post('/api/orders', decryptRequest({ keyring }), validateBody(orderSchema), createOrder);
 * ```
 */
export function decryptRequest(options: DecryptRequestOptions): ExpressMiddleware {
  const decryption = createRequestDecryption(options);

  return (request, _response, next) => {
    decryption.readBody(request, request.body).then((result) => {
      if (result !== undefined) {
        request.body = result.body;
        // body-parser skips a request marked as parsed, so a later express.json() keeps this body.
        (request as { _body?: boolean })._body = true;
      }
      next();
    }, next);
  };
}
