// A report of a thousand domains for the size bounds of summary.md and report.html: the recorded lab run's domains
// (every scenario, most of them failing) copied under new names until there are `count`, each copy renamed in
// every string (findings, observations, path) as a run of that many real domains would carry them.

import type { DomainReport, Report } from '../../src/model/report.js';
import { summarize } from '../../src/model/report.js';
import { labRun } from './report-runs.js';

export function manyDomainReport(count: number): Report {
  const { report } = labRun();
  const domains: DomainReport[] = [];
  for (let copy = 0; domains.length < count; copy += 1) {
    for (const domain of report.domains) {
      if (domains.length >= count) break;
      const name = domain.domain.replace(/^([^.]+)/, `$1-${String(copy).padStart(3, '0')}`);
      domains.push(JSON.parse(JSON.stringify(domain).replaceAll(domain.domain, name)) as DomainReport);
    }
  }
  return { ...report, domains, summary: summarize(domains, false) };
}
