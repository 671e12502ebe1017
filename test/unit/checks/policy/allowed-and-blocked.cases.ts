import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

export default {
  valid: [
    { name: 'separate lists', policy: { config: policyConfig({ allowedDomains: ['fabrikam.com'], blockedDomains: ['litware.com'] }) }, expect: [{ status: 'pass', messageId: 'consistent', domain: 'contoso.com', data: { allowed: 1 } }] },
    { name: 'no lists at all', policy: { config: policyConfig() } },
  ],
  invalid: [
    {
      name: 'allowed and blocked, the allowed entry written in capitals',
      policy: { config: policyConfig({ allowedDomains: ['Fabrikam.COM', 'litware.com'], blockedDomains: ['fabrikam.com'] }) },
      expect: [{ status: 'fail', messageId: 'both', domain: 'fabrikam.com', subject: 'fabrikam.com', fix: 'Remove-CsBlockedDomain -Identity fabrikam.com' }],
    },
  ],
} satisfies CheckCases;
