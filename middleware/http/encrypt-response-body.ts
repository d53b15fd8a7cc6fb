import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

import { responseNotEncrypted } from './encrypt-response.js';

/**
 * Reads a response body of any kind that Koa accepts into bytes, up to `limit`: a string, bytes,
 * a Node or web stream, a `Blob`, a fetch `Response`, or any other value serialized as JSON.
 * A stream that grows past the limit is stopped and destroyed.
 *
 * @throws HttpError 500 `ERR_RESPONSE_NOT_ENCRYPTED` when the body is over the limit or unreadable.
 * @example
 * ```ts
 * const bytes = await collectBody(ctx.body, settings.limit);
 * ```
 */
export async function collectBody(body: unknown, limit: number): Promise<Buffer> {
  if (typeof body === 'string') {
    return Buffer.from(body, 'utf8');
  }
  if (body instanceof Uint8Array) {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    return body.size > limit ? Promise.reject(responseNotEncrypted('body-too-large')) : readBlob(body);
  }
  if (typeof Response !== 'undefined' && body instanceof Response) {
    // Node's web streams are async iterable, though the DOM library types do not say so.
    return body.body === null ? Buffer.alloc(0) : collectStream(body.body as unknown as AsyncIterable<unknown>, limit);
  }
  if (isAsyncIterable(body)) {
    return collectStream(body, limit);
  }

  return Buffer.from(JSON.stringify(body) ?? '', 'utf8');
}

async function readBlob(blob: Blob): Promise<Buffer> {
  try {
    return Buffer.from(await blob.arrayBuffer());
  } catch {
    throw responseNotEncrypted('body-unreadable');
  }
}

async function collectStream(stream: AsyncIterable<unknown>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;

  try {
    // Leaving the loop early, by `break` or by the throw below, destroys a Node stream and cancels
    // a web stream, so the rest of an oversized body is never produced.
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);
      size += bytes.byteLength;
      if (size > limit) {
        throw responseNotEncrypted('body-too-large');
      }
      chunks.push(bytes);
    }
  } catch (error) {
    throw isTooLarge(error) ? error : responseNotEncrypted('body-unreadable');
  }

  return Buffer.concat(chunks, size);
}

/**
 * Undoes a `Content-Encoding` that the route applied, so that the plaintext is encrypted and the
 * client reads it without a further step. The output stops at `limit` bytes, which bounds a
 * decompression bomb. Codings other than gzip, deflate and br, or a list of codings, are rejected.
 *
 * @throws HttpError 500 `ERR_RESPONSE_NOT_ENCRYPTED` when the coding is unsupported, the data is
 * corrupt, or the decoded body is over the limit.
 * @example
 * ```ts
 * const plaintext = decodeContentEncoding(body, response.getHeader('content-encoding'), limit);
 * ```
 */
export function decodeContentEncoding(body: Buffer, encoding: unknown, limit: number): Buffer {
  const coding = typeof encoding === 'string' ? encoding.trim().toLowerCase() : '';
  if (coding === '' || coding === 'identity') {
    return body;
  }

  const decode = DECODERS[coding];
  if (decode === undefined) {
    throw responseNotEncrypted('content-encoding-unsupported');
  }

  try {
    return decode(body, { maxOutputLength: limit });
  } catch (error) {
    const tooLarge = (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
    throw responseNotEncrypted(tooLarge ? 'body-too-large' : 'body-unreadable');
  }
}

const DECODERS: Readonly<Record<string, (body: Buffer, options: { maxOutputLength: number }) => Buffer>> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function isTooLarge(error: unknown): boolean {
  return (error as { details?: { reason?: unknown } }).details?.reason === 'body-too-large';
}
