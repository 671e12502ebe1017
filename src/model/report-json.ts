// The JSON form of a Report (report.json, --format json, history files). Every finding of a check cites the same
// references, which were 40 % of a report's bytes: schema version 2 stores them once per check, in `checks`, and a
// finding carries `references` only when they differ from its check's. Reporters read the Report, never this form;
// reportFromJson gives the Report back, from this version or from version 1 (references in every finding).

import type { Finding, Reference } from './finding.js';
import type { DomainReport, Report } from './report.js';

/** A finding as stored: `references` only when they are not its check's. */
export type FindingJson = Omit<Finding, 'references'> & { references?: Reference[] };

export type DomainReportJson = Omit<DomainReport, 'findings'> & { findings: FindingJson[] };

export type ReportJson = Omit<Report, 'domains'> & {
  /** Per check id: the references each of its findings cites, unless the finding says otherwise. */
  checks?: Record<string, { references: Reference[] }>;
  domains: DomainReportJson[];
};

export function reportToJson(report: Report): ReportJson {
  const checks: Record<string, { references: Reference[] }> = {};
  const domains = report.domains.map(({ findings, ...domain }) => ({
    ...domain,
    findings: findings.map(({ references, ...finding }): FindingJson => {
      const table = (checks[finding.checkId] ??= { references });
      return sameReferences(table.references, references) ? finding : { ...finding, references };
    }),
  }));
  const { domains: _domains, ...context } = report;
  return { ...context, checks, domains };
}

/** The Report a JSON report (version 1 or 2) stands for; the caller has checked its shape. */
export function reportFromJson(json: ReportJson): Report {
  const { checks = {}, domains, ...context } = json;
  return {
    ...context,
    domains: domains.map(({ findings, ...domain }) => ({
      ...domain,
      findings: findings.map((finding) => ({ ...finding, references: finding.references ?? checks[finding.checkId]?.references ?? [] })),
    })),
  };
}

function sameReferences(a: readonly Reference[], b: readonly Reference[]): boolean {
  // The findings of a check share its meta.references array: the identity answers almost every time.
  return a === b || (a.length === b.length && a.every((reference, i) => reference.title === b[i]?.title && reference.url === b[i]?.url));
}
