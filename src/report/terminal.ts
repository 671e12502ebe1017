// The report for a person at a terminal: per domain and area, worst first, each problem with its fix.

import type { Area, Finding, Status } from '../model/finding.js';
import { STATUSES, severity, worstStatus } from '../model/finding.js';
import { sanitizedReport, terminalText } from './sanitize.js';
import { serviceHeadlines } from './service-status.js';
import type { DomainReport, Report } from '../model/report.js';
import { TEXT_WIDTH, hanging } from './wrap.js';
import { defineReporter } from './reporter.js';

export interface TerminalOptions {
  /** ANSI colour codes; only for a TTY, never with NO_COLOR, --no-color or --out. */
  color: boolean;
}

const TAG: Record<Status, string> = { pass: 'PASS', info: 'INFO', warn: 'WARN', fail: 'FAIL', error: 'ERR', skip: 'SKIP' };
const TAG_COLOR: Record<Status, string> = { pass: '32', info: '36', warn: '33', fail: '31', error: '35', skip: '90' };
const AREA_ORDER: readonly Area[] = ['dns', 'net', 'tls', 'sip', 'xmpp', 'policy'];

/** Columns: area names at 2, status tags at 4, the finding's text at 10, its fix details further in. */
const AREA_INDENT = '  ';
const TAG_INDENT = '    ';
const DETAIL = ' '.repeat(10);
const STEP = ' '.repeat(12);
const SNIPPET = ' '.repeat(14);
const EVIDENCE_LABEL_WIDTH = 'Evidence: '.length;

interface Paint {
  status(status: Status, text: string): string;
  bold(text: string): string;
}

export const terminalReporter = defineReporter({
  id: 'terminal',
  extension: 'txt',
  render: (report, options) => renderTerminal(report, { color: options.color === true }),
});

export function renderTerminal(unsafe: Report, options: TerminalOptions): string {
  // Before any colour is added: the only escape sequences on the terminal are ours.
  const report = sanitizedReport(unsafe, terminalText);
  const paint = painter(options.color);
  const lines = header(report);
  for (const domain of worstFirst(report.domains, (d) => d.worst)) lines.push('', ...domainSection(domain, paint));
  lines.push('', ...summary(report, paint));
  return `${lines.join('\n')}\n`;
}

function header(report: Report): string[] {
  const { options, source } = report;
  const origin =
    source.kind === 'replay'
      ? `replay of ${source.file} (facts gathered ${formatTime(report.startedAt)})`
      : `live run ${formatTime(report.startedAt)}, ${formatDuration(report.durationMs)}`;
  const context = [
    `resolvers ${options.resolvers.join(', ')}`,
    `vantage ${options.vantage}`,
    `probe timeout ${options.timeoutMs} ms`,
    options.allowPrivate.length > 0 ? `private networks allowed: ${options.allowPrivate.join(', ')}` : 'private addresses not probed',
  ];
  return [`fedcheck ${report.tool.version} · ${origin}`, ...packParts(context)];
}

/** Joins parts with " · ", starting a new line where the next part would pass the width. */
function packParts(parts: string[]): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 3 + part.length <= TEXT_WIDTH) lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines;
}

function domainSection(domain: DomainReport, paint: Paint): string[] {
  const services = serviceHeadlines(domain);
  const scope =
    services.length > 0
      ? services.map((entry) => `${entry.name} ${paint.status(entry.status, entry.text)}`).join(' · ')
      : `(${domain.services.join(', ')})`;
  const line = `${tag(domain.worst, paint)}  ${paint.bold(domain.domain)}  ${scope}  ${counts(domain.counts)}`;
  const note = domain.note === undefined ? [] : hanging(`${AREA_INDENT}Note: `, domain.note);
  if (domain.findings.length === 0) return [line, ...note, `${AREA_INDENT}no findings: no check applies to these services`];
  const lines = [line, ...note];
  const areas = AREA_ORDER.filter((area) => domain.findings.some((f) => f.area === area));
  const areaWorst = (area: Area) => worstStatus(domain.findings.filter((f) => f.area === area).map((f) => f.status));
  for (const area of worstFirst(areas, areaWorst)) {
    lines.push(`${AREA_INDENT}${paint.bold(area)}`);
    const inArea = domain.findings.filter((f) => f.area === area);
    for (const finding of worstFirst(inArea, (f) => f.status)) lines.push(...findingLines(finding, paint));
  }
  return lines;
}

function findingLines(finding: Finding, paint: Paint): string[] {
  const prefix = `${TAG_INDENT}${tag(finding.status, paint)}  `;
  const text = `${finding.subject} — ${finding.message}`;
  // Passes confirm, problems explain: a pass keeps to one line so the problems stand out (JSON has it whole).
  if (finding.status === 'pass') return [prefix + truncate(text, TEXT_WIDTH - DETAIL.length)];
  const lines = hanging(prefix, text, DETAIL.length);
  finding.evidence.forEach((evidence, index) => {
    const label = index === 0 ? 'Evidence: ' : '';
    lines.push(...hanging(`${DETAIL}${label.padEnd(EVIDENCE_LABEL_WIDTH)}`, evidence));
  });
  lines.push(`${DETAIL}Check: ${finding.checkId} (fedcheck explain ${finding.checkId})`);
  if (finding.fix === undefined) return lines;
  const { summary: fixSummary, steps, snippets } = finding.fix;
  lines.push(...hanging(`${DETAIL}${paint.bold('Fix:')} `, fixSummary, DETAIL.length + 5));
  steps.forEach((step, index) => {
    const number = `${index + 1}. `;
    lines.push(...hanging(`${STEP}${number}`, step, STEP.length + number.length));
  });
  for (const snippet of snippets) {
    // Snippets are pasted as they are, so they are never wrapped.
    lines.push(`${STEP}${snippet.lang}:`, ...snippet.text.split('\n').map((text) => `${SNIPPET}${text}`));
  }
  return lines;
}

function summary(report: Report, paint: Paint): string[] {
  const { worst, exitCode, deadlineReached } = report.summary;
  const domains = `${report.domains.length} domain${report.domains.length === 1 ? '' : 's'}`;
  // At most five counts: always well within the width, so the line is not wrapped.
  const lines = [
    `Summary: ${domains} · ${counts(report.summary.counts)} · worst ${paint.status(worst, TAG[worst])} · exit code ${exitCode}`,
  ];
  if (report.summary.partial === true) {
    lines.push(...hanging('', 'Partial report: the run was interrupted before every probe finished; what was not gathered is an error, not a verdict.'));
  }
  if (deadlineReached) {
    lines.push(...hanging('', 'The run deadline was reached: probes still running were cut short (raise --deadline).'));
  }
  return lines;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1).trimEnd()}…`;
}

function counts(byStatus: Record<Status, number>): string {
  const parts = STATUSES.filter((status) => byStatus[status] > 0).map((status) => `${byStatus[status]} ${status}`);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

/** Stable: equally bad items keep the report's order. */
function worstFirst<T>(items: readonly T[], statusOf: (item: T) => Status): T[] {
  return [...items].sort((a, b) => severity(statusOf(b)) - severity(statusOf(a)));
}

function tag(status: Status, paint: Paint): string {
  return paint.status(status, TAG[status].padEnd(4));
}

function painter(color: boolean): Paint {
  if (!color) return { status: (_, text) => text, bold: (text) => text };
  return {
    status: (status, text) => `\u001b[${TAG_COLOR[status]}m${text}\u001b[39m`,
    bold: (text) => `\u001b[1m${text}\u001b[22m`,
  };
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
