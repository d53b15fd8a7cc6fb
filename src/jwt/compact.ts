import { BulwarkError } from '../errors.js';
import { decodeBase64url, isCanonicalBase64url, isCompactJwsShape } from './base64url.js';
import type { JwtHeader } from './types.js';

/** A compact JWS split into its parts; nothing in it has been verified yet. */
export interface DecodedJws {
  readonly header: JwtHeader;
  /** The ASCII bytes of `header.payload`, which the signature covers. */
  readonly signingInput: Buffer;
  readonly payloadSegment: string;
  readonly signature: Buffer;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parsed headers by their encoded segment. Tokens from one issuer share a handful of headers, so
 * this skips most header decoding. Only headers that passed every check are kept. Every parsed
 * header is frozen, because a cached one is handed to every caller whose token carries it.
 */
const headerCache = new Map<string, JwtHeader>();
const HEADER_CACHE_MAX_ENTRIES = 256;
const HEADER_CACHE_MAX_SEGMENT_LENGTH = 512;

/**
 * Splits and checks a compact JWS (RFC 7515 section 7.1) and parses its protected header once.
 * Rejects a token over `maxTokenBytes`, any character outside `A-Z a-z 0-9 - _ .`, padding,
 * non-canonical base64url, a header that is not a JSON object or lacks `alg`, and a `crit`
 * header that names an extension bulwark does not implement (RFC 7515 section 4.1.11).
 */
export function decodeCompactJws(token: unknown, maxTokenBytes: number): DecodedJws {
  assertTokenSize(token, maxTokenBytes);

  if (!isCompactJwsShape(token)) {
    throw malformed('is not a compact JWS of three base64url segments', 'not_compact');
  }

  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  const headerSegment = token.slice(0, firstDot);
  const payloadSegment = token.slice(firstDot + 1, secondDot);
  const signatureSegment = token.slice(secondDot + 1);

  if (!isCanonicalBase64url(headerSegment) || !isCanonicalBase64url(payloadSegment) || !isCanonicalBase64url(signatureSegment)) {
    throw malformed('has a segment that is not canonical base64url', 'not_canonical_base64url');
  }

  let header = headerCache.get(headerSegment);
  if (header === undefined) {
    header = deepFreezeHeader(parseHeader(headerSegment));
    if (headerSegment.length <= HEADER_CACHE_MAX_SEGMENT_LENGTH) rememberHeader(headerSegment, header);
  }

  return {
    header,
    signingInput: Buffer.from(token.slice(0, secondDot), 'latin1'),
    payloadSegment,
    signature: decodeBase64url(signatureSegment),
  };
}

/** Rejects a token that is not a string or is larger than the cap, before any parsing. */
export function assertTokenSize(token: unknown, maxTokenBytes: number): asserts token is string {
  if (typeof token !== 'string') {
    throw malformed('is not a string', 'not_a_string');
  }
  // Every accepted character is ASCII, so the string length is the byte length of a valid token.
  if (token.length > maxTokenBytes) {
    throw new BulwarkError('ERR_JWT_TOO_LARGE', `The token is larger than ${maxTokenBytes} bytes.`, {
      reason: 'too_large',
      limit: maxTokenBytes,
    });
  }
}

/** Parses a JSON object out of a base64url segment; returns `undefined` when it is not one. */
export function parseJsonObjectSegment(segment: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(decodeBase64url(segment)));
  } catch {
    return undefined;
  }
  return isPlainObject(value) ? value : undefined;
}

function rememberHeader(segment: string, header: JwtHeader): void {
  if (headerCache.size >= HEADER_CACHE_MAX_ENTRIES) {
    // Headers made up by an attacker could fill the cache; starting over keeps it bounded and cheap.
    headerCache.clear();
  }
  headerCache.set(segment, header);
}

function deepFreezeHeader<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreezeHeader(member);
  }
  return value;
}

function parseHeader(segment: string): JwtHeader {
  const header = parseJsonObjectSegment(segment);
  if (header === undefined) {
    throw malformed('has a header that is not a JSON object', 'header_not_object');
  }

  if (typeof header.alg !== 'string' || header.alg.length === 0) {
    throw malformed('has no "alg" header', 'alg_missing');
  }

  if (header.crit !== undefined) {
    checkCriticalExtensions(header.crit, header);
  }

  return header as JwtHeader;
}

/**
 * Accepts `crit` only for `b64: true` (RFC 7797 section 3), which keeps the standard encoding and
 * so changes nothing. Every other extension, `b64: false` included, is unsupported and rejected
 * as RFC 7515 section 4.1.11 requires.
 */
function checkCriticalExtensions(crit: unknown, header: Record<string, unknown>): void {
  const wellFormed =
    Array.isArray(crit) &&
    crit.length > 0 &&
    crit.every((name) => typeof name === 'string' && name.length > 0) &&
    new Set(crit).size === crit.length;
  if (!wellFormed) {
    throw malformed('has a "crit" header that is not a list of distinct header names', 'crit_invalid');
  }

  for (const name of crit as string[]) {
    if (name !== 'b64' || header.b64 === false) {
      throw new BulwarkError('ERR_JWT_CRIT_UNSUPPORTED', 'The token marks a header extension as critical that is not supported.', {
        reason: 'crit_unsupported',
      });
    }
    if (header.b64 !== true) {
      throw malformed('lists "b64" as critical without a boolean "b64" header', 'crit_invalid');
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(problem: string, reason: string): BulwarkError {
  return new BulwarkError('ERR_JWT_MALFORMED', `The token ${problem}.`, { reason });
}
