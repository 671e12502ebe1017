// The HTML report: one self-contained file (inline CSS and SVG, one inline script for the filters, nothing fetched)
// that shows at a glance what is broken, where on the path, and how to fix it, on a phone as on a desktop. Every
// string from the network is escaped. Own domains come first, then the partners', each group worst first; the page
// stays under HTML_MAX_BYTES: domains get their full section (path picture, evidence, fix steps, every pass) in that
// order while it fits, the rest a short one (each problem with its fix), so a thousand domains still open on a phone.

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
import { isProblem, mostUrgentFix, ownFirst } from './rank.js';
import { CONTENT_SECURITY_POLICY, FILTER_SCRIPT, filterForm } from './html-filters.js';
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

/** The most report.html may take, in bytes: what a phone opens without a pause. */
export const HTML_MAX_BYTES = 2_000_000;

/** The page in pieces: the head and summary, then one domain's section at a time, then the foot. */
function* htmlChunks(report: Report, options: HtmlOptions): Generator<string> {
  const top = `${documentStart(`fedcheck report: ${headline(report)}`, CONTENT_SECURITY_POLICY, report.tool.version, STYLES)}
<header class="top"><div class="wrap">
<h1>Federation readiness report</h1>
<p>${escapeHtml(runLine(report))}</p>
</div></header>
<main class="wrap">
`;
  yield top;
  yield* reportMainChunks(report, options, Buffer.byteLength(top));
  yield `
</main>
${FILTER_SCRIPT}
<footer><div class="wrap">Made by fedcheck ${escapeHtml(report.tool.version)}. The full report for scripts: <code>--format json</code>; every check explained: <code>fedcheck explain &lt;check-id&gt;</code>.</div></footer>
</body>
</html>
`;
}

/** The document up to <body>: self-contained, no referrer sent, its CSP in a meta tag (it is also opened as a file). */
export function documentStart(title: string, contentSecurityPolicy: string, version: string, styles: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="generator" content="fedcheck ${escapeHtml(version)}">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>`;
}

/**
 * What the page's <main> holds, in pieces: the summary, the changes, the certificates, then one domain's section at
 * a time, within HTML_MAX_BYTES with `aroundBytes` of page around it. fedcheck serve's page shows a check with it.
 */
export function* reportMainChunks(report: Report, options: HtmlOptions, aroundBytes: number): Generator<string> {
  const warnDays = certificateThresholds(report, options).warnDays;
  const ranked = ownFirst(report.domains);
  const ids = new Map(report.domains.map((domain, index) => [domain.domain, `domain-${index}`]));
  const timeline = timelineRows(seenCertificates(report));
  const timelineOptions = { now: new Date(report.startedAt), warnDays, ...(options.critDays !== undefined ? { critDays: options.critDays } : {}) };
  const intro = `${summarySection(report, ranked, ids)}
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
  yield intro;
  for (const [index, section] of domainSections(ranked, ids, aroundBytes + Buffer.byteLength(intro) + FOOT_BYTES).entries()) {
    yield `${index === 0 ? '' : '\n'}${section}`;
  }
}

/** The report's headline and run line, as its page header shows them. */
export function reportHeading(report: Report): { headline: string; runLine: string } {
  return { headline: headline(report), runLine: runLine(report) };
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
  return `<section class="card" id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">Summary: ${escapeHtml(headline(report))}</h2>
<ul class="tiles" aria-label="Findings by status">${tiles.join('')}<li class="tile none"><span class="count">${report.domains.length}</span><span class="what">domains</span></li></ul>
${report.summary.partial === true ? '<p class="partial"><strong>Partial report:</strong> the run was interrupted before every probe finished; what was not gathered is an error, not a verdict.</p>' : ''}
${deadlineReached ? '<p><strong>The run deadline was reached:</strong> probes still running were cut short; their findings are errors.</p>' : ''}
${filterForm()}
<table id="domains" class="domains">
<caption>Domains: our own first, then partners', each worst first (exit code ${report.summary.exitCode})</caption>
<thead><tr><th>Domain</th><th>Worst</th><th>Services</th><th class="num">Problems</th><th>Fix first</th></tr></thead>
<tbody>${ranked.map((domain) => domainRow(domain, ids.get(domain.domain) ?? '')).join('\n')}</tbody>
</table>
</section>`;
}

/** One row of the domain table, with what the filters read: the worst status overall and per service, the problems' checks. */
function domainRow(domain: DomainReport, id: string): string {
  const headlines = serviceHeadlines(domain);
  const perService = headlines.map((h) => ` data-${h.service}="${h.status}"`).join('');
  const problems = domain.findings.filter((f) => isProblem(f.status));
  const checks = [...new Set(problems.map((f) => f.checkId))].join(' ');
  const fix = mostUrgentFix(domain);
  const fixCell = fix !== undefined ? escapeHtml(fix) : isProblem(domain.worst) ? '<span class="muted">no fix known: see its findings</span>' : '';
  // Each service in a word and a coloured status; a row is repeated a thousand times, so it says nothing twice.
  const services =
    headlines.length === 0 ? escapeHtml(domain.services.join(', ')) : headlines.map((h) => `<span class="service">${h.name} <span class="badge ${h.status}">${escapeHtml(h.text)}</span></span>`).join(' ');
  return (
    `<tr data-status="${domain.worst}"${perService}${checks === '' ? '' : ` data-checks="${escapeHtml(checks)}"`} data-section="${id}">` +
    `<td class="name"><a href="#${id}">${escapeHtml(domain.domain)}</a>${roleBadge(domain)}</td>` +
    `<td>${badge(domain.worst)}</td><td>${services}</td><td class="num">${problems.length}</td><td class="fix-first">${fixCell}</td></tr>`
  );
}

/** Room kept for the page's foot and the filter script. */
const FOOT_BYTES = 4_000;

/**
 * Each domain's section, in page order: the full one while HTML_MAX_BYTES leaves room for it once every domain has
 * its short one, the short one after. Held as sections, never joined: the page stays within HTML_MAX_BYTES anyway.
 */
function domainSections(ranked: readonly DomainReport[], ids: Map<string, string>, fixed: number): string[] {
  const sections = ranked.map((domain) => shortSection(domain, ids.get(domain.domain) ?? 'domain'));
  let room = HTML_MAX_BYTES - fixed - sections.reduce((total, section) => total + Buffer.byteLength(section) + 1, 0);
  for (const [index, domain] of ranked.entries()) {
    const full = fullSection(domain, ids.get(domain.domain) ?? 'domain');
    room -= Buffer.byteLength(full) - Buffer.byteLength(sections[index] ?? '');
    if (room < 0) break;
    sections[index] = full;
  }
  return sections;
}

function sectionHead(domain: DomainReport, id: string): string {
  const counts = STATUSES.filter((s) => domain.counts[s] > 0).map((s) => `${domain.counts[s]} ${s}`).join(', ') || 'no findings';
  return `<section class="card domain ${isProblem(domain.worst) ? 'problem' : 'clean'}" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${badge(domain.worst)} ${escapeHtml(domain.domain)}${roleBadge(domain)} <span class="counts">${serviceBadges(domain)} · ${counts}</span></h2>${
    domain.note === undefined ? '' : `\n<p class="note"><strong>Note:</strong> ${escapeHtml(domain.note)}</p>`
  }`;
}

function fullSection(domain: DomainReport, id: string): string {
  const path = domain.observations?.path;
  const picture =
    path === undefined
      ? '<p class="muted">No facts were gathered for this domain (its findings are about the policy alone), so it has no path to draw.</p>'
      : `<figure class="scroll">${renderPathSvg(domain, path, `${id}-path`)}<figcaption>The path a partner follows, each box coloured by the worst finding about it; hover a box for its findings.${pathLegend()}</figcaption></figure>`;
  const areas = AREAS.filter((area) => domain.findings.some((f) => f.area === area));
  const areaWorst = (area: Area) => worstStatus(domain.findings.filter((f) => f.area === area).map((f) => f.status));
  const byArea = [...areas].sort((a, b) => severity(areaWorst(b)) - severity(areaWorst(a))).map((area) => areaBlock(area, domain.findings.filter((f) => f.area === area)));
  return `${sectionHead(domain, id)}
${picture}
${byArea.length === 0 ? '<p class="muted">No findings: no check applies to these services.</p>' : byArea.join('\n')}
</section>`;
}

/** In a short section, the problems shown before "and N more". */
const SHORT_PROBLEMS = 3;

/** A domain past the page's budget: its first problems, each with its fix (the same fix said once). */
function shortSection(domain: DomainReport, id: string): string {
  const problems = domain.findings.filter((f) => isProblem(f.status));
  const fixes = new Set<string>();
  const items = problems.slice(0, SHORT_PROBLEMS).map((f) => {
    const summary = f.fix?.summary;
    const fix = summary === undefined || fixes.has(summary) ? '' : `<br><span class="fix-summary">Fix: ${escapeHtml(summary)}</span>`;
    if (summary !== undefined) fixes.add(summary);
    // Most messages begin with their subject: then it is not said twice.
    const subject = f.message.startsWith(`${f.subject}: `) ? '' : `<code>${escapeHtml(f.subject)}</code> — `;
    return `<li>${badge(f.status)}${subject}${escapeHtml(f.message)} <span class="muted">(${escapeHtml(f.checkId)})</span>${fix}</li>`;
  });
  const left = domain.findings.length - items.length;
  const rest = left === 0 ? '' : `<p class="muted">${left} more finding${left === 1 ? '' : 's'}${problems.length > items.length ? `, ${problems.length - items.length} of them problems,` : ''} in report.json (this page shows every finding only for its first domains).</p>`;
  return `${sectionHead(domain, id)}
${items.length > 0 ? `<ul class="compact">${items.join('')}</ul>` : ''}${rest}
</section>`;
}

function roleBadge(domain: DomainReport): string {
  return domain.role === undefined ? '' : `<span class="role">${escapeHtml(domain.role)}</span>`;
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
