// Starts a test server on loopback with an ephemeral port and closes it with every connection it accepted.

import type net from 'node:net';

export interface Listener {
  address: string;
  port: number;
  close(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

export async function listen(server: net.Server): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  // The raw TCP socket, also for TLS servers: destroying it ends a handshake that never finished.
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: LOOPBACK,
    port,
    close: () =>
      new Promise((resolve) => {
        // A hostile peer's test must not wait for its own endless writer.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
