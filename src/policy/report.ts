// Policy findings in the engine's report model, so the terminal and JSON reporters render them unchanged.

import { configTargets } from '../config/load.js';
import type { FedcheckConfig } from '../model/config.js';
import type { Finding } from '../model/finding.js';
import { isJudged } from '../model/presence-state.js';
import { REPORT_SCHEMA_VERSION, domainReport, presenceOf, summarize } from '../model/report.js';
import type { DomainReport, Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import { VERSION } from '../util/version.js';

export interface PolicyRunContext {
  startedAt: Date;
  finishedAt: Date;
  vantage: string;
  resolvers: string[];
  timeoutMs: number;
  allowPrivate: string[];
  deadlineReached: boolean;
}

/** The lint's report: one section per domain a finding belongs to, own domains first as the config orders them. */
export function policyReport(config: FedcheckConfig, findings: Finding[], context: PolicyRunContext): Report {
  const known = new Map(configTargets(config).map((target) => [target.domain, target]));
  const domains = [...new Set([...known.keys(), ...findings.map((finding) => finding.domain)])]
    .filter((domain) => findings.some((finding) => finding.domain === domain))
    .map((domain) => domainReport(known.get(domain) ?? { domain, input: domain, services: ['sip'] }, findings.filter((f) => f.domain === domain)));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'fedcheck', version: VERSION },
    startedAt: context.startedAt.toISOString(),
    finishedAt: context.finishedAt.toISOString(),
    durationMs: Math.max(0, context.finishedAt.getTime() - context.startedAt.getTime()),
    source: { kind: 'live' },
    options: { vantage: context.vantage, resolvers: context.resolvers, timeoutMs: context.timeoutMs, allowPrivate: context.allowPrivate },
    summary: summarize(domains, context.deadlineReached),
    domains,
  };
}

/** A live report with policy findings added to the domains they belong to; the summary and exit code follow. */
export function withFindings(report: Report, findings: Finding[]): Report {
  const targetOf = (domain: DomainReport): Target => ({
    domain: domain.domain,
    input: domain.domain,
    services: domain.services,
    ...(domain.role ? { role: domain.role } : {}),
  });
  const domains = report.domains.map((domain) =>
    domainReport(
      targetOf(domain),
      [...domain.findings, ...findings.filter((finding) => finding.domain === domain.domain)],
      domain.serviceSummaries && presenceOf(domain.serviceSummaries),
      domain.observations,
    ),
  );
  return { ...report, summary: summarize(domains, report.summary.deadlineReached), domains };
}

/**
 * The findings, less those about a service the live run did not judge for their domain: one it does not publish and
 * nobody requires. That service has its one info line ("no XMPP federation published"), and nothing else is judged
 * for it, our policy's denial included: a bare partner requires nothing (README "Service presence").
 */
export function aboutJudgedServices(report: Report, findings: Finding[]): Finding[] {
  const presence = new Map(report.domains.map((domain) => [domain.domain, domain.serviceSummaries && presenceOf(domain.serviceSummaries)]));
  return findings.filter((finding) => {
    if (finding.service === 'none') return true;
    const entry = presence.get(finding.domain)?.[finding.service];
    return entry === undefined || isJudged(entry);
  });
}
