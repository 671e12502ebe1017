// SIP OPTIONS probe: a TLS handshake, then one well-formed OPTIONS on the same connection, read back with a
// bounded parser up to the final response. Records what the peer did; the checks judge it. A port silent to the
// ClientHello is asked once more, a SIP OPTIONS in plain text, so a SIP listener without TLS shows itself.

import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import type { ProbeOutcome } from '../model/facts.js';
import { NON_TLS_CAPTURE_BYTES, type SessionFailure, type SipProbeFacts } from '../model/protocol-facts.js';
import type { NetContext } from './connector.js';
import { VERSION } from '../util/version.js';
import { describeNonTlsAnswer } from './non-tls-answer.js';
import { buildOptionsRequest, SipResponseReader } from './sip-message.js';
import { closeSocket, connectSocket, elapsedSince, SocketReader, startBudget, type Budget } from './socket.js';
import { createClientContext, tlsHandshakeWithin, TlsSetupError, type TlsOptions } from './tls.js';

/** The share of the probe's time a ClientHello may wait for its answer before the port counts as silent. */
const CLIENT_HELLO_SHARE = 0.8;
export interface SipProbeOptions extends TlsOptions {
  /** The SIP domain asked for in the request URI and To. */
  domain: string;
  /** Our domain in From; `fedcheck.invalid` (RFC 2606) when not given. */
  fromDomain?: string;
}

// Names go into the request as they are, so anything that could end a header or a URI is refused.
const SAFE_NAME = /^[A-Za-z0-9_.-]{1,253}$/;

export async function probeSipOptions(
  address: string,
  port: number,
  options: SipProbeOptions,
  context: NetContext,
  /** A connection the TCP probe already opened to the port, spoken on instead of a new one. */
  connection?: net.Socket,
): Promise<ProbeOutcome<SipProbeFacts>> {
  const fromDomain = options.fromDomain ?? 'fedcheck.invalid';
  for (const name of [options.domain, fromDomain]) {
    if (!SAFE_NAME.test(name)) {
      connection?.destroy();
      return { status: 'error', reason: 'invalid-name', detail: `cannot put "${name}" in a SIP request` };
    }
  }
  try {
    createClientContext(options);
  } catch (error) {
    connection?.destroy();
    if (error instanceof TlsSetupError) return { status: 'error', reason: 'tls-setup', detail: error.message };
    throw error;
  }
  const budget = startBudget(context);
  const facts: SipProbeFacts = { address, port };
  const connected = connection ? { socket: connection } : await connectSocket(address, port, budget);
  if ('failure' in connected) return { status: 'ok', facts: { ...facts, failure: connected.failure } };
  const request = optionsRequest(options.domain, fromDomain, connected.socket, 'TLS');
  // Most of the budget for an answer to the ClientHello, so a slow but healthy Edge is never called silent; a port
  // silent that long keeps the rest to be asked in plain SIP, which a plain listener answers in one round trip.
  const silenceLimitMs = Math.floor(budget.limitMs * CLIENT_HELLO_SHARE);
  const handshake = await tlsHandshakeWithin(connected.socket, { ...options, silenceLimitMs }, budget);
  if ('failure' in handshake) {
    const failure = handshake.peerSilent ? await askInPlainSip(address, port, options.domain, fromDomain, handshake.failure, budget) : handshake.failure;
    return { status: 'ok', facts: { ...facts, failure } };
  }
  const { socket, session } = handshake;
  facts.tls = session;
  facts.request = request.trimEnd();
  const reader = new SocketReader(socket, budget);
  const parser = new SipResponseReader();
  const sentAt = performance.now();
  socket.write(request);
  try {
    for (;;) {
      const read = await reader.read('response', 'final SIP response');
      if ('failure' in read) return { status: 'ok', facts: { ...facts, failure: read.failure } };
      const parsed = parser.push(read.chunk);
      if (parsed?.type === 'final') return { status: 'ok', facts: { ...facts, response: { ...parsed.response, elapsedMs: elapsedSince(sentAt) } } };
      if (parsed) return { status: 'ok', facts: { ...facts, failure: { stage: 'response', reason: parsed.reason, detail: parsed.detail } } };
    }
  } finally {
    reader.detach();
    closeSocket(socket);
  }
}

function optionsRequest(domain: string, fromDomain: string, socket: net.Socket, transport: 'TLS' | 'TCP'): string {
  return buildOptionsRequest({
    domain,
    fromDomain,
    localAddress: socket.localAddress ?? '0.0.0.0',
    localPort: socket.localPort ?? 0,
    branch: randomBytes(8).toString('hex'),
    tag: randomBytes(6).toString('hex'),
    callId: randomBytes(16).toString('hex'),
    userAgent: `fedcheck/${VERSION}`,
    transport,
  });
}

/**
 * The port sent no byte in answer to our ClientHello: ask it a SIP OPTIONS in plain text on a second connection, within
 * the rest of the budget, so a SIP listener without TLS shows itself. What it answers joins the TLS failure, which stays.
 */
async function askInPlainSip(address: string, port: number, domain: string, fromDomain: string, failure: SessionFailure, budget: Budget): Promise<SessionFailure> {
  const unanswered = (why: string): SessionFailure => ({ ...failure, detail: `${failure.detail}; a SIP OPTIONS in plain text on a second connection: ${why}` });
  const connected = await connectSocket(address, port, budget);
  if ('failure' in connected) return unanswered(connected.failure.detail);
  const { socket } = connected;
  const reader = new SocketReader(socket, budget);
  const parser = new SipResponseReader();
  let received = Buffer.alloc(0);
  let stopped: SessionFailure | undefined;
  socket.write(optionsRequest(domain, fromDomain, socket, 'TCP'));
  try {
    // The parser keeps its own caps; only the first NON_TLS_CAPTURE_BYTES are kept as evidence.
    while (received.length < NON_TLS_CAPTURE_BYTES) {
      const read = await reader.read('response', 'answer to a SIP OPTIONS in plain text');
      if ('failure' in read) {
        stopped = read.failure;
        break;
      }
      received = Buffer.concat([received, read.chunk.subarray(0, NON_TLS_CAPTURE_BYTES - received.length)]);
      if (parser.push(read.chunk)) break;
    }
  } finally {
    reader.detach();
    closeSocket(socket);
  }
  if (received.length === 0) return unanswered(stopped?.detail ?? 'no answer');
  return { ...failure, nonTlsAnswer: describeNonTlsAnswer(received, 'plain-sip-options') };
}
