// One report format: an object the registry (index.ts) lists, so a new format is one file and one line there.

import { DEFAULT_CHECK_OPTIONS } from '../model/check.js';
import type { Report } from '../model/report.js';
import type { ReportDiff } from '../history/diff.js';
import { DEFAULTS } from '../util/defaults.js';

export interface RenderOptions {
  /** ANSI colour in the terminal format. */
  color?: boolean;
  /** The terminal format's width in columns (default 80), -v (the passes too) and --details (every problem in full). */
  width?: number;
  verbose?: boolean;
  details?: boolean;
  /** The terminal format's hint: the command showing one domain in full, `<domain>` standing for its name. */
  oneDomainCommand?: string;
  /** The previous run compared with this one: html and md show what changed. */
  diff?: ReportDiff;
  /** Certificate thresholds for nagios's perfdata and the html timeline; default the run's --warning-days and --critical-days. */
  warnDays?: number;
  critDays?: number;
}

export interface Reporter<Id extends string = string> {
  /** The --format value. */
  id: Id;
  /** The usual file name extension, without the dot. */
  extension: string;
  /** The file `fedcheck run --out-dir` writes it to; absent: the format is for stdout only. */
  outFile?: string;
  render(report: Report, options: RenderOptions): string;
  /**
   * The same text as `render`, in pieces, for a large format: `fedcheck run --out-dir` writes each piece as it comes,
   * so a thousand domains' report is never one string in memory.
   */
  chunks?(report: Report, options: RenderOptions): Iterable<string>;
  /** The exit code the format calls for, when it is not the report's own (Nagios has its 0-3). */
  exitCode?(report: Report, options: RenderOptions): number;
  /**
   * What the format prints on stdout when fedcheck could not run at all (exit 3: bad input, no resolver answering),
   * for a format whose reader needs an answer every time (Nagios's UNKNOWN); absent: only the error on stderr.
   */
  unusable?(reason: string): string;
}

export function defineReporter<const Id extends string>(reporter: Reporter<Id>): Reporter<Id> {
  return reporter;
}

/** The certificate thresholds asked for, else those the run judged with (the defaults for a report without them). */
export function certificateThresholds(report: Report, options: RenderOptions): { warnDays: number; critDays: number } {
  return {
    warnDays: options.warnDays ?? report.options.expiryWarningDays ?? DEFAULT_CHECK_OPTIONS.expiryWarningDays,
    critDays: options.critDays ?? report.options.expiryCriticalDays ?? DEFAULTS.criticalDays,
  };
}
