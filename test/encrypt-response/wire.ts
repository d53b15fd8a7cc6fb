import { connect } from 'node:net';

/** What came back on the socket, byte for byte, and the parts of it a test checks. */
export interface WireResponse {
  /** Every byte the server sent: status line, headers and body. */
  raw: Buffer;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends one HTTP/1.1 request over a plain `node:net` socket to a local test server and returns
 * every byte the server wrote until it closed the connection. A test can then check that some text
 * never reached the wire, not only that a client library did not show it.
 */
export function rawRequest(
  url: string,
  request: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<WireResponse> {
  const { hostname, port } = new URL(url);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headerLines = Object.entries({
    host: `${hostname}:${port}`,
    connection: 'close',
    ...(body === undefined ? {} : { 'content-length': String(body.byteLength) }),
    ...request.headers,
  }).map(([name, value]) => `${name}: ${value}\r\n`);

  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('The test server did not close the connection within 10 seconds.'));
    }, 10_000);

    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks)));
    });

    socket.write(`${request.method ?? 'GET'} ${request.path} HTTP/1.1\r\n${headerLines.join('')}\r\n`);
    if (body !== undefined) {
      socket.write(body);
    }
  });
}

function parse(raw: Buffer): WireResponse {
  const separator = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, separator === -1 ? raw.length : separator).toString('latin1');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }

  const rawBody = separator === -1 ? Buffer.alloc(0) : raw.subarray(separator + 4);
  const body = headers['transfer-encoding'] === 'chunked' ? dechunk(rawBody) : rawBody;
  return { raw, status: Number(statusLine.split(' ')[1]), headers, body };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset);
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) {
      break;
    }
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
