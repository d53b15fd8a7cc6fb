import { request } from 'node:http';

/** A response read in full. */
export interface SentResponse {
  status: number;
  contentType: string | undefined;
  text: string;
  json(): any;
}

/** Options of {@link send}. */
export interface SendOptions {
  method?: string;
  body?: string | Buffer;
  contentType?: string;
  /** Send the body with chunked transfer encoding instead of `Content-Length`. */
  chunked?: boolean;
}

/**
 * Sends one request with exactly the headers given: unlike fetch, it adds no `Content-Type`, so a
 * test can send a body without one.
 */
export function send(url: string, options: SendOptions = {}): Promise<SentResponse> {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string | number> = {};
  if (options.contentType !== undefined) {
    headers['content-type'] = options.contentType;
  }
  if (body !== undefined && !options.chunked) {
    headers['content-length'] = body.length;
  }

  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: options.method ?? 'POST', headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: incoming.statusCode ?? 0,
          contentType: incoming.headers['content-type'],
          text,
          json: () => JSON.parse(text),
        });
      });
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    if (body !== undefined && options.chunked) {
      outgoing.write(body);
    }
    outgoing.end(options.chunked ? undefined : body);
  });
}
