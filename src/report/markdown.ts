// Markdown for a ticket or summary.md: a summary table, every problem with its evidence and fix, the rest as
// compact lists. Partner-controlled text is escaped so no ticket system renders it as markup or HTML.

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

export interface MarkdownOptions {
  /** The comparison with the previous run: a "What changed" section after the summary. */
  diff?: ReportDiff;
}

export const markdownReporter = defineReporter({
  id: 'md',
  extension: 'md',
  outFile: 'summary.md',
  render: (report, options) => renderMarkdown(report, options.diff !== undefined ? { diff: options.diff } : {}),
});

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const ranked = rankDomains(report.domains);
  const problems = report.domains.filter((d) => isProblem(d.worst)).length;
  const lines = [
    `# fedcheck: ${problems} of ${report.domains.length} domain${report.domains.length === 1 ? '' : 's'} with problems`,
    '',
    `fedcheck ${inline(report.tool.version)} · ${report.source.kind === 'replay' ? `replay of ${code(report.source.file)}, facts gathered` : 'run'} ${formatTime(report.startedAt)} · vantage ${inline(report.options.vantage)} · exit code ${report.summary.exitCode}`,
    '',
    `Findings: ${STATUSES.map((s) => `${report.summary.counts[s]} ${s}`).join(', ')}.${report.summary.deadlineReached ? ' **The run deadline was reached**: probes still running were cut short.' : ''}`,
    ...(report.summary.partial === true ? ['', '**Partial report**: the run was interrupted before every probe finished; what was not gathered is an error, not a verdict.'] : []),
    '',
    '| Domain | Services | Worst | Fail | Error | Warn | Skip | Pass |',
    '|---|---|---|--:|--:|--:|--:|--:|',
    ...ranked.map((d) => {
      const role = d.role === undefined ? '' : ` (${d.role})`;
      const c = d.counts;
      return `| ${inline(d.domain)}${role} | ${inline(servicesText(d))} | **${TAG[d.worst]}** | ${c.fail} | ${c.error} | ${c.warn} | ${c.skip} | ${c.pass} |`;
    }),
  ];
  if (options.diff !== undefined) lines.push('', ...changesSection(options.diff));
  for (const domain of ranked) lines.push('', ...domainSection(domain));
  return `${lines.join('\n')}\n`;
}

/** The diff on its own, for `fedcheck diff --format md`. */
export function renderDiffMarkdown(diff: ReportDiff): string {
  return `${['# fedcheck diff', '', ...changesSection(diff)].join('\n')}\n`;
}

function changesSection(diff: ReportDiff): string[] {
  const lines = [`## What changed since ${formatTime(diff.from.startedAt)}`, '', `Compared: the run of ${formatTime(diff.from.startedAt)} with the run of ${formatTime(diff.to.startedAt)}.`];
  const list = (title: string, changes: readonly FindingChange[]) =>
    changes.length === 0 ? [] : ['', `### ${title} (${changes.length})`, '', ...changes.map(changeLine)];
  lines.push(...list('New problems', diff.newFailures), ...list('Fixed', diff.fixed), ...list('Changed address or port', diff.changed), ...list('Still failing', diff.stillFailing));
  if (diff.renewed.length > 0) {
    lines.push('', `### Certificates renewed (${diff.renewed.length})`, '');
    for (const r of diff.renewed) {
      const what = r.laterExpiry ? 'renewed' : 'replaced by one that expires no later';
      lines.push(`- ${code(r.domain)} ${code(r.endpoint)}: ${inline(r.after.name)} ${what}, expires ${r.after.notAfter.slice(0, 10)} (was ${r.before.notAfter.slice(0, 10)})`);
    }
  }
  if (diff.countdown.length > 0) {
    lines.push('', '### Certificate expiry countdown', '', '| Domain | Endpoint | Certificate | Days left then | Days left now |', '|---|---|---|--:|--:|');
    for (const c of diff.countdown) {
      lines.push(`| ${inline(c.domain)} | ${inline(c.endpoint)} | ${inline(c.name)} | ${c.daysLeftBefore ?? '—'} | ${c.daysLeftNow} |`);
    }
  } else if (!diff.certificatesCompared) {
    lines.push('', 'Certificates were not compared: one of the runs is a report of an older fedcheck, without its observations.');
  }
  if (diff.domainsAdded.length > 0) lines.push('', `Domains added: ${diff.domainsAdded.map(code).join(', ')}`);
  if (diff.domainsRemoved.length > 0) lines.push('', `Domains removed: ${diff.domainsRemoved.map(code).join(', ')}`);
  return lines;
}

function changeLine(change: FindingChange): string {
  const from = change.before === undefined ? 'not reported' : TAG[change.before];
  const to = change.after === undefined ? 'not reported' : TAG[change.after];
  return `- **${from} → ${to}** ${code(change.domain)} ${code(change.checkId)} ${code(subjectText(change))}: ${inline(change.finding.message)}`;
}

function domainSection(domain: DomainReport): string[] {
  const lines = [`## ${inline(domain.domain)}: ${TAG[domain.worst]} (${inline(servicesText(domain))})`];
  if (domain.note !== undefined) lines.push('', `Note: ${inline(domain.note)}`);
  const problems = domain.findings.filter((f) => isProblem(f.status));
  for (const finding of problems) lines.push('', ...problemLines(finding));
  const notes = domain.findings.filter((f) => f.status === 'info');
  if (notes.length > 0) lines.push('', `Information (${notes.length}):`, '', ...notes.map(compactLine));
  const skipped = domain.findings.filter((f) => f.status === 'skip');
  const passed = domain.findings.filter((f) => f.status === 'pass');
  if (skipped.length > 0) lines.push('', `Skipped (${skipped.length}):`, '', ...skipped.map(compactLine));
  if (passed.length > 0) lines.push('', `Passed (${passed.length}):`, '', ...passed.map(compactLine));
  if (domain.findings.length === 0) lines.push('', 'No findings: no check applies to these services.');
  return lines;
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

function compactLine(finding: Finding): string {
  return `- ${code(finding.checkId)} ${code(finding.subject)}: ${inline(finding.message)}`;
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
