// A stand-in XMPP server-to-server listener for the lab: answers the stream header, offers STARTTLS and
// dialback, upgrades on <starttls/>, and after TLS offers dialback and SASL EXTERNAL as configured (and accepts an
// EXTERNAL <auth/> when it offered it). With nothing to offer after TLS it ends the stream as Prosody 0.12 does.
//
// It reads only what a probe's behaviour depends on: the stream header's 'to' and 'from', <starttls, <auth and the
// closing </stream:stream>, found by bounded scans of the text (it is the lab's own server, not a parser
// for the world). Stanzas are ignored. More than 64 KiB from one peer drops the connection.

import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import tls from 'node:tls';
import type { LabDelay } from './delay.js';
import { labContextOptions } from './lab-tls.js';
import type { LabCredentials } from './lab-tls.js';
import { listenOnLoopback } from './listener.js';

export interface XmppStreamError {
  /** A stream error condition of RFC 6120 4.9.3, such as host-unknown or policy-violation. */
  condition: string;
  text?: string;
}

export interface XmppResponderOptions {
  address: string;
  /** 0 for an ephemeral port. */
  port: number;
  /** 'direct-tls' is XEP-0368: TLS first (ALPN xmpp-server), then the stream. */
  mode: 'starttls' | 'direct-tls';
  /** Per domain, chosen by SNI, else by the stream's 'to'; the first entry serves any other name. */
  certificates: Record<string, LabCredentials>;
  starttls: 'required' | 'offered' | 'none';
  dialback: boolean;
  /** 'if-client-cert': offered when the peer presented a certificate during the handshake. */
  saslExternal: 'always' | 'if-client-cert' | 'never';
  /** Sent right after the first stream header of a connection, instead of features. */
  streamError?: XmppStreamError;
  /** A stream 'to' outside these gets host-unknown. */
  hostedDomains: string[];
  /** Restricts the TLS versions served, e.g. TLS 1.0 only for an OCS 2007 R2 era peer. */
  versions?: { minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion };
  /** Every stream step and TLS flight sent late (see delay.ts); STARTTLS mode only. */
  delay?: LabDelay;
}

export interface XmppResponder {
  port: number;
  close(): Promise<void>;
}

/** The certificate for the first of these names the responder has one for, else its first certificate. */
type ContextChooser = (...names: (string | undefined)[]) => tls.SecureContext | undefined;

interface Connection {
  /** Bytes received so far, over both the plain and the TLS phase. */
  received: number;
  /** No stream header answered yet: the configured stream error is still due. */
  first: boolean;
}

const MAX_INPUT_BYTES = 64 * 1024;
const STREAM_HEADER = /<stream:stream\b[^>]*>/;
const STARTTLS = /<starttls\b/;
const AUTH = /<auth\b/;
const STREAM_END = '</stream:stream>';
const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
const NS_STREAMS = 'urn:ietf:params:xml:ns:xmpp-streams';
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
/** What Prosody 0.12 (mod_s2s) sends when a restarted stream has no feature to offer, such as dialback off and no EXTERNAL. */
const NOTHING_TO_OFFER: XmppStreamError = { condition: 'undefined-condition', text: 'No stream features to offer' };

export async function startXmppResponder(options: XmppResponderOptions): Promise<XmppResponder> {
  const contexts = new Map(
    Object.entries(options.certificates).map(([domain, credentials]) => [
      domain.toLowerCase(),
      tls.createSecureContext({ ...labContextOptions(credentials), ...options.versions }),
    ]),
  );
  const fallback = contexts.values().next().value;
  const needsTls = options.mode === 'direct-tls' || options.starttls !== 'none';
  if (needsTls && !fallback) throw new Error('the XMPP responder needs a certificate to speak TLS');
  const contextFor: ContextChooser = (...names) =>
    names.map((name) => contexts.get(name?.toLowerCase() ?? '')).find((context) => context) ?? fallback;

  let server: net.Server;
  if (options.mode === 'direct-tls') {
    server = tls.createServer({
      SNICallback: (servername, callback) => callback(null, contextFor(servername)),
      secureContext: fallback,
      ALPNProtocols: ['xmpp-server'],
      requestCert: true,
      rejectUnauthorized: false,
    });
    server.on('secureConnection', (socket: tls.TLSSocket) =>
      serveStream(socket, { received: 0, first: true }, options, contextFor),
    );
    server.on('tlsClientError', () => undefined);
  } else {
    server = net.createServer((socket) => serveStream(socket, { received: 0, first: true }, options, contextFor));
  }
  const listener = await listenOnLoopback(server, options.address, options.port, options.mode === 'starttls' ? options.delay : undefined);
  return { port: listener.port, close: listener.close };
}

/** One stream on `socket`: the plain one, or the one restarted over TLS. */
function serveStream(
  socket: net.Socket,
  connection: Connection,
  options: XmppResponderOptions,
  contextFor: ContextChooser,
): void {
  socket.on('error', () => undefined);
  const secure = socket instanceof tls.TLSSocket;
  const decoder = new StringDecoder('utf8');
  let text = '';
  let to: string | undefined;
  let opened = false;
  const onData = (chunk: Buffer) => {
    connection.received += chunk.length;
    if (connection.received > MAX_INPUT_BYTES) {
      socket.destroy();
      return;
    }
    text += decoder.write(chunk);
    if (!opened) {
      const header = STREAM_HEADER.exec(text);
      if (!header) return;
      opened = true;
      text = text.slice(header.index + header[0].length);
      to = attribute(header[0], 'to');
      if (!answerHeader(socket, connection, options, secure, to, attribute(header[0], 'from'))) {
        socket.off('data', onData);
        return;
      }
    }
    if (!secure && STARTTLS.test(text)) {
      socket.off('data', onData);
      if (options.starttls === 'none') {
        socket.end(`<failure xmlns='${NS_TLS}'/>${STREAM_END}`);
        return;
      }
      // Anything the peer sent after <starttls/> is dropped with `text`, as RFC 6120 5.4.3.3 asks.
      socket.write(`<proceed xmlns='${NS_TLS}'/>`);
      upgrade(socket, connection, options, contextFor, to);
      return;
    }
    if (secure && AUTH.test(text)) {
      text = text.replace(AUTH, '');
      // Only EXTERNAL is ever offered, and only on the conditions features() checks; anything else is refused.
      socket.write(offersExternal(options, socket) ? `<success xmlns='${NS_SASL}'/>` : `<failure xmlns='${NS_SASL}'><not-authorized/></failure>`);
    }
    if (text.includes(STREAM_END)) {
      socket.off('data', onData);
      socket.end(STREAM_END);
    }
  };
  socket.on('data', onData);
}

function upgrade(
  socket: net.Socket,
  connection: Connection,
  options: XmppResponderOptions,
  contextFor: ContextChooser,
  to: string | undefined,
): void {
  const secure = new tls.TLSSocket(socket, {
    isServer: true,
    secureContext: contextFor(to),
    // SNI is the XMPP domain; without one (a client connecting by address) the stream's 'to' decides.
    SNICallback: (servername, callback) => callback(null, contextFor(servername, to)),
    requestCert: true,
    rejectUnauthorized: false,
  });
  secure.on('error', () => undefined);
  // The raw socket is what the listener tracks and destroys on close; the TLS layer goes with it.
  socket.once('close', () => secure.destroy());
  secure.once('secure', () => serveStream(secure, connection, options, contextFor));
}

/** Sends our stream header and then features or a stream error; false when the stream is over. */
function answerHeader(
  socket: net.Socket,
  connection: Connection,
  options: XmppResponderOptions,
  secure: boolean,
  to: string | undefined,
  from: string | undefined,
): boolean {
  const hosted = options.hostedDomains.find((domain) => domain.toLowerCase() === to?.toLowerCase());
  const header =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'" +
    ` xmlns:db='jabber:server:dialback' from='${escape(hosted ?? options.hostedDomains[0] ?? '')}'` +
    `${from === undefined ? '' : ` to='${escape(from)}'`} id='${randomBytes(8).toString('hex')}' version='1.0'>`;
  const error = connection.first ? options.streamError : undefined;
  connection.first = false;
  const refusal = error ?? (hosted ? undefined : { condition: 'host-unknown' });
  if (refusal) {
    socket.end(header + streamError(refusal));
    return false;
  }
  const offered = features(options, socket, secure);
  if (offered === undefined) {
    socket.end(header + streamError(NOTHING_TO_OFFER));
    return false;
  }
  // One write, header and features together: clients such as openssl s_client look for <starttls in one read.
  socket.write(header + offered);
  return true;
}

/** The features of a stream; undefined for a secured stream with nothing to offer. */
function features(options: XmppResponderOptions, socket: net.Socket, secure: boolean): string | undefined {
  const dialback = options.dialback ? "<dialback xmlns='urn:xmpp:features:dialback'/>" : '';
  if (!secure) {
    if (options.starttls === 'none') return `<stream:features>${dialback}</stream:features>`;
    const required = options.starttls === 'required' ? '<required/>' : '';
    // Like Prosody with s2s_require_encryption: no dialback before TLS when TLS is required.
    const beforeTls = options.starttls === 'required' ? '' : dialback;
    return `<stream:features><starttls xmlns='${NS_TLS}'>${required}</starttls>${beforeTls}</stream:features>`;
  }
  const external = offersExternal(options, socket) ? `<mechanisms xmlns='${NS_SASL}'><mechanism>EXTERNAL</mechanism></mechanisms>` : '';
  if (!external && !dialback) return undefined;
  return `<stream:features>${external}${dialback}</stream:features>`;
}

function offersExternal(options: XmppResponderOptions, socket: net.Socket): boolean {
  if (!(socket instanceof tls.TLSSocket)) return false;
  const presented = Object.keys(socket.getPeerCertificate()).length > 0;
  return options.saslExternal === 'always' || (options.saslExternal === 'if-client-cert' && presented);
}

function streamError(error: XmppStreamError): string {
  const text = error.text === undefined ? '' : `<text xmlns='${NS_STREAMS}'>${escape(error.text)}</text>`;
  return `<stream:error><${error.condition} xmlns='${NS_STREAMS}'/>${text}</stream:error>${STREAM_END}`;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:'([^']*)'|"([^"]*)")`).exec(tag);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** The peer's 'from' is echoed back: it must not be able to inject markup into our header. */
function escape(value: string): string {
  return value.replace(/[&<>'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
