// A JWKS server on 127.0.0.1 that counts requests and can fail on demand.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type JwksServerMode = 'serve' | 'error' | 'hang' | 'not-json';

export interface JwksServer {
  readonly url: string;
  requests: number;
  mode: JwksServerMode;
  keys: object[];
  close(): Promise<void>;
}

export async function startJwksServer(keys: object[]): Promise<JwksServer> {
  const hanging = new Set<ServerResponse>();
  const state = { requests: 0, mode: 'serve' as JwksServerMode, keys };

  const server = createServer((_request, response) => {
    state.requests += 1;
    if (state.mode === 'hang') {
      hanging.add(response);
      return;
    }
    if (state.mode === 'error') {
      response.writeHead(500).end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(state.mode === 'not-json' ? '<html>' : JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  }) as JwksServer;
}
