import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { SCENARIOS } from '../../src/lab/scenarios.js';
import { ROOT, fedcheck } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { parseNagios } from '../support/nagios-output.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();

const dir = tempFolder('formats');
const FORMATS = ['html', 'md', 'junit', 'prom', 'nagios'] as const;
const LAB_FACTS = `${ROOT}/fixtures/facts/lab-demo.json`;
/** The JSON report of a replay of the lab's facts, written by beforeAll: what `--format json` writes today. */
const LAB_REPORT = join(dir, 'lab-report.json');

/** Every lab scenario is one domain of the demo. */
const DOMAINS = SCENARIOS.length;
const demos = new Map<string, { result: CliResult; text: string }>();

beforeAll(async () => {
  writeFileSync(LAB_REPORT, (await fedcheck(['check', '--replay', LAB_FACTS, '--format', 'json'])).stdout);
  // One demo writes its page and keeps what it gathered; the other formats render those facts through
  // `check --replay`, as a live run renders its own: a demo costs seconds of CPU, a replay a fraction of one.
  const demoFacts = join(dir, 'demo-facts.json');
  const page = join(dir, 'demo.html');
  const live = await fedcheck(['demo', '--format', 'html', '--out', page, '--save-facts', demoFacts]);
  demos.set('html', { result: live, text: live.code === 0 ? readFileSync(page, 'utf8') : '' });
  await Promise.all(
    FORMATS.filter((format) => format !== 'html').map(async (format) => {
      const out = join(dir, `demo.${format}`);
      const result = await fedcheck(['check', '--replay', demoFacts, '--format', format, '--out', out]);
      demos.set(format, { result, text: readFileSync(out, 'utf8') });
    }),
  );
});

const demo = (format: string) => {
  const run = demos.get(format);
  if (run === undefined) throw new Error(`no demo run for ${format}`);
  return run;
};

describe('fedcheck demo, and check --replay of its facts: --format <format> --out <file>', () => {
  it.each(FORMATS)('%s: writes the file, nothing on stdout; the demo exits 0, the replay with the lab\'s exit code', (format) => {
    const { result, text } = demo(format);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(format === 'html' ? 0 : 2);
    expect(result.stdout).toBe('');
    expect(text.length).toBeGreaterThan(0);
  });

  it('html: a self-contained page with a path picture per lab domain and the timeline', () => {
    const { text } = demo('html');
    expect(text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(text).not.toMatch(/<(link|img|iframe)\b/i);
    expect(text).not.toMatch(/<script\b[^>]*\ssrc\s*=/i);
    expect(text.match(/<svg[^>]*class="path"/g)?.length).toBe(DOMAINS);
    expect(text).toContain('class="timeline"');
    expect(text).toContain('Federation path of healthy.test');
  });

  it('prom: the metrics of the lab domains', () => {
    const { text } = demo('prom');
    expect(text).toContain('# TYPE probe_success gauge');
    // Values that depend on timing (a probe timing out on a busy machine) are asserted on the recorded run instead.
    expect(text).toMatch(/^probe_success\{domain="healthy\.test",service="sip"\} [01]$/m);
    // no-srv.test publishes no SIP (healthy: nobody requires it) and only a legacy XMPP record (broken).
    expect(text).toContain('probe_success{domain="no-srv.test",service="sip"} 1');
    expect(text).toContain('probe_success{domain="no-srv.test",service="xmpp"} 0');
    expect(text).toMatch(/^fedcheck_certificate_expiry_timestamp_seconds\{domain="expired-cert\.test",service="sip",endpoint="[^"]+",subject="CN=sip\.expired-cert\.test"\} \d+$/m);
  });

  it('junit: one suite per lab domain', () => {
    const { text } = demo('junit');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="fedcheck"')).toBe(true);
    expect(text.match(/<testsuite /g)?.length).toBe(DOMAINS);
  });

  it('md: the domains with problems, worst first, each problem with its fix, under 20 KB', () => {
    const { text } = demo('md');
    expect(text).toMatch(new RegExp(`^# fedcheck: \\d+ of ${DOMAINS} domains with problems\n`));
    expect(text).toMatch(/\n\d+ domains are healthy and not listed here\.\n/);
    expect(text).toContain('\n## expired-cert.test: FAIL (SIP FAIL, XMPP FAIL)\n\n- **FAIL** `tls.certificate-chain`: ');
    expect(text).toContain('  **Fix:** Renew the certificate of sip.expired-cert.test');
    expect(text).not.toContain('## healthy.test');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(20_000);
  });

  it('nagios: the status line, critical for the lab, then a line per domain with problems', () => {
    const { state, perfdata, longText } = parseNagios(demo('nagios').text);
    expect(state).toBe('CRITICAL');
    expect(Object.keys(perfdata)).toEqual(['certificate_expiry', 'fail', 'warn', 'error', 'domains', 'sip_problems', 'xmpp_problems']);
    expect(perfdata.domains?.value).toBe(String(DOMAINS));
    expect(longText).toContainEqual(expect.stringMatching(/^expired-cert\.test: FAIL /));
  });
});

describe('fedcheck check --replay --format <format>', () => {
  it('renders html from the replayed facts to stdout, with the report exit code', async () => {
    const result = await fedcheck(['check', '--replay', LAB_FACTS, '--format', 'html']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Federation path of expired-cert.test');
    expect(result.stdout).toContain('replay of');
  });

  it('exits with the Nagios state for --format nagios', async () => {
    const critical = await fedcheck(['check', '--replay', LAB_FACTS, '--format', 'nagios']);
    expect(critical.code).toBe(2);
    expect(parseNagios(critical.stdout).state).toBe('CRITICAL');
    const warning = await fedcheck(['check', '--replay', LAB_FACTS, 'expiring-soon.test', '--format', 'nagios']);
    expect(parseNagios(warning.stdout).state).toBe('WARNING');
    expect(warning.code).toBe(1);
  });

  it('refuses an unknown format in one line, naming the formats', async () => {
    const result = await fedcheck(['check', '--replay', LAB_FACTS, '--format', 'pdf']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('fedcheck: invalid --format "pdf": expected terminal, json, junit, html, md, prom or nagios\n');
  });
});

describe('fedcheck diff', () => {
  /** The lab report with one healthy.test finding turned to `status`, a week later. */
  function laterWith(status: Status): string {
    const copy = JSON.parse(readFileSync(LAB_REPORT, 'utf8')) as Report;
    copy.startedAt = '2026-11-29T02:45:29.510Z';
    const target = copy.domains.find((d) => d.domain === 'healthy.test')?.findings.find((f) => f.checkId === 'dns.sip-federation-srv');
    if (target) target.status = status;
    const file = join(dir, `later-${status}.json`);
    writeFileSync(file, JSON.stringify(copy));
    return file;
  }

  it('exits 0 when nothing got worse', async () => {
    const result = await fedcheck(['diff', LAB_REPORT, LAB_REPORT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Verdict: nothing got worse (exit code 0)');
  });

  it('exits 1 on new warnings and 2 on new failures, naming them', async () => {
    const warned = await fedcheck(['diff', LAB_REPORT, laterWith('warn')]);
    expect(warned.code).toBe(1);
    expect(warned.stdout).toMatch(/New problems \(1\)\n {2}PASS→WARN +healthy\.test · dns\.sip-federation-srv · _sipfederationtls\._tcp\.healthy\.test\n/);
    const failed = await fedcheck(['diff', LAB_REPORT, laterWith('fail')]);
    expect(failed.code).toBe(2);
    const fixed = await fedcheck(['diff', laterWith('fail'), LAB_REPORT]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('Fixed (1)');
  });

  it('compares certificates from the observations of JSON reports and history files ({report, facts})', async () => {
    const history = join(dir, 'run.json');
    writeFileSync(history, JSON.stringify({ report: JSON.parse(readFileSync(LAB_REPORT, 'utf8')) as unknown, facts: JSON.parse(readFileSync(LAB_FACTS, 'utf8')) as unknown }));
    for (const file of [history, LAB_REPORT]) {
      const result = await fedcheck(['diff', file, file, '--format', 'json']);
      expect(result.code).toBe(0);
      const diff = JSON.parse(result.stdout) as { certificatesCompared: boolean; countdown: { domain: string; daysLeftNow: number }[] };
      expect(diff.certificatesCompared).toBe(true);
      expect(diff.countdown[0]).toMatchObject({ domain: 'expired-cert.test', daysLeftNow: -11 });
    }
  });

  it('writes Markdown with --format md', async () => {
    const result = await fedcheck(['diff', LAB_REPORT, laterWith('fail'), '--format', 'md']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('### New problems (1)');
  });

  it('exits 3 with one line for a file that is missing or not a report', async () => {
    const missing = await fedcheck(['diff', join(dir, 'nope.json'), LAB_REPORT]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^fedcheck: cannot read report file ".*nope\.json": ENOENT[^\n]*\n$/);
    const facts = await fedcheck(['diff', LAB_FACTS, LAB_REPORT]);
    expect(facts.code).toBe(3);
    expect(facts.stderr).toMatch(/^fedcheck: ".*lab-demo\.json" is a facts file written by --save-facts, not a report: expected a report written by --format json or a history file written by --history\n$/);
  });
});
