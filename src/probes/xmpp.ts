// XMPP server-to-server probe: open a stream, read the features, STARTTLS (or XEP-0368 direct TLS),
// restart the stream on TLS with a fresh parser, read the features again, and with our client certificate try SASL
// EXTERNAL when it is offered. Records, never judges.

import type net from 'node:net';
import type { ProbeOutcome } from '../model/facts.js';
import type { SessionFailure, XmppFeatures, XmppProbeFacts, XmppSaslExternal, XmppStreamError } from '../model/protocol-facts.js';
import type { NetContext } from './connector.js';
import { closeSocket, connectSocket, SocketReader, startBudget, type Budget } from './socket.js';
import { tlsHandshakeWithin, TlsSetupError, type TlsHandshakeResult, type TlsOptions, type TlsPreamble } from './tls.js';
import { XmlStreamReader, type XmlElement, type XmlStreamEvent } from './xml-stream.js';

export interface XmppProbeOptions extends Omit<TlsOptions, 'servername' | 'alpn'> {
  /** The XMPP domain: `to`, SNI and the name the certificate must carry. */
  domain: string;
  /** Our `from`; `fedcheck.invalid` (RFC 2606) when not given. */
  fromDomain?: string;
  mode: XmppProbeFacts['mode'];
}

const NS = {
  streams: 'http://etherx.jabber.org/streams',
  tls: 'urn:ietf:params:xml:ns:xmpp-tls',
  sasl: 'urn:ietf:params:xml:ns:xmpp-sasl',
  dialback: 'urn:xmpp:features:dialback',
  streamErrors: 'urn:ietf:params:xml:ns:xmpp-streams',
};

const MAX_STANZA_BYTES = 64 * 1024;
const MAX_PROBE_BYTES = 256 * 1024;
// Keeps facts small whatever the peer lists.
const MAX_LISTED = 100;
const MAX_TEXT = 1024;
const STREAM_CLOSE = '</stream:stream>';

export async function probeXmpp(
  address: string,
  port: number,
  options: XmppProbeOptions,
  context: NetContext,
  /** A connection the TCP probe already opened to the port, spoken on instead of a new one. */
  connection?: net.Socket,
): Promise<ProbeOutcome<XmppProbeFacts>> {
  const fromDomain = options.fromDomain ?? 'fedcheck.invalid';
  const facts: XmppProbeFacts = { address, port, domain: options.domain, fromDomain, mode: options.mode };
  const budget = startBudget(context);
  const tlsOptions: TlsOptions = { ...options, servername: options.domain };
  try {
    await (options.mode === 'starttls' ? negotiateStartTls(facts, tlsOptions, budget, connection) : negotiateDirectTls(facts, tlsOptions, budget, connection));
  } catch (error) {
    connection?.destroy();
    if (error instanceof TlsSetupError) return { status: 'error', reason: 'tls-setup', detail: error.message };
    throw error;
  }
  return { status: 'ok', facts };
}

async function negotiateStartTls(facts: XmppProbeFacts, tlsOptions: TlsOptions, budget: Budget, connection?: net.Socket): Promise<void> {
  const connected = connection ? { socket: connection } : await connectSocket(facts.address, facts.port, budget);
  if ('failure' in connected) {
    facts.failure = connected.failure;
    return;
  }
  const plain = await startTlsExchange(connected.socket, facts.domain, facts.fromDomain, budget);
  Object.assign(facts, plain.seen);
  if (plain.outcome !== 'proceed') {
    closeSocket(connected.socket, plain.seen.failure ? undefined : STREAM_CLOSE);
    return;
  }
  const handshake = await tlsHandshakeWithin(connected.socket, tlsOptions, budget);
  await secureStream(facts, handshake, budget, MAX_PROBE_BYTES - plain.parsedBytes);
}

async function negotiateDirectTls(facts: XmppProbeFacts, tlsOptions: TlsOptions, budget: Budget, connection?: net.Socket): Promise<void> {
  const target = connection ?? { address: facts.address, port: facts.port };
  const handshake = await tlsHandshakeWithin(target, { ...tlsOptions, alpn: ['xmpp-server'] }, budget);
  await secureStream(facts, handshake, budget, MAX_PROBE_BYTES);
}

/** A fresh stream over the TLS session: the first stream for direct TLS, the restart after STARTTLS. */
async function secureStream(facts: XmppProbeFacts, result: TlsHandshakeResult, budget: Budget, maxStreamBytes: number): Promise<void> {
  if ('failure' in result) {
    facts.failure = result.failure;
    return;
  }
  facts.tls = result.session;
  const stream = new XmppStream(result.socket, budget, maxStreamBytes);
  try {
    stream.open(facts.domain, facts.fromDomain);
    const header = await stream.readHeader('response');
    if ('failure' in header) {
      facts.failure = header.failure;
      return;
    }
    facts.streamHeader ??= header.attributes;
    const features = await stream.readFeatures('response');
    if (!('features' in features)) {
      Object.assign(facts, features);
      return;
    }
    facts.postTlsFeatures = features.features;
    const external = features.features.saslMechanisms.some((mechanism) => mechanism.toUpperCase() === 'EXTERNAL');
    if (external && result.session.clientCertificateOffered) facts.saslExternal = await authenticateExternal(stream, facts.fromDomain);
  } finally {
    stream.close(facts.failure === undefined);
  }
}

/**
 * SASL EXTERNAL with the certificate we presented (XEP-0178), as a fact: success, the server's <failure/> condition,
 * or no answer. The authzid is our domain, which RFC 6120 6.4.6 and XEP-0178 both allow. Nothing follows a success:
 * the stream is closed without the restart RFC 6120 asks for, as fedcheck only wants to know the outcome.
 */
async function authenticateExternal(stream: XmppStream, fromDomain: string): Promise<XmppSaslExternal> {
  stream.write(`<auth xmlns='${NS.sasl}' mechanism='EXTERNAL'>${Buffer.from(fromDomain, 'utf8').toString('base64')}</auth>`);
  const answer = await stream.next('response', 'answer to SASL EXTERNAL <auth/>');
  if ('failure' in answer) return { outcome: 'no-answer', detail: answer.failure.detail };
  const element = answer.type === 'element' ? answer.element : undefined;
  if (element?.namespace === NS.sasl && element.name === 'success') return { outcome: 'success' };
  if (element?.namespace === NS.sasl && element.name === 'failure') {
    // A bare <failure/> without a condition is recorded as just that.
    const condition = element.children.find((c) => c.namespace === NS.sasl && c.name !== 'text')?.name ?? 'failure';
    const text = element.children.find((c) => c.namespace === NS.sasl && c.name === 'text')?.text.trim();
    return text ? { outcome: 'failure', condition, text: text.slice(0, MAX_TEXT) } : { outcome: 'failure', condition };
  }
  if (element?.namespace === NS.streams && element.name === 'error') {
    const error = streamErrorOf(element);
    return { outcome: 'no-answer', detail: `the server sent the stream error <${error.condition}/> instead of a SASL answer` };
  }
  return { outcome: 'no-answer', detail: unexpected('response', answer, '<success/> or <failure/>').detail };
}

interface StartTlsExchange {
  outcome: 'proceed' | 'no-starttls' | 'stopped';
  seen: Pick<XmppProbeFacts, 'streamHeader' | 'preTlsFeatures' | 'bytesAfterProceed' | 'streamError' | 'failure'>;
  parsedBytes: number;
}

/** The plain-text part of STARTTLS; on `proceed` the socket is left paused and unread, ready for TLS. */
async function startTlsExchange(socket: net.Socket, domain: string, fromDomain: string, budget: Budget): Promise<StartTlsExchange> {
  const stream = new XmppStream(socket, budget, MAX_PROBE_BYTES);
  const seen: StartTlsExchange['seen'] = {};
  const stop = (outcome: StartTlsExchange['outcome'], failure?: SessionFailure): StartTlsExchange => {
    const unread = stream.detach();
    if (outcome === 'proceed') seen.bytesAfterProceed = unread;
    if (failure) seen.failure = failure;
    return { outcome, seen, parsedBytes: stream.parsedBytes };
  };
  stream.open(domain, fromDomain);
  const header = await stream.readHeader('preamble');
  if ('failure' in header) return stop('stopped', header.failure);
  seen.streamHeader = header.attributes;
  const features = await stream.readFeatures('preamble');
  if ('failure' in features) return stop('stopped', features.failure);
  if ('streamError' in features) {
    seen.streamError = features.streamError;
    return stop('stopped');
  }
  seen.preTlsFeatures = features.features;
  if (!features.features.starttls.offered) return stop('no-starttls');
  stream.write(`<starttls xmlns='${NS.tls}'/>`);
  const answer = await stream.next('preamble', 'answer to <starttls/>');
  if ('failure' in answer) return stop('stopped', answer.failure);
  const element = answer.type === 'element' ? answer.element : undefined;
  if (element?.namespace === NS.tls && element.name === 'proceed') return stop('proceed');
  if (element?.namespace === NS.streams && element.name === 'error') {
    seen.streamError = streamErrorOf(element);
    return stop('stopped');
  }
  if (element?.namespace === NS.tls && element.name === 'failure') {
    return stop('stopped', { stage: 'preamble', reason: 'error', detail: 'the peer answered <failure/> to <starttls/>' });
  }
  return stop('stopped', unexpected('preamble', answer, '<proceed/>'));
}

/** STARTTLS as a preamble for probeTlsVersions: the socket is ready for TLS, or the failure says why not. */
export function xmppStartTlsPreamble(domain: string, fromDomain: string): TlsPreamble {
  return async (socket, context) => {
    const exchange = await startTlsExchange(socket, domain, fromDomain, startBudget(context));
    if (exchange.outcome === 'proceed') return undefined;
    const { failure, streamError } = exchange.seen;
    if (failure) return failure;
    if (streamError) return { stage: 'preamble', reason: 'error', detail: `the peer sent the stream error ${streamError.condition}` };
    return { stage: 'preamble', reason: 'error', detail: 'the peer does not offer STARTTLS' };
  };
}

type Stage = SessionFailure['stage'];

/** One XML stream over one socket: writes, and reads events through the safe reader. */
class XmppStream {
  private readonly reader: SocketReader;
  private readonly xml: XmlStreamReader;

  constructor(
    private readonly socket: net.Socket,
    budget: Budget,
    maxStreamBytes: number,
  ) {
    this.reader = new SocketReader(socket, budget);
    this.xml = new XmlStreamReader({ maxStanzaBytes: MAX_STANZA_BYTES, maxStreamBytes });
  }

  get parsedBytes(): number {
    return this.xml.parsedBytes;
  }

  open(domain: string, fromDomain: string): void {
    this.write(
      `<stream:stream xmlns='jabber:server' xmlns:stream='${NS.streams}' xmlns:db='jabber:server:dialback' ` +
        `from='${escapeAttribute(fromDomain)}' to='${escapeAttribute(domain)}' version='1.0'>`,
    );
  }

  write(text: string): void {
    this.socket.write(text);
  }

  async next(stage: Stage, waitingFor: string): Promise<XmlStreamEvent | { failure: SessionFailure }> {
    for (;;) {
      const event = this.xml.next();
      if (event?.type === 'failure') return { failure: { stage, reason: event.reason, detail: event.detail } };
      if (event) return event;
      // The reader stopped for its time slice: other probes run before it parses on.
      if (this.xml.paused) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const read = await this.reader.read(stage, waitingFor);
      if ('failure' in read) return read;
      this.xml.push(read.chunk);
    }
  }

  async readHeader(stage: Stage): Promise<{ attributes: Record<string, string> } | { failure: SessionFailure }> {
    const event = await this.next(stage, 'stream header');
    if ('failure' in event) {
      // Bytes that are not even XML before any stream header: something other than XMPP answered.
      const { failure } = event;
      return { failure: failure.reason === 'malformed' ? { ...failure, reason: 'not-xmpp' } : failure };
    }
    if (event.type === 'stream-open' && event.namespace === NS.streams && event.name === 'stream') return { attributes: event.attributes };
    const what = event.type === 'stream-open' ? `<${event.name}> in "${event.namespace}"` : 'no stream header';
    return { failure: { stage, reason: 'not-xmpp', detail: `the peer opened ${what} instead of an XMPP stream` } };
  }

  async readFeatures(stage: Stage): Promise<{ features: XmppFeatures } | { streamError: XmppStreamError } | { failure: SessionFailure }> {
    const event = await this.next(stage, '<stream:features>');
    if ('failure' in event) return event;
    if (event.type === 'element' && event.element.namespace === NS.streams) {
      if (event.element.name === 'features') return { features: describeFeatures(event.element) };
      if (event.element.name === 'error') return { streamError: streamErrorOf(event.element) };
    }
    return { failure: unexpected(stage, event, '<stream:features>') };
  }

  /** Stops reading; returns the bytes received but never parsed (they are discarded). */
  detach(): number {
    return this.xml.unparsedBytes + this.reader.detach();
  }

  close(polite: boolean): void {
    this.reader.detach();
    closeSocket(this.socket, polite ? STREAM_CLOSE : undefined);
  }
}

function unexpected(stage: Stage, event: XmlStreamEvent, expected: string): SessionFailure {
  if (event.type === 'stream-close') return { stage, reason: 'closed', detail: `the peer closed the stream instead of sending ${expected}` };
  const got = event.type === 'element' ? `<${event.element.name}> in "${event.element.namespace}"` : 'a second stream header';
  return { stage, reason: 'malformed', detail: `expected ${expected}, got ${got}` };
}

function describeFeatures(features: XmlElement): XmppFeatures {
  const child = (namespace: string, name: string) => features.children.find((c) => c.namespace === namespace && c.name === name);
  const starttls = child(NS.tls, 'starttls');
  const mechanisms = child(NS.sasl, 'mechanisms')?.children.filter((c) => c.namespace === NS.sasl && c.name === 'mechanism') ?? [];
  return {
    names: features.children.slice(0, MAX_LISTED).map((c) => `{${c.namespace}}${c.name}`),
    starttls: { offered: starttls !== undefined, required: starttls?.children.some((c) => c.name === 'required') ?? false },
    dialback: child(NS.dialback, 'dialback') !== undefined,
    saslMechanisms: mechanisms.slice(0, MAX_LISTED).map((c) => c.text.trim().slice(0, MAX_TEXT)),
  };
}

function streamErrorOf(error: XmlElement): XmppStreamError {
  const conditions = error.children.filter((c) => c.namespace === NS.streamErrors);
  const condition = conditions.find((c) => c.name !== 'text')?.name ?? 'undefined-condition';
  const text = conditions.find((c) => c.name === 'text')?.text.trim();
  return text ? { condition, text: text.slice(0, MAX_TEXT) } : { condition };
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
