import { describe, expect, it } from 'vitest';
import { nagiosExitCode, nagiosUnknown, renderNagios } from '../../src/report/nagios.js';
import { summarize } from '../../src/model/report.js';
import type { Report } from '../../src/model/report.js';
import { exitCodeOf, parseNagios } from '../support/nagios-output.js';
import { RUN_START, finding, labRun, observedRun, reportOf, savedOf, sipEdgeFacts, testPki } from '../support/report-runs.js';

const DAY = 86_400;

/** One domain whose only finding is `status`, its one Edge certificate expiring `days` (and a half) after the run. */
async function runExpiringIn(days: number, status: 'pass' | 'warn' | 'fail'): Promise<Report> {
  const start = Date.parse(RUN_START);
  const certificate = await (await testPki()).issue({
    dnsNames: ['sip.example.com'],
    notBefore: new Date(start - DAY * 1000),
    notAfter: new Date(start + (days + 0.5) * DAY * 1000),
  });
  const target = { domain: 'example.com', input: 'example.com', services: ['sip' as const] };
  return observedRun(
    reportOf([finding('tls.certificate-expiry', 'sip.example.com 203.0.113.5:5061', status)]),
    savedOf(sipEdgeFacts('sip.example.com', certificate.certDer.toString('base64')), [target]),
  ).report;
}

describe('Nagios output', () => {
  it('starts with one status line: state, counts, worst domains, then the perfdata; one long text line per problem domain', () => {
    const lab = labRun();
    const text = renderNagios(lab.report);
    const { state, text: summary, perfdata, longText } = parseNagios(text);
    expect(state).toBe('CRITICAL');
    expect(nagiosExitCode(lab.report)).toBe(exitCodeOf(state));
    const { counts } = lab.report.summary;
    const total = lab.report.domains.length;
    const problems = lab.report.domains.filter((d) => d.worst === 'fail' || d.worst === 'error' || d.worst === 'warn');
    expect(summary).toContain(`${problems.length} of ${total} domains with problems: ${counts.fail} fail, ${counts.error} error, ${counts.warn} warn`);
    expect(summary).toContain(`worst: expired-cert.test, future-cert.test, tls10-only.test (+${problems.length - 3} more)`);
    // Counted per service too: a domain that does not publish a service is neither ok nor a problem for it.
    expect(summary).toMatch(/SIP \d+ ok, \d+ with problems, \d+ not published, XMPP \d+ ok, \d+ with problems, \d+ not published/);
    expect(summary).toContain('earliest certificate expired 11 days ago (expired-cert.test)');
    // Seconds, the guidelines' unit of time; the thresholds the run judged with, in range syntax.
    expect(perfdata.certificate_expiry).toMatchObject({ uom: 's', warn: `${30 * DAY}:`, crit: `${7 * DAY}:` });
    expect(Number(perfdata.certificate_expiry?.value)).toBeLessThan(-10 * DAY);
    expect(perfdata.fail).toEqual({ value: String(counts.fail), uom: '', warn: '', crit: '', min: '0', max: '' });
    expect(perfdata.domains?.value).toBe(String(total));
    expect(longText).toHaveLength(problems.length);
    expect(longText[0]).toMatch(/^expired-cert\.test: FAIL [a-z]+\.[a-z-]+: .+ \(\+\d+ more problems\)$/);
  });

  it.each([
    { status: 'pass', state: 'OK' },
    { status: 'warn', state: 'WARNING' },
    { status: 'fail', state: 'CRITICAL' },
  ] as const)('is $state when the expiry check says $status: the check holds the thresholds, the plugin shows them', async ({ status, state }) => {
    const report = await runExpiringIn(20, status);
    const parsed = parseNagios(renderNagios(report, { warnDays: 30, critDays: 25 }));
    expect(parsed.state).toBe(state);
    expect(nagiosExitCode(report)).toBe(exitCodeOf(state));
    expect(parsed.perfdata.certificate_expiry).toMatchObject({ warn: `${30 * DAY}:`, crit: `${25 * DAY}:` });
    // 20 and a half days from the run, in seconds.
    expect(parsed.perfdata.certificate_expiry?.value).toBe(String(20.5 * DAY));
  });

  it('shows the thresholds the report was judged with when none are given', async () => {
    const report = await runExpiringIn(20, 'warn');
    const judged = { ...report, options: { ...report.options, expiryWarningDays: 45, expiryCriticalDays: 14 } };
    expect(parseNagios(renderNagios(judged)).perfdata.certificate_expiry).toMatchObject({ warn: `${45 * DAY}:`, crit: `${14 * DAY}:` });
  });

  it('is UNKNOWN when nothing was judged, with U for the time left', () => {
    const empty = { ...reportOf([]), domains: [] };
    const { state, text, perfdata } = parseNagios(renderNagios(empty));
    expect(state).toBe('UNKNOWN');
    expect(text).toBe('nothing was judged; 0 domains, no problems');
    expect(perfdata.certificate_expiry?.value).toBe('U');
    expect(nagiosExitCode(empty)).toBe(3);
  });

  it('is UNKNOWN, whatever was found, when the deadline cut the run short or it was interrupted', () => {
    const report = reportOf([finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'fail')]);
    const late = { ...report, summary: summarize(report.domains, true, true) };
    expect(parseNagios(renderNagios(late)).text).toMatch(/^the run deadline was reached before every probe finished; 1 of 1 domains with problems/);
    const interrupted = { ...report, summary: summarize(report.domains, false, true) };
    expect(parseNagios(renderNagios(interrupted)).text).toMatch(/^the run was interrupted before every probe finished; /);
    expect([late, interrupted].map(nagiosExitCode)).toEqual([3, 3]);
  });

  it('answers UNKNOWN with the reason alone when fedcheck could not run', () => {
    const answer = nagiosUnknown('invalid --timeout "x": expected a whole number of milliseconds | really');
    expect(parseNagios(answer)).toEqual({ state: 'UNKNOWN', text: 'invalid --timeout "x": expected a whole number of milliseconds / really', perfdata: {}, longText: [] });
  });

  it('keeps pipes and line breaks out of the status line and the long text', () => {
    const report = reportOf([finding('dns.sip-federation-srv', 'x', 'warn', { domain: 'bad|name\nsecond.example', message: 'a | b\nc' })]);
    const { state, longText } = parseNagios(renderNagios(report));
    expect(state).toBe('WARNING');
    expect(longText).toEqual(['bad/name second.example: WARN dns.sip-federation-srv: a / b c']);
  });
});
