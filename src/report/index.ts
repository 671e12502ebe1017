// The registry of report formats, so `check`, `demo` and `run` render alike, and --format and the files of
// `fedcheck run --out-dir` are lists of ids: a new format is one file (a Reporter) and one line here.

import type { Report } from '../model/report.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { nagiosReporter } from './nagios.js';
import { prometheusReporter } from './prometheus.js';
import type { RenderOptions, Reporter } from './reporter.js';
import { terminalReporter } from './terminal.js';

export type { RenderOptions, Reporter } from './reporter.js';

export const REPORTERS = [terminalReporter, jsonReporter, junitReporter, htmlReporter, markdownReporter, prometheusReporter, nagiosReporter] as const;

export type ReportFormat = (typeof REPORTERS)[number]['id'];
export const REPORT_FORMATS: readonly ReportFormat[] = REPORTERS.map((reporter) => reporter.id);

export function reporterOf(format: ReportFormat): Reporter<ReportFormat> {
  const found = REPORTERS.find((reporter) => reporter.id === format);
  if (found === undefined) throw new Error(`no reporter for the format ${format}`);
  return found;
}

export function renderReport(format: ReportFormat, report: Report, options: RenderOptions = {}): string {
  return reporterOf(format).render(report, options);
}

/** The text of `renderReport`, in the pieces the format gives (one piece for a small format). */
export function renderReportChunks(format: ReportFormat, report: Report, options: RenderOptions = {}): Iterable<string> {
  const reporter = reporterOf(format);
  return reporter.chunks?.(report, options) ?? [reporter.render(report, options)];
}

/** The exit code a format calls for: Nagios's own 0-3 for nagios, the report's otherwise. */
export function formatExitCode(format: ReportFormat, report: Report, options: RenderOptions = {}): number {
  return reporterOf(format).exitCode?.(report, options) ?? report.summary.exitCode;
}

/** What `--format F` prints on stdout when fedcheck cannot run (exit 3); undefined for a format with nothing to say then. */
export function unusableAnswer(format: string, reason: string): string | undefined {
  return REPORTERS.find((reporter) => reporter.id === format)?.unusable?.(reason);
}

/** The files of `fedcheck run --out-dir`, in the order written: report.json last, so its new time means the whole set is new. */
export function outFiles(): { name: string; format: ReportFormat }[] {
  const files = REPORTERS.flatMap((reporter) => (reporter.outFile === undefined ? [] : [{ name: reporter.outFile, format: reporter.id }]));
  return [...files.filter((file) => file.format !== 'json'), ...files.filter((file) => file.format === 'json')];
}
