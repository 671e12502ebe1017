// A domain on both the allowed and the blocked list: the lists contradict each other and the block wins.

import { entryPath, primaryOwnDomain } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'policy.allowed-and-blocked',
    area: 'policy',
    title: 'No domain is both allowed and blocked',
    failureTitle: 'A domain is both allowed and blocked',
    description:
      'A domain on both lists says two things at once; the block wins, so whoever added it to the allowed list ' +
      'expects a federation that never happens.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.lyncFederation, REFERENCES.blockedDomain, REFERENCES.allowedDomain],
    messages: {
      consistent: 'no allowed domain is also blocked (allowed domains: {{allowed}})',
      both: '{{partner}} is on the allowed list and on the blocked list: the block wins and federation with it is refused',
    },
    fixes: {
      chooseOne: {
        summary: 'Keep {{partner}} on one list only',
        steps: [
          'To federate with it: Remove-CsBlockedDomain -Identity {{partner}} (Microsoft 365: Teams admin center > Users > External access, remove it from the blocked domains).',
          'To keep it out: Remove-CsAllowedDomain -Identity {{partner}}.',
          'Then remove it from the matching list in the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'Remove-CsBlockedDomain -Identity {{partner}}\n# or, to keep it blocked\nRemove-CsAllowedDomain -Identity {{partner}}' }],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const { allowedDomains, blockedDomains } = config.own.federation;
    const both = [...new Set(allowedDomains.map((entry) => entry.domain).filter((domain) => blockedDomains.includes(domain)))];
    if (both.length === 0) {
      return [{ domain: primaryOwnDomain(config), status: 'pass', subject: 'allowed and blocked domains', location: { policyEntry: 'own.federation.blockedDomains' }, messageId: 'consistent', data: { allowed: allowedDomains.length } }];
    }
    // The block is the entry that wins, so the finding points at it.
    const location = (partner: string) => ({ policyEntry: entryPath('own.federation.blockedDomains', blockedDomains.indexOf(partner)) });
    return both.map((partner) => ({ domain: partner, status: 'fail', subject: partner, location: location(partner), messageId: 'both', data: { partner }, fixId: 'chooseOne' }));
  },
});
