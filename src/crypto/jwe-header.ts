import { encodeBase64url, decodeBase64url } from './internal/base64url.js';
import { BoundedCache } from './internal/bounded-cache.js';
import { isPlainObject } from './internal/arguments.js';

/** The content encryptions that {@link decrypt} can accept; {@link encrypt} writes only `A256GCM`. */
export type ContentEncryption = 'A256GCM' | 'A192GCM' | 'A128GCM';

/** The key size in bytes of each content encryption (RFC 7518 section 5.3). */
export const KEY_BYTES_BY_ENCRYPTION: Readonly<Record<ContentEncryption, number>> = {
  A256GCM: 32,
  A192GCM: 24,
  A128GCM: 16,
};

/** The protected header members that {@link decrypt} reads. */
export interface ParsedHeader {
  readonly enc: ContentEncryption;
  readonly kid: string | undefined;
  readonly cty: string | undefined;
}

// Tokens made by one app repeat a handful of headers, so encoding and parsing each one once saves a
// JSON round trip per call. Only headers that passed every check and are short are kept.
const MAX_CACHED_HEADER_LENGTH = 512;
const encodedHeaders = new BoundedCache<string, string>(64);
const parsedHeaders = new BoundedCache<string, ParsedHeader>(64);
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Returns the base64url protected header for `dir` + `A256GCM` with the given kid and cty. */
export function encodeHeader(kid: string | undefined, cty: string): string {
  const cacheKey = `${kid ?? ''}\n${cty}`;
  const cached = encodedHeaders.get(cacheKey);
  if (cached !== undefined) {
    return cached;
  }

  const header = kid === undefined ? { alg: 'dir', enc: 'A256GCM', cty } : { alg: 'dir', enc: 'A256GCM', kid, cty };
  const encoded = encodeBase64url(Buffer.from(JSON.stringify(header), 'utf8'));
  encodedHeaders.set(cacheKey, encoded);
  return encoded;
}

/**
 * Parses and checks a protected header; returns undefined for any header that {@link decrypt}
 * rejects, whatever the reason, so that the caller reports one failure for all of them.
 */
export function parseHeader(encoded: string): ParsedHeader | undefined {
  const cached = parsedHeaders.get(encoded);
  if (cached !== undefined) {
    return cached;
  }

  const header = readJsonObject(encoded);
  if (header === undefined) {
    return undefined;
  }

  // Only direct encryption: a token must not choose a key-management mode the app did not ask for
  // (RFC 8725 section 3.1). The RFC 7516 `zip` and `crit` members change how the token is read, and
  // bulwark supports neither, so they reject the token instead of being ignored.
  const { alg, enc, kid, cty } = header;
  if (alg !== 'dir' || 'zip' in header || 'crit' in header) {
    return undefined;
  }
  if (enc !== 'A256GCM' && enc !== 'A192GCM' && enc !== 'A128GCM') {
    return undefined;
  }
  if ((kid !== undefined && typeof kid !== 'string') || (cty !== undefined && typeof cty !== 'string')) {
    return undefined;
  }

  const parsed: ParsedHeader = { enc, kid, cty };
  if (encoded.length <= MAX_CACHED_HEADER_LENGTH) {
    parsedHeaders.set(encoded, parsed);
  }
  return parsed;
}

function readJsonObject(encoded: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64url(encoded);
  if (bytes === undefined || bytes.length === 0) {
    return undefined;
  }

  try {
    const value: unknown = JSON.parse(utf8Decoder.decode(bytes));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
