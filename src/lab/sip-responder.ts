// A stand-in federation Edge for the lab: a TLS listener (or a plain TCP one, for an Edge without TLS) that answers
// SIP OPTIONS statelessly on the connection it arrived on, with a configurable status and extra headers (ms-diagnostics and the like).
//
// Requests other than OPTIONS get 501 (ACK gets nothing); a request that lacks the headers a response is
// built from gets 400 and the connection is closed. Headers beyond 16 KiB drop the connection.

import { createHash } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { LabDelay } from './delay.js';
import { LAB_CIPHERS, labContextOptions } from './lab-tls.js';
import type { LabCredentials } from './lab-tls.js';
import { listenOnLoopback } from './listener.js';

export interface SipTlsOptions extends LabCredentials {
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** OpenSSL cipher list; the lab's level-0 default when absent. */
  ciphers?: string;
}

export interface SipReply {
  status: number;
  reason: string;
  /** Added after the standard headers, in this order; a Server header here replaces the lab's own. */
  headers?: [string, string][];
}

export interface SipResponderOptions {
  address: string;
  /** 0 for an ephemeral port. */
  port: number;
  /** Absent: plain SIP over TCP, as a SIP listener without TLS answers (a ClientHello is never a complete request). */
  tls?: SipTlsOptions;
  /** Ask the peer for a certificate; the request is answered whether or not one comes. */
  requireClientCert?: boolean;
  /** The CAs named in the certificate request. */
  caPem?: string;
  reply: SipReply;
  /** Every response and TLS flight sent late (see delay.ts). */
  delay?: LabDelay;
}

export interface SipResponder {
  port: number;
  /** How many connections presented a client certificate so far. */
  clientCertificatesSeen(): number;
  close(): Promise<void>;
}

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_BODY_BYTES = 16 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');
const ALLOW = 'INVITE, ACK, OPTIONS, BYE, CANCEL, MESSAGE, INFO, SERVICE, NOTIFY, SUBSCRIBE, BENOTIFY';
const SUPPORTED = 'ms-dialog-route-set-update, ms-federation';
const BAD_REQUEST = 'SIP/2.0 400 Bad Request\r\nServer: fedcheck-lab\r\nContent-Length: 0\r\n\r\n';
/** RFC 3261 7.3.3 compact forms of the headers the responder reads. */
const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', l: 'content-length' };

interface SipRequest {
  method: string;
  /** Lower-cased name → values in arrival order. */
  headers: Map<string, string[]>;
}

export async function startSipResponder(options: SipResponderOptions): Promise<SipResponder> {
  let certificatesSeen = 0;
  const { tls: tlsOptions } = options;
  if (tlsOptions === undefined) {
    const plain = net.createServer((socket) => serveConnection(socket, options.reply, peerOf(socket)));
    const listener = await listenOnLoopback(plain, options.address, options.port, options.delay);
    return { port: listener.port, clientCertificatesSeen: () => 0, close: listener.close };
  }
  const tlsServerOptions = {
    ...labContextOptions(tlsOptions),
    ciphers: tlsOptions.ciphers ?? LAB_CIPHERS,
    minVersion: tlsOptions.minVersion,
    maxVersion: tlsOptions.maxVersion,
    requestCert: options.requireClientCert ?? false,
    // The lab records what the peer presented; judging it is the probe's and the checks' job.
    rejectUnauthorized: false,
    ca: options.caPem,
  };
  const onSecure = (socket: tls.TLSSocket, peer: Peer) => {
    if (options.requireClientCert && Object.keys(socket.getPeerCertificate()).length > 0) certificatesSeen += 1;
    serveConnection(socket, options.reply, peer);
  };
  let server: net.Server;
  if (options.delay && options.delay.ms > 0) {
    // TLS over the delayed stream; a TLSSocket over a stream that is not a net.Socket cannot tell the peer's address.
    const secureContext = tls.createSecureContext(tlsServerOptions);
    server = net.createServer((socket) => {
      const secure = new tls.TLSSocket(socket, { ...tlsServerOptions, isServer: true, secureContext });
      secure.on('error', () => undefined);
      secure.once('secure', () => onSecure(secure, peerOf(socket)));
    });
  } else {
    server = tls.createServer(tlsServerOptions);
    server.on('secureConnection', (socket: tls.TLSSocket) => onSecure(socket, peerOf(socket)));
    // A peer failing the handshake (old TLS, no shared cipher) is a scenario, not a lab error.
    server.on('tlsClientError', () => undefined);
  }
  const listener = await listenOnLoopback(server, options.address, options.port, options.delay);
  return { port: listener.port, clientCertificatesSeen: () => certificatesSeen, close: listener.close };
}

interface Peer {
  address: string;
  port: number;
}

function peerOf(socket: net.Socket): Peer {
  return { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
}

function serveConnection(socket: net.Socket, reply: SipReply, peer: Peer): void {
  socket.on('error', () => undefined);
  let pending = Buffer.alloc(0);
  const refuse = () => {
    // Stop reading: whatever follows a request the lab cannot answer is not worth parsing.
    socket.off('data', onData);
    socket.end(BAD_REQUEST);
  };
  const onData = (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      pending = pending.subarray(leadingLineBreaks(pending));
      const end = pending.indexOf(HEADER_END);
      if (end > MAX_HEADER_BYTES || (end < 0 && pending.length > MAX_HEADER_BYTES + HEADER_END.length)) {
        socket.destroy();
        return;
      }
      if (end < 0) return;
      const request = parseRequest(pending.subarray(0, end).toString('utf8'));
      const bodyLength = request && contentLength(request);
      if (!request || bodyLength === undefined) return refuse();
      if (pending.length < end + HEADER_END.length + bodyLength) return;
      pending = pending.subarray(end + HEADER_END.length + bodyLength);
      const response = respond(request, reply, peer.address, peer.port);
      if (response === 'malformed') return refuse();
      if (response) socket.write(response);
    }
  };
  socket.on('data', onData);
}

/** Keep-alive CRLFs between messages (RFC 5626) are skipped. */
function leadingLineBreaks(buffer: Buffer): number {
  let index = 0;
  while (buffer[index] === 0x0d || buffer[index] === 0x0a) index += 1;
  return index;
}

function parseRequest(head: string): SipRequest | undefined {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const match = /^([A-Za-z]+) \S+ SIP\/2\.0$/.exec(requestLine);
  if (!match?.[1]) return undefined;
  const headers = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const line of lines) {
    // A line starting with white space continues the previous header (RFC 3261 7.3.1).
    if (/^[ \t]/.test(line) && last && last.length > 0) {
      last[last.length - 1] = `${last[last.length - 1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    last = headers.get(name) ?? [];
    last.push(line.slice(colon + 1).trim());
    headers.set(name, last);
  }
  return { method: match[1].toUpperCase(), headers };
}

/** The body length the request announces, or undefined when it is not a number the lab will read. */
function contentLength(request: SipRequest): number | undefined {
  const value = request.headers.get('content-length')?.[0] ?? '0';
  if (!/^\d+$/.test(value)) return undefined;
  const length = Number(value);
  return length <= MAX_BODY_BYTES ? length : undefined;
}

/** The response text, nothing for an ACK, or 'malformed' when the request cannot be answered. */
function respond(request: SipRequest, reply: SipReply, peerAddress: string, peerPort: number): string | undefined | 'malformed' {
  if (request.method === 'ACK') return undefined;
  const vias = (request.headers.get('via') ?? []).flatMap(splitViaValues);
  const from = request.headers.get('from')?.[0];
  const to = request.headers.get('to')?.[0];
  const callId = request.headers.get('call-id')?.[0];
  const cseq = request.headers.get('cseq')?.[0];
  const [topVia, ...otherVias] = vias;
  if (!topVia || !from || !to || !callId || !cseq) return 'malformed';
  const [status, reason, extra] =
    request.method === 'OPTIONS' ? [reply.status, reply.reason, reply.headers ?? []] : [501, 'Not Implemented', []];
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    `Via: ${receivedVia(topVia, peerAddress, peerPort)}`,
    ...otherVias.map((via) => `Via: ${via}`),
    `From: ${from}`,
    `To: ${/;\s*tag=/i.test(to) ? to : `${to};tag=${tagFor(callId, cseq)}`}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    // A scenario standing in for another product names it in its own Server header.
    ...(extra.some(([name]) => name.toLowerCase() === 'server') ? [] : ['Server: fedcheck-lab']),
    `Allow: ${ALLOW}`,
    `Supported: ${SUPPORTED}`,
    ...extra.map(([name, value]) => `${name}: ${value}`),
    'Content-Length: 0',
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function splitViaValues(value: string): string[] {
  return value.split(',').map((via) => via.trim()).filter((via) => via.length > 0);
}

/** The top Via with where the request really came from (RFC 3261 18.2.1, rport per RFC 3581). */
function receivedVia(via: string, address: string, port: number): string {
  const withPort = via.replace(/;\s*rport(?=;|$)/i, `;rport=${port}`);
  return /;\s*received=/i.test(withPort) ? withPort : `${withPort};received=${address}`;
}

/** Derived from the transaction, so a stateless responder gives a retransmission the same To tag. */
function tagFor(callId: string, cseq: string): string {
  return createHash('sha256').update(`${callId}\n${cseq}`).digest('hex').slice(0, 10);
}
