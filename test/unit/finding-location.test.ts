// Every check says where its findings apply: the recorded lab run (every scenario of the demo) judged again, and
// each finding's location checked against what its subject shows and what the facts hold. A check that forgets its
// location, or names another address, port or certificate than the one it judged, fails here.

import { describe, expect, it } from 'vitest';
import { savedCheckOptions } from '../../src/model/facts-file.js';
import { allChecks } from '../../checks/index.js';
import { evaluateTarget } from '../../src/engine/evaluate.js';
import { FactView } from '../../src/model/facts.js';
import type { Finding } from '../../src/model/finding.js';
import { findingKey } from '../../src/model/location.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { labRun } from '../support/report-runs.js';

const { saved } = labRun();
const options = savedCheckOptions(saved);
const view = new FactView(saved.facts);
const findings: Finding[] = saved.targets.flatMap((target) =>
  evaluateTarget(allChecks, target, view, options, new Date(saved.startedAt)),
);

/** The checks that judge the certificate chain a listener presented. */
const CERTIFICATE_CHECKS = new Set([
  'tls.certificate-chain',
  'tls.certificate-expiry',
  'tls.certificate-key-strength',
  'tls.certificate-key-usage',
  'tls.certificate-revocation',
  'tls.sip-certificate-names',
  'tls.xmpp-certificate-names',
]);

/** `203.0.113.5:5061` or `[2001:db8::5]:5061` anywhere in a subject. */
const ENDPOINT = /(?:^|[\s@])(?:\[([0-9a-f:.]+)\]|(\d+\.\d+\.\d+\.\d+)):(\d+)$/i;

/** Every certificate the run saw, by the fingerprint a location holds: Node's SHA-256, lower case, no colons. */
function certificatesSeen(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'string' && item.startsWith('MII')) {
        found.add(parseCertificate(item).fingerprints.sha256.replace(/:/g, '').toLowerCase());
      } else certificatesSeen(item, found);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) certificatesSeen(item, found);
  }
  return found;
}

const describeFinding = (f: Finding) => `${f.checkId} ${f.status} ${f.messageId} (${f.subject}) at ${JSON.stringify(f.location)}`;

describe('finding locations over the recorded lab run', () => {
  it('judges enough of the lab to mean something', () => {
    const checks = new Set(findings.map((f) => f.checkId));
    // The demo runs without --client-cert and --revocation: those two checks have nothing to judge there.
    const unjudged = ['tls.client-certificate-accepted', 'tls.certificate-revocation'];
    expect(allChecks.filter((check) => !checks.has(check.meta.id)).map((check) => check.meta.id)).toEqual(unjudged);
    expect(findings.filter((f) => ENDPOINT.test(f.subject)).length).toBeGreaterThan(50);
  });

  it('puts each finding in its own domain', () => {
    expect(findings.filter((f) => f.location.domain !== f.domain).map(describeFinding)).toEqual([]);
  });

  it('gives every finding whose subject names an address and port that address and port', () => {
    const wrong = findings.filter((f) => {
      const match = ENDPOINT.exec(f.subject);
      if (!match) return false;
      const address = match[1] ?? match[2];
      return f.location.address !== address || f.location.port !== Number(match[3]);
    });
    expect(wrong.map(describeFinding)).toEqual([]);
  });

  it('gives every finding about a listener its host', () => {
    const listenerFindings = findings.filter((f) => /^\S+ \S+:\d+$/.test(f.subject) && !f.subject.includes(' @'));
    expect(listenerFindings.length).toBeGreaterThan(0);
    expect(listenerFindings.filter((f) => f.location.host !== f.subject.split(' ')[0]).map(describeFinding)).toEqual([]);
  });

  it('gives every address finding its address and host', () => {
    const wrong = findings.filter((f) => f.checkId === 'net.address-scope' && f.status !== 'skip' && (f.location.address !== f.subject || !f.location.host));
    expect(wrong.map(describeFinding)).toEqual([]);
  });

  it('gives every judged certificate finding the fingerprint of a certificate the run saw', () => {
    const seen = certificatesSeen(saved.facts);
    const judged = findings.filter((f) => CERTIFICATE_CHECKS.has(f.checkId) && f.status !== 'skip');
    expect(judged.length).toBeGreaterThan(10);
    expect(judged.filter((f) => f.location.certificate === undefined || !seen.has(f.location.certificate)).map(describeFinding)).toEqual([]);
  });

  it('gives no certificate to a finding that is not about one', () => {
    const wrong = findings.filter((f) => !CERTIFICATE_CHECKS.has(f.checkId) && f.location.certificate !== undefined);
    expect(wrong.map(describeFinding)).toEqual([]);
  });

  it('gives every DNS finding about a name other than the domain that name as its owner', () => {
    const named = findings.filter((f) => f.area === 'dns' && f.subject !== f.domain);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((f) => f.location.name === undefined || !f.subject.startsWith(f.location.name)).map(describeFinding)).toEqual([]);
  });

  it('tells apart, by location, every two findings of a check that the subject told apart', () => {
    // The diff, JUnit and Prometheus key on location: two findings it merged would be one where they were two.
    const subjectsByKey = new Map<string, Set<string>>();
    for (const f of findings) subjectsByKey.set(findingKey(f), (subjectsByKey.get(findingKey(f)) ?? new Set()).add(f.subject));
    expect([...subjectsByKey].filter(([, subjects]) => subjects.size > 1).map(([key, subjects]) => `${key.replaceAll('\u0000', ' | ')}: ${[...subjects].join(', ')}`)).toEqual([]);
  });

  it('says where every finding about more than its domain applies', () => {
    const bare = findings.filter((f) => f.subject !== f.domain && Object.keys(f.location).length === 1);
    expect(bare.map(describeFinding)).toEqual([]);
  });
});
