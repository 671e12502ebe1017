// Any Report renders in every format without throwing, whatever text a partner put into it, and each output keeps
// its format's shape: JSON reads back as the very report, JUnit is well-formed XML, every Prometheus line is a
// comment or a sample, the Nagios output follows the plugin guidelines, no format lets through what it forbids.

import fc from 'fast-check';
import { FILTER_SCRIPT } from '../../src/report/html-filters.js';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { REPORT_FORMATS, formatExitCode, renderReport } from '../../src/report/index.js';
import { reportFromJson } from '../../src/model/report-json.js';
import type { ReportJson } from '../../src/model/report-json.js';
import type { RenderOptions, ReportFormat } from '../../src/report/index.js';
import { arbitraryReport } from '../support/arbitrary-report.js';
import { exitCodeOf, parseNagios } from '../support/nagios-output.js';

const RUNS = { numRuns: 100 };
/** C0 but line feed, DEL, C1, line separators and bidi controls: what a terminal or a log viewer could act on. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/**
 * What each format must never let through. The text formats and JSON: any control character. HTML and JUnit XML
 * promise less (html-escape.ts, junit.ts): what HTML or XML cannot hold; they keep tab, CR, C1 and bidi controls.
 */
const FORBIDDEN: Record<ReportFormat, RegExp> = {
  terminal: CONTROL,
  json: CONTROL,
  md: CONTROL,
  prom: CONTROL,
  nagios: CONTROL,
  html: /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/,
  junit: /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/,
};
/** A Prometheus exposition line: a comment, or `name{label="value",...} number`. */
const PROMETHEUS_LINE = /^(?:#.*|[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:\\[\\"n]|[^"\\\n])*",?)*\})? (?:-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|[+-]Inf))$/;

function render(format: ReportFormat, report: Report, options: RenderOptions = {}): string {
  return renderReport(format, report, options);
}

function xmlProblem(xml: string): string | undefined {
  const parser = new SaxesParser();
  let problem: string | undefined;
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  parser.write(xml).close();
  return problem;
}

describe('every format, for any report', () => {
  for (const format of REPORT_FORMATS) {
    it(`${format}: renders without throwing, and no character the format forbids gets through`, () => {
      fc.assert(
        fc.property(arbitraryReport, fc.boolean(), (report, color) => {
          const text = render(format, report, { color });
          expect(typeof text).toBe('string');
          // The terminal's own colour codes are the only escapes, and only when colour was asked for.
          const withoutOwnColours = format === 'terminal' && color ? text.replace(/\u001b\[\d+(?:;\d+)*m/g, '') : text;
          expect(withoutOwnColours).not.toMatch(FORBIDDEN[format]);
        }),
        RUNS,
      );
    });
  }

  it('json: reads back as the very report', () => {
    fc.assert(
      fc.property(arbitraryReport, (report) => {
        expect(reportFromJson(JSON.parse(render('json', report)) as ReportJson)).toEqual(report);
      }),
      RUNS,
    );
  });

  it('junit: well-formed XML', () => {
    fc.assert(
      fc.property(arbitraryReport, (report) => {
        expect(xmlProblem(render('junit', report))).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('prom: every line a comment or a sample, each series once', () => {
    fc.assert(
      fc.property(arbitraryReport, (report) => {
        const lines = render('prom', report).split('\n').filter((line) => line !== '');
        for (const line of lines) expect(line).toMatch(PROMETHEUS_LINE);
        const series = lines.filter((line) => !line.startsWith('#')).map((line) => line.slice(0, line.lastIndexOf(' ')));
        expect(series.length).toBe(new Set(series).size);
      }),
      RUNS,
    );
  });

  it('nagios: the Monitoring Plugins grammar, the state word matching the exit code', () => {
    fc.assert(
      fc.property(arbitraryReport, (report) => {
        // parseNagios fails on a pipe in the long text too, which hostile notes and messages must not bring.
        expect(exitCodeOf(parseNagios(render('nagios', report)).state)).toBe(formatExitCode('nagios', report));
      }),
      RUNS,
    );
  });

  it('html: no element but its own, however much markup the report carries', () => {
    fc.assert(
      fc.property(arbitraryReport, (report) => {
        // The filters' script, once and exactly as fedcheck wrote it; no other script, and no image or frame.
        const page = render('html', report);
        expect(page.split(FILTER_SCRIPT)).toHaveLength(2);
        expect(page.replace(FILTER_SCRIPT, '')).not.toMatch(/<(?:script|img|iframe)\b/i);
      }),
      RUNS,
    );
  });
});
