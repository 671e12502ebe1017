// Binding the lab's stand-in servers: loopback only, every connection tracked so closing the lab never
// waits on a peer that keeps its connection open.

import net from 'node:net';
import { addressScope } from '../judge/address-scope.js';
import { delayedSocket } from './delay.js';
import type { LabDelay } from './delay.js';

export interface LabListener {
  /** The bound port: the one asked for, or the ephemeral one when 0 was asked for. */
  port: number;
  close(): Promise<void>;
}

/**
 * With a delay, a plain net.Server accepts in front of `server` and hands it each connection wrapped so that what
 * `server` sends leaves late (see delay.ts); `server` itself never listens then.
 */
export async function listenOnLoopback(server: net.Server, address: string, port: number, delay?: LabDelay): Promise<LabListener> {
  // The lab is a fixture world: a listener reachable from outside the machine would be a hole, not a fixture.
  if (addressScope(address) !== 'loopback') throw new Error(`the lab listens on loopback only, not on ${address}`);
  if (delay && delay.ms > 0) {
    const front = net.createServer((raw) => {
      raw.on('error', () => undefined);
      server.emit('connection', delayedSocket(raw, delay, `${address}:${port} to :${raw.remotePort}`));
    });
    return listenOnLoopback(front, address, port);
  }
  const connections = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Once listening, a failing socket must not take the lab down.
  server.on('error', () => undefined);
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of connections) socket.destroy();
      await closed;
    },
  };
}
