// Whether the run's resolvers answered at all, read from the run's own DNS facts once they are in: no question is
// asked in front of the work for it. A resolver that answered no question is the machine's setup problem (every
// finding would be an error), so the command stops; one domain whose DNS is silent or broken is that domain's
// problem, shown by its own error findings in a run that goes on.

import type { FactRecord, ProbeOutcome } from '../model/facts.js';
import { formatServer, type DnsServer } from './resolvers.js';

export type ResolverFailure = Extract<ProbeOutcome<unknown>, { status: 'error' }>;

/** The failures that mean nothing came back from the resolver; any other outcome but a cut-short one is an answer. */
const NO_ANSWER = new Set(['timeout', 'network']);
/** Outcomes that say nothing of the resolver: a name never sent, a probe cut short by the run itself. */
const NOT_ASKED = new Set(['invalid-name', 'deadline', 'interrupted', 'probe-failed']);

/**
 * The failure of the run's first question, when every question the run put to its resolvers (the `dns:` facts;
 * `dns@` ones went to the domains' own name servers) came back without an answer; undefined when any answer came,
 * even REFUSED or SERVFAIL, or when nothing was asked.
 */
export function resolverFailedEverywhere(facts: FactRecord): ResolverFailure | undefined {
  let failure: ResolverFailure | undefined;
  for (const [key, outcome] of Object.entries(facts)) {
    if (!key.startsWith('dns:') || outcome.status === 'skipped') continue;
    if (outcome.status === 'ok') return undefined;
    if (NOT_ASKED.has(outcome.reason)) continue;
    if (!NO_ANSWER.has(outcome.reason)) return undefined;
    failure ??= outcome;
  }
  return failure;
}

/** "resolver 192.0.2.53:53 did not answer (timeout) for any of the 3 domains", for the one-line error. */
export function describeResolverFailure(resolvers: DnsServer[], failure: ResolverFailure, domainCount: number): string {
  const names = resolvers.map(formatServer).join(', ');
  const which = domainCount > 1 ? ` for any of the ${domainCount} domains` : '';
  return `resolver${resolvers.length > 1 ? 's' : ''} ${names} did not answer (${failure.reason})${which}`;
}
