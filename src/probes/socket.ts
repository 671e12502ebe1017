// Shared socket plumbing for the protocol probes: one time budget per probe, a bounded TCP connect,
// a pull reader that holds at most one chunk, and the mapping of socket and OpenSSL errors to SessionFailures.

import type net from 'node:net';
import type { SessionFailure } from '../model/protocol-facts.js';
import { openTcp, type Egress, type NetContext } from './connector.js';

type Stage = SessionFailure['stage'];

/** The probe's time limit as one signal, shared by every step, plus the clock to report from, and its egress. */
export interface Budget {
  signal: AbortSignal;
  limitMs: number;
  startedAt: number;
  egress: Egress;
}

// The scheduler races every probe against the same timeout; ending a little earlier lets our own facts
// (how far the probe got) win that race instead of a bare "timeout".
const SCHEDULER_MARGIN_MS = 250;

export function startBudget(context: NetContext): Budget {
  // Whole milliseconds: AbortSignal.timeout() throws on a fraction.
  const limitMs = Math.max(1, Math.floor(context.timeoutMs - Math.min(SCHEDULER_MARGIN_MS, context.timeoutMs / 10)));
  return {
    signal: AbortSignal.any([context.signal, AbortSignal.timeout(limitMs)]),
    limitMs,
    startedAt: performance.now(),
    egress: context.egress,
  };
}

export function elapsedSince(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}

/** A context for the rest of `budget`, for a step that takes one. */
export function remainingContext(budget: Budget): NetContext {
  return { signal: budget.signal, timeoutMs: Math.max(1, budget.limitMs - elapsedSince(budget.startedAt)), egress: budget.egress };
}

export function timeoutFailure(stage: Stage, budget: Budget, waitingFor: string): SessionFailure {
  return { stage, reason: 'timeout', detail: `no ${waitingFor} within the probe's ${budget.limitMs} ms` };
}

/** Runs `start` until it settles or the budget ends; the function `start` returns detaches its listeners. */
export function withinBudget<T>(budget: Budget, onTimeout: () => T, start: (settle: (value: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    let settled = false;
    let detach: (() => void) | undefined;
    const settle = (value: T) => {
      if (settled) return;
      settled = true;
      budget.signal.removeEventListener('abort', onAbort);
      detach?.();
      resolve(value);
    };
    const onAbort = () => settle(onTimeout());
    if (budget.signal.aborted) return onAbort();
    budget.signal.addEventListener('abort', onAbort, { once: true });
    detach = start(settle);
    if (settled) detach();
  });
}

export function connectSocket(address: string, port: number, budget: Budget): Promise<{ socket: net.Socket } | { failure: SessionFailure }> {
  const opened = openTcp(address, port, budget.egress);
  if ('refused' in opened) return Promise.resolve({ failure: { stage: 'connect', reason: 'error', detail: `not connected: ${opened.refused}` } });
  const { socket } = opened;
  const onTimeout = () => {
    socket.destroy();
    return { failure: timeoutFailure('connect', budget, 'TCP connection') };
  };
  return withinBudget<{ socket: net.Socket } | { failure: SessionFailure }>(budget, onTimeout, (settle) => {
    const onConnect = () => settle({ socket });
    const onError = (error: Error) => {
      socket.destroy();
      settle({ failure: failureFromError('connect', error) });
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
    return () => {
      socket.off('connect', onConnect);
      socket.off('error', onError);
      // Until a reader or TLS takes the socket over, a late error must not crash the run.
      socket.on('error', ignoreError);
    };
  });
}

export function ignoreError(): void {}

/**
 * Reads a socket one chunk at a time: the socket stays paused between reads, so an endless or fast peer
 * fills only the kernel buffer and the stream's high-water mark, never our memory.
 */
export class SocketReader {
  private queued: Buffer | undefined;
  private ended = false;
  private error: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer) => {
    // pause() stops the flow after this chunk; appending covers a chunk already on its way.
    this.queued = this.queued ? Buffer.concat([this.queued, chunk]) : chunk;
    this.socket.pause();
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.();
  };
  private readonly onError = (error: Error) => {
    this.error = error;
    this.wake?.();
  };

  constructor(
    private readonly socket: net.Socket,
    private readonly budget: Budget,
  ) {
    socket.pause();
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** The next chunk, or why none came. `waitingFor` names what we expected, for the failure detail. */
  read(stage: Stage, waitingFor: string): Promise<{ chunk: Buffer } | { failure: SessionFailure }> {
    const take = (): { chunk: Buffer } | { failure: SessionFailure } | undefined => {
      if (this.queued) {
        const chunk = this.queued;
        this.queued = undefined;
        return { chunk };
      }
      if (this.error) return { failure: failureFromError(stage, this.error) };
      if (this.ended) return { failure: { stage, reason: 'closed', detail: `the peer closed the connection before the ${waitingFor}` } };
      return undefined;
    };
    const ready = take();
    if (ready) return Promise.resolve(ready);
    const onTimeout = () => ({ failure: timeoutFailure(stage, this.budget, waitingFor) });
    return withinBudget<{ chunk: Buffer } | { failure: SessionFailure }>(this.budget, onTimeout, (settle) => {
      this.wake = () => {
        const next = take();
        if (next) settle(next);
      };
      this.socket.resume();
      return () => (this.wake = undefined);
    });
  }

  /** Stops reading and hands the socket back paused; returns the bytes received but never read (discarded). */
  detach(): number {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    let unread = this.queued?.length ?? 0;
    this.queued = undefined;
    for (let chunk: Buffer | null = this.socket.read() as Buffer | null; chunk !== null; chunk = this.socket.read() as Buffer | null) {
      unread += chunk.length;
    }
    return unread;
  }
}

// A peer that stops reading keeps our farewell unsent; this is as long as it may hold the socket.
const FAREWELL_LIMIT_MS = 500;

/**
 * Says goodbye (an XMPP stream close, with TLS a close_notify) and lets go as soon as it is sent: no verdict needs
 * the peer's answer to it, so waiting for the peer's FIN would only keep a finished probe's socket open.
 */
export function closeSocket(socket: net.Socket, farewell?: string): void {
  if (socket.destroyed) return;
  socket.on('error', ignoreError);
  if (farewell === undefined || !socket.writable) {
    socket.destroy();
    return;
  }
  // Once flushed, the kernel delivers the farewell and our FIN after the descriptor is closed.
  socket.end(farewell, () => socket.destroy());
  setTimeout(() => socket.destroy(), FAREWELL_LIMIT_MS).unref();
}

const TLS_ALERT = /^ERR_SSL_(?:TLSV1|SSLV3)_ALERT_(.+)$/;

/** A socket or OpenSSL error as a SessionFailure at `stage`. */
export function failureFromError(stage: Stage, error: Error): SessionFailure {
  const { code, syscall } = error as NodeJS.ErrnoException;
  const opensslReason = (error as { reason?: string }).reason;
  const failure = (reason: SessionFailure['reason'], detail: string): SessionFailure =>
    code === undefined ? { stage, reason, detail } : { stage, reason, detail, code };
  const alert = code === undefined ? null : TLS_ALERT.exec(code);
  if (alert?.[1]) return failure('tls-alert', `the peer sent the TLS alert "${alert[1].toLowerCase().replaceAll('_', ' ')}"`);
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') return failure('tls-error', 'the peer did not answer with TLS');
  if (code?.startsWith('ERR_SSL_')) return failure('tls-error', `the TLS handshake failed: ${opensslReason ?? error.message}`);
  switch (code) {
    case 'ECONNREFUSED':
      return failure('refused', 'the connection was refused');
    case 'ECONNRESET':
    case 'EPIPE':
      // Node reports a plain close during the handshake as ECONNRESET without a system call behind it.
      return syscall === undefined && /disconnected before secure TLS/.test(error.message)
        ? failure('closed', 'the peer closed the connection during the TLS handshake')
        : failure('reset', 'the peer reset the connection');
    case 'ETIMEDOUT':
      return failure('timeout', 'the system timed out the connection');
    default:
      return failure('error', error.message);
  }
}
