// TCP connect probe: tells open, refused, timed out and unreachable apart. Sends nothing.

import net from 'node:net';
import type { ProbeOutcome, TcpConnectFacts, TcpResult } from '../model/facts.js';
import { openTcp, type NetContext } from './connector.js';

const RESULT_BY_CODE: Record<string, TcpResult> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ECONNRESET: 'reset',
};

export function connectTcp(address: string, port: number, context: NetContext): Promise<ProbeOutcome<TcpConnectFacts>> {
  const family = net.isIPv6(address) ? 6 : 4;
  const startedAt = performance.now();
  const opened = openTcp(address, port, context.egress);
  if ('refused' in opened) return Promise.resolve({ status: 'skipped', because: opened.refused });
  const { socket } = opened;
  return new Promise((resolve) => {
    const finish = (result: TcpResult, code?: string) => {
      socket.destroy();
      context.signal.removeEventListener('abort', onAbort);
      const facts: TcpConnectFacts = { address, port, family, result, elapsedMs: Math.round(performance.now() - startedAt) };
      if (code !== undefined) facts.code = code;
      resolve({ status: 'ok', facts });
    };
    // A silent drop (firewall) shows as no answer at all: that is the timeout case.
    const onAbort = () => finish('timeout', 'ETIMEDOUT');
    context.signal.addEventListener('abort', onAbort, { once: true });
    socket.setTimeout(context.timeoutMs, onAbort);
    socket.once('connect', () => finish('open'));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(RESULT_BY_CODE[error.code ?? ''] ?? 'error', error.code));
  });
}
