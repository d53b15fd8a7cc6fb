import type { IncomingHttpHeaders } from 'node:http';

import { HttpError } from './errors.js';

/** A parsed `Content-Type`: the lower-case media type and its parameters. */
export interface MediaType {
  readonly type: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** Parses the request's `Content-Type` header, or returns undefined when there is none. */
export function mediaTypeOf(headers: IncomingHttpHeaders): MediaType | undefined {
  const header = headers['content-type'];
  if (header === undefined || header.trim() === '') {
    return undefined;
  }

  const [typePart = '', ...parameterParts] = header.split(';');
  const parameters: Record<string, string> = {};
  for (const part of parameterParts) {
    const separator = part.indexOf('=');
    if (separator === -1) {
      continue;
    }
    const name = part.slice(0, separator).trim().toLowerCase();
    const value = part.slice(separator + 1).trim().replace(/^"(.*)"$/, '$1');
    parameters[name] = value;
  }

  return { type: typePart.trim().toLowerCase(), parameters };
}

/** Tells whether a media type is JSON: `application/json` or any `+json` suffix (RFC 6839). */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Rejects a body whose declared charset is not UTF-8 with 415, because bulwark decodes every text
 * body as UTF-8 (RFC 8259, section 8.1, requires it for JSON exchanged between systems).
 */
export function assertUtf8Charset(mediaType: MediaType): void {
  const charset = mediaType.parameters.charset;
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw new HttpError(415, 'ERR_UNSUPPORTED_MEDIA_TYPE', 'The request body charset must be UTF-8.');
  }
}
