// The JSON report: the documented contract for scripts (README "JSON report"), so it is the Report as is.

import type { Report } from '../model/report.js';
import { defineReporter } from './reporter.js';

export const jsonReporter = defineReporter({ id: 'json', extension: 'json', outFile: 'report.json', render: (report) => renderJson(report) });

/**
 * JSON.stringify escapes C0 controls only; DEL, C1 (U+009B is CSI to a terminal), the line separators and the bidi
 * controls a partner's name may carry are escaped too, so `cat report.json` cannot act on them. They can only occur
 * inside strings, where `\uXXXX` reads back as the same character.
 */
const UNSAFE_IN_TEXT = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function renderJson(report: Report): string {
  // schemaVersion first, so a reader can decide how to parse before reading further.
  const { schemaVersion, ...rest } = report;
  const text = JSON.stringify({ schemaVersion, ...rest }, null, 2).replace(UNSAFE_IN_TEXT, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}
