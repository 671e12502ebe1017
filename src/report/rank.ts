// The order every summary lists domains in, and what counts as a problem worth a person's attention.

import type { Status } from '../model/finding.js';
import { severity } from '../model/finding.js';
import type { DomainReport } from '../model/report.js';

/** A warning, failure or error: something to act on. A skip is a check that did not apply. */
export function isProblem(status: Status): boolean {
  return status === 'fail' || status === 'error' || status === 'warn';
}

/** Worst first; among equals, the most failures and errors, then the most warnings, then by name. */
export function rankDomains(domains: readonly DomainReport[]): DomainReport[] {
  const broken = (d: DomainReport) => d.counts.fail + d.counts.error;
  return [...domains].sort(
    (a, b) => severity(b.worst) - severity(a.worst) || broken(b) - broken(a) || b.counts.warn - a.counts.warn || a.domain.localeCompare(b.domain),
  );
}

/** What to do first about a domain: the fix of its worst problem that has one (findings are worst first). */
export function mostUrgentFix(domain: DomainReport): string | undefined {
  return domain.findings.find((finding) => isProblem(finding.status) && finding.fix !== undefined)?.fix?.summary;
}

/** Own domains before partners' (a config's), each group in rankDomains' order. */
export function ownFirst(domains: readonly DomainReport[]): DomainReport[] {
  const group = (d: DomainReport) => (d.role === 'own' ? 0 : 1);
  return rankDomains(domains).sort((a, b) => group(a) - group(b));
}
