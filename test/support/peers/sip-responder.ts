// A SIP-over-TLS peer: reads one request and writes a scripted answer, each string in its own write.

import { Conversation } from './conversation.js';
import { startTlsServer, type TlsServer, type TlsServerOptions } from './tls-server.js';

export interface SipResponderOptions extends Omit<TlsServerOptions, 'onSecure'> {
  /** Written in order, each in its own write, after the request's header section has arrived. */
  answer: string[];
  /** Close the connection once the answer is written. */
  closeAfterAnswer?: boolean;
}

export interface SipResponder extends TlsServer {
  requests: string[];
}

export async function startSipResponder(options: SipResponderOptions): Promise<SipResponder> {
  const requests: string[] = [];
  const server = await startTlsServer({
    ...options,
    onSecure: (socket) => {
      void new Conversation(socket).until(/\r\n\r\n/).then(async (request) => {
        requests.push(request);
        for (const part of options.answer) {
          socket.write(part);
          // Separate writes arrive as separate reads, as a real server's provisional and final responses do.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        if (options.closeAfterAnswer) socket.end();
      });
    },
  });
  return { ...server, requests };
}

/** A response from the lines given, CRLF-terminated, with the empty line ending the header section. */
export function sipResponse(...lines: string[]): string {
  return `${lines.join('\r\n')}\r\n\r\n`;
}
