import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The body that a route wrote, or `undefined` when it grew past the limit and was dropped. */
export type CapturedBody = Buffer | undefined;

/** Facts about the way the route wrote the captured body. */
export interface CaptureFacts {
  /** Whether data came through `write` before `end`, as a route streaming a body does. */
  readonly wroteBeforeEnd: boolean;
  /** The number of bytes at the end of the body that the `end` call itself passed. */
  readonly endChunkBytes: number;
}

/** Sends the response for real once the capture has ended: the original Node methods. */
export interface ResponseSender {
  /** Node's own `end`, unwrapped. */
  end(body?: string | Buffer): void;
}

type WriteCallback = (error?: Error | null) => void;

/**
 * Holds back everything a route writes to a Node response until it calls `end`, so that the body
 * can be encrypted whole and no byte of the plaintext reaches the socket first.
 *
 * `write` and `end` collect the body (Express's `res.send` and `res.json` go through them in
 * Express 4 and 5), `writeHead` only records its status and headers, and `flushHeaders` does
 * nothing, so the headers stay unsent and can still change. Past `limit` bytes the chunks are
 * dropped and the body is reported as `undefined`. At `end`, `onEnd` decides what to send through
 * the given sender, and the original methods come back when it sends.
 *
 * @example
 * ```ts
 * captureResponse(res, limit, (body, sender) => sender.end(body));
 * ```
 */
export function captureResponse(
  response: ServerResponse,
  limit: number,
  onEnd: (body: CapturedBody, sender: ResponseSender, facts: CaptureFacts) => void,
): void {
  const original = {
    write: response.write,
    end: response.end as (chunk: string | Buffer, callback: () => void) => ServerResponse,
    writeHead: response.writeHead,
    flushHeaders: response.flushHeaders,
  };

  let chunks: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  let ended = false;
  let wroteBeforeEnd = false;
  const endCallbacks: WriteCallback[] = [];

  const collect = (chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || overflowed) {
      return;
    }

    const bytes = toBuffer(chunk, encoding);
    size += bytes.byteLength;
    if (size > limit) {
      overflowed = true;
      chunks = [];
      return;
    }
    chunks.push(bytes);
  };

  const restore = (): void => {
    response.write = original.write;
    response.end = original.end as ServerResponse['end'];
    response.writeHead = original.writeHead;
    response.flushHeaders = original.flushHeaders;
  };

  response.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (ended) {
      return false;
    }
    wroteBeforeEnd ||= chunk !== undefined && chunk !== null && chunk !== '';
    collect(chunk, typeof encoding === 'function' ? undefined : encoding);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') {
      process.nextTick(done as WriteCallback);
    }
    return true;
  } as ServerResponse['write'];

  response.end = function end(chunk?: unknown, encoding?: unknown, callback?: unknown): ServerResponse {
    if (ended) {
      return response;
    }
    ended = true;

    const done = [chunk, encoding, callback].find((argument) => typeof argument === 'function');
    if (done !== undefined) {
      endCallbacks.push(done as WriteCallback);
    }
    const sizeBeforeEnd = size;
    collect(typeof chunk === 'function' ? undefined : chunk, typeof encoding === 'function' ? undefined : encoding);

    // The wrappers stay until the real `end`: a `write` that comes while the body is being encrypted
    // (a route bug) must be dropped, not sent ahead of the token with the plaintext's headers.
    const sender: ResponseSender = {
      end: (body) => {
        restore();
        const callbacks = endCallbacks.splice(0);
        original.end.call(response, body ?? '', () => callbacks.forEach((run) => run()));
      },
    };
    onEnd(overflowed ? undefined : Buffer.concat(chunks, size), sender, { wroteBeforeEnd, endChunkBytes: size - sizeBeforeEnd });
    return response;
  } as ServerResponse['end'];

  response.writeHead = function writeHead(statusCode: number, reason?: unknown, headers?: unknown): ServerResponse {
    response.statusCode = statusCode;
    if (typeof reason === 'string') {
      response.statusMessage = reason;
    } else {
      headers = reason;
    }
    applyHeaders(response, headers);
    return response;
  } as ServerResponse['writeHead'];

  response.flushHeaders = function flushHeaders(): void {
    // The headers are sent with the encrypted body at `end`.
  };
}

function applyHeaders(response: ServerResponse, headers: unknown): void {
  if (Array.isArray(headers)) {
    // Node accepts a flat list [name, value, name, value] or a list of [name, value] pairs.
    const pairs = Array.isArray(headers[0]) ? (headers as unknown[][]) : pairsOf(headers);
    for (const [name, value] of pairs) {
      response.appendHeader(String(name), value as string);
    }
    return;
  }

  if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
      if (value !== undefined) {
        response.setHeader(name, value);
      }
    }
  }
}

function pairsOf(flat: unknown[]): unknown[][] {
  const pairs: unknown[][] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    pairs.push([flat[index], flat[index + 1]]);
  }
  return pairs;
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (typeof chunk === 'string') {
    return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  if (chunk instanceof Uint8Array) {
    // A copy, because the caller may reuse its buffer once `write` returns.
    return Buffer.from(chunk);
  }
  return Buffer.from(String(chunk), 'utf8');
}
