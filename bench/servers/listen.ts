import type { Server } from 'node:http';

/** Prints `listening <port>` once the server listens on 127.0.0.1, the line the bench harness waits for. */
export function announce(server: Server): void {
  server.on('listening', () => {
    const address = server.address();
    if (address !== null && typeof address === 'object') {
      console.log(`listening ${address.port}`);
    }
  });
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
