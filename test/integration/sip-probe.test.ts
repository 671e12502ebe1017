import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SipProbeFacts } from '../../src/model/protocol-facts.js';
import type { ProbeOutcome } from '../../src/model/facts.js';
import { VERSION } from '../../src/util/version.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../src/pki/test-ca.js';
import { probeSipOptions } from '../../src/probes/sip.js';
import { sipResponse, startSipResponder, type SipResponder, type SipResponderOptions } from '../support/peers/sip-responder.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import type { NetContext } from '../../src/probes/connector.js';

const EDGE = 'sip.example.test';
const DOMAIN = 'example.test';
const context = (timeoutMs = 5000): NetContext => ({ signal: new AbortController().signal, timeoutMs, egress: LOOPBACK_EGRESS });

let pki: TestPki;
let leaf: IssuedCertificate;
const responders: SipResponder[] = [];

async function responder(answer: SipResponderOptions['answer'], options: Partial<SipResponderOptions> = {}): Promise<SipResponder> {
  const started = await startSipResponder({ certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: leaf.chainPem, answer, ...options });
  responders.push(started);
  return started;
}

function facts(outcome: ProbeOutcome<SipProbeFacts>): SipProbeFacts {
  if (outcome.status !== 'ok') throw new Error(`expected facts, got ${JSON.stringify(outcome)}`);
  return outcome.facts;
}

const probe = (peer: SipResponder, options: { fromDomain?: string; maxVersion?: 'TLSv1.2' } = {}) =>
  probeSipOptions(peer.address, peer.port, { servername: EDGE, domain: DOMAIN, extraCaPem: [pki.rootPem], ...options }, context());

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await pki.issue({ dnsNames: [EDGE] });
});

afterEach(async () => {
  await Promise.all(responders.splice(0).map((r) => r.close()));
});

describe('probeSipOptions', () => {
  it('sends a well-formed OPTIONS over TLS and records a 200 with its headers', async () => {
    const peer = await responder([
      sipResponse(
        'SIP/2.0 200 OK',
        'Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKx',
        'Server: RTCC/7.0.0.0 MRAS/7.0.0.0',
        'Allow: INVITE, BYE, ACK, CANCEL, INFO, UPDATE, MESSAGE, NOTIFY, OPTIONS',
        'Supported: ms-edge-proxy-message-trust',
        'ms-diagnostics: 1034;reason="Previous hop federated peer did not report diagnostic information";Domain="example.test"',
        'Content-Length: 0',
      ),
    ]);
    const result = facts(await probe(peer));
    expect(result.tls).toMatchObject({ servername: EDGE, authorized: true });
    expect(result.failure).toBeUndefined();
    expect(result.response).toMatchObject({ statusLine: 'SIP/2.0 200 OK', statusCode: 200, reason: 'OK' });
    expect(result.response?.headers).toContainEqual(['Server', 'RTCC/7.0.0.0 MRAS/7.0.0.0']);
    expect(result.response?.headers).toContainEqual(['Supported', 'ms-edge-proxy-message-trust']);
    expect(result.response?.headers.find(([name]) => name === 'ms-diagnostics')?.[1]).toMatch(/^1034;reason=/);

    const [sent] = peer.requests;
    expect(sent?.trimEnd()).toBe(result.request);
    const lines = sent?.split('\r\n') ?? [];
    expect(lines[0]).toBe(`OPTIONS sip:${DOMAIN} SIP/2.0`);
    expect(lines).toContainEqual(expect.stringMatching(/^Via: SIP\/2\.0\/TLS 127\.0\.0\.1:\d+;branch=z9hG4bK[0-9a-f]+;rport$/));
    expect(lines).toContain('Max-Forwards: 70');
    expect(lines).toContainEqual(expect.stringMatching(/^From: <sip:fedcheck@fedcheck\.invalid>;tag=[0-9a-f]+$/));
    expect(lines).toContain(`To: <sip:${DOMAIN}>`);
    expect(lines).toContainEqual(expect.stringMatching(/^Call-ID: [0-9a-f]{32}$/));
    expect(lines).toContain('CSeq: 1 OPTIONS');
    expect(lines).toContainEqual(expect.stringMatching(/^Contact: <sip:fedcheck@127\.0\.0\.1:\d+;transport=tls>$/));
    expect(lines).toContain('Accept: application/sdp');
    expect(lines).toContain(`User-Agent: fedcheck/${VERSION}`);
    expect(lines).toContain('Content-Length: 0');
  });

  it('puts the given from domain in From', async () => {
    const peer = await responder([sipResponse('SIP/2.0 200 OK', 'Content-Length: 0')]);
    await probe(peer, { fromDomain: 'ours.example.test' });
    expect(peer.requests[0]).toMatch(/\r\nFrom: <sip:fedcheck@ours\.example\.test>;tag=/);
  });

  it('skips 100 Trying and waits for the final 403', async () => {
    const trying = sipResponse('SIP/2.0 100 Trying', 'Content-Length: 0');
    const forbidden = sipResponse('SIP/2.0 403 Forbidden', 'ms-diagnostics: 1034;reason="Previous hop federated peer did not report diagnostic information"', 'Content-Length: 0');
    const peer = await responder([trying, forbidden]);
    const result = facts(await probe(peer));
    expect(result.response).toMatchObject({ statusCode: 403, reason: 'Forbidden', bytes: trying.length + forbidden.length });
  });

  it('joins folded header lines and reads compact Content-Length', async () => {
    const ringing = `${sipResponse('SIP/2.0 180 Ringing', 'l: 5')}hello`;
    const ok = sipResponse('SIP/2.0 200 OK', 'Allow: INVITE,', ' OPTIONS,', '\tBYE', 'l: 0');
    const peer = await responder([ringing + ok]);
    const result = facts(await probe(peer));
    expect(result.response?.statusCode).toBe(200);
    expect(result.response?.headers).toEqual([['Allow', 'INVITE, OPTIONS, BYE'], ['l', '0']]);
  });

  it('records a failed TLS handshake as the peer\'s failure, with no request sent', async () => {
    const peer = await responder([], { minVersion: 'TLSv1.3' });
    const result = facts(await probe(peer, { maxVersion: 'TLSv1.2' }));
    expect(result.failure).toMatchObject({ stage: 'tls', reason: 'tls-alert' });
    expect(result.request).toBeUndefined();
    expect(peer.requests).toEqual([]);
  });

  it('records a peer that closes without answering', async () => {
    const peer = await responder([], { closeAfterAnswer: true });
    const result = facts(await probe(peer));
    expect(result.failure).toMatchObject({ stage: 'response', reason: 'closed' });
    expect(result.request).toMatch(/^OPTIONS /);
  });

  it('stops at the run\'s signal while waiting for the response', async () => {
    const peer = await responder([]);
    const run = new AbortController();
    const pending = probeSipOptions(peer.address, peer.port, { servername: EDGE, domain: DOMAIN }, { signal: run.signal, timeoutMs: 30_000, egress: LOOPBACK_EGRESS });
    await expect.poll(() => peer.requests.length).toBe(1);
    run.abort();
    expect(facts(await pending).failure).toMatchObject({ stage: 'response', reason: 'timeout' });
  });

  it('refuses a domain that would break the request', async () => {
    const outcome = await probeSipOptions('127.0.0.1', 9, { servername: EDGE, domain: 'example.test>\r\nX: y' }, context());
    expect(outcome).toMatchObject({ status: 'error', reason: 'invalid-name' });
  });
});
