import { describe, expect, it } from 'vitest';
import { FactView } from '../../src/model/facts.js';
import type { Finding, Location } from '../../src/model/finding.js';
import { observeDomain } from '../../src/judge/observations.js';
import type { DomainObservations } from '../../src/model/observation.js';
import { servicePresence } from '../../src/judge/presence.js';
import { domainReport } from '../../src/model/report.js';
import type { Target } from '../../src/model/target.js';
import { TEST_DOMAIN } from '../support/check-tester.js';
import { EDGE_ADDRESS, finding, labRun, savedOf, sha256Hex, sipEdgeFacts, testPki } from '../support/report-runs.js';

const lab = labRun();
const observationsOf = (domain: string): DomainObservations => {
  const observed = lab.report.domains.find((d) => d.domain === domain)?.observations;
  if (observed === undefined) throw new Error(`no observations for ${domain}`);
  return observed;
};

describe('observations of the lab (fixtures/facts/lab-demo.json)', () => {
  it('list each endpoint with its address, port, TLS session, SIP answer and XMPP features', () => {
    const [sip, xmpp] = observationsOf('healthy.test').endpoints;
    expect(sip).toMatchObject({
      service: 'sip',
      mode: 'sip',
      via: '_sipfederationtls._tcp.healthy.test',
      host: 'sip.healthy.test',
      address: '127.77.1.1',
      port: 5061,
      label: 'sip.healthy.test 127.77.1.1:5061',
      tcp: 'open',
      tls: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', authorized: true },
      sip: { statusLine: 'SIP/2.0 200 OK', statusCode: 200 },
    });
    expect(sip?.xmpp).toBeUndefined();
    expect(xmpp).toMatchObject({ service: 'xmpp', mode: 'xmpp-starttls', port: 5269, xmpp: { afterTls: true, dialback: true, saslMechanisms: [] } });
    expect(xmpp?.xmpp?.features).toEqual(['{urn:xmpp:features:dialback}dialback']);
  });

  it('give each certificate its subject, issuer, fingerprint, days left at the run, expiry and role', () => {
    const [leaf, intermediate] = observationsOf('expired-cert.test').endpoints[0]?.certificates ?? [];
    expect(leaf).toMatchObject({ subject: 'CN=sip.expired-cert.test', name: 'sip.expired-cert.test', daysLeft: -11, expiry: 'expired', role: 'leaf' });
    expect(leaf?.issuer).toBe('CN=fedcheck lab Intermediate CA,O=fedcheck lab');
    expect(leaf?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(intermediate).toMatchObject({ name: 'fedcheck lab Intermediate CA', expiry: 'valid', role: 'intermediate' });
    expect(observationsOf('expiring-soon.test').endpoints[0]?.certificates[0]).toMatchObject({ daysLeft: 9, expiry: 'expiring' });
    expect(observationsOf('future-cert.test').endpoints[0]?.certificates[0]?.expiry).toBe('not-yet-valid');
    // A port that refuses has no session and no certificate, but is an endpoint all the same.
    expect(observationsOf('closed-port.test').endpoints[0]).toMatchObject({ tcp: 'refused', certificates: [] });
    expect(observationsOf('closed-port.test').endpoints[0]?.tls).toBeUndefined();
  });

  it('say which services each domain offers', () => {
    expect(observationsOf('m365.test').services).toEqual([
      { service: 'sip', presence: 'hosted', offered: true },
      { service: 'xmpp', presence: 'absent', offered: false },
    ]);
  });

  it('name the top problem: the worst finding, none for a healthy domain', () => {
    const domain = lab.report.domains.find((d) => d.domain === 'closed-port.test');
    expect(domain?.observations?.topProblem).toEqual({
      finding: 0,
      checkId: domain?.findings[0]?.checkId,
      status: 'fail',
      subject: domain?.findings[0]?.subject,
      message: domain?.findings[0]?.message,
    });
    expect(observationsOf('healthy.test').topProblem).toBeUndefined();
  });
});

describe('findings on the path', () => {
  const target: Target = { domain: TEST_DOMAIN, input: TEST_DOMAIN, services: ['sip'] };
  const SRV = `_sipfederationtls._tcp.${TEST_DOMAIN}`;
  const HOST = `sip.${TEST_DOMAIN}`;

  const leaf = testPki().then((pki) => pki.issue({ dnsNames: [HOST] }));

  async function observed(findings: Finding[]) {
    const der = (await leaf).certDer;
    const saved = savedOf(sipEdgeFacts(HOST, der.toString('base64')), [target]);
    const facts = new FactView(saved.facts);
    const presence = servicePresence(target, facts);
    const domain = domainReport(target, findings, presence, observeDomain(target, facts, presence, new Date(saved.startedAt), 30));
    const at = (id: string) => (domain.observations?.path.nodes.find((n) => n.id === id)?.findings ?? []).map((i) => domain.findings[i]?.checkId);
    return { domain, at, fingerprint: sha256Hex(der) };
  }
  const located = (checkId: string, status: Finding['status'], location: Omit<Location, 'domain'>) =>
    finding(checkId, 'shown only', status, { location: { domain: TEST_DOMAIN, ...location } });

  it('files each finding at the most specific place its location names, never by its subject', async () => {
    const { fingerprint } = await observed([]);
    const { domain, at } = await observed([
      located('dns.sip-federation-srv', 'pass', { name: SRV }),
      located('dns.srv-target-address', 'pass', { name: HOST }),
      located('dns.edge-dns-load-balancing', 'warn', { host: HOST }),
      located('net.address-scope', 'pass', { address: EDGE_ADDRESS }),
      located('net.federation-port', 'pass', { host: HOST, address: EDGE_ADDRESS, port: 5061 }),
      located('tls.certificate-expiry', 'fail', { host: HOST, address: EDGE_ADDRESS, port: 5061, certificate: fingerprint }),
      located('dns.name-servers', 'pass', {}),
      located('dns.client-records', 'warn', { name: `lyncdiscover.${TEST_DOMAIN}` }),
    ]);
    expect(at(`domain:${TEST_DOMAIN}`)).toEqual(['dns.name-servers']);
    expect(at(`srv:${SRV}`)).toEqual(['dns.sip-federation-srv']);
    expect(at(`host:${HOST}`).sort()).toEqual(['dns.edge-dns-load-balancing', 'dns.srv-target-address']);
    expect(at(`address:${EDGE_ADDRESS}`)).toEqual(['net.address-scope']);
    expect(at(`port:${EDGE_ADDRESS}:5061`)).toEqual(['net.federation-port']);
    expect(at(`certificate:${HOST} ${EDGE_ADDRESS}:5061`)).toEqual(['tls.certificate-expiry']);
    const statuses = Object.fromEntries(domain.observations?.path.nodes.map((n) => [n.column, n.status ?? 'none']) ?? []);
    expect(statuses).toEqual({ domain: 'pass', srv: 'pass', host: 'warn', address: 'pass', port: 'pass', certificate: 'fail' });
    // lyncdiscover is on no node of the federation path.
    const filed = new Set(domain.observations?.path.nodes.flatMap((n) => n.findings));
    expect(domain.findings.filter((_, index) => !filed.has(index)).map((f) => f.checkId)).toEqual(['dns.client-records']);
  });

  it('colours a node skip only when nothing else is about it, and leaves a node no finding is about unjudged', async () => {
    const { domain } = await observed([
      located('sip.options-response', 'skip', { address: EDGE_ADDRESS, port: 5061 }),
      located('net.address-scope', 'skip', { address: EDGE_ADDRESS }),
      located('net.address-scope', 'pass', { address: EDGE_ADDRESS }),
    ]);
    const status = (column: string) => domain.observations?.path.nodes.find((n) => n.column === column)?.status;
    expect(status('port')).toBe('skip');
    expect(status('address')).toBe('pass');
    expect(status('host')).toBeUndefined();
  });
});
