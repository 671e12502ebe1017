// `policy lint`: every policy check on the config, rendered as findings like any other check's.

import { policyChecks } from '../../checks/policy/index.js';
import type { FedcheckConfig } from '../config/types.js';
import type { Finding } from '../engine/finding.js';
import type { NextHopFacts, PartnerHosting } from './facts.js';
import { renderPolicyFinding } from './policy-check.js';

export interface LintFacts {
  partnerHosting?: PartnerHosting;
  nextHops?: NextHopFacts;
}

export function lintPolicy(config: FedcheckConfig, facts: LintFacts = {}): Finding[] {
  return policyChecks.flatMap((check) => check.evaluate({ config, ...facts }).map((draft) => renderPolicyFinding(check, draft)));
}
