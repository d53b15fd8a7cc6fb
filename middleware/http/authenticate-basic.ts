import { HttpError } from './errors.js';

/** A user-id and password from HTTP Basic credentials. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

const BASIC_PATTERN = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

// RFC 7617, section 2: the user-id must not contain a colon, and neither the user-id nor the
// password may contain a control character.
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Tells whether an `Authorization` header uses the Basic scheme (compared case-insensitively, RFC 9110 section 11.1). */
export function isBasicAuthorization(header: string | undefined): header is string {
  return header !== undefined && /^basic(?:[ \t]|$)/i.test(header);
}

/**
 * Parses HTTP Basic credentials (RFC 7617): base64 of `user-id ":" password`, decoded as UTF-8
 * (the `charset="UTF-8"` that the challenge announces). The first colon separates the two, so the
 * password may contain colons. Malformed credentials throw 400 `ERR_INVALID_REQUEST`, whose
 * message never quotes the header.
 */
export function parseBasicCredentials(header: string): BasicCredentials {
  const match = BASIC_PATTERN.exec(header);
  const encoded = match?.[1];
  if (encoded === undefined || encoded.length % 4 !== 0) {
    throw malformed();
  }

  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw malformed();
  }

  const separator = decoded.indexOf(':');
  if (separator === -1) {
    throw malformed();
  }

  const username = decoded.slice(0, separator);
  const password = decoded.slice(separator + 1);
  if (CONTROL_CHARACTER.test(username) || CONTROL_CHARACTER.test(password)) {
    throw malformed();
  }
  return { username, password };
}

function malformed(): HttpError {
  return new HttpError(400, 'ERR_INVALID_REQUEST', 'The Basic credentials are malformed.', {
    headers: { 'cache-control': 'no-store' },
  });
}
