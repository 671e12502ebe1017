// Peers that misbehave on purpose, for the demos and the robustness tests: the probes must turn each of them
// into an error finding within their timeout, with memory bounded.
//
// The endless writers pace themselves and wait while the socket's buffer is full, so they neither spin the
// CPU nor pile data up in memory; they stop when the peer goes away.

import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { labContextOptions } from './lab-tls.js';
import type { LabCredentials } from './lab-tls.js';
import { listenOnLoopback } from './listener.js';

/** Behaviours that need no certificate. */
export type PlainHostileBehaviour =
  /** Accepts the connection and never reads or writes. */
  | 'silent'
  /** Reads the ClientHello (and anything else), never answers. */
  | 'stall-handshake'
  /** Answers the first bytes with random bytes that are not a TLS record. */
  | 'garbage'
  /** Answers a stream header with one and then an element that never closes, text without end. */
  | 'xmpp-endless-stanza'
  /** Answers a stream header with a DOCTYPE of nested entities (billion laughs) and a reference to them. */
  | 'xmpp-entity-bomb'
  /** Answers a stream header with features holding 21,000 nested elements, which a parser resolving namespaces per level chokes on. */
  | 'xmpp-deep-features';

/** Behaviours behind a completed TLS handshake. */
export type TlsHostileBehaviour =
  /** Answers a request with a 200 status line and a header that never ends. */
  | 'endless-sip-header'
  /** Answers a request with an HTTP 400, as a web server on the SIP port would. */
  | 'not-sip';

export type HostilePeerOptions = { address: string; port: number } & (
  | { behaviour: PlainHostileBehaviour }
  | { behaviour: TlsHostileBehaviour; tls: LabCredentials }
);

export interface HostilePeer {
  port: number;
  close(): Promise<void>;
}

const GARBAGE_BYTES = 1024;
/** 8 KiB every 5 ms: past a 64 KiB cap within a few dozen milliseconds, at a negligible CPU cost. */
const PUMP_CHUNK = 8 * 1024;
const PUMP_INTERVAL_MS = 5;
const ENTITY_LEVELS = 10;
const ENTITY_FANOUT = 10;
/** 63 KiB of `<a>`: inside a 64 KiB stanza cap, so only a cap on nesting stops it. */
const DEEP_LEVELS = 21_000;
const XML_DECLARATION = "<?xml version='1.0'?>";
const STREAM_TAG =
  "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'" +
  " xmlns:db='jabber:server:dialback' from='hostile.lab' id='hostile' version='1.0'>";

export async function startHostilePeer(options: HostilePeerOptions): Promise<HostilePeer> {
  let server: net.Server;
  if ('tls' in options) {
    const answer = options.behaviour === 'endless-sip-header' ? endlessSipHeader : notSip;
    server = tls.createServer(labContextOptions(options.tls), (socket) => onFirstData(socket, answer));
    server.on('tlsClientError', () => undefined);
  } else {
    const behave = PLAIN_BEHAVIOURS[options.behaviour];
    server = net.createServer(behave);
  }
  const listener = await listenOnLoopback(server, options.address, options.port);
  return { port: listener.port, close: listener.close };
}

const PLAIN_BEHAVIOURS: Record<PlainHostileBehaviour, (socket: net.Socket) => void> = {
  silent: (socket) => {
    socket.on('error', () => undefined);
    // Not even reading: what the peer sends stays in the kernel's buffers, which are bounded.
    socket.pause();
  },
  'stall-handshake': (socket) => onFirstData(socket, () => undefined),
  garbage: (socket) =>
    onFirstData(socket, () => {
      const bytes = randomBytes(GARBAGE_BYTES);
      // A TLS record starts with a content type of 20 to 24; a first byte of 0x80 or more is none of them.
      bytes[0] = (bytes[0] ?? 0) | 0x80;
      socket.end(bytes);
    }),
  'xmpp-endless-stanza': (socket) =>
    onFirstData(socket, () => {
      socket.write(`${XML_DECLARATION}${STREAM_TAG}<message from='hostile.lab' to='victim.lab'><body>`);
      pump(socket, Buffer.alloc(PUMP_CHUNK, 'lol '));
    }),
  'xmpp-entity-bomb': (socket) => onFirstData(socket, () => socket.write(entityBomb())),
  'xmpp-deep-features': (socket) =>
    onFirstData(socket, () => socket.write(`${XML_DECLARATION}${STREAM_TAG}<stream:features>${'<a>'.repeat(DEEP_LEVELS)}`)),
};

function endlessSipHeader(socket: net.Socket): void {
  socket.write('SIP/2.0 200 OK\r\nX-Endless: ');
  pump(socket, Buffer.alloc(PUMP_CHUNK, 'a'));
}

function notSip(socket: net.Socket): void {
  socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
}

/** Runs `answer` once the peer has said something; later bytes are read and dropped. */
function onFirstData(socket: net.Socket, answer: (socket: net.Socket) => void): void {
  socket.on('error', () => undefined);
  socket.once('data', () => answer(socket));
  socket.on('data', () => undefined);
}

/** Writes `chunk` again and again until the socket closes, skipping a beat while its buffer is full. */
function pump(socket: net.Socket, chunk: Buffer): void {
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) clearInterval(timer);
    else if (!socket.writableNeedDrain) socket.write(chunk);
  }, PUMP_INTERVAL_MS);
  socket.once('close', () => clearInterval(timer));
}

/** Ten levels of ten references each: expanding &lol9; would make 10^10 copies of "lol". */
function entityBomb(): string {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let level = 1; level < ENTITY_LEVELS; level += 1) {
    entities.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(ENTITY_FANOUT)}">`);
  }
  return (
    `${XML_DECLARATION}<!DOCTYPE stream:stream [${entities.join('')}]>` +
    `${STREAM_TAG}<stream:features>&lol${ENTITY_LEVELS - 1};</stream:features>`
  );
}
