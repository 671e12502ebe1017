// `fedcheck diff` for a terminal and as JSON: what got worse, what got better, certificates renewed and counting down.

import type { Status } from '../model/finding.js';
import { diffExitCode, subjectText } from '../history/diff.js';
import type { FindingChange, ReportDiff } from '../history/diff.js';
import { terminalText } from './sanitize.js';
import { hanging } from './wrap.js';

/** Bumped when a field of the diff JSON changes meaning or disappears: 2 moves a renumbered problem from stillFailing to changed. */
const DIFF_SCHEMA_VERSION = 2;

const TAG: Record<Status, string> = { pass: 'PASS', info: 'INFO', warn: 'WARN', fail: 'FAIL', error: 'ERR', skip: 'SKIP' };
const VERDICTS = ['nothing got worse', 'new warnings', 'new failures'];

export function renderDiffJson(diff: ReportDiff): string {
  return `${JSON.stringify({ schemaVersion: DIFF_SCHEMA_VERSION, exitCode: diffExitCode(diff), ...diff }, null, 2)}\n`;
}

export function renderDiffTerminal(diff: ReportDiff): string {
  const lines = [`fedcheck diff · ${formatTime(diff.from.startedAt)} → ${formatTime(diff.to.startedAt)}`];
  const section = (title: string, changes: readonly FindingChange[]) =>
    changes.length === 0 ? [] : ['', `${title} (${changes.length})`, ...changes.flatMap(changeLines)];
  lines.push(...section('New problems', diff.newFailures), ...section('Fixed', diff.fixed), ...section('Changed address or port', diff.changed));
  if (diff.stillFailing.length > 0) lines.push('', `Still failing: ${diff.stillFailing.length} (--format md or json lists them)`);
  if (diff.renewed.length > 0) {
    lines.push('', `Certificates renewed (${diff.renewed.length})`);
    for (const r of diff.renewed) {
      const what = r.laterExpiry ? 'renewed' : 'replaced by one that expires no later';
      lines.push(...hanging('  ', `${r.domain} ${r.endpoint}: ${r.after.name} ${what}, expires ${r.after.notAfter.slice(0, 10)} (was ${r.before.notAfter.slice(0, 10)})`, 4));
    }
  }
  if (diff.countdown.length > 0) {
    lines.push('', 'Certificate expiry countdown (days left then → now)');
    for (const c of diff.countdown) {
      const days = `  ${String(c.daysLeftBefore ?? '—').padStart(5)} → ${String(c.daysLeftNow).padStart(5)}  `;
      lines.push(...hanging(days, `${c.domain} ${c.endpoint} (${c.name})`));
    }
  } else if (!diff.certificatesCompared) {
    lines.push('', 'Certificates not compared: one of the files is a report of an older fedcheck, without its observations.');
  }
  if (diff.domainsAdded.length > 0) lines.push('', ...hanging('Domains added: ', diff.domainsAdded.join(', ')));
  if (diff.domainsRemoved.length > 0) lines.push('', ...hanging('Domains removed: ', diff.domainsRemoved.join(', ')));
  const code = diffExitCode(diff);
  lines.push('', `Verdict: ${VERDICTS[code] ?? ''} (exit code ${code})`);
  // Partner-controlled text must not reach the terminal as escape sequences.
  return `${lines.map(terminalText).join('\n')}\n`;
}

function changeLines(change: FindingChange): string[] {
  const from = change.before === undefined ? 'none' : TAG[change.before];
  const to = change.after === undefined ? 'gone' : TAG[change.after];
  return [
    ...hanging(`  ${`${from}→${to}`.padEnd(10)}  `, `${change.domain} · ${change.checkId} · ${subjectText(change)}`),
    ...hanging(' '.repeat(14), change.finding.message),
  ];
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}
