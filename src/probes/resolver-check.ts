// Whether the run's resolvers answer at all, asked once before a run. A resolver that answers for no domain is
// the machine's setup problem (every finding would be an error), so the run stops; one domain whose DNS is
// silent or broken is that domain's problem, shown by its own error findings in a run that goes on.

import type { ProbeOutcome } from '../model/facts.js';
import { ADMINS_OWN } from './connector.js';
import { queryDns } from './dns.js';
import { formatServer, type DnsServer } from './resolvers.js';

/**
 * Questions in flight at once, as many as a run's default concurrency: a config of hundreds of partners opens no
 * more sockets than its run would, and a resolver that never answers costs one timeout per 32 domains.
 */
const PARALLEL_QUESTIONS = 32;

export type ResolverFailure = { domain: string } & Extract<ProbeOutcome<unknown>, { status: 'error' }>;

/**
 * Asks the resolvers for each domain's SOA until one answer comes (any rcode, even REFUSED, is an answer).
 * Undefined when one came; otherwise the failure for the first domain, which names the run's resolvers' fault.
 */
export async function resolverFailsEverywhere(domains: string[], resolvers: DnsServer[], timeoutMs: number): Promise<ResolverFailure | undefined> {
  const answered = new AbortController();
  const failures = new Map<string, ResolverFailure>();
  let next = 0;
  const askNext = async (): Promise<void> => {
    for (let domain = domains[next]; domain !== undefined && !answered.signal.aborted; domain = domains[next]) {
      next += 1;
      const signal = AbortSignal.any([answered.signal, AbortSignal.timeout(timeoutMs)]);
      const outcome = await queryDns({ name: domain, type: 'SOA', recursive: true }, resolvers, { signal, timeoutMs, egress: ADMINS_OWN });
      if (outcome.status === 'error') failures.set(domain, { domain, ...outcome });
      else answered.abort();
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_QUESTIONS, domains.length) }, askNext));
  if (answered.signal.aborted) return undefined;
  return domains.map((domain) => failures.get(domain)).find((failure) => failure !== undefined);
}

/** "resolver 192.0.2.53:53 did not answer (timeout) for any of the 3 domains", for the one-line error. */
export function describeResolverFailure(resolvers: DnsServer[], failure: ResolverFailure, domainCount: number): string {
  const names = resolvers.map(formatServer).join(', ');
  const which = domainCount > 1 ? ` for any of the ${domainCount} domains` : '';
  return `resolver${resolvers.length > 1 ? 's' : ''} ${names} did not answer (${failure.reason})${which}`;
}
