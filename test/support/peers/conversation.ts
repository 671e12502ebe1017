// Reads a peer's text until a pattern shows up: enough of a parser for scripted test servers.

import type { Duplex } from 'node:stream';

export class Conversation {
  private received = '';
  private waiting: (() => void) | undefined;
  private readonly onData = (chunk: Buffer) => {
    this.received += chunk.toString('utf8');
    this.waiting?.();
  };

  constructor(private readonly stream: Duplex) {
    stream.on('data', this.onData);
  }

  /** Resolves with the text up to and including the first match, and forgets it. */
  until(pattern: RegExp): Promise<string> {
    return new Promise((resolve) => {
      const check = () => {
        const match = pattern.exec(this.received);
        if (!match) return;
        const end = match.index + match[0].length;
        const text = this.received.slice(0, end);
        this.received = this.received.slice(end);
        this.waiting = undefined;
        resolve(text);
      };
      this.waiting = check;
      check();
    });
  }

  /** Stops listening, so another reader (a TLS layer) can take the stream over. */
  stop(): void {
    this.stream.off('data', this.onData);
    this.waiting = undefined;
  }
}
