// The lab's latency switch: `startLab({ delayMs })` holds back everything the lab's servers send by delayMs, so a
// probe's wall time becomes (dependent exchanges) × delayMs as on a real network, and the benchmarks can compare
// fedcheck's wall time with its critical path.
//
// The hops delayed, each by delayMs:
//   - every DNS answer (UDP and TCP), counted when the query arrives;
//   - every flight a TCP server sends (SIP responder, XMPP responder, HTTP server, the internal listeners): bytes
//     written in one turn of the event loop leave together delayMs later, in order. With TLS under it (the SIP
//     listener's TLS, the XMPP listener's STARTTLS) each TLS server flight is one such flight, so a TLS 1.3
//     handshake costs one delay and a TLS 1.2 one two, the SIP OPTIONS response one, each XMPP stream step one.
// Not delayed: the TCP handshake (the kernel accepts before the lab sees the connection; a real network would add one
// round trip per connection), what the client sends, and the hostile peers (no healthy domain uses them).
// With delayMs 0 (the default) none of this is in the path: the servers handle their sockets directly.

import { Duplex } from 'node:stream';
import type net from 'node:net';

export interface LabDelay {
  ms: number;
  /** Called once per delayed exchange, for a benchmark's timeline; `hop` says what was delayed. */
  onExchange?: (hop: string) => void;
}

/** The socket as the lab's server should use it: itself without a delay, else a stream whose flights leave late. */
export function delayedSocket(raw: net.Socket, delay: LabDelay | undefined, hop: string): net.Socket {
  if (!delay || delay.ms <= 0) return raw;
  return new DelayedSocket(raw, delay, hop) as unknown as net.Socket;
}

/**
 * A Duplex over a raw socket that writes late. Node wraps a Duplex that is not a net.Socket in a JS stream, so a
 * TLSSocket built over it sends its handshake flights through write() here, where they can be held back.
 */
class DelayedSocket extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  private flightOpen = false;

  constructor(
    private readonly raw: net.Socket,
    private readonly delay: LabDelay,
    private readonly hop: string,
  ) {
    super({ allowHalfOpen: true });
    this.remoteAddress = raw.remoteAddress;
    this.remotePort = raw.remotePort;
    raw.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    raw.on('error', (error) => this.destroy(error));
    raw.on('close', () => this.destroy());
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.flightOpen) {
      // Writes of one event-loop turn are one flight: one delay, one exchange on the timeline.
      this.flightOpen = true;
      setImmediate(() => (this.flightOpen = false));
      this.delay.onExchange?.(this.hop);
    }
    // Timers of one duration fire in the order they were set, so the bytes keep their order.
    setTimeout(() => {
      if (!this.raw.destroyed) this.raw.write(chunk);
    }, this.delay.ms);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    // After the writes already held back: they were set earlier with the same duration.
    setTimeout(() => {
      this.raw.end();
      callback();
    }, this.delay.ms);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Bytes written before the close arrive before it, as on a network: a TLS alert, then the connection dropped.
    setTimeout(() => this.raw.destroy(), this.delay.ms);
    callback(error);
  }
}

/** Runs `send` delayMs later (at once without a delay), counting it as one exchange. */
export function afterDelay(delay: LabDelay | undefined, hop: string, send: () => void): void {
  if (!delay || delay.ms <= 0) {
    send();
    return;
  }
  delay.onExchange?.(hop);
  setTimeout(send, delay.ms);
}
