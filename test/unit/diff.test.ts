import { describe, expect, it } from 'vitest';
import type { Finding, Status } from '../../src/model/finding.js';
import { diffExitCode, diffReports } from '../../src/history/diff.js';
import type { ReportDiff, RunRecord } from '../../src/history/diff.js';
import { renderDiffJson, renderDiffTerminal } from '../../src/report/diff.js';
import { renderDiffMarkdown } from '../../src/report/markdown.js';
import { changeLines } from '../../src/run/changes.js';
import { RUN_START, finding, observedRun, reportOf, savedOf, sipEdgeFacts, testPki } from '../support/report-runs.js';

const LATER = '2026-03-08T02:00:00.000Z';
const SUBJECT = 'sip.example.com 203.0.113.5:5061';
const DAY = 86_400_000;

type Bucket = 'newFailures' | 'fixed' | 'stillFailing' | 'none';

/** One finding's status in the older and the newer run (undefined: not reported), and where the diff puts it. */
const TABLE: [Status | undefined, Status | undefined, Bucket][] = [
  ['pass', 'fail', 'newFailures'],
  ['pass', 'error', 'newFailures'],
  ['pass', 'warn', 'newFailures'],
  [undefined, 'fail', 'newFailures'],
  ['skip', 'warn', 'newFailures'],
  ['warn', 'fail', 'newFailures'],
  ['fail', 'pass', 'fixed'],
  ['error', 'skip', 'fixed'],
  ['warn', 'pass', 'fixed'],
  ['fail', undefined, 'fixed'],
  ['fail', 'fail', 'stillFailing'],
  ['fail', 'error', 'stillFailing'],
  ['fail', 'warn', 'stillFailing'],
  ['warn', 'warn', 'stillFailing'],
  ['pass', 'pass', 'none'],
  ['pass', 'skip', 'none'],
  [undefined, 'pass', 'none'],
  ['pass', undefined, 'none'],
];

/** Both runs also hold a passing finding, so the domain is in both. */
function runs(before: Status | undefined, after: Status | undefined): [RunRecord, RunRecord] {
  const anchor = finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'pass');
  const at = (status: Status | undefined) => (status === undefined ? [] : [finding('tls.certificate-expiry', SUBJECT, status)]);
  return [{ report: reportOf([anchor, ...at(before)]) }, { report: reportOf([anchor, ...at(after)], LATER) }];
}

function bucketOf(diff: ReportDiff): Bucket {
  const buckets = (['newFailures', 'fixed', 'stillFailing'] as const).filter((name) => diff[name].length > 0);
  expect(buckets.length).toBeLessThanOrEqual(1);
  return buckets[0] ?? 'none';
}

describe('diffReports', () => {
  it.each(TABLE)('%s → %s is %s', (before, after, bucket) => {
    const diff = diffReports(...runs(before, after));
    expect(bucketOf(diff)).toBe(bucket);
    if (bucket === 'none') return;
    const [change] = diff[bucket];
    expect(change).toMatchObject({ domain: 'example.com', checkId: 'tls.certificate-expiry', subject: SUBJECT });
    expect(change?.before).toBe(before);
    expect(change?.after).toBe(after);
    expect(change?.finding.status).toBe(after ?? before);
  });

  it.each([
    ['pass', 'pass', 0],
    ['pass', 'warn', 1],
    ['pass', 'fail', 2],
    ['warn', 'error', 2],
    ['fail', 'pass', 0],
    ['fail', 'warn', 0],
  ] as const)('exit code for %s → %s is %i', (before, after, code) => {
    expect(diffExitCode(diffReports(...runs(before, after)))).toBe(code);
  });

  it('lists domains added and removed; a removed domain is not "fixed", an added one is new', () => {
    const gone = finding('net.federation-port', '192.0.2.1:5061', 'fail', { domain: 'gone.example' });
    const kept = finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'pass');
    const added = finding('net.federation-port', '192.0.2.2:5061', 'fail', { domain: 'new.example' });
    const diff = diffReports({ report: reportOf([kept, gone]) }, { report: reportOf([kept, added], LATER) });
    expect(diff.domainsAdded).toEqual(['new.example']);
    expect(diff.domainsRemoved).toEqual(['gone.example']);
    expect(diff.fixed).toEqual([]);
    expect(diff.newFailures.map((c) => c.domain)).toEqual(['new.example']);
  });

  it('sorts new failures worst first', () => {
    const older = reportOf([finding('dns.sip-federation-srv', 'a', 'pass')]);
    const newer = reportOf([finding('dns.sip-federation-srv', 'a', 'pass'), finding('net.federation-port', 'w', 'warn'), finding('net.federation-port', 'f', 'fail')], LATER);
    expect(diffReports({ report: older }, { report: newer }).newFailures.map((c) => c.after)).toEqual(['fail', 'warn']);
  });
});

describe('matching findings run to run', () => {
  const edge = { domain: 'example.com', host: 'sip.example.com', address: '203.0.113.5', port: 5061 };
  const expiry = (subject: string, status: Status, location: Finding['location']) => finding('tls.certificate-expiry', subject, status, { location });
  const diffOf = (before: Finding[], after: Finding[]) => diffReports({ report: reportOf(before) }, { report: reportOf(after, LATER) });

  it('matches by location, whatever the subject says', () => {
    const diff = diffOf([expiry(SUBJECT, 'fail', edge)], [expiry('sip.example.com (renamed for display) 203.0.113.5:5061', 'pass', edge)]);
    expect(diff.fixed.map((c) => [c.before, c.after])).toEqual([['fail', 'pass']]);
    expect(diff.newFailures).toEqual([]);
  });

  it('follows an endpoint across a renewal: a fault the new certificate kept is still failing, not fixed and new', () => {
    const oldCertificate = { ...edge, certificate: 'a'.repeat(64) };
    const newCertificate = { ...edge, certificate: 'b'.repeat(64) };
    const usage = (status: Status, location: Finding['location']) => finding('tls.certificate-key-usage', SUBJECT, status, { location });
    const diff = diffOf([expiry(SUBJECT, 'warn', oldCertificate), usage('fail', oldCertificate)], [expiry(SUBJECT, 'pass', newCertificate), usage('fail', newCertificate)]);
    expect(diff.fixed.map((c) => [c.checkId, c.before, c.after])).toEqual([['tls.certificate-expiry', 'warn', 'pass']]);
    expect(diff.stillFailing.map((c) => [c.checkId, c.finding.location.certificate])).toEqual([['tls.certificate-key-usage', 'b'.repeat(64)]]);
    expect(diff.newFailures).toEqual([]);
  });

  it('tells apart the findings of two addresses of one host, when both runs have both', () => {
    const other = { ...edge, address: '203.0.113.6' };
    const diff = diffOf([expiry(SUBJECT, 'fail', edge), expiry(SUBJECT, 'pass', other)], [expiry(SUBJECT, 'pass', edge), expiry(SUBJECT, 'fail', other)]);
    expect(diff.fixed.map((c) => [c.before, c.after, c.finding.location.address])).toEqual([['fail', 'pass', '203.0.113.5']]);
    expect(diff.newFailures.map((c) => [c.before, c.after, c.finding.location.address])).toEqual([['pass', 'fail', '203.0.113.6']]);
    expect(diff.changed).toEqual([]);
  });

  describe('a renumbered Edge: the same host at another address or port', () => {
    const renumbered = { ...edge, address: '198.51.100.7' };
    const NEW_SUBJECT = 'sip.example.com 198.51.100.7:5061';

    it('is one finding changed, old → new subject, not one fixed and one new', () => {
      const diff = diffOf([expiry(SUBJECT, 'fail', edge)], [expiry(NEW_SUBJECT, 'fail', renumbered)]);
      expect(diff.changed.map((c) => [c.subjectBefore, c.subject, c.before, c.after])).toEqual([[SUBJECT, NEW_SUBJECT, 'fail', 'fail']]);
      expect(diff.fixed).toEqual([]);
      expect(diff.newFailures).toEqual([]);
      expect(diff.stillFailing).toEqual([]);
      expect(diffExitCode(diff)).toBe(0);
    });

    it('is fixed, or new, when the move also changed its standing, and says where it was', () => {
      const fixed = diffOf([expiry(SUBJECT, 'fail', edge)], [expiry(NEW_SUBJECT, 'pass', renumbered)]);
      expect(fixed.fixed.map((c) => [c.subjectBefore, c.subject, c.before, c.after])).toEqual([[SUBJECT, NEW_SUBJECT, 'fail', 'pass']]);
      const worse = diffOf([expiry(SUBJECT, 'warn', edge)], [expiry(NEW_SUBJECT, 'fail', renumbered)]);
      expect(worse.newFailures.map((c) => [c.subjectBefore, c.before, c.after])).toEqual([[SUBJECT, 'warn', 'fail']]);
      expect(worse.fixed).toEqual([]);
    });

    it('follows a port change too', () => {
      const diff = diffOf([expiry(SUBJECT, 'fail', edge)], [expiry('sip.example.com 203.0.113.5:5062', 'fail', { ...edge, port: 5062 })]);
      expect(diff.changed.map((c) => c.subjectBefore)).toEqual([SUBJECT]);
    });

    it('does not take an IPv6 address gone for the IPv4 one renumbered, nor another host for this one', () => {
      const v6 = { ...edge, address: '2001:db8::5' };
      const V6_SUBJECT = 'sip.example.com [2001:db8::5]:5061';
      const diff = diffOf([expiry(V6_SUBJECT, 'fail', v6)], [expiry(NEW_SUBJECT, 'fail', renumbered)]);
      expect(diff.fixed.map((c) => c.subject)).toEqual([V6_SUBJECT]);
      expect(diff.newFailures.map((c) => c.subject)).toEqual([NEW_SUBJECT]);
      const otherHost = diffOf([expiry(SUBJECT, 'fail', edge)], [expiry('sip2.example.com 198.51.100.7:5061', 'fail', { ...renumbered, host: 'sip2.example.com' })]);
      expect(otherHost.changed).toEqual([]);
      expect(otherHost.fixed).toHaveLength(1);
      expect(otherHost.newFailures).toHaveLength(1);
    });

    it('pairs two renumbered addresses in order, and leaves the third, new one, new', () => {
      const at = (address: string, status: Status) => expiry(`sip.example.com ${address}:5061`, status, { ...edge, address });
      const diff = diffOf([at('203.0.113.5', 'fail'), at('203.0.113.6', 'fail')], [at('198.51.100.1', 'fail'), at('198.51.100.2', 'fail'), at('198.51.100.3', 'fail')]);
      expect(diff.changed.map((c) => `${c.subjectBefore ?? ''} → ${c.subject}`)).toEqual([
        'sip.example.com 203.0.113.5:5061 → sip.example.com 198.51.100.1:5061',
        'sip.example.com 203.0.113.6:5061 → sip.example.com 198.51.100.2:5061',
      ]);
      expect(diff.newFailures.map((c) => c.subject)).toEqual(['sip.example.com 198.51.100.3:5061']);
      expect(diff.fixed).toEqual([]);
    });

    it('shows old → new in every rendering of the diff, and in the run\'s summary lines', () => {
      const diff = diffOf([expiry(SUBJECT, 'fail', edge)], [expiry(NEW_SUBJECT, 'fail', renumbered)]);
      // Wrapped and padded for the terminal: compared with each run of white space read as one space.
      expect(renderDiffTerminal(diff).replace(/\s+/g, ' ')).toContain(`Changed address or port (1) FAIL→FAIL example.com · tls.certificate-expiry · ${SUBJECT} → ${NEW_SUBJECT}`);
      expect(renderDiffMarkdown(diff)).toContain(`### Changed address or port (1)\n\n- **FAIL → FAIL** \`example.com\` \`tls.certificate-expiry\` \`${SUBJECT} → ${NEW_SUBJECT}\``);
      const json = JSON.parse(renderDiffJson(diff)) as ReportDiff;
      expect(json.changed[0]).toMatchObject({ subjectBefore: SUBJECT, subject: NEW_SUBJECT });
      const [headline, ...items] = changeLines(diff);
      expect(headline).toMatch(/^Changes since the last run \(.*\): 1 moved to another address or port$/);
      expect(items).toEqual([`changed: example.com tls.certificate-expiry (${SUBJECT} → ${NEW_SUBJECT}) fail → fail`]);
    });
  });

  it('tells apart the services of one location', () => {
    const sip = finding('net.federation-port', '203.0.113.5:5061', 'fail', { location: edge });
    const diff = diffOf([sip], [{ ...sip, service: 'xmpp' }]);
    expect(diff.fixed.map((c) => c.finding.service)).toEqual(['sip']);
    expect(diff.newFailures.map((c) => c.finding.service)).toEqual(['xmpp']);
  });

  it('matches a run written before findings had a location by subject', () => {
    const { location: _location, ...withoutLocation } = expiry(SUBJECT, 'fail', edge);
    const older = reportOf([withoutLocation as Finding]);
    const diff = diffReports({ report: older }, { report: reportOf([expiry(SUBJECT, 'fail', edge), expiry('sip.example.com 203.0.113.6:5061', 'warn', { ...edge, address: '203.0.113.6' })], LATER) });
    expect(diff.stillFailing.map((c) => c.subject)).toEqual([SUBJECT]);
    expect(diff.newFailures.map((c) => c.subject)).toEqual(['sip.example.com 203.0.113.6:5061']);
    expect(diff.fixed).toEqual([]);
  });
});

describe('certificates across runs', () => {
  const target = { domain: 'example.com', input: 'example.com', services: ['sip' as const] };
  const start = Date.parse(RUN_START);

  /** A run at `startedAt` whose Edge sends `leafDer`, observed as the engine observes it. */
  function runOf(leafDer: string, startedAt: string): RunRecord {
    const { report, saved } = observedRun(reportOf([finding('tls.certificate-expiry', SUBJECT, 'pass')], startedAt), savedOf(sipEdgeFacts('sip.example.com', leafDer), [target], startedAt));
    return { report, facts: saved };
  }

  async function leafExpiring(notAfter: number): Promise<string> {
    const certificate = await (await testPki()).issue({ dnsNames: ['sip.example.com'], notBefore: new Date(start - DAY), notAfter: new Date(notAfter) });
    return certificate.certDer.toString('base64');
  }

  async function runWith(notAfter: number, startedAt: string): Promise<RunRecord> {
    return runOf(await leafExpiring(notAfter), startedAt);
  }

  it('sees a renewal (same endpoint, new fingerprint, later expiry) and counts down', async () => {
    const leaf = await leafExpiring(start + 20.5 * DAY);
    const older = runOf(leaf, RUN_START);
    const same = runOf(leaf, LATER);
    const unchanged = diffReports(older, same);
    expect(unchanged.renewed).toEqual([]);
    expect(unchanged.countdown).toEqual([
      { domain: 'example.com', endpoint: SUBJECT, name: 'sip.example.com', notAfter: expect.any(String), daysLeftBefore: 20, daysLeftNow: 13 },
    ]);

    const renewed = await runWith(start + 400.5 * DAY, LATER);
    const diff = diffReports(older, renewed);
    expect(diff.certificatesCompared).toBe(true);
    expect(diff.renewed).toHaveLength(1);
    expect(diff.renewed[0]).toMatchObject({ domain: 'example.com', endpoint: SUBJECT, laterExpiry: true });
    expect(diff.renewed[0]?.before.sha256).not.toBe(diff.renewed[0]?.after.sha256);
    expect(diff.countdown[0]).toMatchObject({ daysLeftBefore: 20, daysLeftNow: 393 });
  });

  it('calls a new certificate that expires sooner a replacement, not a renewal', async () => {
    const diff = diffReports(await runWith(start + 200.5 * DAY, RUN_START), await runWith(start + 100.5 * DAY, LATER));
    expect(diff.renewed[0]?.laterExpiry).toBe(false);
  });

  it('compares no certificates when a run is a report without observations (an older fedcheck), and says so', async () => {
    const older = await runWith(start + 20.5 * DAY, RUN_START);
    const unobserved = { report: { ...older.report, domains: older.report.domains.map(({ observations: _observations, ...domain }) => domain) } };
    const diff = diffReports(unobserved, older);
    expect(diff.certificatesCompared).toBe(false);
    expect(diff.renewed).toEqual([]);
    expect(diff.countdown[0]?.daysLeftBefore).toBeUndefined();
    expect(renderDiffTerminal(diffReports(unobserved, unobserved))).toContain('Certificates not compared');
  });
});

describe('diff renderers', () => {
  const diff = diffReports(...runs('pass', 'fail'));

  it('terminal: the change, then the verdict and exit code', () => {
    const text = renderDiffTerminal(diff);
    expect(text).toContain('New problems (1)');
    expect(text).toContain('PASS→FAIL');
    expect(text).toContain(`example.com · tls.certificate-expiry · ${SUBJECT}`);
    expect(text.trimEnd().split('\n').at(-1)).toBe('Verdict: new failures (exit code 2)');
  });

  it('json: the diff with its schema version and exit code', () => {
    const parsed = JSON.parse(renderDiffJson(diff)) as Record<string, unknown>;
    expect(parsed).toMatchObject({ schemaVersion: 2, exitCode: 2 });
    expect((parsed.newFailures as unknown[]).length).toBe(1);
  });

  it('md: a section per kind of change', () => {
    expect(renderDiffMarkdown(diff)).toContain('### New problems (1)\n\n- **PASS → FAIL** `example.com` `tls.certificate-expiry`');
  });
});
