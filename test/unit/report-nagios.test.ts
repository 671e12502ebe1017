import { describe, expect, it } from 'vitest';
import { nagiosExitCode, renderNagios } from '../../src/report/nagios.js';
import type { Run } from '../support/report-runs.js';
import { RUN_START, finding, labRun, observedRun, reportOf, savedOf, sipEdgeFacts, testPki } from '../support/report-runs.js';

const LINE = /^FEDCHECK (OK|WARNING|CRITICAL|UNKNOWN) - ([^|\n]+) \| ([^\n]+)\n$/;
// Nagios plugin guidelines: 'label'=value[UOM];[warn];[crit];[min];[max], U for an unknown value.
const PERFDATA = /^[A-Za-z_]+=(-?\d+(?:\.\d+)?|U)(?:s|%|B|c)?(?:;[-~@:\d.]*){0,4}$/;

function parse(line: string): { state: string; summary: string; perf: Record<string, string> } {
  const match = LINE.exec(line);
  expect(match, line).not.toBeNull();
  const [, state = '', summary = '', perfText = ''] = match ?? [];
  const perf: Record<string, string> = {};
  for (const item of perfText.split(' ')) {
    expect(item, `perfdata item "${item}"`).toMatch(PERFDATA);
    const [label = '', value = ''] = item.split('=');
    perf[label] = value;
  }
  return { state, summary, perf };
}

const DAY = 86_400_000;

/** A domain whose every finding passes and whose one Edge certificate expires `days` (and a half) after the run. */
async function runExpiringIn(days: number): Promise<Run> {
  const start = Date.parse(RUN_START);
  const certificate = await (await testPki()).issue({
    dnsNames: ['sip.example.com'],
    notBefore: new Date(start - DAY),
    notAfter: new Date(start + days * DAY + DAY / 2),
  });
  const target = { domain: 'example.com', input: 'example.com', services: ['sip' as const] };
  return observedRun(
    reportOf([finding('tls.certificate-expiry', 'sip.example.com 203.0.113.5:5061', 'pass')]),
    savedOf(sipEdgeFacts('sip.example.com', certificate.certDer.toString('base64')), [target]),
  );
}

describe('Nagios output', () => {
  it('is one line with the state, counts, worst domains and perfdata', () => {
    const lab = labRun();
    const line = renderNagios(lab.report, { warnDays: 30, critDays: 7 });
    const { state, summary, perf } = parse(line);
    expect(state).toBe('CRITICAL');
    const { counts } = lab.report.summary;
    const total = lab.report.domains.length;
    const problems = lab.report.domains.filter((d) => d.worst === 'fail' || d.worst === 'error' || d.worst === 'warn').length;
    expect(summary).toContain(`${problems} of ${total} domains with problems: ${counts.fail} fail, ${counts.error} error, ${counts.warn} warn`);
    expect(summary).toContain(`worst: expired-cert.test, future-cert.test, tls10-only.test (+${problems - 3} more)`);
    // Counted per service too: a domain that does not publish a service is neither ok nor a problem for it.
    expect(summary).toMatch(/SIP \d+ ok, \d+ with problems, \d+ not published, XMPP \d+ ok, \d+ with problems, \d+ not published/);
    expect(summary).toContain('earliest certificate expired 11 days ago (expired-cert.test)');
    expect(perf).toMatchObject({ days_left: '-11;30:;7:', fail: String(counts.fail), warn: String(counts.warn), error: String(counts.error), domains: String(total) });
    expect(Number(perf.sip_problems)).toBeGreaterThan(0);
    expect(nagiosExitCode(lab.report, { warnDays: 30, critDays: 7 })).toBe(2);
    expect(nagiosExitCode(lab.report)).toBe(2);
  });

  it.each([
    { days: 20, warnDays: 30, critDays: 7, state: 'WARNING', code: 1 },
    { days: 20, warnDays: 30, critDays: 25, state: 'CRITICAL', code: 2 },
    { days: 20, warnDays: 10, critDays: 5, state: 'OK', code: 0 },
  ])('a certificate $days days from expiry with warn $warnDays and crit $critDays is $state', async ({ days, warnDays, critDays, state, code }) => {
    const run = await runExpiringIn(days);
    const parsed = parse(renderNagios(run.report, { warnDays, critDays }));
    expect(parsed.state).toBe(state);
    expect(parsed.perf.days_left).toBe(`${days};${warnDays}:;${critDays}:`);
    expect(nagiosExitCode(run.report, { warnDays, critDays })).toBe(code);
    // The findings alone passed: the thresholds are what raised the state.
    expect(nagiosExitCode(run.report)).toBe(0);
  });

  it('is UNKNOWN when nothing was judged, with U for the days left', () => {
    const empty = { ...reportOf([]), domains: [] };
    const { state, perf } = parse(renderNagios(empty, { warnDays: 30, critDays: 7 }));
    expect(state).toBe('UNKNOWN');
    expect(perf.days_left).toBe('U;30:;7:');
    expect(nagiosExitCode(empty)).toBe(3);
  });

  it('keeps pipes and line breaks out of the status text', () => {
    const report = reportOf([finding('dns.sip-federation-srv', 'x', 'warn', { domain: 'bad|name\nsecond.example' })]);
    const line = renderNagios(report, { warnDays: 30, critDays: 7 });
    expect(line.split('\n')).toHaveLength(2);
    expect(parse(line).state).toBe('WARNING');
  });
});
