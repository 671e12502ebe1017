import { describe, expect, it } from 'vitest';
import type { DomainPath } from '../../src/model/observation.js';
import type { Report } from '../../src/model/report.js';
import { earliestExpiring, leafOf, seenCertificates } from '../../src/model/report-certificates.js';
import { protocolFacts } from '../support/protocol-fact-builder.js';
import { finding, labRun, observedRun, reportOf, savedOf } from '../support/report-runs.js';

const lab = labRun();
const pathIn = (report: Report, domain: string): DomainPath => {
  const path = report.domains.find((d) => d.domain === domain)?.observations?.path;
  if (path === undefined) throw new Error(`no path for ${domain}`);
  return path;
};
const pathOf = (domain: string): DomainPath => pathIn(lab.report, domain);
const findingsAt = (domain: string, nodeId: string) => {
  const report = lab.report.domains.find((d) => d.domain === domain);
  const node = report?.observations?.path.nodes.find((n) => n.id === nodeId);
  return (node?.findings ?? []).map((index) => report?.findings[index]);
};
const column = (path: DomainPath, name: string) =>
  path.nodes.filter((n) => n.column === name).map((n) => `${n.label} | ${n.detail} | ${n.status ?? 'none'}`);

describe('path model', () => {
  it('follows healthy.test from the domain to both certificates', () => {
    const path = pathOf('healthy.test');
    expect(column(path, 'srv')).toEqual([
      '_sipfederationtls._tcp | sip.healthy.test:5061 | pass',
      '_xmpp-server._tcp | sip.healthy.test:5269 | pass',
      '_xmpps-server._tcp | NXDOMAIN | pass',
    ]);
    expect(column(path, 'host')).toEqual(['sip.healthy.test | 1 address | pass']);
    expect(column(path, 'address')).toEqual(['127.77.1.1 | IPv4 | pass']);
    expect(column(path, 'port')).toEqual(['127.77.1.1:5061 | SIP over TLS · open | pass', '127.77.1.1:5269 | XMPP STARTTLS · open | pass']);
    expect(column(path, 'certificate')).toEqual(['sip.healthy.test | 364 days left | pass', 'sip.healthy.test | 364 days left | pass']);
    expect(path.nodes.find((n) => n.column === 'host')?.services).toEqual(['sip', 'xmpp']);
    expect(path.edges).toContainEqual({ from: 'srv:_xmpp-server._tcp.healthy.test', to: 'host:sip.healthy.test' });
    expect(path.edges).toContainEqual({ from: 'port:127.77.1.1:5269', to: 'certificate:sip.healthy.test 127.77.1.1:5269' });
  });

  it('marks the node where each fault is', () => {
    // SIP not published and not required: information. XMPP, hinted at by the legacy record, fails.
    expect(column(pathOf('no-srv.test'), 'srv')[0]).toBe('_sipfederationtls._tcp | NXDOMAIN | info');
    expect(pathOf('no-srv.test').nodes.some((n) => n.column === 'host')).toBe(false);
    // The IPv6 port refuses: no TLS, so no certificate box behind it.
    const dual = pathOf('dual-stack.test');
    expect(column(dual, 'port')).toEqual(['127.77.9.1:5061 | SIP over TLS · open | pass', '[::1]:5061 | SIP over TLS · refused | fail']);
    expect(column(dual, 'certificate')).toHaveLength(1);
    expect(column(pathOf('expired-cert.test'), 'certificate')).toEqual([
      'sip.expired-cert.test | expired 11 days ago | fail',
      'sip.expired-cert.test | expired 11 days ago | fail',
    ]);
    expect(column(pathOf('expired-cert.test'), 'port')[0]).toMatch(/\| pass$/);
  });

  it('takes each node from the findings located at it, certificate findings to the certificate', () => {
    const port = findingsAt('expired-cert.test', 'port:127.77.21.1:5061');
    const certificate = findingsAt('expired-cert.test', 'certificate:sip.expired-cert.test 127.77.21.1:5061');
    expect(port.map((f) => f?.checkId).sort()).toEqual(['net.federation-port', 'sip.ms-diagnostics', 'sip.options-response', 'tls.handshake', 'tls.protocol-versions']);
    expect(certificate.map((f) => f?.checkId)).toContain('tls.certificate-expiry');
    expect(certificate.every((f) => f?.location.certificate !== undefined)).toBe(true);
  });

  it('files each finding under the service it names', () => {
    const domain = lab.report.domains.find((d) => d.domain === 'expired-cert.test');
    const expiry = domain?.findings.find((f) => f.checkId === 'tls.certificate-expiry' && f.subject.endsWith(':5269'));
    expect(expiry?.service).toBe('xmpp');
    const host = domain?.findings.find((f) => f.checkId === 'dns.srv-target-address');
    expect(host?.service).toBe('none');
    expect(domain?.findings.find((f) => f.checkId === 'dns.sip-federation-srv')?.service).toBe('sip');
  });

  it('starts a configured Edge FQDN where the SRV record would be', () => {
    const facts = protocolFacts().nxdomain('_sipfederationtls._tcp.example.com', 'SRV').a('edge.example.com', ['203.0.113.5']).tcp('203.0.113.5', 5061, 'open').build();
    const target = { domain: 'example.com', input: 'example.com', services: ['sip' as const], edge: 'edge.example.com' };
    const located = { domain: 'example.com', address: '203.0.113.5', port: 5061 };
    const run = observedRun(reportOf([finding('net.federation-port', '203.0.113.5:5061', 'pass', { domain: 'example.com', location: located })]), savedOf(facts, [target]));
    const path = pathIn(run.report, 'example.com');
    expect(path && column(path, 'srv')).toEqual(['configured Edge | edge.example.com | none', '_sipfederationtls._tcp | NXDOMAIN | none']);
    expect(path?.edges).toContainEqual({ from: 'srv:--edge', to: 'host:edge.example.com' });
    expect(path && column(path, 'port')).toEqual(['203.0.113.5:5061 | SIP over TLS · open | pass']);
  });
});

describe('certificates seen', () => {
  const seen = seenCertificates(lab.report);

  it('lists every endpoint that sent a chain, leaf first, with days left at the run', () => {
    const expired = seen.filter((entry) => entry.domain === 'expired-cert.test');
    expect(expired.map((e) => e.endpoint)).toEqual(['sip.expired-cert.test 127.77.21.1:5061', 'sip.expired-cert.test 127.77.21.1:5269']);
    const [first] = expired;
    expect(first && leafOf(first)).toMatchObject({ name: 'sip.expired-cert.test', subject: 'CN=sip.expired-cert.test', daysLeft: -11 });
    expect(first?.chain[1]?.name).toBe('fedcheck lab Intermediate CA');
    expect(first && earliestExpiring(first).name).toBe('sip.expired-cert.test');
    expect(seen.some((entry) => entry.domain === 'no-srv.test')).toBe(false);
  });
});
