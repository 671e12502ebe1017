// The Nagios / Icinga plugin output: one status line with perfdata, and the plugin exit code (0 OK, 1 WARNING,
// 2 CRITICAL, 3 UNKNOWN). Certificate days left below the thresholds raise the state as findings do.

import type { Report } from '../model/report.js';
import { earliestCertificate } from '../model/report-certificates.js';
import { nagiosText } from './sanitize.js';
import { isProblem, rankDomains } from './rank.js';
import { certificateThresholds, defineReporter } from './reporter.js';
import { serviceHeadlines } from './service-status.js';

export interface NagiosThresholds {
  /** WARNING when a certificate expires in fewer days than this. */
  warnDays: number;
  /** CRITICAL when a certificate expires in fewer days than this. */
  critDays: number;
}

export const nagiosReporter = defineReporter({
  id: 'nagios',
  extension: 'txt',
  render: (report, options) => renderNagios(report, certificateThresholds(report, options)),
  exitCode: (report, options) => nagiosExitCode(report, certificateThresholds(report, options)),
});

const STATE_NAMES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
const WORST_SHOWN = 3;

/**
 * 3 when nothing was judged; 2 on any failure or error, or a certificate under critDays; 1 on any warning, or a
 * certificate under warnDays; else 0. Without thresholds, the findings alone decide. The days left are the
 * report's observations: the plugin compares them with its thresholds, it does not read certificates.
 */
export function nagiosExitCode(report: Report, thresholds?: NagiosThresholds): number {
  const { counts } = report.summary;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (report.domains.length === 0 || total === 0) return 3;
  const days = thresholds !== undefined ? earliestCertificate(report)?.daysLeft : undefined;
  if (counts.fail + counts.error > 0 || (days !== undefined && thresholds !== undefined && days < thresholds.critDays)) return 2;
  if (counts.warn > 0 || (days !== undefined && thresholds !== undefined && days < thresholds.warnDays)) return 1;
  return 0;
}

export function renderNagios(report: Report, thresholds: NagiosThresholds): string {
  const state = STATE_NAMES[nagiosExitCode(report, thresholds)] ?? 'UNKNOWN';
  const { counts } = report.summary;
  const earliest = earliestCertificate(report);
  const problems = rankDomains(report.domains.filter((d) => isProblem(d.worst)));
  const worst = problems.map((d) => d.domain);
  const parts = [
    problems.length === 0
      ? `${report.domains.length} domain${report.domains.length === 1 ? '' : 's'}, no problems`
      : `${problems.length} of ${report.domains.length} domains with problems: ${counts.fail} fail, ${counts.error} error, ${counts.warn} warn`,
  ];
  if (worst.length > 0) {
    const more = worst.length > WORST_SHOWN ? ` (+${worst.length - WORST_SHOWN} more)` : '';
    parts.push(`worst: ${worst.slice(0, WORST_SHOWN).join(', ')}${more}`);
  }
  const byService = serviceCounts(report);
  if (byService.length > 0) {
    parts.push(byService.map(({ name, problems, healthy, absent }) => `${name} ${healthy} ok, ${problems} with problems${absent > 0 ? `, ${absent} not published` : ''}`).join(', '));
  }
  if (earliest !== undefined) {
    const when = earliest.daysLeft < 0 ? `expired ${-earliest.daysLeft} days ago` : `expires in ${earliest.daysLeft} days`;
    parts.push(`earliest certificate ${when} (${earliest.domain})`);
  }
  // Nagios ranges: "30:" alerts below 30, which is what days left needs.
  const perfdata = [
    `days_left=${earliest?.daysLeft ?? 'U'};${thresholds.warnDays}:;${thresholds.critDays}:`,
    `fail=${counts.fail}`,
    `warn=${counts.warn}`,
    `error=${counts.error}`,
    `domains=${report.domains.length}`,
    ...byService.map(({ service, problems }) => `${service}_problems=${problems}`),
  ];
  // Long text, after the status line: the config's note of each domain with a problem, often whom to call.
  const notes = problems.flatMap((d) => (d.note === undefined ? [] : [`${d.domain}: ${nagiosText(d.note)}\n`]));
  return `FEDCHECK ${state} - ${nagiosText(parts.join('; '))} | ${perfdata.join(' ')}\n${notes.join('')}`;
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
