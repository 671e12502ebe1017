// Runs (Report + SavedFacts) for the reporter, diff and history tests: the recorded lab demo, hand-made runs, and
// a hostile one whose partner-controlled strings (SRV target, certificate subject, messages) carry markup.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FACTS_FORMAT, FACTS_SCHEMA_VERSION } from '../../src/model/facts-file.js';
import type { SavedFacts } from '../../src/model/facts-file.js';
import { FactView } from '../../src/model/facts.js';
import type { FactRecord } from '../../src/model/facts.js';
import { splitServer } from '../../src/judge/dns-evidence.js';
import type { Finding, Location, Status } from '../../src/model/finding.js';
import { REPORT_SCHEMA_VERSION, domainReport, summarize } from '../../src/model/report.js';
import type { Report } from '../../src/model/report.js';
import { observeDomain } from '../../src/judge/observations.js';
import { servicePresence } from '../../src/judge/presence.js';
import { replay } from '../../src/engine/run.js';
import type { Target } from '../../src/model/target.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import type { TestPki } from '../../src/pki/test-ca.js';
import { TEST_DOMAIN } from './check-tester.js';
import { ROOT } from './fedcheck.js';
import { protocolFacts, sipResponse, tlsSession } from './protocol-fact-builder.js';

export interface Run {
  report: Report;
  saved: SavedFacts;
}

export const LAB_FACTS_FILE = `${ROOT}/fixtures/facts/lab-demo.json`;

/** `fedcheck demo --save-facts`, recorded once (fixtures/facts/lab-demo.json), and the report its replay gives. */
export function labRun(): Run {
  const saved = JSON.parse(readFileSync(LAB_FACTS_FILE, 'utf8')) as SavedFacts;
  return { report: replay(saved, LAB_FACTS_FILE), saved };
}

/**
 * A hand-made report with what the engine observes in `saved` added to each domain the facts hold a target for, as a
 * run judged from those facts would carry it.
 */
export function observedRun(report: Report, saved: SavedFacts): Run {
  const facts = new FactView(saved.facts);
  const now = new Date(saved.startedAt);
  const domains = report.domains.map((domain) => {
    const target = saved.targets.find((t) => t.domain === domain.domain);
    if (target === undefined) return domain;
    const presence = servicePresence(target, facts);
    return domainReport(target, domain.findings, presence, observeDomain(target, facts, presence, now, saved.options.expiryWarningDays));
  });
  return { report: { ...report, domains, summary: summarize(domains, report.summary.deadlineReached) }, saved };
}

export const RUN_START = '2026-03-01T02:00:00.000Z';

export function finding(checkId: string, subject: string, status: Status, extra: Partial<Finding> = {}): Finding {
  const [area] = checkId.split('.') as [Finding['area']];
  const domain = extra.domain ?? TEST_DOMAIN;
  return {
    checkId,
    area,
    domain,
    service: 'sip',
    status,
    subject,
    location: { domain, ...placeOf(subject) },
    messageId: status,
    message: `${checkId} says ${status} about ${subject}`,
    evidence: [`seen at ${subject}`],
    ...(status === 'pass' || status === 'skip' ? {} : { fix: { summary: `repair ${subject}`, steps: ['first', 'second'], snippets: [{ lang: 'zone', text: 'x. 3600 IN A 192.0.2.1' }] } }),
    references: [{ title: 'RFC 2782', url: 'https://www.rfc-editor.org/rfc/rfc2782' }],
    ...extra,
  };
}

/**
 * Where a hand-made finding applies, as a check would say for its subject: `host address:port` a listener,
 * `address:port` an endpoint, anything else a DNS name. Only for these fixtures: no code derives a location from text.
 */
function placeOf(subject: string): Omit<Location, 'domain'> {
  const [first = '', second] = subject.split(' ');
  const endpoint = (text: string) => (/:\d+$/.test(text) ? splitServer(text) : undefined);
  if (second !== undefined && endpoint(second)) return { host: first, ...endpoint(second) };
  const alone = endpoint(subject);
  return alone ?? { name: subject };
}

/** A report of the given findings, grouped by their domain, each domain checked for SIP. */
export function reportOf(findings: Finding[], startedAt = RUN_START): Report {
  const domains = [...new Set(findings.map((f) => f.domain))].map((domain) =>
    domainReport({ domain, input: domain, services: ['sip'] }, findings.filter((f) => f.domain === domain)),
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'fedcheck', version: '0.1.0' },
    startedAt,
    finishedAt: startedAt,
    durationMs: 1500,
    source: { kind: 'live' },
    options: { vantage: 'external', resolvers: ['192.0.2.53:53'], timeoutMs: 5000, allowPrivate: [] },
    summary: summarize(domains, false),
    domains,
  };
}

export function savedOf(facts: FactRecord, targets: Target[], startedAt = RUN_START): SavedFacts {
  return {
    format: FACTS_FORMAT,
    schemaVersion: FACTS_SCHEMA_VERSION,
    tool: { name: 'fedcheck', version: '0.1.0' },
    startedAt,
    targets,
    options: { vantage: 'external', allowPrivate: [], expiryWarningDays: 30, extraTrustAnchors: [], resolvers: ['192.0.2.53:53'], timeoutMs: 5000 },
    facts,
  };
}

let pki: Promise<TestPki> | undefined;

/** One test CA per process: key generation is the slow part. */
export function testPki(): Promise<TestPki> {
  pki ??= createTestPki({ name: 'fedcheck report tests' });
  return pki;
}

/** A SIP-only example.com whose Edge `host` at 203.0.113.5:5061 sends `leafDer` (base64) and answers 200 OK. */
export function sipEdgeFacts(host: string, leafDer: string): FactRecord {
  return protocolFacts()
    .listener('sip', host, EDGE_ADDRESS, 5061)
    .sipSession(EDGE_ADDRESS, 5061, tlsSession(host, [leafDer]), sipResponse('SIP/2.0 200 OK'))
    .build();
}

export const EDGE_ADDRESS = '203.0.113.5';

/** A certificate's SHA-256 as `location.certificate` holds it: lowercase hex, no colons. */
export function sha256Hex(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}
export const HOSTILE_HOST = '<script>alert("srv")</script>.example.com';
export const HOSTILE_CN = '<script>alert("cn")</script>';

/** Every string a partner controls carries markup: the SRV target, the certificate subject, a SIP header in evidence. */
export async function hostileRun(): Promise<Run> {
  const certificate = await (await testPki()).issue({ commonName: HOSTILE_CN, dnsNames: ['sip.example.com'] });
  const subject = `${HOSTILE_HOST} ${EDGE_ADDRESS}:5061`;
  const findings = [
    finding('dns.srv-target-address', HOSTILE_HOST, 'fail', { message: `${HOSTILE_HOST} <img src=x onerror=alert(1)>`, location: { domain: TEST_DOMAIN, host: HOSTILE_HOST } }),
    finding('tls.certificate-chain', subject, 'warn', {
      evidence: [`subject: CN=${HOSTILE_CN}`, '</pre><script>alert("evidence")</script>'],
      location: { domain: TEST_DOMAIN, host: HOSTILE_HOST, address: EDGE_ADDRESS, port: 5061, certificate: sha256Hex(certificate.certDer) },
    }),
    finding('sip.options-response', subject, 'pass', {
      evidence: ['Server: <iframe src="https://evil.example/">'],
      location: { domain: TEST_DOMAIN, host: HOSTILE_HOST, address: EDGE_ADDRESS, port: 5061 },
    }),
  ];
  const target: Target = { domain: TEST_DOMAIN, input: TEST_DOMAIN, services: ['sip'] };
  return observedRun(reportOf(findings), savedOf(sipEdgeFacts(HOSTILE_HOST, certificate.certDer.toString('base64')), [target]));
}
