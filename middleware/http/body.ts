import type { IncomingMessage } from 'node:http';

import { HttpError } from './errors.js';

/** The default request body limit: 100 KiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;

/** The default maximum nesting depth of a parsed body. */
export const DEFAULT_MAX_DEPTH = 32;

/**
 * Keys that reach Object.prototype through assignment or merge code (prototype pollution). They
 * are rejected anywhere in a JSON or urlencoded body and in a query string, whatever the schema allows.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads the whole request body into a buffer, stopping at `limitBytes`.
 *
 * A declared `Content-Length` over the limit is rejected before a byte is read. A body that grows
 * past the limit while streaming is rejected as soon as it does. Both throw 413 `ERR_BODY_TOO_LARGE`.
 * A compressed body (`Content-Encoding` other than identity) throws 415.
 */
export async function readRawBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    request.resume();
    throw new HttpError(415, 'ERR_UNSUPPORTED_MEDIA_TYPE', 'Compressed request bodies are not accepted.');
  }

  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > limitBytes) {
    request.resume();
    throw tooLarge(limitBytes);
  }

  return collect(request, limitBytes);
}

function collect(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;

    const cleanUp = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        cleanUp();
        request.resume();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = () => {
      cleanUp();
      reject(new HttpError(400, 'ERR_BODY_INVALID', 'The request body could not be read.'));
    };
    const onAborted = onError;

    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, 'ERR_BODY_TOO_LARGE', `The request body is larger than the limit of ${limitBytes} bytes.`, {
    details: { limitBytes },
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes a body as UTF-8, throwing 400 `ERR_BODY_INVALID` for invalid byte sequences. */
export function decodeUtf8(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new HttpError(400, 'ERR_BODY_INVALID', 'The request body is not valid UTF-8.');
  }
}

/**
 * Parses JSON text and checks its structure with {@link assertSafeStructure}.
 * Invalid JSON throws 400 `ERR_BODY_INVALID` with a message that never quotes the input.
 */
export function parseJsonBody(text: string, maxDepth: number = DEFAULT_MAX_DEPTH): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'ERR_BODY_INVALID', 'The request body is not valid JSON.');
  }

  assertSafeStructure(value, maxDepth);
  return value;
}

/**
 * Rejects a parsed body nested deeper than `maxDepth` (400 `ERR_BODY_TOO_DEEP`) or containing a key
 * `__proto__`, `constructor` or `prototype` at any depth (400 `ERR_BODY_FORBIDDEN_KEY`).
 * The walk is iterative, so a hostile body cannot overflow the stack.
 */
export function assertSafeStructure(value: unknown, maxDepth: number = DEFAULT_MAX_DEPTH): void {
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];

  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (typeof node !== 'object' || node === null) {
      continue;
    }

    if (depth + 1 > maxDepth) {
      throw new HttpError(400, 'ERR_BODY_TOO_DEEP', `The request body is nested deeper than ${maxDepth} levels.`, {
        details: { maxDepth },
      });
    }

    const children = Array.isArray(node) ? node : Object.keys(node).map((key) => {
      if (FORBIDDEN_KEYS.has(key)) {
        throw new HttpError(400, 'ERR_BODY_FORBIDDEN_KEY', 'The request body contains a forbidden key.', {
          details: { key },
        });
      }
      return (node as Record<string, unknown>)[key];
    });

    for (const child of children) {
      pending.push({ node: child, depth: depth + 1 });
    }
  }
}
