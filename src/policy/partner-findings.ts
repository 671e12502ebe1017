// The decision for one partner as findings, so `policy explain` reports it beside the partner's live checks.

import partnerAllowed from '../../checks/policy/partner-allowed.js';
import type { FedcheckConfig } from '../model/config.js';
import type { Finding } from '../model/finding.js';
import type { PartnerHosting } from '../model/policy-facts.js';
import { judgePolicy } from './lint.js';

export function partnerAllowedFindings(config: FedcheckConfig, partner: string, partnerHosting: PartnerHosting): Finding[] {
  return judgePolicy([partnerAllowed], { config, partnerHosting, partners: [partner] });
}
