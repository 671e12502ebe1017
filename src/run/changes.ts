// "What changed since the last run" in a few lines, for the terminal summary and the chat message; the HTML
// and Markdown reports show the whole comparison.

import { subjectText } from '../history/diff.js';
import type { FindingChange, ReportDiff } from '../history/diff.js';

/** Enough to act on from a chat message or a cron mail. */
const MAX_LISTED = 10;

export function changeLines(diff: ReportDiff): string[] {
  const since = `since the last run (${diff.from.startedAt.slice(0, 16).replace('T', ' ')} UTC)`;
  const counts = [
    count(diff.newFailures.length, 'new problem', 'new problems'),
    count(diff.fixed.length, 'fixed'),
    count(diff.stillFailing.length, 'still failing'),
    count(diff.changed.length, 'moved to another address or port'),
    count(diff.renewed.length, 'certificate renewed', 'certificates renewed'),
    count(diff.domainsAdded.length, 'domain added', 'domains added'),
    count(diff.domainsRemoved.length, 'domain removed', 'domains removed'),
  ].filter((part) => part !== '');
  const nothingNew = diff.newFailures.length + diff.fixed.length + diff.changed.length + diff.renewed.length + diff.domainsAdded.length + diff.domainsRemoved.length === 0;
  const headline = nothingNew ? `No changes ${since}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}` : `Changes ${since}: ${counts.join(', ')}`;
  return [
    headline,
    ...listed(diff.newFailures, (c) => `new: ${describe(c)}`),
    ...listed(diff.fixed, (c) => `fixed: ${describe(c)}`),
    ...listed(diff.changed, (c) => `changed: ${describe(c)}`),
  ];
}

function count(n: number, one: string, many = one): string {
  if (n === 0) return '';
  return `${n} ${n === 1 ? one : many}`;
}

function listed(changes: readonly FindingChange[], line: (change: FindingChange) => string): string[] {
  const shown = changes.slice(0, MAX_LISTED).map(line);
  if (changes.length > MAX_LISTED) shown.push(`…and ${changes.length - MAX_LISTED} more in the report`);
  return shown;
}

function describe(change: FindingChange): string {
  const from = change.before ?? 'none';
  const to = change.after ?? 'gone';
  return `${change.domain} ${change.checkId} (${subjectText(change)}) ${from} → ${to}`;
}
