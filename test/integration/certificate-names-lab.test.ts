// `fedcheck check` against the lab's certificate-name scenarios: a wildcard on the Access Edge (wildcard-cert.test)
// and a certificate naming the domain in its CN only (cn-only.test), judged for SIP and XMPP.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { reportFromJson } from '../../src/model/report-json.js';
import type { ReportJson } from '../../src/model/report-json.js';
import { fedcheck } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

let lab: SharedLab;
let report: Report;
beforeAll(async () => {
  lab = sharedLab();
  const caFile = lab.caFile;
  const result = await fedcheck([
    'check',
    'wildcard-cert.test',
    'cn-only.test',
    ...labArgs(lab, [caFile]),
    '--format',
    'json',
  ]);
  expect(result.stderr).toBe('');
  report = reportFromJson(JSON.parse(result.stdout) as ReportJson);
});
afterAll(async () => {
});

const findingsOf = (domain: string, checkId: string): Finding[] =>
  report.domains.find((d) => d.domain === domain)?.findings.filter((f) => f.checkId === checkId) ?? [];
const verdicts = (findings: Finding[]) => findings.map((f) => [f.status, f.messageId]);

describe('certificate names in the lab', () => {
  it('wildcard-cert.test: the Access Edge named only by *.wildcard-cert.test fails with Microsoft\'s rule and its source', () => {
    const sip = findingsOf('wildcard-cert.test', 'tls.sip-certificate-names');
    expect(verdicts(sip)).toEqual([
      ['fail', 'wildcardEdge'],
      ['warn', 'cnNotEdge'],
    ]);
    expect(sip[0]?.message).toContain('Microsoft does not support wildcard certificates on the Lync / Skype for Business Edge');
    expect(sip[0]?.references.map((r) => r.url)).toContain(
      'https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-plan-for-edge-server-certificates',
    );
    expect(sip[0]?.fix?.summary).toContain('sip.wildcard-cert.test');
    // The XMPP domain itself is a DNS-ID of the same certificate: XMPP is satisfied.
    expect(verdicts(findingsOf('wildcard-cert.test', 'tls.xmpp-certificate-names'))).toEqual([['pass', 'named']]);
  });

  it('cn-only.test: XMPP warns with the SAN to add and what Prosody 0.12 does; SIP misses the Edge FQDN', () => {
    const xmpp = findingsOf('cn-only.test', 'tls.xmpp-certificate-names');
    expect(verdicts(xmpp)).toEqual([['warn', 'cnOnly']]);
    expect(xmpp[0]?.message).toContain('(Prosody 0.12 still does)');
    expect(xmpp[0]?.fix?.summary).toContain('DNS:cn-only.test');
    expect(verdicts(findingsOf('cn-only.test', 'tls.sip-certificate-names'))).toEqual([['warn', 'edgeNotNamed']]);
  });
});
