import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { savedCheckOptions } from '../../src/model/facts-file.js';
import { allChecks } from '../../checks/index.js';
import { certificateChecks, fileChain, judgePresentedCertificate, presentedCertificateInputs, presentedChain } from '../../src/engine/certificate-facts.js';
import { DEFAULT_CHECK_OPTIONS } from '../../src/model/check.js';
import { evaluateTarget, judgeContext } from '../../src/engine/evaluate.js';
import { readFactsFile } from '../../src/engine/facts-io.js';
import { FactView } from '../../src/model/facts.js';
import type { FactRecord } from '../../src/model/facts.js';
import { servicePresence } from '../../src/judge/presence.js';
import { presentedChains } from '../../src/judge/presented-chains.js';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { trustAnchors } from '../../src/pki/trust.js';
import { testCertificates } from '../support/certificates.js';

const certs = await testCertificates();

describe('certificate facts', () => {
  it('the checks that judge a certificate alone are the six that declare only certificate inputs', () => {
    // A certificate check that starts reading DNS or a connection's facts drops out of cert inspect here, visibly.
    expect(certificateChecks(allChecks).map((check) => check.meta.id).sort()).toEqual([
      'tls.certificate-chain',
      'tls.certificate-expiry',
      'tls.certificate-key-strength',
      'tls.certificate-key-usage',
      'tls.sip-certificate-names',
      'tls.xmpp-certificate-names',
    ]);
  });

  it.each([
    ['sip-edge', 'sip', 5061, 'sip.example.com', '_sipfederationtls._tcp.example.com'],
    ['xmpp-server', 'xmpp-starttls', 5269, 'example.com', '_xmpp-server._tcp.example.com'],
  ] as const)('%s: one listener at the host, as a partner following the SRV record meets it', (role, mode, port, servername, via) => {
    const chain = fileChain('./edge.pfx', [certs.leaves.edge, certs.intermediate], trustAnchors([certs.root]), certs.now);
    const presented = presentedChain({ role, domain: 'example.com', host: 'sip.example.com', address: 'sip.example.com', port, chain });
    expect(presented.listener.endpoint).toMatchObject({ host: 'sip.example.com', address: 'sip.example.com', port, mode, servername, via });
    expect(presented.chain).toEqual({ state: 'presented', ...chain });
  });

  it('a chain read from a file is the file: no TLS session, and no DNS, TCP or protocol fact beside it', () => {
    const chain = fileChain('./edge.pfx', [certs.leaves.edge], trustAnchors([]), certs.now);
    // The leaf's issuer is neither sent nor trusted: the verdict is OpenSSL's, no handshake needed.
    expect(chain).toEqual({
      peerChain: [certs.leaves.edge],
      authorized: false,
      authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      source: { kind: 'file', path: './edge.pfx' },
    });
    const url = 'http://pki.example.com/issuing.cer';
    const issuerDownloads = { [url]: { status: 'skipped' as const, because: 'no network in this test' } };
    const presented = { role: 'sip-edge' as const, domain: 'example.com', host: 'sip.example.com', address: 'sip.example.com', port: 5061, chain, issuerDownloads };
    const { facts, certificates } = presentedCertificateInputs(presented, DEFAULT_CHECK_OPTIONS, certs.now);
    expect(certificates.map(({ chain: state }) => state)).toEqual([{ state: 'presented', ...chain }]);
    const { address, port, host, via } = certificates[0]?.listener.endpoint ?? { address: '', port: 0, host: '', via: '' };
    // What the facts hold for the listener the chain is judged at: the issuer download, nothing of a connection.
    expect(facts.http(url)).toEqual(issuerDownloads[url]);
    expect([facts.tcp(address, port), facts.sip('example.com', host, address, port), facts.xmpp('starttls', 'example.com', address, port)]).toEqual([undefined, undefined, undefined]);
    expect([facts.dns(via, 'SRV'), facts.dns(host, 'A'), facts.dns(host, 'AAAA')]).toEqual([undefined, undefined, undefined]);
    expect(JSON.stringify(certificates)).not.toMatch(/"session"|"cipher"|"protocol"/);
  });

  it('judges a good Edge chain read from a file as passing every certificate check, with no DNS or TCP facts', () => {
    const anchors = [certs.root];
    const chain = fileChain('./edge.pfx', [certs.leaves.edge, certs.intermediate], trustAnchors(anchors), certs.now);
    expect(chain.authorized).toBe(true);
    const options = { ...DEFAULT_CHECK_OPTIONS, extraTrustAnchors: anchors };
    const presented = { role: 'sip-edge' as const, domain: 'example.com', host: 'sip.example.com', address: 'sip.example.com', port: 5061, chain };
    const { findings } = judgePresentedCertificate(allChecks, presented, options, certs.now);
    expect(findings.map((finding) => `${finding.checkId} ${finding.status}`).sort()).toEqual(
      ['tls.certificate-chain', 'tls.certificate-expiry', 'tls.certificate-key-strength', 'tls.certificate-key-usage', 'tls.sip-certificate-names'].map((id) => `${id} pass`),
    );
    // Each finding tells where its chain came from, and nothing of a handshake that never happened.
    for (const finding of findings) {
      expect(finding.evidence[0], finding.checkId).toBe(
        'sip.example.com sip.example.com:5061 via _sipfederationtls._tcp.example.com: certificate read from ./edge.pfx, 2 certificates, chain Node would trust',
      );
    }
  });

  it('the certificate checks judge the lab run alike from the presented chains and certificate facts alone: they read no DNS or TCP fact', () => {
    const saved = readFactsFile(join(PROJECT_ROOT, 'fixtures/facts/lab-demo.json'));
    const options = savedCheckOptions(saved);
    const now = new Date(saved.startedAt);
    const checks = certificateChecks(allChecks);
    const certificateOnly: FactRecord = Object.fromEntries(
      Object.entries(saved.facts).filter(([key]) => key.startsWith('http:') || key.startsWith('local-certificate:')),
    );
    let judged = 0;
    for (const target of saved.targets) {
      const full = new FactView(saved.facts);
      const live = evaluateTarget(checks, target, full, options, now);
      const context = { target, presence: servicePresence(target, full), facts: new FactView(certificateOnly), certificates: presentedChains(target, full), options, now };
      expect(judgeContext(checks, context), target.domain).toEqual(live);
      judged += live.filter((finding) => finding.status !== 'skip').length;
    }
    // The lab's certificates were judged, not only skipped.
    expect(judged).toBeGreaterThan(50);
  });
});
