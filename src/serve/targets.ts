// Which domains `fedcheck serve` probes: a probe endpoint anyone can reach is a relay, so by default only the
// config's own and partner domains and serve.targets (names and *.domain patterns); --allow-any-target opens it.

import { configTargets } from '../config/load.js';
import type { FedcheckConfig, ServeModule } from '../model/config.js';
import { SERVICES, isWithinDomain, normalizeDomain } from '../model/target.js';
import type { Target } from '../model/target.js';

export interface TargetRules {
  /** The config's own and partner domains, as `fedcheck run` checks them (services, Edge, role). */
  known: Map<string, Target>;
  /** serve.targets: exact names and `*.domain` patterns. */
  patterns: string[];
  allowAny: boolean;
}

export function targetRules(config: FedcheckConfig | undefined, allowAny: boolean): TargetRules {
  const known = new Map((config === undefined ? [] : configTargets(config)).map((target) => [target.domain, target]));
  return { known, patterns: config?.serve.targets ?? [], allowAny };
}

/** The target a request asks for, or why it is refused: `invalid` (not a domain) or `forbidden` (not allowed here). */
export type TargetAnswer = { target: Target } | { refused: 'invalid' | 'forbidden'; message: string };

/** `parameter`: what the request calls the domain (`target` for /probe, `domain` for the page and /api/check). */
export function probeTarget(input: string | null, module: ServeModule, rules: TargetRules, parameter = 'target'): TargetAnswer {
  if (input === null || input.trim() === '') return { refused: 'invalid', message: `no ${parameter} given: expected ${parameter}=DOMAIN, such as ${parameter}=contoso.com` };
  let domain: string;
  try {
    domain = normalizeDomain(input, parameter);
  } catch (error) {
    return { refused: 'invalid', message: (error as Error).message };
  }
  const known = rules.known.get(domain);
  if (known === undefined && !rules.allowAny && !rules.patterns.some((pattern) => matches(pattern, domain))) {
    return {
      refused: 'forbidden',
      message: `${domain} is not a domain this server probes: add it to serve.targets (or partners) in the config, or start fedcheck serve with --allow-any-target`,
    };
  }
  const base: Target = known ?? { domain, input, services: [...SERVICES], expected: [] };
  if (module.services === undefined) return { target: { ...base, services: [...base.services], expected: [...(base.expected ?? [])] } };
  // A module that names its services checks those and expects them, whatever the config says of the domain.
  return { target: { ...base, services: [...module.services], expected: [...module.services] } };
}

function matches(pattern: string, domain: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === domain;
  const parent = pattern.slice(2);
  return domain !== parent && isWithinDomain(domain, parent);
}
