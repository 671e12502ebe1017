// One entry point for every report format, so `check`, `demo` and `run` render alike.

import type { SavedFacts } from '../engine/facts-file.js';
import type { Report } from '../engine/report.js';
import type { ReportDiff } from '../history/diff.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { DEFAULT_CRITICAL_DAYS, nagiosExitCode, renderNagios } from './nagios.js';
import type { NagiosThresholds } from './nagios.js';
import { renderPrometheus } from './prometheus.js';
import { renderTerminal } from './terminal.js';

export const REPORT_FORMATS = ['terminal', 'json', 'junit', 'html', 'md', 'prom', 'nagios'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** ANSI colour in the terminal format. */
  color?: boolean;
  /** The previous run compared with this one: html and md show what changed. */
  diff?: ReportDiff;
  /** Certificate thresholds for nagios and the html timeline; default the run's --warn-days and 7 days. */
  warnDays?: number;
  critDays?: number;
}

/** `saved`: the facts behind the report (the run's, or the --replay file's): html, prom and nagios read them. */
export function renderReport(format: ReportFormat, report: Report, saved: SavedFacts, options: RenderOptions = {}): string {
  const { warnDays, critDays } = thresholds(saved, options);
  const diff = options.diff !== undefined ? { diff: options.diff } : {};
  switch (format) {
    case 'terminal':
      return renderTerminal(report, { color: options.color === true });
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJunit(report);
    case 'html':
      return renderHtml(report, saved, { ...diff, warnDays, critDays });
    case 'md':
      return renderMarkdown(report, diff);
    case 'prom':
      return renderPrometheus(report, saved);
    case 'nagios':
      return renderNagios(report, saved, { warnDays, critDays });
  }
}

/** The exit code a format calls for: Nagios's own 0-3 for nagios, the report's otherwise. */
export function formatExitCode(format: ReportFormat, report: Report, saved: SavedFacts, options: RenderOptions = {}): number {
  if (format !== 'nagios') return report.summary.exitCode;
  return nagiosExitCode(report, saved, thresholds(saved, options));
}

function thresholds(saved: SavedFacts, options: RenderOptions): NagiosThresholds {
  return { warnDays: options.warnDays ?? saved.options.expiryWarningDays, critDays: options.critDays ?? DEFAULT_CRITICAL_DAYS };
}
