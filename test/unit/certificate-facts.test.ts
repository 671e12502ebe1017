import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { CERTIFICATE_CHECK_IDS, fileSession, judgePresentedCertificate, presentedFacts } from '../../src/engine/certificate-facts.js';
import { DEFAULT_CHECK_OPTIONS } from '../../src/engine/check.js';
import { FactView } from '../../src/engine/facts.js';
import { endpoints } from '../../src/engine/services.js';
import { trustAnchors } from '../../src/pki/trust.js';
import { testCertificates } from '../support/certificates.js';

const certs = await testCertificates();

describe('certificate facts', () => {
  it('names only registered tls checks, so a renamed check cannot silently drop out of cert inspect', () => {
    for (const id of CERTIFICATE_CHECK_IDS) expect(allChecks.find((check) => check.meta.id === id)?.meta.area, id).toBe('tls');
  });

  it.each([
    ['sip-edge', 'sip', 5061, 'sip.example.com'],
    ['xmpp-server', 'xmpp-starttls', 5269, 'example.com'],
  ] as const)('%s: one listener at the host, found through the SRV record a partner would follow', (role, mode, port, servername) => {
    const chain = [certs.leaves.edge, certs.intermediate];
    const session = fileSession('edge.pfx', servername, chain, trustAnchors([certs.root]), certs.now);
    const { target, facts } = presentedFacts({ role, domain: 'example.com', host: 'sip.example.com', address: 'sip.example.com', port, session });
    const [endpoint, ...others] = endpoints(target, new FactView(facts));
    expect(others).toEqual([]);
    expect(endpoint).toMatchObject({ host: 'sip.example.com', address: 'sip.example.com', port, mode, servername });
  });

  it('judges a good Edge chain read from a file as passing every certificate check', () => {
    const chain = [certs.leaves.edge, certs.intermediate];
    const anchors = [certs.root];
    const session = fileSession('edge.pfx', 'sip.example.com', chain, trustAnchors(anchors), certs.now);
    expect(session).toMatchObject({ authorized: true, protocol: 'read from', cipher: 'edge.pfx' });
    const options = { ...DEFAULT_CHECK_OPTIONS, extraTrustAnchors: anchors };
    const presented = { role: 'sip-edge' as const, domain: 'example.com', host: 'sip.example.com', address: 'sip.example.com', port: 5061, session };
    const { findings } = judgePresentedCertificate(presented, options, certs.now);
    expect(findings.map((finding) => `${finding.checkId} ${finding.status}`).sort()).toEqual(
      ['tls.certificate-chain', 'tls.certificate-expiry', 'tls.certificate-key-strength', 'tls.certificate-key-usage', 'tls.sip-certificate-names'].map((id) => `${id} pass`),
    );
  });
});
