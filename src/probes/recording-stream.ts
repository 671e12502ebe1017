// A pass-through stream over a connected socket that keeps the first bytes the peer sends. Node's TLS client reads a
// plain socket's handle directly, out of JavaScript's sight; run over this stream instead, the handshake's raw
// bytes can be read: whether the server asked for a client certificate, or what a port sent that was not TLS.

import type net from 'node:net';
import { Duplex } from 'node:stream';

export class RecordingStream extends Duplex {
  private readonly chunks: Buffer[] = [];
  private recordedBytes = 0;
  private recording = true;
  private truncatedCapture = false;
  private readonly onData = (chunk: Buffer) => {
    this.record(chunk);
    const first = this.hooks.onFirstRead;
    this.hooks.onFirstRead = undefined;
    first?.();
    if (!this.push(chunk)) this.socket.pause();
  };
  private readonly onEnd = () => this.push(null);
  private readonly onError = (error: Error) => this.destroy(error);
  private readonly onClose = () => {
    if (!this.destroyed) this.destroy();
  };

  /** `onFirstWrite` runs once, with our first bytes as they go out; `onFirstRead`, when the peer's first bytes arrive. */
  constructor(
    private readonly socket: net.Socket,
    private readonly maxBytes: number,
    private readonly hooks: { onFirstWrite?: (chunk: Buffer) => void; onFirstRead?: () => void } = {},
  ) {
    super({ allowHalfOpen: false });
    socket.on('data', this.onData);
    socket.once('end', this.onEnd);
    socket.once('close', this.onClose);
    socket.on('error', this.onError);
    // A socket handed over paused (after a STARTTLS exchange) must flow again.
    socket.resume();
  }

  /** The bytes the peer sent so far, at most `maxBytes`. */
  get recorded(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Whether bytes were left out because `maxBytes` was reached while recording. */
  get truncated(): boolean {
    return this.truncatedCapture;
  }

  /** Ends the recording (the handshake is over); bytes keep passing through. */
  stopRecording(): void {
    this.recording = false;
  }

  private record(chunk: Buffer): void {
    if (!this.recording) return;
    const room = this.maxBytes - this.recordedBytes;
    if (chunk.length > room) this.truncatedCapture = true;
    if (room <= 0) return;
    const kept = chunk.subarray(0, room);
    this.chunks.push(kept);
    this.recordedBytes += kept.length;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const first = this.hooks.onFirstWrite;
    this.hooks.onFirstWrite = undefined;
    this.socket.write(chunk, done);
    first?.(chunk);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.socket.end(done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.socket.off('data', this.onData);
    this.socket.destroy();
    done(error);
  }
}
