// Interop: fedcheck's XMPP probe against a real Prosody s2s listener on loopback. Two VirtualHosts share the
// listener (Prosody picks the certificate by SNI): one with a certificate naming it, one with a certificate for
// another name. The probe must complete STARTTLS and read the features for both; the name check must fail for the
// second. A `to` domain Prosody does not host gets a stream error. A third VirtualHost has dialback disabled: Prosody
// ends the restarted stream with "No stream features to offer" unless our certificate earns SASL EXTERNAL. And two
// peer domains whose certificates must be valid (s2s_secure_domains) show how Prosody 0.12 reads a CN: a CN-only
// certificate authenticates (SASL EXTERNAL succeeds), a CN beside SANs naming something else does not.
// The real CLI (`fedcheck check --xmpp`) runs against the same Prosody too, the test's DNS leading each domain's SRV
// record to the listener: an admin sees the same verdicts in the report and the exit code.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { FactRecord, ProbeOutcome } from '../../src/model/facts.js';
import type { Finding } from '../../src/model/finding.js';
import { startLabDns, type LabDnsServer } from '../../src/lab/dns-server.js';
import { parseZoneFile } from '../../src/lab/zone-file.js';
import { protocolFactKey, type XmppProbeFacts } from '../../src/model/protocol-facts.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { xmppIdentities } from '../../src/pki/names.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../src/pki/test-ca.js';
import { probeXmpp, type XmppProbeOptions } from '../../src/probes/xmpp.js';
import { facts } from '../support/fact-builder.js';
import {
  checkWithCli,
  describeFindings,
  lua,
  makeWorkDir,
  prosodyListenerConfig,
  probeContext,
  removeWorkDir,
  requireBinary,
  runChecks,
  startServer,
  withLog,
  zoneText,
  type CliCheck,
  type RunningServer,
} from '../support/interop.js';

const ADDRESS = '127.0.88.10';
/** The test's DNS for the CLI runs: each domain's SRV record leads to the listener. */
const DNS_ADDRESS = '127.0.88.53';
/** The standard server-to-server port, on this file's own address: the CLI runs judge the SRV record's port too. */
const XMPP_PORT = 5269;
/** The host the test's (imaginary) SRV records point at; XMPP names the domain, never this host. */
const XMPP_HOST = 'xmpp.interop.test';
const GOOD = 'good.interop.test';
const WRONG = 'wrong.interop.test';
const NOT_HOSTED = 'nothere.interop.test';
const FROM = 'fedcheck.interop.test';
const WRONG_NAME = 'other.example';
const NO_DIALBACK = 'nodialback.interop.test';
/** A VirtualHost whose own certificate names it only in the CN. */
const CN_ONLY_HOST = 'cn-only.interop.test';
/** Peer domains Prosody must authenticate by certificate: one named only in the CN, one in the CN beside other SANs. */
const CN_ONLY_PEER = 'cn-only-peer.interop.test';
const CN_BESIDE_SANS_PEER = 'cn-beside-sans-peer.interop.test';
const PROSODY_NOTHING_TO_OFFER = { condition: 'undefined-condition', text: 'No stream features to offer' };

const prosody = requireBinary('prosody', 'prosody', 'Prosody');

(prosody ? describe : describe.skip)('probeXmpp against Prosody', () => {
  let workDir: string | undefined;
  let server: RunningServer | undefined;
  let pki: TestPki;
  let client: IssuedCertificate;
  let cnOnlyClient: IssuedCertificate;
  let cnBesideSansClient: IssuedCertificate;
  let port: number;
  let dns: LabDnsServer | undefined;
  let caFile: string;
  const outcomes = new Map<string, Promise<ProbeOutcome<XmppProbeFacts>>>();
  const cliRuns = new Map<string, Promise<CliCheck>>();

  beforeAll(async () => {
    workDir = makeWorkDir('prosody');
    pki = await createTestPki({ name: 'fedcheck Interop' });
    const good = await pki.issue({ commonName: GOOD, dnsNames: [GOOD], srvNames: [`_xmpp-server.${GOOD}`], xmppAddrs: [GOOD] });
    const wrong = await pki.issue({ commonName: WRONG_NAME, dnsNames: [WRONG_NAME] });
    client = await pki.issue({ commonName: FROM, dnsNames: [FROM], eku: ['serverAuth', 'clientAuth'] });
    // No dnsNames: the test CA then leaves the subjectAltName extension out, the CN is the only name.
    cnOnlyClient = await pki.issue({ commonName: CN_ONLY_PEER, eku: ['serverAuth', 'clientAuth'] });
    cnBesideSansClient = await pki.issue({ commonName: CN_BESIDE_SANS_PEER, dnsNames: [WRONG_NAME], eku: ['serverAuth', 'clientAuth'] });
    const noDialback = await pki.issue({ commonName: NO_DIALBACK, dnsNames: [NO_DIALBACK] });
    const cnOnlyHost = await pki.issue({ commonName: CN_ONLY_HOST });
    const files = {
      root: writeFile(workDir, 'root.pem', pki.rootPem),
      goodCert: writeFile(workDir, `${GOOD}.crt`, good.fullChainPem),
      goodKey: writeFile(workDir, `${GOOD}.key`, good.keyPem),
      wrongCert: writeFile(workDir, `${WRONG}.crt`, wrong.fullChainPem),
      wrongKey: writeFile(workDir, `${WRONG}.key`, wrong.keyPem),
      noDialbackCert: writeFile(workDir, `${NO_DIALBACK}.crt`, noDialback.fullChainPem),
      noDialbackKey: writeFile(workDir, `${NO_DIALBACK}.key`, noDialback.keyPem),
      cnOnlyCert: writeFile(workDir, `${CN_ONLY_HOST}.crt`, cnOnlyHost.fullChainPem),
      cnOnlyKey: writeFile(workDir, `${CN_ONLY_HOST}.key`, cnOnlyHost.keyPem),
    };
    port = XMPP_PORT;
    const configFile = writeFile(workDir, 'prosody.cfg.lua', prosodyConfig(workDir, port, files));
    server = await startServer({
      name: 'prosody',
      command: prosody as string,
      args: ['--config', configFile, '-F'],
      cwd: workDir,
      listeners: [{ address: ADDRESS, port }],
    });
    caFile = files.root;
    const zone = (domain: string) => zoneText(domain, DNS_ADDRESS, [`_xmpp-server._tcp IN SRV 10 1 ${port} xmpp.${domain}.`, `xmpp IN A ${ADDRESS}`]);
    dns = await startLabDns([{ address: DNS_ADDRESS, zones: [GOOD, WRONG, NO_DIALBACK].map((domain) => parseZoneFile(zone(domain), domain, `${domain}.zone`)) }]);
  });

  afterAll(async () => {
    await server?.stop();
    await dns?.close();
    removeWorkDir(workDir);
  });

  /** One run of the real CLI per domain, shared by the tests that read it. */
  function cli(domain: string): Promise<CliCheck> {
    let run = cliRuns.get(domain);
    if (!run) {
      run = checkWithCli([domain, '--xmpp', '--from-domain', FROM], { resolver: `${DNS_ADDRESS}:${dns?.port}`, caFile, server });
      cliRuns.set(domain, run);
    }
    return run;
  }

  /** One probe per domain (and client certificate or not), shared by the tests that read it. */
  function probe(domain: string, withClientCertificate = false): Promise<ProbeOutcome<XmppProbeFacts>> {
    const key = `${domain} ${withClientCertificate}`;
    let outcome = outcomes.get(key);
    if (!outcome) {
      const options: XmppProbeOptions = { domain, fromDomain: FROM, mode: 'starttls', extraCaPem: [pki.rootPem] };
      if (withClientCertificate) options.clientCertificate = { certPem: client.fullChainPem, keyPem: client.keyPem };
      outcome = probeXmpp(ADDRESS, port, options, probeContext());
      outcomes.set(key, outcome);
    }
    return outcome;
  }

  /** A probe from another peer domain, with that peer's certificate. */
  async function negotiatedAs(domain: string, from: string, certificate: IssuedCertificate): Promise<XmppProbeFacts> {
    const options: XmppProbeOptions = { domain, fromDomain: from, mode: 'starttls', extraCaPem: [pki.rootPem] };
    options.clientCertificate = { certPem: certificate.fullChainPem, keyPem: certificate.keyPem };
    const outcome = await probeXmpp(ADDRESS, port, options, probeContext());
    if (outcome.status !== 'ok') throw new Error(withLog(server, `probeXmpp for ${domain} from ${from}: ${JSON.stringify(outcome)}`));
    return outcome.facts;
  }

  async function negotiated(domain: string, withClientCertificate = false): Promise<XmppProbeFacts> {
    const outcome = await probe(domain, withClientCertificate);
    if (outcome.status !== 'ok') throw new Error(withLog(server, `probeXmpp for ${domain}: ${JSON.stringify(outcome)}`));
    return outcome.facts;
  }

  /** The STARTTLS negotiation every hosted domain gets, whatever its certificate. */
  function expectFullNegotiation(facts: XmppProbeFacts, domain: string): void {
    const seen = withLog(server, `probe facts: ${JSON.stringify({ ...facts, tls: facts.tls && { ...facts.tls, peerChain: facts.tls.peerChain.length } })}`);
    expect(facts.failure, seen).toBeUndefined();
    expect(facts.streamError, seen).toBeUndefined();
    expect(facts.streamHeader, seen).toMatchObject({ from: domain, to: FROM, version: '1.0' });
    // Prosody 0.12 lists dialback before TLS too, and STARTTLS as required (s2s_require_encryption).
    expect(facts.preTlsFeatures, seen).toEqual({
      names: expect.arrayContaining(['{urn:ietf:params:xml:ns:xmpp-tls}starttls', '{urn:xmpp:features:dialback}dialback']),
      starttls: { offered: true, required: true },
      dialback: true,
      saslMechanisms: [],
    });
    expect(facts.bytesAfterProceed, seen).toBe(0);
    expect(facts.tls?.servername, seen).toBe(domain);
    expect(facts.tls?.protocol, seen).toMatch(/^TLSv1\.[23]$/);
    // The leaf and the intermediate, trusted through the test root given as an extra CA.
    expect(facts.tls?.peerChain, seen).toHaveLength(2);
    expect(facts.tls?.authorized, seen).toBe(true);
    expect(facts.postTlsFeatures?.starttls, seen).toEqual({ offered: false, required: false });
    expect(facts.postTlsFeatures?.dialback, seen).toBe(true);
  }

  function leafOf(facts: XmppProbeFacts) {
    const der = facts.tls?.peerChain[0];
    if (der === undefined) throw new Error(withLog(server, `no certificate from Prosody for ${facts.domain}`));
    return parseCertificate(der);
  }

  it(`${GOOD}: STARTTLS required, TLS completed, dialback offered, and the certificate names the domain`, async () => {
    const facts = await negotiated(GOOD);
    expectFullNegotiation(facts, GOOD);
    // Without a client certificate Prosody offers no SASL mechanism to a peer, only dialback.
    expect(facts.postTlsFeatures?.saslMechanisms).toEqual([]);
    expect(facts.postTlsFeatures?.names).toEqual(['{urn:xmpp:features:dialback}dialback']);
    const leaf = leafOf(facts);
    expect(leaf.sans.dns).toEqual([GOOD]);
    expect(xmppIdentities(leaf, GOOD).matchedBy).toEqual(['dns', 'srv-id', 'xmppaddr']);
  });

  it(`${WRONG}: the same negotiation, but the certificate Prosody picked by SNI names ${WRONG_NAME}`, async () => {
    const facts = await negotiated(WRONG);
    expectFullNegotiation(facts, WRONG);
    const leaf = leafOf(facts);
    expect(leaf.sans.dns).toEqual([WRONG_NAME]);
    expect(leaf.subjectCommonNames).toEqual([WRONG_NAME]);
    expect(xmppIdentities(leaf, WRONG).matchedBy).toEqual([]);
  });

  it('the XMPP checks judge the facts Prosody gave: names pass for the right certificate and fail for the wrong one', async () => {
    const ids = ['tls.xmpp-certificate-names', 'xmpp.starttls', 'xmpp.authentication-methods', 'xmpp.stream-negotiation'];
    const subject = `${XMPP_HOST} ${ADDRESS}:${port}`;
    const expected: Record<string, Record<string, [string, string]>> = {
      [GOOD]: { 'tls.xmpp-certificate-names': ['pass', 'named'] },
      [WRONG]: { 'tls.xmpp-certificate-names': ['fail', 'notNamed'] },
    };
    for (const domain of [GOOD, WRONG] as const) {
      const findings = runChecks(ids, { domain, input: domain, services: ['xmpp'] }, await factsFor(domain), { fromDomain: FROM });
      const byCheck: Record<string, [string, string]> = {
        'xmpp.starttls': ['pass', 'required'],
        'xmpp.authentication-methods': ['pass', 'dialbackOnly'],
        'xmpp.stream-negotiation': ['pass', 'negotiated'],
        ...expected[domain],
      };
      for (const [id, [status, messageId]] of Object.entries(byCheck)) {
        const got = findings.get(id);
        expect(got?.map((f) => [f.status, f.messageId, f.subject]), `${id} for ${domain}:\n${describeFindings(got)}`).toEqual([[status, messageId, subject]]);
      }
    }
  });

  it(`a domain Prosody does not host (${NOT_HOSTED}): the stream error host-unknown before any feature`, async () => {
    const facts = await negotiated(NOT_HOSTED);
    const seen = withLog(server, `probe facts: ${JSON.stringify(facts)}`);
    expect(facts.streamError, seen).toEqual({ condition: 'host-unknown', text: `This host does not serve ${NOT_HOSTED}` });
    expect(facts.failure, seen).toBeUndefined();
    expect(facts.preTlsFeatures, seen).toBeUndefined();
    expect(facts.tls, seen).toBeUndefined();
    // Prosody still answers with a stream header from the name asked for, then the error.
    expect(facts.streamHeader, seen).toMatchObject({ from: NOT_HOSTED, version: '1.0' });

    const findings = runChecks(['xmpp.stream-negotiation'], { domain: NOT_HOSTED, input: NOT_HOSTED, services: ['xmpp'] }, await factsFor(NOT_HOSTED));
    const got = findings.get('xmpp.stream-negotiation');
    expect(got?.map((f) => [f.status, f.messageId]), describeFindings(got)).toEqual([['fail', 'streamError']]);
    expect(got?.[0]?.message).toContain('host-unknown');
  });

  it('direct TLS (XEP-0368) pointed at the STARTTLS port: Prosody answers the ClientHello with an XMPP stream, named by tls.handshake', async () => {
    const outcome = await probeXmpp(ADDRESS, port, { domain: GOOD, fromDomain: FROM, mode: 'direct-tls', extraCaPem: [pki.rootPem] }, probeContext());
    const seen = withLog(server, `probe outcome: ${JSON.stringify(outcome)}`);
    if (outcome.status !== 'ok') throw new Error(seen);
    expect(outcome.facts.tls, seen).toBeUndefined();
    expect(outcome.facts.failure?.nonTlsAnswer, seen).toMatchObject({ answerTo: 'client-hello', looksLike: 'xmpp' });
    const recorded = {
      ...facts().srv(`_xmpps-server._tcp.${GOOD}`, [[10, 1, port, XMPP_HOST]]).a(XMPP_HOST, [ADDRESS]).tcp(ADDRESS, port, 'open').build(),
      [protocolFactKey.xmpp('direct-tls', GOOD, ADDRESS, port)]: outcome,
    };
    const findings = runChecks(['tls.handshake'], { domain: GOOD, input: GOOD, services: ['xmpp'] }, recorded).get('tls.handshake');
    expect(findings?.map((f) => [f.status, f.messageId, f.service]), describeFindings(findings)).toEqual([['fail', 'answersWithoutTls', 'xmpp']]);
    expect(findings?.[0]?.message).toContain('answers without TLS (an XMPP stream)');
  });

  it('Prosody asks the connecting server for a client certificate on s2s: the session records the request', async () => {
    const facts = await negotiated(GOOD);
    expect(facts.tls?.clientCertificateRequest?.requested, JSON.stringify(facts.tls?.clientCertificateRequest)).toBe(true);
  });

  it('with our client certificate (mutual TLS), Prosody adds SASL EXTERNAL beside dialback', async () => {
    const facts = await negotiated(GOOD, true);
    expectFullNegotiation(facts, GOOD);
    expect(facts.tls?.clientCertificateOffered).toBe(true);
    expect(facts.postTlsFeatures?.saslMechanisms).toEqual(['EXTERNAL']);

    const findings = runChecks(['xmpp.authentication-methods'], { domain: GOOD, input: GOOD, services: ['xmpp'] }, await factsFor(GOOD, true), {
      fromDomain: FROM,
    });
    const got = findings.get('xmpp.authentication-methods');
    expect(got?.map((f) => [f.status, f.messageId]), describeFindings(got)).toEqual([['pass', 'both']]);
  });

  it(`${NO_DIALBACK} (dialback disabled): Prosody ends the stream after TLS, and xmpp.authentication-methods fails with the fix`, async () => {
    const facts = await negotiated(NO_DIALBACK);
    const seen = withLog(server, `probe facts: ${JSON.stringify({ ...facts, tls: facts.tls && { ...facts.tls, peerChain: facts.tls.peerChain.length } })}`);
    expect(facts.failure, seen).toBeUndefined();
    expect(facts.tls?.authorized, seen).toBe(true);
    // Before TLS only STARTTLS: Prosody lists dialback there only when the host has it.
    expect(facts.preTlsFeatures, seen).toMatchObject({ starttls: { offered: true, required: true }, dialback: false });
    expect(facts.postTlsFeatures, seen).toBeUndefined();
    expect(facts.streamError, seen).toEqual(PROSODY_NOTHING_TO_OFFER);

    const ids = ['xmpp.authentication-methods', 'xmpp.stream-negotiation', 'xmpp.starttls'];
    const findings = runChecks(ids, { domain: NO_DIALBACK, input: NO_DIALBACK, services: ['xmpp'] }, await factsFor(NO_DIALBACK), { fromDomain: FROM });
    const authentication = findings.get('xmpp.authentication-methods');
    expect(authentication?.map((f) => [f.status, f.messageId]), describeFindings(authentication)).toEqual([['fail', 'nothingToOffer']]);
    expect(authentication?.[0]?.message).toContain('<undefined-condition/> "No stream features to offer"');
    expect(authentication?.[0]?.fix?.snippets.map((snippet) => snippet.text)).toContain('modules_enabled = { "dialback" }');
    const negotiation = findings.get('xmpp.stream-negotiation');
    expect(negotiation?.map((f) => [f.status, f.messageId]), describeFindings(negotiation)).toEqual([['pass', 'negotiatedNothingToOffer']]);
    expect(findings.get('xmpp.starttls')?.map((f) => f.status)).toEqual(['pass']);
  });

  it(`${NO_DIALBACK} with our certificate (trusted through Prosody's ssl.cafile): SASL EXTERNAL offered, and it authenticates us`, async () => {
    const facts = await negotiated(NO_DIALBACK, true);
    const seen = withLog(server, `probe facts: ${JSON.stringify({ ...facts, tls: facts.tls && { ...facts.tls, peerChain: facts.tls.peerChain.length } })}`);
    expect(facts.streamError, seen).toBeUndefined();
    expect(facts.postTlsFeatures, seen).toEqual({
      names: ['{urn:ietf:params:xml:ns:xmpp-sasl}mechanisms'],
      starttls: { offered: false, required: false },
      dialback: false,
      saslMechanisms: ['EXTERNAL'],
    });
    expect(facts.saslExternal, seen).toEqual({ outcome: 'success' });
    const findings = runChecks(['xmpp.authentication-methods'], { domain: NO_DIALBACK, input: NO_DIALBACK, services: ['xmpp'] }, await factsFor(NO_DIALBACK, true), {
      fromDomain: FROM,
    });
    const got = findings.get('xmpp.authentication-methods');
    expect(got?.map((f) => [f.status, f.messageId]), describeFindings(got)).toEqual([['pass', 'externalOnly']]);
  });

  it('a peer certificate naming its domain only in the CN (no subjectAltName): Prosody accepts it and SASL EXTERNAL succeeds', async () => {
    const leaf = parseCertificate(cnOnlyClient.certDer);
    expect(leaf.subjectCommonNames).toEqual([CN_ONLY_PEER]);
    expect(leaf.sans.dns).toEqual([]);
    expect(xmppIdentities(leaf, CN_ONLY_PEER).matchedBy).toEqual(['cn']);

    const facts = await negotiatedAs(GOOD, CN_ONLY_PEER, cnOnlyClient);
    const seen = withLog(server, `probe facts: ${JSON.stringify({ ...facts, tls: facts.tls && { ...facts.tls, peerChain: facts.tls.peerChain.length } })}`);
    // s2s_secure_domains makes Prosody insist on a valid certificate for this peer: the stream goes on, so it is valid.
    expect(facts.streamError, seen).toBeUndefined();
    expect(facts.postTlsFeatures?.saslMechanisms, seen).toEqual(['EXTERNAL']);
    expect(facts.saslExternal, seen).toEqual({ outcome: 'success' });
    // What tls.xmpp-certificate-names says of a CN-only certificate must match what Prosody just did: a warning that
    // names the SAN to add and says Prosody 0.12 accepts it, never that Prosody rejects it.
    const hostFacts = await negotiated(CN_ONLY_HOST);
    expect(hostFacts.tls?.peerChain.length, withLog(server, JSON.stringify(hostFacts.failure))).toBe(2);
    const findings = runChecks(['tls.xmpp-certificate-names'], { domain: CN_ONLY_HOST, input: CN_ONLY_HOST, services: ['xmpp'] }, await factsFor(CN_ONLY_HOST));
    const names = findings.get('tls.xmpp-certificate-names');
    expect(names?.map((f) => [f.status, f.messageId]), describeFindings(names)).toEqual([['warn', 'cnOnly']]);
    expect(names?.[0]?.message).toContain('(Prosody 0.12 still does)');
    expect(names?.[0]?.message).not.toMatch(/Prosody[^.;]*reject/i);
    expect(names?.[0]?.fix?.summary).toContain(`DNS:${CN_ONLY_HOST}`);
  });

  it('a CN beside subjectAltNames that name something else: Prosody ignores the CN (RFC 6125 6.4.4) and refuses the peer', async () => {
    const leaf = parseCertificate(cnBesideSansClient.certDer);
    expect(leaf.subjectCommonNames).toEqual([CN_BESIDE_SANS_PEER]);
    expect(leaf.sans.dns).toEqual([WRONG_NAME]);
    expect(xmppIdentities(leaf, CN_BESIDE_SANS_PEER).matchedBy).toEqual([]);

    const facts = await negotiatedAs(GOOD, CN_BESIDE_SANS_PEER, cnBesideSansClient);
    const seen = withLog(server, `probe facts: ${JSON.stringify({ ...facts, tls: facts.tls && { ...facts.tls, peerChain: facts.tls.peerChain.length } })}`);
    expect(facts.tls?.clientCertificateOffered, seen).toBe(true);
    expect(facts.postTlsFeatures, seen).toBeUndefined();
    expect(facts.saslExternal, seen).toBeUndefined();
    expect(facts.streamError, seen).toEqual({ condition: 'not-authorized', text: "Your server's certificate is not valid for this name" });
  });

  const verdicts = (findings: Finding[], checkId: string) => findings.filter((f) => f.checkId === checkId).map((f) => [f.status, f.messageId]);
  const problems = (findings: Finding[]) => findings.filter((f) => f.status === 'fail' || f.status === 'error' || f.status === 'warn');

  it(`fedcheck check ${GOOD}, the real CLI: no problem, exit 0, STARTTLS required, the certificate names the domain`, async () => {
    const { code, report, stderr } = await cli(GOOD);
    const findings = report.domains[0]?.findings ?? [];
    const seen = withLog(server, describeFindings(findings));
    expect(stderr).toBe('');
    expect(problems(findings), seen).toEqual([]);
    expect(code, seen).toBe(0);
    expect(report.domains[0]?.serviceSummaries?.map((s) => [s.service, s.presence, s.worst]), seen).toEqual([['xmpp', 'offered', 'pass']]);
    expect(verdicts(findings, 'xmpp.starttls'), seen).toEqual([['pass', 'required']]);
    expect(verdicts(findings, 'xmpp.stream-negotiation'), seen).toEqual([['pass', 'negotiated']]);
    expect(verdicts(findings, 'tls.xmpp-certificate-names'), seen).toEqual([['pass', 'named']]);
  });

  it(`fedcheck check ${WRONG}, the real CLI: exit 2, the certificate Prosody picked names ${WRONG_NAME}, with the fix`, async () => {
    const { code, report } = await cli(WRONG);
    const findings = report.domains[0]?.findings ?? [];
    const seen = withLog(server, describeFindings(findings));
    expect(code, seen).toBe(2);
    expect(verdicts(findings, 'tls.xmpp-certificate-names'), seen).toEqual([['fail', 'notNamed']]);
    expect(findings.find((f) => f.checkId === 'tls.xmpp-certificate-names')?.fix?.summary, seen).toContain(`DNS:${WRONG}`);
  });

  it(`fedcheck check ${NO_DIALBACK}, the real CLI: exit 2, nothing to authenticate with, and the fix`, async () => {
    const { code, report } = await cli(NO_DIALBACK);
    const findings = report.domains[0]?.findings ?? [];
    const seen = withLog(server, describeFindings(findings));
    expect(code, seen).toBe(2);
    expect(verdicts(findings, 'xmpp.authentication-methods'), seen).toEqual([['fail', 'nothingToOffer']]);
    expect(findings.find((f) => f.checkId === 'xmpp.authentication-methods')?.fix?.snippets.map((snippet) => snippet.text), seen).toContain('modules_enabled = { "dialback" }');
  });

  /** DNS and TCP facts as a run would have gathered them for the domain (SRV to XMPP_HOST, its A record, port open), plus the probe's. */
  async function factsFor(domain: string, withClientCertificate = false): Promise<FactRecord> {
    return {
      ...facts().srv(`_xmpp-server._tcp.${domain}`, [[10, 1, port, XMPP_HOST]]).a(XMPP_HOST, [ADDRESS]).tcp(ADDRESS, port, 'open').build(),
      [protocolFactKey.xmpp('starttls', domain, ADDRESS, port)]: await probe(domain, withClientCertificate),
    };
  }
});

function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/**
 * A Prosody config for one s2s listener on ADDRESS:port and nothing else: c2s and posix off (it runs as a child of
 * the test, maybe as root), no HTTP, pid file, data and certificate folder in the temp folder, log to the console.
 */
function prosodyConfig(
  dir: string,
  port: number,
  files: Record<'root' | 'goodCert' | 'goodKey' | 'wrongCert' | 'wrongKey' | 'noDialbackCert' | 'noDialbackKey' | 'cnOnlyCert' | 'cnOnlyKey', string>,
): string {
  return `-- generated by test/interop/prosody.test.ts
run_as_root = true
modules_disabled = { "posix", "c2s" }
modules_enabled = { "tls", "dialback", "saslauth" }
${prosodyListenerConfig(dir, ADDRESS, port)}
-- These peers must present a valid certificate (chain and name): how Prosody reads a CN shows in whether they get in.
s2s_secure_domains = { ${lua(CN_ONLY_PEER)}, ${lua(CN_BESIDE_SANS_PEER)} }
-- Trusts the test CA for peers' client certificates, so SASL EXTERNAL can be offered to the mutual-TLS probe.
ssl = { cafile = ${lua(files.root)} }
log = { { levels = { min = "info" }, to = "console" } }

VirtualHost ${lua(GOOD)}
  ssl = { certificate = ${lua(files.goodCert)}; key = ${lua(files.goodKey)} }

VirtualHost ${lua(WRONG)}
  ssl = { certificate = ${lua(files.wrongCert)}; key = ${lua(files.wrongKey)} }

-- modules_disabled on a VirtualHost replaces the global list for it, so the global entries are repeated.
VirtualHost ${lua(NO_DIALBACK)}
  modules_disabled = { "posix", "c2s", "dialback" }
  ssl = { certificate = ${lua(files.noDialbackCert)}; key = ${lua(files.noDialbackKey)} }

VirtualHost ${lua(CN_ONLY_HOST)}
  ssl = { certificate = ${lua(files.cnOnlyCert)}; key = ${lua(files.cnOnlyKey)} }
`;
}
