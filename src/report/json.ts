// The JSON report: the documented contract for scripts (README "JSON report"): the Report, with each check's
// references stored once (src/model/report-json.ts), one finding a line so a thousand domains stay readable.

import type { Report } from '../model/report.js';
import { reportToJson } from '../model/report-json.js';
import { defineReporter } from './reporter.js';

export const jsonReporter = defineReporter({
  id: 'json',
  extension: 'json',
  outFile: 'report.json',
  render: (report) => renderJson(report),
  chunks: (report) => jsonChunks(report),
});

/**
 * JSON.stringify escapes C0 controls only; DEL, C1 (U+009B is CSI to a terminal), the line separators and the bidi
 * controls a partner's name may carry are escaped too, so `cat report.json` cannot act on them. They can only occur
 * inside strings, where `\uXXXX` reads back as the same character.
 */
const UNSAFE_IN_TEXT = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const safe = (text: string) => text.replace(UNSAFE_IN_TEXT, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function renderJson(report: Report): string {
  return [...jsonChunks(report)].join('');
}

/** The report's text one domain at a time: the run's context first (schemaVersion leading, for a reader to decide how to parse), then the domains. */
export function* jsonChunks(report: Report): Generator<string> {
  const { schemaVersion, domains, ...context } = reportToJson(report);
  const head = JSON.stringify({ schemaVersion, ...context }, null, 2);
  yield safe(`${head.slice(0, head.lastIndexOf('\n'))},\n  "domains": [`);
  for (const [index, domain] of domains.entries()) {
    const fields = Object.entries(domain).map(([key, value]) =>
      key === 'findings' && Array.isArray(value) && value.length > 0
        ? `"findings":[\n${value.map((finding) => `      ${JSON.stringify(finding)}`).join(',\n')}\n    ]`
        : `${JSON.stringify(key)}:${JSON.stringify(value)}`,
    );
    yield safe(`${index === 0 ? '' : ','}\n    {${fields.join(',')}}`);
  }
  yield `${domains.length === 0 ? '' : '\n  '}]\n}\n`;
}
