// The Nagios / Icinga plugin output, as the Monitoring Plugins development guidelines define it: one status line
// `FEDCHECK STATE: text | perfdata` first, the long text after it, and the plugin exit code (0 OK, 1 WARNING,
// 2 CRITICAL, 3 UNKNOWN). The state is the findings': the certificate thresholds are judged by the expiry check
// (--warning-days, --critical-days), so every format says the same; the perfdata carries them for graphs.

import type { Finding } from '../model/finding.js';
import { severity } from '../model/finding.js';
import type { DomainReport, Report } from '../model/report.js';
import { earliestCertificate } from '../model/report-certificates.js';
import { nagiosText } from './sanitize.js';
import { isProblem, rankDomains } from './rank.js';
import { certificateThresholds, defineReporter } from './reporter.js';
import type { RenderOptions } from './reporter.js';
import { serviceHeadlines } from './service-status.js';

export const nagiosReporter = defineReporter({
  id: 'nagios',
  extension: 'txt',
  render: (report, options) => renderNagios(report, options),
  exitCode: (report) => nagiosExitCode(report),
  unusable: (reason) => nagiosUnknown(reason),
});

const STATE_NAMES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
const UNKNOWN = 3;
const WORST_SHOWN = 3;
/** Long text lines at most: a thousand broken partners would otherwise fill the monitoring system's database. */
const LONG_TEXT_LINES = 50;
const DAY_SECONDS = 86_400;

/**
 * 3 when the findings cannot be trusted as a whole (nothing judged, the run deadline cut probes short, the run was
 * interrupted); else 2 on any failure or error, 1 on any warning, 0 otherwise.
 */
export function nagiosExitCode(report: Report): number {
  if (unknownReason(report) !== undefined) return UNKNOWN;
  const { counts } = report.summary;
  if (counts.fail + counts.error > 0) return 2;
  if (counts.warn > 0) return 1;
  return 0;
}

/** Why the state is UNKNOWN, in the words of the status line; undefined when the findings decide. */
function unknownReason(report: Report): string | undefined {
  const total = Object.values(report.summary.counts).reduce((a, b) => a + b, 0);
  if (report.domains.length === 0 || total === 0) return 'nothing was judged';
  // Before partial: a deadline that left domains unjudged marks the report partial too.
  if (report.summary.deadlineReached) return 'the run deadline was reached before every probe finished';
  if (report.summary.partial === true) return 'the run was interrupted before every probe finished';
  return undefined;
}

/** The whole answer when fedcheck could not run at all (bad input, no resolver answering): the guidelines' UNKNOWN. */
export function nagiosUnknown(reason: string): string {
  return `FEDCHECK UNKNOWN: ${nagiosText(reason)}\n`;
}

export function renderNagios(report: Report, options: RenderOptions = {}): string {
  const state = STATE_NAMES[nagiosExitCode(report)] ?? 'UNKNOWN';
  const problems = rankDomains(report.domains.filter((d) => isProblem(d.worst)));
  const reason = unknownReason(report);
  const status = `FEDCHECK ${state}: ${nagiosText([...(reason !== undefined ? [reason] : []), ...summaryParts(report, problems)].join('; '))}`;
  return [`${status} | ${perfdata(report, options).join(' ')}`, ...longText(problems), ''].join('\n');
}

function summaryParts(report: Report, problems: DomainReport[]): string[] {
  const { counts } = report.summary;
  const domains = report.domains.length;
  const parts = [
    problems.length === 0
      ? `${domains} domain${domains === 1 ? '' : 's'}, no problems`
      : `${problems.length} of ${domains} domains with problems: ${counts.fail} fail, ${counts.error} error, ${counts.warn} warn`,
  ];
  if (problems.length > 0) {
    const more = problems.length > WORST_SHOWN ? ` (+${problems.length - WORST_SHOWN} more)` : '';
    parts.push(`worst: ${problems.slice(0, WORST_SHOWN).map((d) => d.domain).join(', ')}${more}`);
  }
  const byService = serviceCounts(report);
  if (byService.length > 0) {
    parts.push(byService.map(({ name, problems: broken, healthy, absent }) => `${name} ${healthy} ok, ${broken} with problems${absent > 0 ? `, ${absent} not published` : ''}`).join(', '));
  }
  const earliest = earliestCertificate(report);
  if (earliest !== undefined) {
    const when = earliest.daysLeft < 0 ? `expired ${-earliest.daysLeft} days ago` : `expires in ${earliest.daysLeft} days`;
    parts.push(`earliest certificate ${when} (${earliest.domain})`);
  }
  return parts;
}

/**
 * `label=value[UOM];warn;crit;min;max`. The certificate's time left is in seconds (`s`, the guidelines' unit of
 * time), the thresholds in range syntax: `2592000:` alerts below 30 days. Counts have no unit and a minimum of 0.
 */
function perfdata(report: Report, options: RenderOptions): string[] {
  const { warnDays, critDays } = certificateThresholds(report, options);
  const earliest = earliestCertificate(report);
  const left = earliest === undefined ? 'U' : `${Math.floor((Date.parse(earliest.notAfter) - Date.parse(report.startedAt)) / 1000)}s`;
  const { counts } = report.summary;
  const count = (label: string, value: number) => `${label}=${value};;;0`;
  return [
    `certificate_expiry=${left};${warnDays * DAY_SECONDS}:;${critDays * DAY_SECONDS}:`,
    count('fail', counts.fail),
    count('warn', counts.warn),
    count('error', counts.error),
    count('domains', report.domains.length),
    ...serviceCounts(report).map(({ service, problems }) => count(`${service}_problems`, problems)),
  ];
}

/** After the status line, one line per domain with problems, worst first: its worst finding (whose message names where). */
function longText(problems: DomainReport[]): string[] {
  const lines = problems.slice(0, LONG_TEXT_LINES).map((domain) => {
    const worst = worstFinding(domain);
    const more = domain.counts.fail + domain.counts.error + domain.counts.warn - 1;
    const also = more > 0 ? ` (+${more} more problem${more === 1 ? '' : 's'})` : '';
    // The config's note, often whom to call, ends the domain's line.
    const note = domain.note === undefined ? '' : ` (note: ${domain.note})`;
    return nagiosText(`${domain.domain}: ${worst.status.toUpperCase()} ${worst.checkId}: ${worst.message}${also}${note}`);
  });
  if (problems.length > LONG_TEXT_LINES) lines.push(`... and ${problems.length - LONG_TEXT_LINES} more domains with problems`);
  return lines;
}

/** The first of the domain's findings at its worst status: the domain has problems, so there is one. */
function worstFinding(domain: DomainReport): Finding {
  return domain.findings.reduce((worst, finding) => (severity(finding.status) > severity(worst.status) ? finding : worst));
}

/** Per service, how many domains are healthy, have problems, or do not publish it (and nobody expects it). */
function serviceCounts(report: Report): { service: string; name: string; healthy: number; problems: number; absent: number }[] {
  const headlines = report.domains.flatMap(serviceHeadlines);
  return (['sip', 'xmpp'] as const).flatMap((service) => {
    const mine = headlines.filter((h) => h.service === service);
    if (mine.length === 0) return [];
    const absent = mine.filter((h) => h.status === 'info').length;
    const problems = mine.filter((h) => isProblem(h.status)).length;
    return [{ service, name: mine[0]?.name ?? service, healthy: mine.length - absent - problems, problems, absent }];
  });
}
