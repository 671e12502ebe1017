// The report for a person at a terminal: problems first, domains worst first, ending with the domains that are not
// healthy and their worst problem. Over a few domains each problem comes with its evidence and fix, and a table of
// the unhealthy ones closes; over many, each problem takes one line (the evidence is one command away) and those
// sections are the table, so a night's run over dozens of partners reads at a glance.

import type { Finding, Status } from '../model/finding.js';
import { isHealthy } from '../model/finding.js';
import type { DomainReport, Report } from '../model/report.js';
import { isProblem, rankDomains } from './rank.js';
import { defineReporter } from './reporter.js';
import { sanitizedReport, terminalText } from './sanitize.js';
import { serviceHeadlines } from './service-status.js';
import { cutAtWord, hanging } from './wrap.js';
import { DEFAULTS } from '../util/defaults.js';

export interface TerminalOptions {
  /** ANSI colour codes; only for a TTY, never with NO_COLOR, --no-color or --out. */
  color: boolean;
  /** Columns: the terminal's width, else 80. */
  width?: number;
  /** -v: the passes, information and skipped checks too. */
  verbose?: boolean;
  /** --details: every problem with its evidence and fix, however many domains. */
  details?: boolean;
  /** The command that shows one domain in full, `<domain>` standing for its name: `fedcheck demo --domain <domain>`. */
  oneDomainCommand?: string;
}

/** Narrower than this and nothing is readable: the report is laid out for this width and lines may pass the terminal's. */
const MIN_WIDTH = 40;

/** What a line says about a finding: its status, or `na` for a check no run from this vantage point can judge. */
type Shown = Status | 'na';

const TAG: Record<Shown, string> = { pass: 'PASS', info: 'INFO', warn: 'WARN', fail: 'FAIL', error: 'ERROR', skip: 'SKIP', na: 'n/a' };
const TAG_COLOR: Record<Shown, string> = { pass: '32', info: '36', warn: '33', fail: '31', error: '35', skip: '90', na: '90' };
/** The order counts are given in: problems, then the healthy results. */
const COUNT_ORDER: readonly Shown[] = ['fail', 'error', 'warn', 'pass', 'info', 'skip', 'na'];
const COUNT_NAME: Record<Shown, string> = { fail: 'fail', error: 'error', warn: 'warn', pass: 'pass', info: 'info', skip: 'skip', na: 'n/a here' };

/** Columns: status tags at 2, a finding's text at 8, its fix's steps at 10, snippets at 12. */
const TAG_INDENT = '  ';
const DETAIL = ' '.repeat(8);
const STEP = ' '.repeat(10);
const SNIPPET = ' '.repeat(12);
const EVIDENCE_LABEL = 'Evidence: ';

interface Paint {
  status(status: Shown, text: string): string;
  bold(text: string): string;
}

interface Layout {
  width: number;
  paint: Paint;
  verbose: boolean;
  /** Each problem with its evidence and fix; else one line per check and status. */
  full: boolean;
}

export const terminalReporter = defineReporter({
  id: 'terminal',
  extension: 'txt',
  render: (report, options) => renderTerminal(report, { ...options, color: options.color === true }),
});

export function renderTerminal(unsafe: Report, options: TerminalOptions): string {
  // Before any colour is added: the only escape sequences on the terminal are ours.
  const report = sanitizedReport(unsafe, terminalText);
  const layout: Layout = {
    width: Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULTS.terminalWidth)),
    paint: painter(options.color),
    verbose: options.verbose === true,
    full: options.details === true || report.domains.length <= DEFAULTS.fullDetailDomains,
  };
  const ranked = rankDomains(report.domains);
  const unhealthy = ranked.filter((domain) => !isHealthy(domain.worst));
  const lines = header(report, layout.width);
  if (layout.full) {
    for (const domain of ranked) lines.push('', ...domainSection(domain, layout));
    lines.push('', ...worstProblemTable(unhealthy, report.domains.length, layout));
  } else {
    // One line per problem: the domains' sections are the table of what is not healthy, nothing is said twice.
    // Without -v the healthy domains are named together: their sections would say nothing but PASS.
    const listed = layout.verbose ? ranked : unhealthy;
    const what = layout.verbose ? `All ${report.domains.length} domains` : `Not healthy: ${unhealthy.length} of ${plural(report.domains.length, 'domain')}`;
    if (listed.length > 0) lines.push('', layout.paint.bold(`${what}, worst first, with their ${layout.verbose ? 'findings' : 'problems'}:`));
    for (const domain of listed) lines.push(...domainSection(domain, layout));
    const healthy = layout.verbose ? [] : ranked.filter((domain) => isHealthy(domain.worst));
    if (healthy.length > 0) {
      const label = `Healthy (${healthy.length}): `;
      const names = healthy.map((domain) => domain.domain).join(', ');
      lines.push('', ...hanging(label.replace('Healthy', layout.paint.status('pass', 'Healthy')), names, label.length, layout.width));
    }
    lines.push('');
  }
  lines.push(...summary(report, layout), ...hints(report, ranked, layout, options.oneDomainCommand));
  return `${lines.join('\n')}\n`;
}

function header(report: Report, width: number): string[] {
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
  return [...hanging('', `fedcheck ${report.tool.version} · ${origin}`, 0, width), ...packParts(context, width)];
}

/** Joins parts with " · ", starting a new line where the next part would pass the width. */
function packParts(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 3 + part.length <= width) lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(...hanging('', part, 0, width));
  }
  return lines;
}

function domainSection(domain: DomainReport, layout: Layout): string[] {
  const { paint } = layout;
  const services = serviceHeadlines(domain);
  const scope =
    services.length > 0
      ? services.map((entry) => `${entry.name} ${paint.status(entry.status, entry.text)}`).join(' · ')
      : `(${domain.services.join(', ')})`;
  const plainScope = services.length > 0 ? services.map((entry) => `${entry.name} ${entry.text}`).join(' · ') : scope;
  const tally = countsText(domain.findings, layout.full || layout.verbose);
  const role = domain.role !== undefined ? ` (${domain.role})` : '';
  const prefix = `${tag(domain.worst, paint)} ${paint.bold(domain.domain)}${role}  `;
  const prefixWidth = `${TAG[domain.worst].padEnd(5)} ${domain.domain}${role}  `.length;
  // The services always beside the name; the counts after them when they fit, else on the next line.
  const lines = [prefix + scope];
  if (tally !== '' && prefixWidth + plainScope.length + 2 + tally.length <= layout.width) lines[0] += `  ${tally}`;
  else if (tally !== '') lines.push(...hanging(' '.repeat(prefixWidth), tally, prefixWidth, layout.width));
  // The config's note, often whom to call, right under the headline.
  if (domain.note !== undefined) lines.push(...hanging(`${TAG_INDENT}Note: `, domain.note, TAG_INDENT.length + 6, layout.width));
  if (domain.findings.length === 0) return [...lines, `${TAG_INDENT}no findings: no check applies to these services`];
  const listed = domain.findings.filter((finding) => layout.verbose || asksSomething(finding));
  if (!layout.full) return [...lines, ...groupLines(listed, layout)];
  for (const finding of listed) {
    if (asksSomething(finding)) lines.push(...problemLines(finding, layout));
    // A pass confirms in one line; why a check was not run, or a fact noted, is read whole.
    else if (finding.status === 'pass') lines.push(oneLine(finding, 1, layout));
    else lines.push(...hanging(`${TAG_INDENT}${tag(shown(finding), layout.paint)} `, `${finding.checkId} · ${statement(finding)}`, DETAIL.length, layout.width));
  }
  return lines;
}

/** A problem, or information that asks something of someone (it carries a fix). */
function asksSomething(finding: Finding): boolean {
  return isProblem(finding.status) || (finding.status === 'info' && finding.fix !== undefined);
}

/** One line per check and status: the first finding's message, and how many alike (they are sorted worst first). */
function groupLines(findings: readonly Finding[], layout: Layout): string[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${shown(finding)} ${finding.checkId}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...groups.values()].map((group) => oneLine(group[0] as Finding, group.length, layout));
}

function oneLine(finding: Finding, alike: number, layout: Layout): string {
  const label = `${finding.checkId}${alike > 1 ? ` ×${alike}` : ''}`;
  const lead = `${TAG_INDENT}${TAG[shown(finding)].padEnd(5)} ${label}  `;
  const text = cutAtWord(shortMessage(finding), Math.max(10, layout.width - lead.length));
  return `${TAG_INDENT}${tag(shown(finding), layout.paint)} ${label}  ${text}`;
}

function problemLines(finding: Finding, layout: Layout): string[] {
  const { paint, width } = layout;
  const prefix = `${TAG_INDENT}${tag(finding.status, paint)} `;
  const lines = hanging(prefix, `${finding.checkId} · ${finding.subject}`, DETAIL.length, width);
  lines.push(...hanging(DETAIL, finding.message, DETAIL.length, width));
  finding.evidence.forEach((evidence, index) => {
    const label = index === 0 ? EVIDENCE_LABEL : '';
    lines.push(...hanging(`${DETAIL}${label.padEnd(EVIDENCE_LABEL.length)}`, evidence, DETAIL.length + EVIDENCE_LABEL.length, width));
  });
  if (finding.fix === undefined) return lines;
  const { summary: fixSummary, steps, snippets } = finding.fix;
  lines.push(...hanging(`${DETAIL}${paint.bold('Fix:')} `, fixSummary, DETAIL.length + 5, width));
  steps.forEach((step, index) => {
    const number = `${index + 1}. `;
    lines.push(...hanging(`${STEP}${number}`, step, STEP.length + number.length, width));
  });
  for (const snippet of snippets) {
    // Snippets are pasted as they are, so they are never wrapped.
    lines.push(`${STEP}${snippet.lang}:`, ...snippet.text.split('\n').map((text) => `${SNIPPET}${text}`));
  }
  return lines;
}

/** The domains that are not healthy, one line each with its worst problem. */
function worstProblemTable(unhealthy: readonly DomainReport[], total: number, layout: Layout): string[] {
  if (unhealthy.length === 0) return [];
  const nameWidth = Math.min(28, Math.max(...unhealthy.map((domain) => domain.domain.length)));
  const title = layout.paint.bold(`Not healthy: ${unhealthy.length} of ${plural(total, 'domain')}, each with its worst problem`);
  return [title, ...unhealthy.flatMap((domain) => tableRow(domain, nameWidth, layout)), ''];
}

/** The counts and the exit code. */
function summary(report: Report, layout: Layout): string[] {
  const { paint, width } = layout;
  const { worst, exitCode, deadlineReached } = report.summary;
  const unhealthy = report.domains.filter((domain) => !isHealthy(domain.worst)).length;
  const found = countsText(report.domains.flatMap((domain) => domain.findings), true) || 'no findings';
  const lines = hanging('Summary: ', `${plural(report.domains.length, 'domain')}, ${unhealthy} not healthy · ${found}`, 'Summary: '.length, width);
  lines.push(`Result: worst ${paint.status(worst, TAG[worst])} · exit code ${exitCode}`);
  if (report.summary.partial === true) {
    lines.push(...hanging('', 'Partial report: the run was interrupted before every probe finished; what was not gathered is an error, not a verdict.', 0, width));
  }
  if (deadlineReached) {
    lines.push(...hanging('', 'The run deadline was reached: probes still running were cut short (raise --deadline).', 0, width));
  }
  return lines;
}

function tableRow(domain: DomainReport, nameWidth: number, layout: Layout): string[] {
  const problem = domain.findings.find(asksSomething) ?? domain.findings[0];
  const lead = `${TAG_INDENT}${tag(domain.worst, layout.paint)} ${domain.domain.padEnd(nameWidth)}  `;
  const leadWidth = TAG_INDENT.length + 6 + Math.max(nameWidth, domain.domain.length) + 2;
  if (problem === undefined) return [`${lead}no findings`];
  const room = layout.width - leadWidth - problem.checkId.length - 2;
  // Too narrow for the message beside the name and the check: it goes under them.
  if (room < 20) return [`${lead}${problem.checkId}`, `${DETAIL}${cutAtWord(shortMessage(problem), layout.width - DETAIL.length)}`];
  return [`${lead}${problem.checkId}  ${cutAtWord(shortMessage(problem), room)}`];
}

/** The message, naming what was judged when the message does not. */
function statement(finding: Finding): string {
  return finding.subject === '' || finding.message.includes(finding.subject) ? finding.message : `${finding.subject}: ${finding.message}`;
}

/**
 * What is wrong, in few words: the message without the subject it starts with (and the address family and host name
 * in brackets after an address), as a one-line form names the check, and the full form the subject.
 */
function shortMessage(finding: Finding): string {
  const { subject, message } = finding;
  if (subject === '' || !message.startsWith(subject)) return message;
  const rest = message.slice(subject.length).replace(/^\s*\([^)]*\)/, '').replace(/^[\s:,—-]+/, '');
  return rest === '' ? message : rest;
}

/** What was left out, and the command that shows it. */
function hints(report: Report, ranked: readonly DomainReport[], layout: Layout, oneDomainCommand: string | undefined): string[] {
  const parts: string[] = [];
  const example = ranked.find((domain) => !isHealthy(domain.worst)) ?? ranked[0];
  if (!layout.full && example !== undefined) {
    if (oneDomainCommand === undefined) parts.push('The evidence and fix of every problem: --details.');
    else parts.push(`Evidence and fix of one domain: ${oneDomainCommand.replaceAll('<domain>', example.domain)}; of every domain: --details.`);
  }
  const hidden = report.domains.some((domain) => domain.findings.some((finding) => !asksSomething(finding)));
  if (!layout.verbose && hidden) parts.push('The passes, information and checks not run: -v.');
  return parts.length > 0 ? hanging('', parts.join(' '), 0, layout.width) : [];
}

function shown(finding: Finding): Shown {
  return finding.status === 'skip' && finding.skipReason === 'vantage' ? 'na' : finding.status;
}

/** `4 fail, 1 warn`; with `all`, the passes, information and skips too. */
function countsText(findings: readonly Finding[], all: boolean): string {
  const counts = new Map<Shown, number>();
  for (const finding of findings) counts.set(shown(finding), (counts.get(shown(finding)) ?? 0) + 1);
  return COUNT_ORDER.filter((status) => (counts.get(status) ?? 0) > 0 && (all || isProblem(status as Status)))
    .map((status) => `${counts.get(status)} ${COUNT_NAME[status]}`)
    .join(', ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function tag(status: Shown, paint: Paint): string {
  return paint.status(status, TAG[status].padEnd(5));
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
