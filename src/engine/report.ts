// The report model every reporter renders: findings grouped by domain, with the run's context.

import type { Finding, Status } from './finding.js';
import { EXIT, countByStatus, exitCodeFor, severity, worstStatus } from './finding.js';
import type { Target } from './target.js';

/** Bumped when a field of the JSON report changes meaning or disappears. */
export const REPORT_SCHEMA_VERSION = 1;

export interface DomainReport {
  domain: string;
  /** Present when the domain came from a config file. */
  role?: 'own' | 'partner';
  services: Target['services'];
  worst: Status;
  counts: Record<Status, number>;
  /** Worst first, then by area, check and subject. */
  findings: Finding[];
}

export interface Report {
  schemaVersion: number;
  tool: { name: 'fedcheck'; version: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Where the facts came from: a live run, or a replayed facts file. */
  source: { kind: 'live' } | { kind: 'replay'; file: string };
  options: { vantage: string; resolvers: string[]; timeoutMs: number; allowPrivate: string[] };
  summary: {
    worst: Status;
    counts: Record<Status, number>;
    exitCode: number;
    deadlineReached: boolean;
    /** Present (true) when the run was interrupted: only what was gathered by then is judged. */
    partial?: true;
  };
  domains: DomainReport[];
  /** `fedcheck run --webhook`: whether the summary reached the chat webhook (scheme, host and port only). */
  webhook?: { target: string; delivered: boolean; attempts: number; error?: string };
}

const AREA_ORDER = ['dns', 'net', 'tls', 'sip', 'xmpp', 'policy'];

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severity(b.status) - severity(a.status) ||
      AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area) ||
      a.checkId.localeCompare(b.checkId) ||
      a.subject.localeCompare(b.subject, 'en', { numeric: true }),
  );
}

export function domainReport(target: Target, findings: Finding[]): DomainReport {
  return {
    domain: target.domain,
    ...(target.role ? { role: target.role } : {}),
    services: target.services,
    worst: worstStatus(findings.map((f) => f.status)),
    counts: countByStatus(findings),
    findings: sortFindings(findings),
  };
}

/** A partial run exits 3, like a run that could not be made: its findings are no verdict on the domains. */
export function summarize(domains: DomainReport[], deadlineReached: boolean, partial = false): Report['summary'] {
  const findings = domains.flatMap((d) => d.findings);
  return {
    worst: worstStatus(findings.map((f) => f.status)),
    counts: countByStatus(findings),
    exitCode: partial ? EXIT.unusable : exitCodeFor(findings),
    deadlineReached,
    ...(partial ? { partial: true as const } : {}),
  };
}
