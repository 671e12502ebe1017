// Markdown for a ticket or summary.md: only what needs a person, worst first, and never longer than a chat or
// ticket system shows: about 20 KB however many domains fail. When every problem fits with its evidence and fix
// steps, it is shown so (a ticket about a few domains); else each problem is one line with its fix summary, and the
// list stops with how many more there are, which report.html shows in full. Partner-controlled text is escaped so
// no ticket system renders it as markup or HTML.

import type { Finding, Status } from '../model/finding.js';
import { STATUSES } from '../model/finding.js';
import type { DomainReport, Report } from '../model/report.js';
import { subjectText } from '../history/diff.js';
import type { FindingChange, ReportDiff } from '../history/diff.js';
import { isProblem, rankDomains } from './rank.js';
import { markdownCode as code, markdownFence as fenced, markdownText as inline } from './sanitize.js';
import { serviceHeadlines } from './service-status.js';
import { defineReporter } from './reporter.js';

const TAG: Record<Status, string> = { fail: 'FAIL', error: 'ERROR', warn: 'WARN', skip: 'SKIP', pass: 'PASS', info: 'INFO' };

/** What GitHub, GitLab and Jira show of a description or comment without folding it, with room to spare. */
export const MARKDOWN_MAX_BYTES = 20_000;
/** Of that, at most this much for what changed, so a night that broke everything still leaves room for the domains. */
const CHANGES_MAX_BYTES = 6_000;
/** In the short form, the problems shown of one domain before "and N more". */
const PROBLEMS_PER_DOMAIN = 3;

export interface MarkdownOptions {
  /** The comparison with the previous run: a "What changed" section after the summary. */
  diff?: ReportDiff;
  /** The most the text may take, in UTF-8 bytes; default MARKDOWN_MAX_BYTES. */
  maxBytes?: number;
}

export const markdownReporter = defineReporter({
  id: 'md',
  extension: 'md',
  outFile: 'summary.md',
  render: (report, options) => renderMarkdown(report, options.diff !== undefined ? { diff: options.diff } : {}),
});

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? MARKDOWN_MAX_BYTES;
  const problemDomains = rankDomains(report.domains).filter((d) => isProblem(d.worst));
  const healthy = report.domains.length - problemDomains.length;
  const head = [
    `# fedcheck: ${problemDomains.length} of ${report.domains.length} domain${report.domains.length === 1 ? '' : 's'} with problems`,
    '',
    `fedcheck ${inline(report.tool.version)} · ${report.source.kind === 'replay' ? `replay of ${code(report.source.file)}, facts gathered` : 'run'} ${formatTime(report.startedAt)} · vantage ${inline(report.options.vantage)} · exit code ${report.summary.exitCode}`,
    '',
    `Findings: ${STATUSES.map((s) => `${report.summary.counts[s]} ${s}`).join(', ')}.${report.summary.deadlineReached ? ' **The run deadline was reached**: probes still running were cut short.' : ''}`,
    ...(report.summary.partial === true ? ['', '**Partial report**: the run was interrupted before every probe finished; what was not gathered is an error, not a verdict.'] : []),
    ...(healthy > 0 ? ['', `${healthy} domain${healthy === 1 ? ' is' : 's are'} healthy and not listed here.`] : []),
  ];
  const changes = options.diff === undefined ? [] : ['', ...changesSection(options.diff, Math.min(CHANGES_MAX_BYTES, maxBytes / 3))];
  const room = maxBytes - bytes(head) - bytes(changes) - MORE_LINE_BYTES;
  return `${[...head, ...changes, ...domainsPart(problemDomains, room)].join('\n')}\n`;
}

/** Room kept for the "and N more" line and the table's overhead. */
const MORE_LINE_BYTES = 400;

/**
 * The domains with problems: a table and every problem in full when they fit `room`; else, worst first, each
 * domain's first problems one line each, as many domains as fit, and how many more there are.
 */
function domainsPart(domains: DomainReport[], room: number): string[] {
  if (domains.length === 0) return [];
  const full = [...tableHead(), ...domains.map(tableRow), ...domains.flatMap((d) => ['', ...fullSection(d)])];
  if (bytes(full) <= room) return ['', ...full];
  const sections: string[] = [];
  let shown = 0;
  let used = 0;
  for (const domain of domains) {
    const section = ['', ...shortSection(domain)];
    used += bytes(section);
    if (used > room) break;
    sections.push(...section);
    shown += 1;
  }
  const left = domains.slice(shown);
  return ['', `The ${shown} worst of them, each with its first problems and their fixes:`, ...sections, ...(left.length > 0 ? ['', moreLine(left)] : [])];
}

function tableHead(): string[] {
  return ['| Domain | Services | Worst | Fail | Error | Warn |', '|---|---|---|--:|--:|--:|'];
}

function tableRow(domain: DomainReport): string {
  const c = domain.counts;
  return `| ${inline(domain.domain)}${roleText(domain)} | ${inline(servicesText(domain))} | **${TAG[domain.worst]}** | ${c.fail} | ${c.error} | ${c.warn} |`;
}

/** "… and 960 more domains with problems (900 failing, 60 with warnings)": the ones the budget left out. */
function moreLine(left: readonly DomainReport[]): string {
  const worst = (status: Status) => left.filter((d) => d.worst === status).length;
  const parts = [
    [worst('fail'), 'failing'],
    [worst('error'), 'with errors'],
    [worst('warn'), 'with warnings'],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${n} ${what}`);
  return `**… and ${left.length} more domain${left.length === 1 ? '' : 's'} with problems** (${parts.join(', ')}): see report.html (\`fedcheck run --out-dir\`) or \`--format json\` for every one.`;
}

/** The diff on its own, for `fedcheck diff --format md`. */
export function renderDiffMarkdown(diff: ReportDiff): string {
  return `${['# fedcheck diff', '', ...changesSection(diff)].join('\n')}\n`;
}

function changesSection(diff: ReportDiff, maxBytes = Number.POSITIVE_INFINITY): string[] {
  const lines = [`## What changed since ${formatTime(diff.from.startedAt)}`, '', `Compared: the run of ${formatTime(diff.from.startedAt)} with the run of ${formatTime(diff.to.startedAt)}.`];
  // The lists share the budget in the order a person reads them: what broke, what was fixed, what is expiring.
  const share = (items: number) => (Number.isFinite(maxBytes) ? Math.max(0, maxBytes - bytes(lines)) / items : maxBytes);
  const list = (title: string, changes: readonly FindingChange[], items: number) =>
    changes.length === 0 ? [] : ['', `### ${title} (${changes.length})`, '', ...fitted(changes.map(changeLine), share(items), 'more')];
  lines.push(...list('New problems', diff.newFailures, 4), ...list('Fixed', diff.fixed, 3), ...list('Changed address or port', diff.changed, 2));
  // In summary.md the domains' own sections show what still fails: there, only how many.
  const still = diff.stillFailing.length;
  if (still > 0 && Number.isFinite(maxBytes)) lines.push('', `Still failing: ${still} problem${still === 1 ? '' : 's'} of the last run.`);
  else lines.push(...list('Still failing', diff.stillFailing, 1));
  if (diff.renewed.length > 0) {
    const renewals = diff.renewed.map((r) => {
      const what = r.laterExpiry ? 'renewed' : 'replaced by one that expires no later';
      return `- ${code(r.domain)} ${code(r.endpoint)}: ${inline(r.after.name)} ${what}, expires ${r.after.notAfter.slice(0, 10)} (was ${r.before.notAfter.slice(0, 10)})`;
    });
    lines.push('', `### Certificates renewed (${diff.renewed.length})`, '', ...fitted(renewals, share(2), 'more'));
  }
  if (diff.countdown.length > 0) {
    const rows = diff.countdown.map((c) => `| ${inline(c.domain)} | ${inline(c.endpoint)} | ${inline(c.name)} | ${c.daysLeftBefore ?? '—'} | ${c.daysLeftNow} |`);
    lines.push('', '### Certificate expiry countdown', '', '| Domain | Endpoint | Certificate | Days left then | Days left now |', '|---|---|---|--:|--:|');
    lines.push(...fitted(rows, share(1), 'more certificates, later to expire'));
  } else if (!diff.certificatesCompared) {
    lines.push('', 'Certificates were not compared: one of the runs is a report of an older fedcheck, without its observations.');
  }
  if (diff.domainsAdded.length > 0) lines.push('', `Domains added: ${names(diff.domainsAdded)}`);
  if (diff.domainsRemoved.length > 0) lines.push('', `Domains removed: ${names(diff.domainsRemoved)}`);
  return lines;
}

/** As many of `lines` as fit `maxBytes`, then one line saying how many were left out. */
function fitted(lines: readonly string[], maxBytes: number, more: string): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    used += bytes([line]);
    if (used > maxBytes) break;
    kept.push(line);
  }
  const left = lines.length - kept.length;
  return left === 0 ? kept : [...kept, `- … and ${left} ${more}: see report.html.`];
}

/** The first few domain names of a list, and how many more. */
function names(domains: readonly string[]): string {
  const shown = domains.slice(0, 10).map(code).join(', ');
  return domains.length > 10 ? `${shown} and ${domains.length - 10} more` : shown;
}

function changeLine(change: FindingChange): string {
  const from = change.before === undefined ? 'not reported' : TAG[change.before];
  const to = change.after === undefined ? 'not reported' : TAG[change.after];
  return `- **${from} → ${to}** ${code(change.domain)} ${code(change.checkId)} ${code(subjectText(change))}: ${inline(change.finding.message)}`;
}

/** A domain's problems with their evidence, fix steps, snippets and references. */
function fullSection(domain: DomainReport): string[] {
  return [...heading(domain), ...domain.findings.filter((f) => isProblem(f.status)).flatMap((finding) => ['', ...problemLines(finding)])];
}

/** A domain's first few problems, one line each with its fix, the same fix said once. */
function shortSection(domain: DomainReport): string[] {
  const problems = domain.findings.filter((f) => isProblem(f.status));
  const fixes = new Set<string>();
  const lines = [...heading(domain), ''];
  for (const finding of problems.slice(0, PROBLEMS_PER_DOMAIN)) {
    const fix = finding.fix?.summary;
    lines.push(shortLine(finding, fix !== undefined && !fixes.has(fix)));
    if (fix !== undefined) fixes.add(fix);
  }
  const left = problems.length - PROBLEMS_PER_DOMAIN;
  if (left > 0) lines.push(`- … and ${left} more problem${left === 1 ? '' : 's'}: see report.html.`);
  return lines;
}

/** The domain's title, and the config's note (often whom to call) under it. */
function heading(domain: DomainReport): string[] {
  const title = `## ${inline(domain.domain)}${roleText(domain)}: ${TAG[domain.worst]} (${inline(servicesText(domain))})`;
  return domain.note === undefined ? [title] : [title, '', `Note: ${inline(domain.note)}`];
}

function roleText(domain: DomainReport): string {
  return domain.role === undefined ? '' : ` (${domain.role})`;
}

/** The subject is left out when the message begins with it, as most do. */
function shortLine(finding: Finding, withFix: boolean): string {
  const subject = finding.message.startsWith(`${finding.subject}: `) ? '' : ` ${code(finding.subject)}`;
  const fix = withFix && finding.fix !== undefined ? `\n  **Fix:** ${inline(finding.fix.summary)}` : '';
  return `- **${TAG[finding.status]}** ${code(finding.checkId)}${subject}: ${inline(finding.message)}${fix}`;
}

/** "SIP PASS, XMPP not published"; the services looked at when the section has no judged facts. */
function servicesText(domain: DomainReport): string {
  const headlines = serviceHeadlines(domain);
  return headlines.length > 0 ? headlines.map((h) => `${h.name} ${h.text}`).join(', ') : domain.services.join(', ');
}

function problemLines(finding: Finding): string[] {
  const lines = [`### ${TAG[finding.status]} ${code(finding.checkId)} ${code(finding.subject)}`, '', inline(finding.message)];
  if (finding.evidence.length > 0) lines.push('', 'Evidence:', '', ...fenced('text', finding.evidence.join('\n')));
  if (finding.fix !== undefined) {
    lines.push('', `**Fix:** ${inline(finding.fix.summary)}`);
    if (finding.fix.steps.length > 0) lines.push('', ...finding.fix.steps.map((step, index) => `${index + 1}. ${inline(step)}`));
    for (const snippet of finding.fix.snippets) lines.push('', ...fenced(snippet.lang, snippet.text));
  }
  const refs = finding.references.filter((r) => /^https?:\/\/[^\s<>()]+$/.test(r.url)).map((r) => `[${inline(r.title)}](${r.url})`);
  if (refs.length > 0) lines.push('', `References: ${refs.join(' · ')}`);
  return lines;
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function bytes(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
}
