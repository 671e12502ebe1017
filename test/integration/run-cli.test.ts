// `fedcheck run` end to end, as an admin runs it every night: a config of 35 own and partner domains against
// the lab, every output file read as its reader reads it, then a second run that says what changed.

import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_SCHEMA_VERSION } from '../../src/model/report.js';
import type { Report } from '../../src/model/report.js';
import { fedcheck } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { parseNagios } from '../support/nagios-output.js';
import { configDomains, writeNightlyConfig } from '../support/nightly-config.js';
import { HAVE_PROMTOOL, promtool } from '../support/validators.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const OUT_FILES = ['fedcheck.prom', 'junit.xml', 'report.html', 'report.json', 'summary.md'];

let lab: SharedLab;
let config: string;
let dir: string;
let outDir: string;
let historyDir: string;
let first: CliResult;

beforeAll(async () => {
  lab = sharedLab();
  // A longer probe timeout than the lab's own: 35 domains at once on a busy CI machine must not time out.
  const written = writeNightlyConfig(lab, { timeoutMs: 5000 });
  ({ config, dir } = written);
  outDir = join(dir, 'out');
  historyDir = join(dir, 'history');
  first = await fedcheck(['run', '--config', config, '--out-dir', outDir, '--history', historyDir]);
});
afterAll(async () => {
  // Each run leaves megabytes of reports and history.
  rmSync(dir, { recursive: true, force: true });
});

const read = (name: string) => readFileSync(join(outDir, name), 'utf8');

describe('fedcheck run --config F --out-dir D --history H', () => {
  it('checks at least 20 own and partner domains and exits by the worst finding', () => {
    const { own, partners } = configDomains(config);
    expect(own.length + partners.length).toBeGreaterThanOrEqual(20);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(2);
    // The gist for the cron mail: the failing domains and where the files went.
    expect(first.stdout).toMatch(/^fedcheck run: \d+ of \d+ domains failing/);
    expect(first.stdout).toContain('FAIL  expired-cert.test (partner)');
    const wrote = first.stdout.split('\n').find((line) => line.startsWith('Wrote '));
    expect(wrote?.slice('Wrote '.length).split(', ').sort()).toEqual(OUT_FILES.map((name) => join(outDir, name)).sort());
  });

  it('writes exactly the five report files: no temporary file is left behind', () => {
    expect(readdirSync(outDir).sort()).toEqual(OUT_FILES);
    expect(readdirSync(historyDir)).toHaveLength(1);
    expect(readdirSync(historyDir)[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+\.\d{3}Z\.json$/);
  });

  it('report.json: the schema version, and every configured domain with its role', () => {
    const report = JSON.parse(read('report.json')) as Report;
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(report.summary.partial).toBeUndefined();
    expect(report.summary.exitCode).toBe(2);
    const { own, partners } = configDomains(config);
    const roles = Object.fromEntries(report.domains.map((d) => [d.domain, d.role]));
    for (const domain of own) expect(roles[domain], domain).toBe('own');
    for (const domain of partners) expect(roles[domain], domain).toBe('partner');
    // The policy lint joins the domains it is about: expired-cert.test is both allowed and blocked.
    const expired = report.domains.find((d) => d.domain === 'expired-cert.test');
    expect(expired?.findings.find((f) => f.checkId === 'policy.allowed-and-blocked')?.status).toBe('fail');
  });

  it('junit.xml: well-formed, one testcase per check and subject, with failures', () => {
    const xml = read('junit.xml');
    const elements: Record<string, number> = {};
    const parser = new SaxesParser();
    parser.on('opentag', (tag) => {
      elements[tag.name] = (elements[tag.name] ?? 0) + 1;
    });
    parser.write(xml).close();
    expect(elements.testsuites).toBe(1);
    expect(elements.testsuite).toBe(configDomains(config).own.length + configDomains(config).partners.length);
    expect(elements.testcase).toBeGreaterThan(100);
    expect(elements.failure).toBeGreaterThan(0);
    expect(xml).toMatch(/<testsuite name="expired-cert\.test"[^>]* failures="[1-9]/);
  });

  it.skipIf(!HAVE_PROMTOOL)('fedcheck.prom: passes promtool', () => {
    expect(promtool(read('fedcheck.prom'))).toEqual({ status: 0, output: '' });
  });

  it('fedcheck.prom: the exposition format, healthy.test probe_success 1', () => {
    const lines = read('fedcheck.prom').split('\n').filter((line) => line !== '');
    const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? -?(\d+(\.\d+)?([eE][+-]?\d+)?|NaN|[+-]Inf)$/;
    const comment = /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/;
    for (const line of lines) expect(line.startsWith('#') ? comment.test(line) : sample.test(line), line).toBe(true);
    expect(lines).toContain('probe_success{domain="healthy.test",service="sip"} 1');
    expect(lines).toContain('probe_success{domain="healthy.test",service="xmpp"} 1');
    expect(lines.some((line) => line.startsWith('probe_success{domain="expired-cert.test"') && line.endsWith(' 0'))).toBe(true);
    expect(lines.some((line) => line.startsWith('fedcheck_check_status{'))).toBe(true);
  });

  it('report.html: one self-contained file that fetches nothing', () => {
    const html = read('report.html');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // Links for the reader to follow are fine; nothing the browser would load by itself.
    expect(html).not.toMatch(/\ssrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<(iframe|object|embed)\b/i);
    // One script, the filters', inline: nothing loaded (no src, above), and the page's policy allows no other.
    expect(html.match(/<script\b/gi)).toHaveLength(1);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    for (const [, tag] of html.matchAll(/<([a-z]+)\b[^>]*\shref\s*=\s*["']?https?:/gi)) expect(tag).toBe('a');
    expect(html).toContain('expired-cert.test');
  });

  it('summary.md: the failing domains, each failure with its fix', () => {
    const markdown = read('summary.md');
    const report = JSON.parse(read('report.json')) as Report;
    const failing = report.domains.filter((d) => d.worst === 'fail');
    expect(failing.length).toBeGreaterThan(10);
    for (const domain of failing) {
      expect(markdown).toContain(`## ${domain.domain}`);
      const fix = domain.findings.find((f) => f.status === 'fail' && f.fix)?.fix?.summary;
      expect(fix, domain.domain).toBeDefined();
      // Markdown escapes what a ticket system would read as markup; compare the words.
      expect(markdown.replace(/\\/g, ''), `${domain.domain}: ${fix}`).toContain((fix ?? '').replace(/\\/g, ''));
    }
  });

  it("a partner's note: from the config is in report.json, junit.xml, report.html and summary.md", () => {
    const note = 'Fabrikam NOC, +1 555 0100 | ticket <INC-42> & *escalate*';
    const report = JSON.parse(read('report.json')) as Report;
    expect(report.domains.find((d) => d.domain === 'expired-cert.test')?.note).toBe(note);
    expect(report.domains.filter((d) => d.note !== undefined).map((d) => d.domain).sort()).toEqual(['expired-cert.test', 'wildcard-cert.test']);
    expect(read('junit.xml')).toContain('<property name="note" value="Fabrikam NOC, +1 555 0100 | ticket &lt;INC-42&gt; &amp; *escalate*"/>');
    expect(read('report.html')).toContain('<strong>Note:</strong> Fabrikam NOC, +1 555 0100 | ticket &lt;INC-42&gt; &amp; *escalate*');
    expect(read('summary.md')).toContain('Note: Fabrikam NOC, +1 555 0100 \\| ticket &lt;INC-42&gt; &amp; \\*escalate\\*');
  });

  it('a second run says what changed since the first and keeps both in the history', async () => {
    const second = await fedcheck(['run', '--config', config, '--out-dir', outDir, '--history', historyDir]);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(2);
    expect(second.stdout).toMatch(/(No changes|Changes) since the last run \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(readdirSync(historyDir)).toHaveLength(2);
    expect(readdirSync(outDir).sort()).toEqual(OUT_FILES);
    const firstReport = JSON.parse(
      readFileSync(join(historyDir, readdirSync(historyDir).sort()[0] ?? ''), 'utf8'),
    ) as { report: Report };
    const since = firstReport.report.startedAt.slice(0, 16).replace('T', ' ');
    expect(read('summary.md')).toContain(`## What changed since ${since} UTC`);
    expect(read('report.html')).toMatch(/What changed since the last run/i);
  });

  it('--format nagios prints the status line with perfdata, the config thresholds in it, and exits by the worst', async () => {
    const result = await fedcheck(['run', '--config', config, '--format', 'nagios']);
    expect(result.stderr).toBe('');
    const { state, perfdata, longText } = parseNagios(result.stdout);
    expect(state).toBe('CRITICAL');
    expect(perfdata.certificate_expiry).toMatchObject({ uom: 's', warn: `${30 * 86_400}:`, crit: `${7 * 86_400}:` });
    // Both partners with a note fail in the lab: their lines end with it, escaped of the pipe that would start perfdata.
    const noted = longText.filter((line) => line.includes('(note: '));
    expect(noted.map((line) => line.slice(0, line.indexOf(':'))).sort()).toEqual(['expired-cert.test', 'wildcard-cert.test']);
    expect(noted.find((line) => line.startsWith('expired-cert.test'))).toMatch(/\(note: Fabrikam NOC, \+1 555 0100 \/ ticket <INC-42> & \*escalate\*\)$/);
    expect(result.code).toBe(2);
  });

  it('stops with one line and exit code 3 on bad input, before probing anything', async () => {
    const cases: [string[], RegExp][] = [
      [['run'], /^fedcheck: no config given: expected fedcheck run --config FILE/],
      [['run', '--config', config, '--format', 'pdf'], /^fedcheck: invalid --format "pdf": expected terminal, json/],
      [['run', '--config', config, '--concurrency', '0'], /^fedcheck: invalid --concurrency "0"/],
      [['run', '--config', config, '--webhook', 'ftp://example.com/'], /^fedcheck: invalid --webhook "ftp:...": expected an http/],
      [['run', '--config', config, '--out-dir', join(outDir, 'report.json')], /^fedcheck: cannot write to the output folder/],
      [['run', '--config', join(outDir, 'missing.yaml')], /^fedcheck: cannot read config file/],
    ];
    for (const [args, message] of cases) {
      const result = await fedcheck(args);
      expect(result.code, args.join(' ')).toBe(3);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr.split('\n'), args.join(' ')).toHaveLength(2);
      expect(result.stdout).toBe('');
    }
  });

  it('keeps history.keep runs: the older ones go after a complete run, never after one that stopped', async () => {
    const kept = join(dir, 'kept-history');
    mkdirSync(kept);
    const newest = readdirSync(historyDir).sort().at(-1) ?? '';
    const nights = ['2026-01-01T02-00-00.000Z.json', '2026-01-02T02-00-00.000Z.json', '2026-01-03T02-00-00.000Z.json'];
    for (const night of nights) copyFileSync(join(historyDir, newest), join(kept, night));
    writeFileSync(join(kept, 'README.txt'), 'our notes');
    const keepTwo = join(dir, 'keep-two.yaml');
    writeFileSync(keepTwo, `${readFileSync(config, 'utf8')}\nhistory:\n  keep: 2\n`);
    // A run that stops (its resolver does not answer) saves nothing and deletes nothing.
    const silent = await fedcheck(['run', '--config', keepTwo, '--history', kept, '--resolver', '127.0.0.9:9', '--timeout', '1000']);
    expect(silent.code).toBe(3);
    expect(readdirSync(kept).sort()).toEqual([...nights, 'README.txt']);
    const result = await fedcheck(['run', '--config', keepTwo, '--history', kept]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    const runs = readdirSync(kept).filter((name) => name.endsWith('.json')).sort();
    expect(runs).toHaveLength(2);
    expect(runs[0]).toBe(nights[2]);
    expect(runs[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+\.\d{3}Z\.json$/);
    expect(readdirSync(kept)).toContain('README.txt');
  });

  it('a history.keep that is not a whole number of runs is one line naming it, exit code 3', async () => {
    const bad = join(dir, 'keep-none.yaml');
    writeFileSync(bad, `${readFileSync(config, 'utf8')}\nhistory:\n  keep: none\n`);
    const result = await fedcheck(['run', '--config', bad, '--history', join(dir, 'unused-history')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^fedcheck: .*keep-none\.yaml:\d+:\d+: history\.keep: expected a whole number of runs, got "none"\n$/);
    expect(result.stdout).toBe('');
  });

  it('a config whose resolver does not answer stops with exit code 3, not 35 failing domains', async () => {
    const silent = join(outDir, '..', 'silent-resolver.yaml');
    // 127.0.0.9:9 is loopback with nothing listening: no answer, at once.
    writeFileSync(silent, readFileSync(config, 'utf8').replace(/resolvers: \['[^']+'\]/, "resolvers: ['127.0.0.9:9']"));
    const result = await fedcheck(['run', '--config', silent, '--timeout', '1000']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^fedcheck: resolver 127\.0\.0\.9:9 did not answer .*check\.resolvers in/);
  });
});
