// The report model every reporter renders: findings grouped by domain, with the run's context.

import type { Finding, Status } from './finding.js';
import { EXIT, countByStatus, exitCodeFor, severity, worstStatus } from './finding.js';
import { attachFindings } from './observation.js';
import type { DomainObservations } from './observation.js';
import { isJudged } from './presence-state.js';
import type { Presence, PresenceState } from './presence-state.js';
import type { Service, Target } from './target.js';

/** Bumped when a field of the JSON report changes meaning or disappears: 2 stores references once per check (report-json.ts). */
export const REPORT_SCHEMA_VERSION = 2;

/** One service of one domain: whether the domain offers it, and the worst of its findings. */
export interface ServiceSummary {
  service: Service;
  /** How the domain offers it, from what its DNS publishes (and the XMPP fallback). */
  presence: PresenceState;
  /** The user said the domain must offer it. */
  expected: boolean;
  /** Over the findings of this service and, when it is judged, those of the domain as a whole (service `none`). */
  worst: Status;
  counts: Record<Status, number>;
}

export interface DomainReport {
  domain: string;
  /** Present when the domain came from a config file. */
  role?: 'own' | 'partner';
  /** The config's `note:` about this partner (who to call, a ticket number), shown beside its results in every format. */
  note?: string;
  /** The services looked at. */
  services: Target['services'];
  /** Per service looked at, when the domain's facts were judged (not for a policy-only section). */
  serviceSummaries?: ServiceSummary[];
  worst: Status;
  counts: Record<Status, number>;
  /** Worst first, then by area, check and subject. */
  findings: Finding[];
  /** What the facts showed, for the reporters (not for a policy-only section, which has no facts). */
  observations?: DomainObservations;
}

export interface Report {
  schemaVersion: number;
  tool: { name: 'fedcheck'; version: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Where the facts came from: a live run, or a replayed facts file. */
  source: { kind: 'live' } | { kind: 'replay'; file: string };
  /**
   * `expiryWarningDays`: what a certificate's `expiring` means in the observations; `expiryCriticalDays`: under it the
   * expiry is a failure (Nagios CRITICAL). Both absent without judged facts.
   */
  options: { vantage: string; resolvers: string[]; timeoutMs: number; allowPrivate: string[]; expiryWarningDays?: number; expiryCriticalDays?: number };
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

/** `observations`: the domain's, from observeDomain or an earlier report; their findings are attached anew. */
export function domainReport(target: Target, findings: Finding[], presence?: Presence, observations?: DomainObservations): DomainReport {
  const sorted = sortFindings(findings);
  return {
    domain: target.domain,
    ...(target.role ? { role: target.role } : {}),
    services: target.services,
    ...(presence ? { serviceSummaries: serviceSummaries(target, findings, presence) } : {}),
    worst: worstStatus(findings.map((f) => f.status)),
    counts: countByStatus(findings),
    findings: sorted,
    ...(observations ? { observations: attachFindings(observations, sorted) } : {}),
  };
}

/** The presence a report's service summaries were made from, to summarize again with more findings. */
export function presenceOf(summaries: readonly ServiceSummary[]): Presence {
  return Object.fromEntries(summaries.map(({ service, presence, expected }) => [service, { service, state: presence, expected }]));
}

function serviceSummaries(target: Target, findings: readonly Finding[], presence: Presence): ServiceSummary[] {
  return target.services.flatMap((service) => {
    const entry = presence[service];
    if (entry === undefined) return [];
    // A finding about the domain as a whole (its name servers, a host both services use) weighs on each judged service.
    const own = findings.filter((finding) => finding.service === service || (finding.service === 'none' && isJudged(entry)));
    return [{ service, presence: entry.state, expected: entry.expected, worst: worstStatus(own.map((f) => f.status)), counts: countByStatus(own) }];
  });
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
