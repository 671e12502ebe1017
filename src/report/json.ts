// The JSON report: the documented contract for scripts (README "JSON report"), so it is the Report as is.

import type { Report } from '../engine/report.js';
import { defineReporter } from './reporter.js';

export const jsonReporter = defineReporter({ id: 'json', extension: 'json', outFile: 'report.json', render: (report) => renderJson(report) });

export function renderJson(report: Report): string {
  // schemaVersion first, so a reader can decide how to parse before reading further.
  const { schemaVersion, ...rest } = report;
  return `${JSON.stringify({ schemaVersion, ...rest }, null, 2)}\n`;
}
