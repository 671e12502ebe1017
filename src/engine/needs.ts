// What a run must gather: the fact kinds its enabled checks declare, and those the report's observations show.

import type { Check } from '../model/check.js';
import type { FactKind } from '../model/fact-kinds.js';

/** The path, the endpoints and their answers that every report shows, whichever checks run (observeDomain). */
const OBSERVED: readonly FactKind[] = ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'tls-versions', 'sip', 'xmpp'];

/** GatherOptions.needs for a run judging `checks`: nothing is gathered that no check reads and no report shows. */
export function factsNeededBy(checks: readonly Check[]): ReadonlySet<FactKind> {
  return new Set([...OBSERVED, ...checks.flatMap((check) => check.meta.requires)]);
}
