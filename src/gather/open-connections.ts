// Connections the TCP probe opened, waiting for the session probe that speaks on them: one connection per endpoint
// gives both the TCP and the TLS facts, with no extra round trip for a connection of its own.

import type net from 'node:net';
import { perRun } from './per-run.js';

/** How long an open connection waits for its session probe before it is closed (that probe then opens its own). */
const UNCLAIMED_MS = 10_000;

export class OpenConnections {
  private readonly sockets = new Map<string, net.Socket>();

  keep(key: string, socket: net.Socket): void {
    this.release(key);
    this.sockets.set(key, socket);
    // Never claimed (the deadline stopped the session, or another target's probe connected first): closed, not leaked.
    setTimeout(() => {
      if (this.sockets.get(key) === socket) this.release(key);
    }, UNCLAIMED_MS).unref();
  }

  /** The connection kept under `key`, once, while it is still open both ways. */
  take(key: string): net.Socket | undefined {
    const socket = this.sockets.get(key);
    this.sockets.delete(key);
    if (socket?.readyState === 'open') return socket;
    socket?.destroy();
    return undefined;
  }

  /** Closes the connection kept under `key`, if no probe took it. */
  release(key: string): void {
    this.take(key)?.destroy();
  }
}

/** The run's open connections: the scheduler is the run, and dedupes the TCP probe that fills them. */
export const openConnectionsOf = perRun(() => new OpenConnections());
