// SIP OPTIONS probe: a TLS handshake, then one well-formed OPTIONS on the same connection, read back with a
// bounded parser up to the final response. Records what the peer did; the checks judge it.

import { randomBytes } from 'node:crypto';
import type { ProbeOutcome } from '../engine/facts.js';
import type { SipProbeFacts } from '../engine/protocol-facts.js';
import type { NetContext } from './connector.js';
import { VERSION } from '../engine/version.js';
import { buildOptionsRequest, SipResponseReader } from './sip-message.js';
import { closeSocket, elapsedSince, SocketReader, startBudget } from './socket.js';
import { tlsHandshakeWithin, TlsSetupError, type TlsHandshakeResult, type TlsOptions } from './tls.js';

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
): Promise<ProbeOutcome<SipProbeFacts>> {
  const fromDomain = options.fromDomain ?? 'fedcheck.invalid';
  for (const name of [options.domain, fromDomain]) {
    if (!SAFE_NAME.test(name)) return { status: 'error', reason: 'invalid-name', detail: `cannot put "${name}" in a SIP request` };
  }
  const budget = startBudget(context);
  const facts: SipProbeFacts = { address, port };
  let handshake: TlsHandshakeResult;
  try {
    handshake = await tlsHandshakeWithin({ address, port }, options, budget);
  } catch (error) {
    if (error instanceof TlsSetupError) return { status: 'error', reason: 'tls-setup', detail: error.message };
    throw error;
  }
  if ('failure' in handshake) return { status: 'ok', facts: { ...facts, failure: handshake.failure } };
  const { socket, session } = handshake;
  facts.tls = session;
  const request = buildOptionsRequest({
    domain: options.domain,
    fromDomain,
    localAddress: socket.localAddress ?? '0.0.0.0',
    localPort: socket.localPort ?? 0,
    branch: randomBytes(8).toString('hex'),
    tag: randomBytes(6).toString('hex'),
    callId: randomBytes(16).toString('hex'),
    userAgent: `fedcheck/${VERSION}`,
  });
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
