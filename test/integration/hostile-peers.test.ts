// Peers that misbehave on purpose: every probe must end with the peer's failure as a fact, within its time
// limit and its byte caps, with memory bounded and the connection closed.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type net from 'node:net';
import type { SipProbeFacts, XmppProbeFacts } from '../../src/model/protocol-facts.js';
import type { ProbeOutcome } from '../../src/model/facts.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../src/pki/test-ca.js';
import { probeSipOptions } from '../../src/probes/sip.js';
import { XML_CAPS } from '../../src/probes/xml-stream.js';
import { probeXmpp } from '../../src/probes/xmpp.js';
import type { Listener } from '../support/peers/listener.js';
import { flood, startRawServer } from '../support/peers/raw-server.js';
import { startTlsServer } from '../support/peers/tls-server.js';
import { streamHeader } from '../support/peers/xmpp-server.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import type { NetContext } from '../../src/probes/connector.js';

const EDGE = 'sip.example.test';
const DOMAIN = 'example.test';
const FLOOD_BYTES = 50 * 1024 * 1024;
const context = (timeoutMs: number): NetContext => ({ signal: new AbortController().signal, timeoutMs, egress: LOOPBACK_EGRESS });

let pki: TestPki;
let leaf: IssuedCertificate;
const peers: Listener[] = [];

async function peer<T extends Listener>(started: Promise<T>): Promise<T> {
  const listener = await started;
  peers.push(listener);
  return listener;
}

async function sipFacts(target: Listener, timeoutMs = 5000): Promise<SipProbeFacts> {
  const outcome: ProbeOutcome<SipProbeFacts> = await probeSipOptions(target.address, target.port, { servername: EDGE, domain: DOMAIN }, context(timeoutMs));
  if (outcome.status !== 'ok') throw new Error(`expected facts, got ${JSON.stringify(outcome)}`);
  return outcome.facts;
}

async function xmppFacts(target: Listener): Promise<XmppProbeFacts> {
  const outcome = await probeXmpp(target.address, target.port, { domain: DOMAIN, mode: 'starttls' }, context(5000));
  if (outcome.status !== 'ok') throw new Error(`expected facts, got ${JSON.stringify(outcome)}`);
  return outcome.facts;
}

/** A plain XMPP peer that answers our stream header with `reply` and then runs `then`, if given. */
function xmppPeer(reply: string, then?: (socket: net.Socket) => void) {
  return startRawServer((socket) => {
    socket.once('data', () => {
      socket.write(reply);
      then?.(socket);
    });
  });
}

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await pki.issue({ dnsNames: [EDGE] });
});

afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

describe('hostile peers at the TLS stage', () => {
  it('never finishes the handshake (one byte of a ServerHello, then nothing): a timeout', async () => {
    const stuck = await peer(startRawServer((socket) => socket.once('data', () => socket.write(Buffer.from([0x16])))));
    expect((await sipFacts(stuck, 1000)).failure).toMatchObject({ stage: 'tls', reason: 'timeout' });
  });

  it('sends garbage instead of TLS: the peer did not answer with TLS, and what it sent is kept', async () => {
    const garbage = await peer(startRawServer((socket) => socket.once('data', () => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n'))));
    expect((await sipFacts(garbage)).failure).toEqual({
      stage: 'tls',
      reason: 'tls-error',
      detail: 'the peer did not answer with TLS',
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
      nonTlsAnswer: { answerTo: 'client-hello', text: 'HTTP/1.1 400 Bad Request\\r\\n\\r\\n', bytes: 28, looksLike: 'http' },
    });
  });

  it('accepts TCP and never speaks, to the ClientHello nor to a SIP OPTIONS in clear: a timeout saying both', async () => {
    const silent = await peer(startRawServer(() => undefined));
    const { failure } = await sipFacts(silent, 1000);
    expect(failure).toMatchObject({ stage: 'tls', reason: 'timeout' });
    expect(failure?.detail).toMatch(/^the peer sent nothing in answer to our TLS ClientHello within \d+ ms; a SIP OPTIONS in plain text on a second connection: no answer/);
    expect(failure?.nonTlsAnswer).toBeUndefined();
  });

  it('silent to the ClientHello, a SIP answer to an OPTIONS in clear: the answer is kept', async () => {
    let connections = 0;
    const plainSip = await peer(
      startRawServer((socket) => {
        connections += 1;
        // The first connection gets the ClientHello and no answer; the second, the OPTIONS.
        if (connections > 1) socket.once('data', () => socket.write('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'));
      }),
    );
    const { failure } = await sipFacts(plainSip, 2000);
    expect(failure?.nonTlsAnswer).toEqual({ answerTo: 'plain-sip-options', text: 'SIP/2.0 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n', bytes: 37, looksLike: 'sip' });
  });

  it('hangs up or resets on the ClientHello: closed and reset told apart', async () => {
    const hangUp = await peer(startRawServer((socket) => socket.once('data', () => socket.end())));
    expect((await sipFacts(hangUp)).failure).toMatchObject({ stage: 'tls', reason: 'closed' });
    const reset = await peer(startRawServer((socket) => socket.once('data', () => socket.resetAndDestroy())));
    expect((await sipFacts(reset)).failure).toMatchObject({ stage: 'tls', reason: 'reset', code: 'ECONNRESET' });
  });
});

describe('hostile SIP peers after TLS', () => {
  it('sends an endless header line: too-large, memory bounded, the connection closed', async () => {
    let flooded: Promise<number> | undefined;
    const endless = await peer(
      startTlsServer({
        certPem: leaf.certPem,
        keyPem: leaf.keyPem,
        onSecure: (socket) => {
          socket.write('SIP/2.0 200 OK\r\nX-Endless: ');
          flooded = flood(socket, Buffer.alloc(64 * 1024, 'a'), FLOOD_BYTES);
        },
      }),
    );
    const rssBefore = process.memoryUsage().rss;
    const facts = await sipFacts(endless);
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(facts.failure).toMatchObject({ stage: 'response', reason: 'too-large' });
    expect(rssGrowth).toBeLessThan(40 * 1024 * 1024);
    // The flood ends when we close the connection, long before its 50 MiB are written.
    expect(await flooded).toBeLessThan(FLOOD_BYTES);
  });

  it('answers with something other than SIP: not-sip', async () => {
    const http = await peer(
      startTlsServer({
        certPem: leaf.certPem,
        keyPem: leaf.keyPem,
        onSecure: (socket) => socket.once('data', () => socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')),
      }),
    );
    expect((await sipFacts(http)).failure).toMatchObject({ stage: 'response', reason: 'not-sip' });
  });
});

describe('hostile XMPP peers', () => {
  it('sends an endless stanza: too-large, the connection closed', async () => {
    let flooded: Promise<number> | undefined;
    const endless = await peer(
      xmppPeer(`${streamHeader(DOMAIN)}<stream:features>`, (socket) => {
        flooded = flood(socket, Buffer.alloc(64 * 1024, 'a'), FLOOD_BYTES);
      }),
    );
    const facts = await xmppFacts(endless);
    expect(facts.failure).toMatchObject({ stage: 'preamble', reason: 'too-large' });
    expect(facts.streamHeader).toMatchObject({ from: DOMAIN });
    expect(await flooded).toBeLessThan(FLOOD_BYTES);
  });

  it('nests 21,000 elements in its features: too-large at the nesting cap, read no further', async () => {
    const deep = await peer(xmppPeer(`${streamHeader(DOMAIN)}<stream:features>${'<a>'.repeat(21_000)}`));
    const facts = await xmppFacts(deep);
    expect(facts.failure).toEqual({ stage: 'preamble', reason: 'too-large', detail: `elements nested deeper than ${XML_CAPS.depth} levels` });
  });

  it('sends a billion-laughs entity bomb with a DOCTYPE: forbidden-xml', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} '${`&lol${i};`.repeat(10)}'>`).join('');
    const bomb = `<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY lol0 'lol'>${levels}]>${streamHeader(DOMAIN).replace(/^<\?xml[^>]*>/, '')}<a>&lol9;</a>`;
    const facts = await xmppFacts(await peer(xmppPeer(bomb)));
    expect(facts.failure).toMatchObject({ stage: 'preamble', reason: 'forbidden-xml' });
  });

  it('sends a processing instruction: forbidden-xml', async () => {
    const facts = await xmppFacts(await peer(xmppPeer(`${streamHeader(DOMAIN)}<?evil payload?>`)));
    expect(facts.failure).toMatchObject({ stage: 'preamble', reason: 'forbidden-xml', detail: expect.stringMatching(/evil/) });
  });

  it('answers with something other than XML: not-xmpp', async () => {
    const facts = await xmppFacts(await peer(xmppPeer('HTTP/1.1 400 Bad Request\r\n\r\n')));
    expect(facts.failure).toMatchObject({ stage: 'preamble', reason: 'not-xmpp' });
  });

  it('accepts TCP and never sends a stream header: a timeout in the preamble', async () => {
    const silent = await peer(startRawServer(() => undefined));
    const outcome = await probeXmpp(silent.address, silent.port, { domain: DOMAIN, mode: 'starttls' }, context(1000));
    expect(outcome.status === 'ok' && outcome.facts.failure).toMatchObject({ stage: 'preamble', reason: 'timeout' });
  });
});
