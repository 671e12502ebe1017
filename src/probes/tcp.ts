// TCP connect probe: tells open, refused, timed out and unreachable apart. Sends nothing. An open connection can be
// kept for the session probe that speaks on it, so one connection gives both the TCP and the TLS facts.

import net from 'node:net';
import type { ProbeOutcome, TcpConnectFacts, TcpResult } from '../model/facts.js';
import { openTcp, type NetContext } from './connector.js';
import { ignoreError } from './socket.js';

const RESULT_BY_CODE: Record<string, TcpResult> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ECONNRESET: 'reset',
};

export interface TcpConnection {
  outcome: ProbeOutcome<TcpConnectFacts>;
  /** The connected socket, paused and with nothing read, when the port was open: the caller owns it. */
  socket?: net.Socket;
}

/** Connects and, when the port is open, hands the socket back instead of closing it. */
export function openConnection(address: string, port: number, context: NetContext): Promise<TcpConnection> {
  const family = net.isIPv6(address) ? 6 : 4;
  const startedAt = performance.now();
  const opened = openTcp(address, port, context.egress);
  if ('refused' in opened) return Promise.resolve({ outcome: { status: 'skipped', because: opened.refused } });
  const { socket } = opened;
  return new Promise((resolve) => {
    const finish = (result: TcpResult, code?: string) => {
      context.signal.removeEventListener('abort', onAbort);
      socket.setTimeout(0);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      const facts: TcpConnectFacts = { address, port, family, result, elapsedMs: Math.round(performance.now() - startedAt) };
      if (code !== undefined) facts.code = code;
      const outcome: ProbeOutcome<TcpConnectFacts> = { status: 'ok', facts };
      if (result !== 'open') {
        socket.destroy();
        resolve({ outcome });
        return;
      }
      // Until the session probe takes it over, a reset by the peer must not crash the run.
      socket.on('error', ignoreError);
      socket.pause();
      resolve({ outcome, socket });
    };
    // A silent drop (firewall) shows as no answer at all: that is the timeout case.
    const onAbort = () => finish('timeout', 'ETIMEDOUT');
    const onConnect = () => finish('open');
    const onError = (error: NodeJS.ErrnoException) => finish(RESULT_BY_CODE[error.code ?? ''] ?? 'error', error.code);
    context.signal.addEventListener('abort', onAbort, { once: true });
    socket.setTimeout(context.timeoutMs, onAbort);
    socket.once('connect', onConnect);
    socket.once('error', onError);
  });
}

/** The TCP fact alone: the connection is closed at once (a port no session probe speaks to). */
export async function connectTcp(address: string, port: number, context: NetContext): Promise<ProbeOutcome<TcpConnectFacts>> {
  const { outcome, socket } = await openConnection(address, port, context);
  socket?.destroy();
  return outcome;
}
