import type { IncomingHttpHeaders } from 'node:http';

// A request id is echoed into logs and problem bodies, so only a short token of safe characters is
// taken from the client. Anything else is ignored rather than reflected.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reads the `X-Request-Id` header when it is a short token of safe characters. */
export function requestIdOf(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-request-id'];
  if (typeof value !== 'string' || !REQUEST_ID_PATTERN.test(value)) {
    return undefined;
  }
  return value;
}
