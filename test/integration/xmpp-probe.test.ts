import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { XmppProbeFacts } from '../../src/model/protocol-facts.js';
import type { ProbeOutcome } from '../../src/model/facts.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../src/pki/test-ca.js';
import { probeTlsVersions } from '../../src/probes/tls.js';
import { probeXmpp, xmppStartTlsPreamble, type XmppProbeOptions } from '../../src/probes/xmpp.js';
import {
  features,
  NS_TLS,
  PROCEED,
  startXmppServer,
  type XmppServer,
  type XmppServerOptions,
} from '../support/peers/xmpp-server.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import type { NetContext } from '../../src/probes/connector.js';

const DOMAIN = 'example.test';
const OURS = 'ours.example.test';
const DIALBACK = "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>";
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const SASL_EXTERNAL = "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism></mechanisms>";
const context = (timeoutMs = 5000): NetContext => ({ signal: new AbortController().signal, timeoutMs, egress: LOOPBACK_EGRESS });

let pki: TestPki;
let leaf: IssuedCertificate;
const servers: XmppServer[] = [];

async function server(options: Partial<XmppServerOptions> & Pick<XmppServerOptions, 'postTls'>): Promise<XmppServer> {
  const started = await startXmppServer({ certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: leaf.chainPem, mode: 'starttls', ...options });
  servers.push(started);
  return started;
}

async function probe(peer: XmppServer, options: Partial<XmppProbeOptions> = {}): Promise<XmppProbeFacts> {
  const outcome: ProbeOutcome<XmppProbeFacts> = await probeXmpp(
    peer.address,
    peer.port,
    { domain: DOMAIN, fromDomain: OURS, mode: 'starttls', extraCaPem: [pki.rootPem], ...options },
    context(),
  );
  if (outcome.status !== 'ok') throw new Error(`expected facts, got ${JSON.stringify(outcome)}`);
  return outcome.facts;
}

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await pki.issue({ dnsNames: [DOMAIN], srvNames: [`_xmpp-server.${DOMAIN}`], xmppAddrs: [DOMAIN] });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('probeXmpp over STARTTLS', () => {
  it('negotiates STARTTLS and records the features before and after TLS', async () => {
    const peer = await server({
      preTls: features(`<starttls xmlns='${NS_TLS}'><required/></starttls>`, DIALBACK),
      postTls: features(DIALBACK, SASL_EXTERNAL),
    });
    const facts = await probe(peer);
    expect(facts).toMatchObject({ domain: DOMAIN, fromDomain: OURS, mode: 'starttls', bytesAfterProceed: 0 });
    expect(facts.failure).toBeUndefined();
    expect(facts.streamHeader).toMatchObject({ from: DOMAIN, version: '1.0' });
    expect(facts.streamHeader?.id).toMatch(/^s2s-/);
    expect(facts.preTlsFeatures).toEqual({
      names: [`{${NS_TLS}}starttls`, '{urn:xmpp:features:dialback}dialback'],
      starttls: { offered: true, required: true },
      dialback: true,
      saslMechanisms: [],
    });
    expect(facts.tls).toMatchObject({ servername: DOMAIN, authorized: true });
    expect(facts.postTlsFeatures).toEqual({
      names: ['{urn:xmpp:features:dialback}dialback', '{urn:ietf:params:xml:ns:xmpp-sasl}mechanisms'],
      starttls: { offered: false, required: false },
      dialback: true,
      saslMechanisms: ['EXTERNAL'],
    });
    // The stream was opened as DOMAIN.md section 6 shows, on both sides of TLS.
    expect(peer.streamHeaders).toHaveLength(2);
    for (const header of peer.streamHeaders) {
      expect(header).toBe(
        "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' " +
          `from='${OURS}' to='${DOMAIN}' version='1.0'>`,
      );
    }
  });

  it('records STARTTLS as optional when <required/> is absent, and stops when it is not offered', async () => {
    const optional = await probe(await server({ postTls: features(DIALBACK) }));
    expect(optional.preTlsFeatures?.starttls).toEqual({ offered: true, required: false });
    const plain = await probe(await server({ preTls: features(DIALBACK), postTls: '' }));
    expect(plain.preTlsFeatures).toMatchObject({ starttls: { offered: false, required: false }, dialback: true });
    expect(plain.tls).toBeUndefined();
    expect(plain.failure).toBeUndefined();
  });

  it('records a stream error host-unknown with its text', async () => {
    const peer = await server({
      preTls:
        "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>" +
        "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>This server does not serve example.test</text></stream:error></stream:stream>",
      postTls: '',
    });
    const facts = await probe(peer);
    expect(facts.streamError).toEqual({ condition: 'host-unknown', text: 'This server does not serve example.test' });
    expect(facts.preTlsFeatures).toBeUndefined();
    expect(facts.failure).toBeUndefined();
  });

  it('counts and discards bytes injected after <proceed/>', async () => {
    const injected = features(SASL_EXTERNAL);
    const peer = await server({ startTlsAnswer: PROCEED + injected, postTls: features(DIALBACK) });
    const facts = await probe(peer);
    expect(facts.bytesAfterProceed).toBe(Buffer.byteLength(injected));
    // Had the injected features been parsed, EXTERNAL would show up; the handshake would have failed too.
    expect(facts.tls?.authorized).toBe(true);
    expect(facts.postTlsFeatures).toMatchObject({ dialback: true, saslMechanisms: [] });
  });

  it('records <failure/> in answer to <starttls/>', async () => {
    const peer = await server({ startTlsAnswer: `<failure xmlns='${NS_TLS}'/></stream:stream>`, postTls: '' });
    const facts = await probe(peer);
    expect(facts.failure).toMatchObject({ stage: 'preamble', reason: 'error' });
    expect(facts.tls).toBeUndefined();
  });

  it('offers our client certificate in the STARTTLS handshake, and authenticates with SASL EXTERNAL as our domain', async () => {
    const client = await pki.issue({ dnsNames: [OURS], eku: ['clientAuth'] });
    const peer = await server({ clientCaPem: pki.rootPem, postTls: features(SASL_EXTERNAL), saslAnswer: `<success xmlns='${NS_SASL}'/>` });
    const facts = await probe(peer, { clientCertificate: { certPem: client.certPem + client.chainPem, keyPem: client.keyPem } });
    expect(facts.tls?.clientCertificateOffered).toBe(true);
    expect(peer.clientCertificates).toEqual([client.certDer.toString('base64')]);
    expect(peer.authRequests).toEqual([`<auth xmlns='${NS_SASL}' mechanism='EXTERNAL'>${Buffer.from(OURS).toString('base64')}</auth>`]);
    expect(facts.saslExternal).toEqual({ outcome: 'success' });
    expect(facts.failure).toBeUndefined();
  });

  it('records the condition of a SASL EXTERNAL <failure/>, and tries EXTERNAL only with a certificate of ours', async () => {
    const client = await pki.issue({ dnsNames: [OURS], eku: ['clientAuth'] });
    const refusal = `<failure xmlns='${NS_SASL}'><not-authorized/><text>Certificate is not valid for ${OURS}</text></failure>`;
    const refusing = await server({ clientCaPem: pki.rootPem, postTls: features(SASL_EXTERNAL), saslAnswer: refusal });
    const refused = await probe(refusing, { clientCertificate: { certPem: client.certPem + client.chainPem, keyPem: client.keyPem } });
    expect(refused.saslExternal).toEqual({ outcome: 'failure', condition: 'not-authorized', text: `Certificate is not valid for ${OURS}` });
    expect(refused.failure).toBeUndefined();

    const withoutCertificate = await server({ postTls: features(SASL_EXTERNAL), saslAnswer: `<success xmlns='${NS_SASL}'/>` });
    const anonymous = await probe(withoutCertificate);
    expect(anonymous.postTlsFeatures?.saslMechanisms).toEqual(['EXTERNAL']);
    expect(anonymous.saslExternal).toBeUndefined();
    expect(withoutCertificate.authRequests).toEqual([]);
  });

  it('records a stream error in place of the features after TLS, as Prosody ends a stream it has nothing to offer on', async () => {
    const nothing =
      "<stream:error><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>" +
      "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>No stream features to offer</text></stream:error></stream:stream>";
    const facts = await probe(await server({ postTls: nothing }));
    expect(facts.tls?.authorized).toBe(true);
    expect(facts.postTlsFeatures).toBeUndefined();
    expect(facts.streamError).toEqual({ condition: 'undefined-condition', text: 'No stream features to offer' });
    expect(facts.failure).toBeUndefined();
  });
});

describe('probeXmpp over direct TLS (XEP-0368)', () => {
  it('offers ALPN xmpp-server, then opens the stream on TLS', async () => {
    const peer = await server({ mode: 'direct-tls', postTls: features(DIALBACK, SASL_EXTERNAL) });
    const facts = await probe(peer, { mode: 'direct-tls' });
    expect(facts.mode).toBe('direct-tls');
    expect(facts.tls).toMatchObject({ alpnProtocol: 'xmpp-server', servername: DOMAIN });
    expect(peer.alpnProtocols).toEqual(['xmpp-server']);
    expect(facts.streamHeader).toMatchObject({ from: DOMAIN });
    expect(facts.preTlsFeatures).toBeUndefined();
    expect(facts.postTlsFeatures).toMatchObject({ dialback: true, saslMechanisms: ['EXTERNAL'] });
  });
});

describe('xmppStartTlsPreamble', () => {
  it('lets probeTlsVersions test each version after STARTTLS', async () => {
    const peer = await server({ postTls: features(DIALBACK) });
    const outcome = await probeTlsVersions(peer.address, peer.port, DOMAIN, xmppStartTlsPreamble(DOMAIN, OURS), {}, context());
    expect(outcome.status === 'ok' && outcome.facts.versions.map((v) => [v.version, v.result])).toEqual([
      ['TLSv1', 'rejected'],
      ['TLSv1.1', 'rejected'],
      ['TLSv1.2', 'accepted'],
      ['TLSv1.3', 'accepted'],
    ]);
  });

  it('reports every version as an error when STARTTLS is not offered', async () => {
    const peer = await server({ preTls: features(DIALBACK), postTls: '' });
    const outcome = await probeTlsVersions(peer.address, peer.port, DOMAIN, xmppStartTlsPreamble(DOMAIN, OURS), {}, context());
    const versions = outcome.status === 'ok' ? outcome.facts.versions : [];
    expect(versions.map((v) => v.result)).toEqual(['error', 'error', 'error', 'error']);
    expect(versions[0]?.detail).toMatch(/does not offer STARTTLS/);
  });
});
