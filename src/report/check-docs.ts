// The checks' own metadata rendered as documentation: `fedcheck checks`, `fedcheck explain` and the README list.

import type { CheckMeta, FixTemplate } from '../model/check.js';

/** Anything documented by check metadata: the per-domain checks and the policy checks alike. */
export type Documented = { meta: CheckMeta };
import type { Area } from '../model/finding.js';
import { hanging } from './wrap.js';

const AREA_TITLES: Record<Area, string> = {
  dns: 'DNS',
  net: 'Network reachability',
  tls: 'TLS',
  sip: 'SIP',
  xmpp: 'XMPP',
  policy: 'Federation policy',
};

const AREA_ORDER = Object.keys(AREA_TITLES) as Area[];

/** Templates outside a finding have no data: `{{domain}}` is shown as `<domain>`. */
export function withPlaceholderNames(template: string): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, '<$1>');
}

function fixSummaries(meta: CheckMeta): string[] {
  return [...new Set(Object.values(meta.fixes).map((fix) => withPlaceholderNames(fix.summary)))];
}

function byArea(checks: readonly Documented[]): { area: Area; checks: Documented[] }[] {
  return AREA_ORDER.map((area) => ({ area, checks: checks.filter((c) => c.meta.area === area) })).filter(
    (group) => group.checks.length > 0,
  );
}

/** `fedcheck checks`: every check with why it matters and how to fix it, grouped by area. */
export function renderChecksList(checks: readonly Documented[]): string {
  if (checks.length === 0) return 'No checks are registered.\n';
  const lines: string[] = [];
  for (const group of byArea(checks)) {
    lines.push(AREA_TITLES[group.area], '');
    for (const { meta } of group.checks) {
      lines.push(`  ${meta.id}  ${meta.title}`);
      lines.push(...hanging('    Why: ', meta.description));
      for (const summary of fixSummaries(meta)) lines.push(...hanging('    Fix: ', summary));
      lines.push('');
    }
  }
  lines.push('Details of one check, with every fix and snippet: fedcheck explain <check-id>');
  return `${lines.join('\n')}\n`;
}

/** `fedcheck checks --format json`: the metadata as the checks declare it, templates unfilled. */
export function renderChecksJson(checks: readonly Documented[]): string {
  return `${JSON.stringify(checks.map((check) => check.meta), null, 2)}\n`;
}

/** `fedcheck explain <check-id>`: everything a check says about itself. */
export function renderCheckExplanation(check: Documented): string {
  const { meta } = check;
  const lines = [
    `${meta.id} (${AREA_TITLES[meta.area]}; services: ${meta.services.join(', ')})`,
    '',
    ...hanging('Passing: ', meta.title),
    ...hanging('Failing: ', meta.failureTitle),
    '',
    'Why it matters',
    ...hanging('  ', meta.description),
    '',
    'What it reads',
    ...hanging('  ', meta.requires.join(', ') || 'no facts'),
    '',
    'Messages',
    ...Object.entries(meta.messages).flatMap(([id, text]) => hanging(`  ${id}: `, withPlaceholderNames(text))),
    '',
    'How to fix',
    ...Object.entries(meta.fixes).flatMap(([id, fix]) => fixLines(id, fix)),
    'References',
    ...meta.references.map((ref) => `  ${ref.title}: ${ref.url}`),
  ];
  return `${lines.join('\n')}\n`;
}

function fixLines(id: string, fix: FixTemplate): string[] {
  const lines = hanging(`  ${id}: `, withPlaceholderNames(fix.summary));
  fix.steps.forEach((step, index) => lines.push(...hanging(`    ${index + 1}. `, withPlaceholderNames(step))));
  for (const snippet of fix.snippets ?? []) {
    // Snippets are meant to be pasted, so they keep their lines as written.
    lines.push(`    ${snippet.lang}:`, ...withPlaceholderNames(snippet.text).split('\n').map((line) => `      ${line}`));
  }
  lines.push('');
  return lines;
}

/** The README's "Checks" section body: per area a table of id, passing state, why, and how to fix. */
export function renderChecksMarkdown(checks: readonly Documented[]): string {
  if (checks.length === 0) return 'No checks are registered yet.\n';
  const sections = byArea(checks).map((group) => {
    const rows = group.checks.map(({ meta }) =>
      [
        `\`${meta.id}\``,
        markdownCell(meta.title),
        markdownCell(meta.description),
        fixSummaries(meta).map(markdownCell).join('<br>'),
      ].join(' | '),
    );
    return [
      `### ${AREA_TITLES[group.area]}`,
      '',
      '| Check | Passing state | What it checks and why | How to fix |',
      '|---|---|---|---|',
      ...rows.map((row) => `| ${row} |`),
    ].join('\n');
  });
  return `${sections.join('\n\n')}\n`;
}

/**
 * Escapes what would break a table cell (`|`, line breaks) or read as HTML (`<domain>` placeholders);
 * inside `code spans` a backslash would show literally, so there only the pipe is escaped, as GFM tables need.
 */
function markdownCell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .split('`')
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/\\/g, '\\\\').replace(/</g, '\\<')).replace(/\|/g, '\\|'))
    .join('`');
}
