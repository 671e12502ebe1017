// `policy lint`: every policy check on the config, run and rendered by the engine like any other check.

import { policyChecks } from '../../checks/policy/index.js';
import type { FedcheckConfig } from '../model/config.js';
import { DEFAULT_CHECK_OPTIONS, renderFinding } from '../model/check.js';
import type { Check } from '../model/check.js';
import { evaluateCheck } from '../engine/evaluate.js';
import { FactView } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import { SERVICES } from '../model/target.js';
import { primaryOwnDomain } from './config-views.js';
import type { NextHopFacts, PartnerHosting, PolicyFacts } from '../model/policy-facts.js';

export interface LintFacts {
  partnerHosting?: PartnerHosting;
  nextHops?: NextHopFacts;
}

export function lintPolicy(config: FedcheckConfig, facts: LintFacts = {}): Finding[] {
  return judgePolicy(policyChecks, { config, ...facts });
}

/**
 * Policy checks over the policy facts alone: no domain's probe outcomes, so a policy check that reached for one would
 * find nothing. Each draft names its own domain; the primary own domain is the default.
 */
export function judgePolicy(checks: readonly Check[], policyFacts: PolicyFacts): Finding[] {
  const domain = primaryOwnDomain(policyFacts.config);
  const facts = new FactView({}, policyFacts);
  const target = { domain, input: domain, services: [...SERVICES] };
  // Policy checks judge no clock and no probe option; the defaults only complete the context.
  const context = { target, presence: {}, facts, options: DEFAULT_CHECK_OPTIONS, now: new Date(0) };
  return checks.flatMap((check) => evaluateCheck(check, context).map((draft) => renderFinding(check, domain, draft)));
}
