// The monitoring formats pass their ecosystems' own validators: `promtool check metrics` for the Prometheus
// textfile and xmllint with the JUnit schema CI tools read for the JUnit XML, on the recorded lab run and on any
// report, hostile text included (test/support/arbitrary-report.ts). The live lab's output: monitoring-cli.test.ts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { arbitraryReport } from '../support/arbitrary-report.js';
import { labRun } from '../support/report-runs.js';
import { HAVE_PROMTOOL, HAVE_XMLLINT, promtool, xmllintJunit } from '../support/validators.js';

// Each run starts a validator process: enough reports to meet every status, service and hostile string, no more.
const RUNS = { numRuns: 40 };
const lab = labRun();

describe.skipIf(!HAVE_PROMTOOL)('promtool check metrics', () => {
  it('accepts the lab run: exit 0, no lint problem', () => {
    expect(promtool(renderPrometheus(lab.report))).toEqual({ status: 0, output: '' });
  });

  it('accepts any report, whatever text a partner put into it', () => {
    fc.assert(
      fc.property(arbitraryReport, (report) => {
        expect(promtool(renderPrometheus(report))).toEqual({ status: 0, output: '' });
      }),
      RUNS,
    );
  });

  it('is a validator that can fail: it rejects a days unit, and a quote left unescaped in a label value', () => {
    const days = promtool('# HELP fedcheck_certificate_days_left Days left.\n# TYPE fedcheck_certificate_days_left gauge\nfedcheck_certificate_days_left 3\n');
    expect(days.output).toContain('use base unit "seconds" instead of "days"');
    expect(promtool('# HELP probe_success Up.\n# TYPE probe_success gauge\nprobe_success{domain="a"b"} 1\n').status).not.toBe(0);
  });
});

describe.skipIf(!HAVE_XMLLINT)('xmllint --schema junit-10.xsd', () => {
  it('validates the lab run', () => {
    expect(xmllintJunit(renderJunit(lab.report))).toEqual({ status: 0, output: '- validates\n' });
  });

  it('validates any report, whatever text a partner put into it', () => {
    fc.assert(
      fc.property(arbitraryReport, (report) => {
        expect(xmllintJunit(renderJunit(report))).toEqual({ status: 0, output: '- validates\n' });
      }),
      RUNS,
    );
  });

  it('is a validator that can fail: it rejects a testsuites element with a timestamp', () => {
    const verdict = xmllintJunit('<testsuites timestamp="2026-03-01T02:00:00Z"><testsuite name="x" tests="0" failures="0" errors="0"/></testsuites>');
    expect(verdict.status).not.toBe(0);
    expect(verdict.output).toContain("attribute 'timestamp': The attribute 'timestamp' is not allowed");
  });
});
