import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { AppContext } from './context.js';

/**
 * Waits until `server` listens and returns its URL, and closes the server and the app's data on
 * SIGINT and SIGTERM, so Ctrl-C leaves a clean SQLite file and Redis connection behind.
 */
export async function listen(server: Server, context: AppContext): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const shutDown = (signal: string) => {
    context.logger.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    void context.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutDown);
  process.once('SIGTERM', shutDown);

  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  context.logger.info({ port, host: address }, 'listening');
  return `http://${host}:${port}`;
}
