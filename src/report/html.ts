// The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched) that shows at a glance
// what is broken, where on the path, and how to fix it. Every string from the network is escaped.

import type { Area, Finding, Status } from '../model/finding.js';
import { STATUSES, severity, worstStatus } from '../model/finding.js';
import { serviceHeadlines } from './service-status.js';
import type { DomainReport, Report } from '../model/report.js';
import type { ReportDiff } from '../history/diff.js';
import { seenCertificates } from '../model/report-certificates.js';
import { renderChangesSection } from './html-changes.js';
import { escapeHtml } from './html-escape.js';
import { pathLegend, renderPathSvg } from './html-path.js';
import { STATUS_LABEL, STYLES } from './html-styles.js';
import { renderTimelineSvg, timelineRows } from './html-timeline.js';
import { isProblem, rankDomains } from './rank.js';
import { certificateThresholds, defineReporter } from './reporter.js';
import type { RenderOptions } from './reporter.js';

export interface HtmlOptions {
  /** The comparison with the previous run, for "What changed since the last run". */
  diff?: ReportDiff;
  /** The timeline's warning line; default the run's --warn-days. */
  warnDays?: number;
  /** The timeline's critical line; none by default. */
  critDays?: number;
}

const AREA_TITLES: Record<Area, string> = {
  dns: 'DNS',
  net: 'Network',
  tls: 'TLS and certificates',
  sip: 'SIP',
  xmpp: 'XMPP',
  policy: 'Policy',
};
const AREAS: readonly Area[] = ['dns', 'net', 'tls', 'sip', 'xmpp', 'policy'];

export const htmlReporter = defineReporter({
  id: 'html',
  extension: 'html',
  outFile: 'report.html',
  render: (report, options) => renderHtml(report, htmlOptions(report, options)),
  chunks: (report, options) => htmlChunks(report, htmlOptions(report, options)),
});

function htmlOptions(report: Report, options: RenderOptions): HtmlOptions {
  const { warnDays, critDays } = certificateThresholds(report, options);
  return { warnDays, critDays, ...(options.diff !== undefined ? { diff: options.diff } : {}) };
}

export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  return [...htmlChunks(report, options)].join('');
}

/** The page in pieces: the head and summary, then one domain's section at a time, then the foot. */
function* htmlChunks(report: Report, options: HtmlOptions): Generator<string> {
  const warnDays = certificateThresholds(report, options).warnDays;
  const ranked = rankDomains(report.domains);
  const ids = new Map(report.domains.map((domain, index) => [domain.domain, `domain-${index}`]));
  const timeline = timelineRows(seenCertificates(report));
  const timelineOptions = { now: new Date(report.startedAt), warnDays, ...(options.critDays !== undefined ? { critDays: options.critDays } : {}) };
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="fedcheck ${escapeHtml(report.tool.version)}">
<title>fedcheck report: ${escapeHtml(headline(report))}</title>
<style>${STYLES}</style>
</head>
<body>
<header class="top"><div class="wrap">
<h1>Federation readiness report</h1>
<p>${escapeHtml(runLine(report))}</p>
</div></header>
<main class="wrap">
${summarySection(report, ranked, ids)}
${options.diff !== undefined ? renderChangesSection(options.diff, warnDays) : ''}
<section class="card" id="certificates" aria-labelledby="certificates-title">
<h2 id="certificates-title">Certificate expiry</h2>
${
  timeline.length === 0
    ? '<p class="muted">No certificate was seen: no TLS handshake completed.</p>'
    : `<p class="muted">Every certificate the Edges and XMPP servers sent, soonest to expire first; hover a bar for its subject, issuer and where it was seen.</p>
<figure class="scroll">${renderTimelineSvg(timeline, timelineOptions)}</figure>`
}
</section>
`;
  for (const [index, domain] of ranked.entries()) {
    const id = ids.get(domain.domain) ?? 'domain';
    const path = domain.observations?.path;
    yield `${index === 0 ? '' : '\n'}${domainSection(domain, id, path === undefined ? undefined : renderPathSvg(domain, path, `${id}-path`))}`;
  }
  yield `
</main>
<footer><div class="wrap">Made by fedcheck ${escapeHtml(report.tool.version)}. The full report for scripts: <code>--format json</code>; every check explained: <code>fedcheck explain &lt;check-id&gt;</code>.</div></footer>
</body>
</html>
`;
}

function headline(report: Report): string {
  const problems = report.domains.filter((d) => isProblem(d.worst)).length;
  return `${problems} of ${report.domains.length} domain${report.domains.length === 1 ? '' : 's'} with problems`;
}

function runLine(report: Report): string {
  const when =
    report.source.kind === 'replay'
      ? `replay of ${report.source.file}, facts gathered ${formatTime(report.startedAt)}`
      : `run ${formatTime(report.startedAt)}, ${(report.durationMs / 1000).toFixed(1)} s`;
  const { vantage, resolvers } = report.options;
  return `fedcheck ${report.tool.version} · ${when} · vantage ${vantage} · resolvers ${resolvers.join(', ')}`;
}

function summarySection(report: Report, ranked: DomainReport[], ids: Map<string, string>): string {
  const { counts, deadlineReached } = report.summary;
  const tiles = STATUSES.map(
    (status) => `<li class="tile ${status}"><span class="count">${counts[status]}</span><span class="what">${status}</span></li>`,
  );
  const rows = ranked.map((domain) => {
    const c = domain.counts;
    const role = domain.role === undefined ? '' : `<span class="role">${escapeHtml(domain.role)}</span>`;
    return (
      `<tr class="${isProblem(domain.worst) ? 'problem' : 'clean'}"><td><a href="#${ids.get(domain.domain) ?? ''}">${escapeHtml(domain.domain)}</a>${role}</td>` +
      `<td>${serviceBadges(domain)}</td><td>${badge(domain.worst)}</td>` +
      `<td class="num">${c.fail}</td><td class="num">${c.error}</td><td class="num">${c.warn}</td><td class="num">${c.skip}</td><td class="num">${c.pass}</td></tr>`
    );
  });
  return `<section class="card" id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">Summary: ${escapeHtml(headline(report))}</h2>
<ul class="tiles" aria-label="Findings by status">${tiles.join('')}<li class="tile none"><span class="count">${report.domains.length}</span><span class="what">domains</span></li></ul>
${report.summary.partial === true ? '<p class="partial"><strong>Partial report:</strong> the run was interrupted before every probe finished; what was not gathered is an error, not a verdict.</p>' : ''}
${deadlineReached ? '<p><strong>The run deadline was reached:</strong> probes still running were cut short; their findings are errors.</p>' : ''}
<table>
<caption>Domains, worst first (exit code ${report.summary.exitCode})</caption>
<thead><tr><th>Domain</th><th>Services</th><th>Worst</th><th class="num">Fail</th><th class="num">Error</th><th class="num">Warn</th><th class="num">Skip</th><th class="num">Pass</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>
<label class="filter"><input type="checkbox" id="only-problems"> Show only domains with problems</label>
</section>`;
}

function domainSection(domain: DomainReport, id: string, svg: string | undefined): string {
  const role = domain.role === undefined ? '' : `<span class="role">${escapeHtml(domain.role)}</span>`;
  const counts = STATUSES.filter((s) => domain.counts[s] > 0).map((s) => `${domain.counts[s]} ${s}`).join(', ') || 'no findings';
  const picture =
    svg === undefined
      ? '<p class="muted">No facts were gathered for this domain (its findings are about the policy alone), so it has no path to draw.</p>'
      : `<figure class="scroll">${svg}<figcaption>The path a partner follows, each box coloured by the worst finding about it; hover a box for its findings.${pathLegend()}</figcaption></figure>`;
  const areas = AREAS.filter((area) => domain.findings.some((f) => f.area === area));
  const areaWorst = (area: Area) => worstStatus(domain.findings.filter((f) => f.area === area).map((f) => f.status));
  const byArea = [...areas].sort((a, b) => severity(areaWorst(b)) - severity(areaWorst(a))).map((area) => areaBlock(area, domain.findings.filter((f) => f.area === area)));
  return `<section class="card domain ${isProblem(domain.worst) ? 'problem' : 'clean'}" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${badge(domain.worst)} ${escapeHtml(domain.domain)}${role} <span class="counts">${serviceBadges(domain)} · ${counts}</span></h2>
${domain.note === undefined ? '' : `<p class="note"><strong>Note:</strong> ${escapeHtml(domain.note)}</p>`}
${picture}
${byArea.length === 0 ? '<p class="muted">No findings: no check applies to these services.</p>' : byArea.join('\n')}
</section>`;
}

/** "SIP PASS · XMPP not published", each coloured by its own status. */
function serviceBadges(domain: DomainReport): string {
  const headlines = serviceHeadlines(domain);
  if (headlines.length === 0) return escapeHtml(domain.services.join(', '));
  return headlines
    .map((entry) => `<span class="service">${entry.name} <span class="badge ${entry.status}">${escapeHtml(entry.text)}</span></span>`)
    .join(' · ');
}

function areaBlock(area: Area, findings: Finding[]): string {
  const sorted = [...findings].sort((a, b) => severity(b.status) - severity(a.status));
  const problems = sorted.filter((f) => isProblem(f.status));
  const quiet = sorted.filter((f) => !isProblem(f.status));
  const passed = quiet.filter((f) => f.status === 'pass').length;
  const skipped = quiet.length - passed;
  const quietSummary = [passed > 0 ? `${passed} passed` : '', skipped > 0 ? `${skipped} skipped` : ''].filter(Boolean).join(', ');
  return [
    `<h3>${AREA_TITLES[area]}</h3>`,
    ...problems.map(findingCard),
    quiet.length > 0 ? `<details class="quiet"><summary>${quietSummary}</summary><ul class="compact">${quiet.map(compactRow).join('')}</ul></details>` : '',
  ].join('\n');
}

function findingCard(finding: Finding): string {
  const evidence = finding.evidence.length > 0 ? `<h4>Evidence</h4><pre>${escapeHtml(finding.evidence.join('\n'))}</pre>` : '';
  return `<article class="finding ${finding.status}">
<div class="head">${badge(finding.status)}<code class="subject">${escapeHtml(finding.subject)}</code><span class="check">${escapeHtml(finding.checkId)}</span></div>
<p class="message">${escapeHtml(finding.message)}</p>
${evidence}${fixBlock(finding)}${references(finding)}
</article>`;
}

function fixBlock(finding: Finding): string {
  if (finding.fix === undefined) return '';
  const { summary, steps, snippets } = finding.fix;
  const list = steps.length > 0 ? `<ol>${steps.map((step) => `<li>${escapeHtml(step)}</li>`).join('')}</ol>` : '';
  const code = snippets.map(
    (snippet) => `<figure><figcaption>${escapeHtml(snippet.lang)}</figcaption><pre><code>${escapeHtml(snippet.text)}</code></pre></figure>`,
  );
  return `<div class="fix"><h4>Fix</h4><p>${escapeHtml(summary)}</p>${list}${code.join('')}</div>`;
}

/** Plain links for a person to follow; only http(s), so nothing else can hide in a reference. */
function references(finding: Finding): string {
  if (finding.references.length === 0) return '';
  const links = finding.references.map((ref) =>
    /^https?:\/\//.test(ref.url)
      ? `<a href="${escapeHtml(ref.url)}" rel="noreferrer noopener">${escapeHtml(ref.title)}</a>`
      : escapeHtml(`${ref.title} (${ref.url})`),
  );
  return `<p class="refs">References: ${links.join(' · ')}</p>`;
}

function compactRow(finding: Finding): string {
  return `<li>${badge(finding.status)}<code>${escapeHtml(finding.subject)}</code> — ${escapeHtml(finding.message)} <span class="muted">(${escapeHtml(finding.checkId)})</span></li>`;
}

function badge(status: Status): string {
  return `<span class="badge ${status}">${STATUS_LABEL[status]}</span>`;
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}
