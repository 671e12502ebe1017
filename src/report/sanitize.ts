// One sanitiser per text format, for every string that came from the network (DNS names, certificate subjects,
// SIP and XMPP answers): each shows control characters as `\x1b` and keeps the text from turning into markup,
// links or another line. The HTML report has its own (html-escape.ts); JUnit XML escapes in junit.ts.

import type { Report } from '../model/report.js';
import { escapeControl } from '../util/control-characters.js';

/** A terminal line: no escape sequence, bell, carriage return or line break from the text. */
export function terminalText(text: string): string {
  return escapeControl(text);
}

/**
 * Markdown prose: one line, HTML characters as entities (no tag, no autolink `<...>`), and every character
 * Markdown gives a meaning to backslash-escaped (no emphasis, link, image, table cell, heading or list). GitHub's
 * literal autolinks are broken too, so a partner's name cannot become a link in a ticket: the `@` of an e-mail
 * address (and of `xmpp:` / `mailto:`), the `:` of `http://` and `https://`, the dot after `www`.
 */
export function markdownText(text: string): string {
  return escapeControl(text.replace(/[ \t\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|#~@]/g, (c) => `\\${c}`)
    .replace(/(https?):(?=\/\/)/gi, '$1\\:')
    .replace(/(www)\./gi, '$1\\.')
    // At the start of a line these begin a list item, a quote or a heading underline.
    .replace(/^( ?)([-+=]|\d+(?=[.)]))/, (_, space: string, start: string) => (/\d/.test(start) ? `${space}${start}\\` : `${space}\\${start}`));
}

/** A Markdown code span that no backtick inside can close early; markup inside a code span is shown as text. */
export function markdownCode(text: string): string {
  const oneLine = escapeControl(text.replace(/[ \t\r\n]+/g, ' '));
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}

/** A fenced block longer than any backtick run inside it, its lines kept; the language tag kept to safe characters. */
export function markdownFence(lang: string, text: string): string[] {
  const lines = text.split(/\r?\n/).map(escapeControl);
  const longest = Math.max(0, ...lines.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang.replace(/[^a-z0-9+-]/gi, '')}`, ...lines, fence];
}

/** The text of a Nagios status line: one line, and no pipe, which would start the perfdata. */
export function nagiosText(text: string): string {
  return escapeControl(text.replace(/[ \t\r\n]+/g, ' ').trim()).replace(/\|/g, '/');
}

/** A Prometheus label value: controls shown as `\x1b`, then the exposition format's escapes (backslash, quote). */
export function prometheusLabel(value: string): string {
  return escapeControl(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * The report with `sanitize` applied to every string in it, for a format that renders the strings as they are
 * (the terminal). A fix snippet keeps its lines: each line is sanitised on its own.
 */
export function sanitizedReport(report: Report, sanitize: (text: string) => string): Report {
  return mapStrings(report, sanitize) as Report;
}

function mapStrings(value: unknown, sanitize: (text: string) => string): unknown {
  if (typeof value === 'string') return sanitize(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, sanitize));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, item]) => {
    if (key === 'snippets' && Array.isArray(item)) {
      return [key, item.map((snippet: { lang: string; text: string }) => ({ ...snippet, lang: sanitize(snippet.lang), text: snippet.text.split('\n').map(sanitize).join('\n') }))];
    }
    return [key, mapStrings(item, sanitize)];
  });
  return Object.fromEntries(entries);
}
