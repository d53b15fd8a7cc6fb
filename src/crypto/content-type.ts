import { isJsonCty, isTextCty } from '../jwe/content-type.js';
import { invalidArgument, invalidOption, toBytes } from './internal/arguments.js';
import type { JsonValue } from './types.js';

// RFC 7515 section 4.1.10: producers should drop an "application/" prefix when no other "/" remains,
// and readers put it back on any cty without a "/".
const APPLICATION_PREFIX = 'application/';

// RFC 6838 restricted names for type and subtype, then `; name=value` parameters as RFC 9110 writes
// them, where a parameter may be empty (`text/plain;`), as in Content-Type headers seen in practice.
const RESTRICTED_NAME = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";
const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const QUOTED_STRING = '"(?:[^"\\\\\\x00-\\x1f\\x7f]|\\\\[\\x20-\\x7e])*"';
const PARAMETER = `[ \\t]*;[ \\t]*(?:${TOKEN}=(?:${TOKEN}|${QUOTED_STRING}))?`;
const MEDIA_TYPE_PATTERN = new RegExp(`^${RESTRICTED_NAME}/${RESTRICTED_NAME}(?:${PARAMETER})*[ \\t]*$`);
const MAX_MEDIA_TYPE_LENGTH = 255;

const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A value turned into the bytes to encrypt and the `cty` header that says how to read them back. */
export interface EncodedPayload {
  readonly cty: string;
  readonly bytes: Uint8Array;
}

/**
 * Encodes a value for {@link encrypt}: a string as UTF-8 text (`text/plain`), bytes as they are
 * (`octet-stream`), any other JSON value as JSON (`json`). With `contentType` the value must be a
 * string or bytes, and `cty` records that media type instead.
 */
export function encodePayload(value: unknown, contentType: string | undefined): EncodedPayload {
  if (contentType !== undefined) {
    const cty = compactMediaType(contentType);
    if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
      invalidArgument('value', 'a string or a Uint8Array when options.contentType is set');
    }
    return { cty, bytes: toBytes(value, 'value') };
  }

  if (typeof value === 'string') {
    return { cty: 'text/plain', bytes: toBytes(value, 'value') };
  }

  if (value instanceof Uint8Array) {
    return { cty: 'octet-stream', bytes: value };
  }

  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    invalidArgument('value', 'a Uint8Array for binary data (convert other views and ArrayBuffers first)');
  }

  return { cty: 'json', bytes: Buffer.from(serializeJson(value), 'utf8') };
}

/**
 * Reads decrypted bytes back by their `cty`: JSON types (`json`, `application/json`, `+json`) are
 * parsed, `text/*` types become a string, anything else, or no `cty`, stays bytes. Returns
 * `undefined` for bytes that do not match their type (invalid UTF-8 or JSON), which the caller
 * reports as a decryption failure.
 */
export function decodePayload(bytes: Buffer, cty: string | undefined): { value: unknown } | undefined {
  const isJson = cty !== undefined && isJsonCty(cty);
  const isText = cty !== undefined && !isJson && isTextCty(cty);

  if (!isJson && !isText) {
    return { value: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  try {
    const text = textDecoder.decode(bytes);
    return { value: isJson ? (JSON.parse(text) as unknown) : text };
  } catch {
    return undefined;
  }
}

/** Checks a media type given as `options.contentType` and drops its `application/` prefix where RFC 7515 allows. */
function compactMediaType(contentType: unknown): string {
  if (
    typeof contentType !== 'string' ||
    contentType.length > MAX_MEDIA_TYPE_LENGTH ||
    !MEDIA_TYPE_PATTERN.test(contentType)
  ) {
    return invalidOption('contentType', 'a media type such as "application/xml" or "text/csv; charset=utf-8"');
  }

  const rest = contentType.slice(APPLICATION_PREFIX.length);
  const hasPrefix = contentType.slice(0, APPLICATION_PREFIX.length).toLowerCase() === APPLICATION_PREFIX;
  return hasPrefix && !rest.includes('/') ? rest : contentType;
}

function serializeJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value as JsonValue);
  } catch {
    // A cycle or a BigInt; the TypeError names parts of the value, so it is not passed on.
    text = undefined;
  }

  if (text === undefined) {
    invalidArgument('value', 'a string, a Uint8Array or a JSON value without cycles, BigInts or functions');
  }
  return text;
}
