// A plain TCP peer that does whatever the test tells it with each connection: the hostile peers.

import net from 'node:net';
import { listen, type Listener } from './listener.js';

export function startRawServer(onConnection: (socket: net.Socket) => void): Promise<Listener> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  return listen(server);
}

/** Writes `total` bytes of `fill` as fast as the connection takes them, then stops; returns the bytes written. */
export function flood(socket: net.Socket, fill: Buffer, total: number): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    const pump = () => {
      while (written < total && !socket.destroyed) {
        written += fill.length;
        if (!socket.write(fill)) return socket.once('drain', pump);
      }
      resolve(written);
    };
    socket.once('close', () => resolve(written));
    pump();
  });
}
