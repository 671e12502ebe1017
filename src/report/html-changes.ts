// The HTML report's "What changed since the last run" section, from a ReportDiff.

import { subjectText } from '../history/diff.js';
import type { CertificateRenewal, FindingChange, ReportDiff } from '../history/diff.js';
import { escapeHtml } from './html-escape.js';
import { STATUS_LABEL } from './html-styles.js';

const FOLD_AFTER = 10;
/** A list of changes stops here: the night a CA broke every partner, the page must still open (and the domains say it). */
const LIST_AT_MOST = 100;

export function renderChangesSection(diff: ReportDiff, warnDays: number): string {
  const parts = [
    `<h2 id="changes-title">What changed since the last run</h2>`,
    `<p class="muted">Compared with the run of ${escapeHtml(formatTime(diff.from.startedAt))}.</p>`,
  ];
  const nothing =
    diff.newFailures.length + diff.fixed.length + diff.changed.length + diff.renewed.length + diff.domainsAdded.length + diff.domainsRemoved.length === 0;
  if (nothing) parts.push('<p>Nothing got better or worse.</p>');
  if (diff.newFailures.length > 0) parts.push(`<h3>New problems (${diff.newFailures.length})</h3>`, changeList(diff.newFailures, 'after'));
  if (diff.fixed.length > 0) parts.push(`<h3>Fixed (${diff.fixed.length})</h3>`, changeList(diff.fixed, 'before'));
  if (diff.changed.length > 0) parts.push(`<h3>Changed address or port (${diff.changed.length})</h3>`, changeList(diff.changed, 'after'));
  if (diff.stillFailing.length > 0) {
    parts.push(
      `<details class="quiet"><summary>Still failing: ${diff.stillFailing.length}</summary>${changeList(diff.stillFailing, 'after')}</details>`,
    );
  }
  if (diff.renewed.length > 0) {
    const table = `<div class="table-scroll"><table><thead><tr><th>Domain</th><th>Endpoint</th><th>Certificate</th><th>Expires</th><th>Was</th></tr></thead><tbody>${diff.renewed.slice(0, LIST_AT_MOST).map(renewal).join('')}</tbody></table></div>${more(diff.renewed.length, 'p')}`;
    const title = `Certificates renewed (${diff.renewed.length})`;
    // A CA change renews every certificate at once: then the list is folded, so the problems stay in view.
    parts.push(diff.renewed.length > FOLD_AFTER ? `<details class="quiet"><summary>${title}</summary>${table}</details>` : `<h3>${title}</h3>${table}`);
  }
  if (diff.domainsAdded.length > 0) parts.push(`<p><strong>Domains added:</strong> ${diff.domainsAdded.map(code).join(', ')}</p>`);
  if (diff.domainsRemoved.length > 0) parts.push(`<p><strong>Domains removed:</strong> ${diff.domainsRemoved.map(code).join(', ')}</p>`);
  const soon = diff.countdown.filter((entry) => entry.daysLeftNow < warnDays);
  if (soon.length > 0) {
    const rows = soon.map(
      (entry) =>
        `<tr><td>${code(entry.domain)}</td><td>${code(entry.endpoint)}</td><td>${escapeHtml(entry.name)}</td>` +
        `<td class="num">${entry.daysLeftBefore ?? '—'}</td><td class="num">${entry.daysLeftNow}</td></tr>`,
    );
    parts.push(
      `<h3>Expiring within ${warnDays} days</h3>`,
      `<div class="table-scroll"><table><thead><tr><th>Domain</th><th>Endpoint</th><th>Certificate</th><th class="num">Days left then</th><th class="num">Days left now</th></tr></thead><tbody>${rows.slice(0, LIST_AT_MOST).join('')}</tbody></table></div>${more(rows.length, 'p')}`,
    );
  }
  if (!diff.certificatesCompared) parts.push('<p class="muted">One of the runs is a report of an older fedcheck, without its observations, so certificates were not compared.</p>');
  return `<section class="card" id="changes" aria-labelledby="changes-title">${parts.join('\n')}</section>`;
}

function changeList(changes: readonly FindingChange[], shown: 'before' | 'after'): string {
  const items = changes.slice(0, LIST_AT_MOST).map((change) => {
    const status = change[shown] ?? 'pass';
    const was = change.before === undefined ? 'not reported before' : `was ${change.before}`;
    const now = change.after === undefined ? 'no longer reported' : `now ${change.after}`;
    return (
      `<li><span class="badge ${status}">${STATUS_LABEL[status]}</span> ${code(change.domain)} ${code(subjectText(change))} ` +
      `<span class="muted">${escapeHtml(change.checkId)} · ${escapeHtml(shown === 'after' ? was : now)}</span><br>${escapeHtml(change.finding.message)}</li>`
    );
  });
  return `<ul class="changes">${items.join('')}${more(changes.length, 'li')}</ul>`;
}

/** "… and 900 more": what a list cut at LIST_AT_MOST left out, as a list item or a paragraph. */
function more(total: number, tag: 'li' | 'p'): string {
  return total > LIST_AT_MOST ? `<${tag} class="muted">… and ${total - LIST_AT_MOST} more: report.json and <code>fedcheck diff</code> list them all.</${tag}>` : '';
}

function renewal(entry: CertificateRenewal): string {
  const replaced = entry.laterExpiry ? '' : ' <span class="muted">(replaced: expires no later)</span>';
  return (
    `<tr><td>${code(entry.domain)}</td><td>${code(entry.endpoint)}</td><td>${escapeHtml(entry.after.name)}${replaced}</td>` +
    `<td>${escapeHtml(entry.after.notAfter.slice(0, 10))}</td><td>${escapeHtml(entry.before.notAfter.slice(0, 10))}</td></tr>`
  );
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
