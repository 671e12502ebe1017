// The chat message a nightly run posts. One JSON body serves both services, each reading its own fields
// and ignoring the others':
// - Slack incoming webhooks read `text` (the notification) and `blocks` (the message shown);
// - Microsoft Teams incoming webhooks (Microsoft 365 connectors) read the MessageCard fields `@type`,
//   `@context`, `summary`, `themeColor`, `title` and `text`.

import type { DomainReport, Report } from '../model/report.js';
import { severity } from '../model/finding.js';
import type { Status } from '../model/finding.js';

export interface WebhookMessage {
  '@type': 'MessageCard';
  '@context': 'https://schema.org/extensions';
  summary: string;
  themeColor: string;
  title: string;
  text: string;
  blocks: unknown[];
}

/** Enough to see what to look at first in a chat window; the report has the rest. */
const MAX_DOMAINS_LISTED = 15;
/** Slack's limits: 150 characters in a header, 3000 in a section's text. */
const SLACK_HEADER_MAX = 150;
const SLACK_SECTION_MAX = 3000;

const THEME: Record<Status, string> = { fail: 'D13438', error: 'D13438', warn: 'FFB900', skip: '107C10', pass: '107C10', info: '107C10' };

/** `changes`: a headline and one line per change (changeLines), empty without a previous run. */
export function webhookMessage(report: Report, changes: readonly string[]): WebhookMessage {
  const title = headline(report.domains);
  const counts = report.summary.counts;
  const findingsLine = `Findings: ${counts.fail} failed, ${counts.error} not measured, ${counts.warn} warnings, ${counts.pass} passed.`;
  const attention = report.domains
    .filter((domain) => severity(domain.worst) >= severity('warn'))
    .sort((a, b) => severity(b.worst) - severity(a.worst));
  const listed = attention.slice(0, MAX_DOMAINS_LISTED).map(domainLine);
  if (attention.length > listed.length) listed.push(`…and ${attention.length - listed.length} more in the report`);
  const [changeHeadline, ...changeItems] = changes;
  const changeLines = changeHeadline === undefined ? [] : [changeHeadline, ...changeItems.map((line) => `- ${line}`)];
  const paragraphs = [findingsLine, changeLines.join('\n'), listed.map((line) => `- ${line}`).join('\n')].filter((p) => p !== '');
  const text = escapeMarkup([title, ...paragraphs].join('\n\n'));
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: title,
    themeColor: THEME[report.summary.worst],
    title,
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(title, SLACK_HEADER_MAX) } },
      ...paragraphs.map((paragraph) => ({
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(escapeMarkup(paragraph), SLACK_SECTION_MAX) },
      })),
    ],
  };
}

function headline(domains: readonly DomainReport[]): string {
  const failing = domains.filter((d) => d.worst === 'fail' || d.worst === 'error').length;
  const warning = domains.filter((d) => d.worst === 'warn').length;
  if (failing === 0 && warning === 0) return `fedcheck: all ${domains.length} domains ready for federation`;
  return `fedcheck: ${failing} of ${domains.length} domains failing, ${warning} with warnings`;
}

/** The domain, its role, its worst finding with the fix and the config's note, so the message alone says where to start. */
function domainLine(domain: DomainReport): string {
  const role = domain.role ? ` (${domain.role})` : '';
  const [worst] = domain.findings;
  const what = worst ? `: ${worst.message}${worst.fix ? ` Fix: ${worst.fix.summary}` : ''}` : '';
  const note = domain.note === undefined ? '' : ` Note: ${domain.note}`;
  return `${domain.worst.toUpperCase()} ${domain.domain}${role}${what}${note}`;
}

/** Both services read &, < and > as markup. */
function escapeMarkup(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
