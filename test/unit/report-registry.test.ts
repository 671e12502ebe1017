import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replay } from '../../src/engine/run.js';
import { summarize } from '../../src/model/report.js';
import { REPORTERS, REPORT_FORMATS, formatExitCode, outFiles, renderReport } from '../../src/report/index.js';
import { ROOT } from '../support/fedcheck.js';
import { labRun } from '../support/report-runs.js';

const lab = labRun();

describe('the reporter registry', () => {
  it('offers each format once, as --format lists them', () => {
    expect(REPORT_FORMATS).toEqual(['terminal', 'json', 'junit', 'html', 'md', 'prom', 'nagios']);
    expect(new Set(REPORTERS.map((r) => r.extension)).size).toBeGreaterThan(1);
  });

  it('names the files of fedcheck run --out-dir, report.json last', () => {
    expect(outFiles()).toEqual([
      { name: 'junit.xml', format: 'junit' },
      { name: 'report.html', format: 'html' },
      { name: 'summary.md', format: 'md' },
      { name: 'fedcheck.prom', format: 'prom' },
      { name: 'report.json', format: 'json' },
    ]);
  });

  it.each(REPORT_FORMATS)('%s renders the lab report from the Report alone', (format) => {
    const text = renderReport(format, lab.report);
    expect(text.length).toBeGreaterThan(0);
    expect(text).toContain('expired-cert.test');
  });

  it('gives the report exit code, except where a format has its own', () => {
    for (const format of REPORT_FORMATS) expect(formatExitCode(format, lab.report), format).toBe(lab.report.summary.exitCode);
    const domains = lab.report.domains.filter((d) => d.domain === 'expiring-soon.test');
    // The deadline cut the run short: the findings decide the report's exit code, Nagios says UNKNOWN.
    const late = { ...lab.report, domains, summary: summarize(domains, true) };
    expect(formatExitCode('json', late)).toBe(1);
    expect(formatExitCode('nagios', late)).toBe(3);
  });

  it('judges the critical days in the check, so every format exits alike: 9 days left under 10 critical days is a failure', () => {
    const saved = { ...lab.saved, targets: lab.saved.targets.filter((t) => t.domain === 'expiring-soon.test'), options: { ...lab.saved.options, expiryCriticalDays: 10 } };
    const report = replay(saved, 'lab-demo.json');
    expect(report.options.expiryCriticalDays).toBe(10);
    for (const format of REPORT_FORMATS) expect(formatExitCode(format, report), format).toBe(2);
    expect(formatExitCode('nagios', replay({ ...saved, options: lab.saved.options }, 'lab-demo.json'))).toBe(1);
  });

  it('keeps every reporter off the facts, the probes and the certificate parser', () => {
    const dir = `${ROOT}/src/report`;
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const imports = [...readFileSync(`${dir}/${file}`, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
      expect(imports.filter((path) => /engine\/facts|\/probes\/|\/pki\//.test(path)), file).toEqual([]);
    }
  });
});
