// A scripted XMPP server-to-server peer: STARTTLS on a plain listener or XEP-0368 direct TLS, with the
// stanzas it sends before and after TLS given by the test.

import net from 'node:net';
import tls from 'node:tls';
import { Conversation } from './conversation.js';
import { listen, type Listener } from './listener.js';

export interface XmppServerOptions {
  certPem: string;
  keyPem: string;
  chainPem?: string;
  /** Ask for a client certificate, trusting this root. */
  clientCaPem?: string;
  mode: 'starttls' | 'direct-tls';
  /** Sent after our stream header before TLS (STARTTLS mode): features, or a stream error. */
  preTls?: string;
  /** The answer to <starttls/>, extra bytes included; default <proceed/>. */
  startTlsAnswer?: string;
  /** Sent after our stream header on TLS. */
  postTls: string;
  /** Sent in answer to a SASL <auth/> on TLS: <success/> or <failure/>. */
  saslAnswer?: string;
}

export interface XmppServer extends Listener {
  /** The stream headers the client opened, in order. */
  streamHeaders: string[];
  /** The ALPN protocol of each TLS session ('' when none). */
  alpnProtocols: string[];
  clientCertificates: string[];
  /** The SASL <auth/> elements the client sent on TLS. */
  authRequests: string[];
}

export const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
const STARTTLS_FEATURE = `<starttls xmlns='${NS_TLS}'/>`;
export const PROCEED = `<proceed xmlns='${NS_TLS}'/>`;
const STREAM_OPEN = /<stream:stream[^>]*>/;

export function features(...children: string[]): string {
  return `<stream:features>${children.join('')}</stream:features>`;
}

export function streamHeader(from: string): string {
  return (
    `<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' ` +
    `xmlns:db='jabber:server:dialback' id='s2s-${Math.random().toString(36).slice(2)}' from='${from}' version='1.0'>`
  );
}

export async function startXmppServer(options: XmppServerOptions): Promise<XmppServer> {
  const streamHeaders: string[] = [];
  const alpnProtocols: string[] = [];
  const clientCertificates: string[] = [];
  const authRequests: string[] = [];
  const tlsOptions: tls.TlsOptions = {
    cert: options.certPem + (options.chainPem ?? ''),
    key: options.keyPem,
    requestCert: options.clientCaPem !== undefined,
    ca: options.clientCaPem,
    rejectUnauthorized: false,
    ALPNProtocols: ['xmpp-server'],
  };

  /** Answers a stream header with ours and `stanzas`; returns the domain the client asked for. */
  const answerStream = async (conversation: Conversation, socket: net.Socket, stanzas: string) => {
    const header = await conversation.until(STREAM_OPEN);
    streamHeaders.push(header);
    const to = /\bto='([^']*)'/.exec(header)?.[1] ?? '';
    socket.write(streamHeader(to) + stanzas);
  };
  const serveSecure = async (socket: tls.TLSSocket) => {
    socket.on('error', () => undefined);
    alpnProtocols.push(socket.alpnProtocol || '');
    clientCertificates.push(socket.getPeerCertificate().raw?.toString('base64') ?? '');
    const conversation = new Conversation(socket);
    await answerStream(conversation, socket, options.postTls);
    if (options.saslAnswer !== undefined) {
      authRequests.push(await conversation.until(/<auth\b[^>]*>[^<]*<\/auth>/));
      socket.write(options.saslAnswer);
    }
    await conversation.until(/<\/stream:stream>/);
    socket.end('</stream:stream>');
  };

  if (options.mode === 'direct-tls') {
    const server = tls.createServer(tlsOptions, (socket) => void serveSecure(socket));
    server.on('tlsClientError', () => undefined);
    return { ...(await listen(server)), streamHeaders, alpnProtocols, clientCertificates, authRequests };
  }

  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    void (async () => {
      const conversation = new Conversation(socket);
      await answerStream(conversation, socket, options.preTls ?? features(STARTTLS_FEATURE));
      await conversation.until(/<starttls[^>]*>/);
      conversation.stop();
      socket.write(options.startTlsAnswer ?? PROCEED);
      const secure = new tls.TLSSocket(socket, { ...tlsOptions, isServer: true });
      secure.on('error', () => undefined);
      secure.once('secure', () => void serveSecure(secure));
    })();
  });
  return { ...(await listen(server)), streamHeaders, alpnProtocols, clientCertificates, authRequests };
}
