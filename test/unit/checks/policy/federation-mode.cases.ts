import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

export default {
  valid: [
    { name: 'open federation with discovery', policy: { config: policyConfig({}, { partners: ['fabrikam.com'] }) }, expect: [{ status: 'pass', messageId: 'open' }] },
    { name: 'allow-listed-only', policy: { config: policyConfig({ mode: 'allow-listed-only', allowedDomains: ['fabrikam.com'] }) }, expect: [{ status: 'pass', messageId: 'listed', data: { count: 1 } }] },
    { name: 'disabled with no SIP partner watched', policy: { config: policyConfig({ mode: 'disabled' }, { partners: [{ domain: 'fabrikam.com', services: ['xmpp'] }] }) }, expect: [{ status: 'pass', messageId: 'disabled' }] },
  ],
  invalid: [
    {
      name: 'open mode without partner discovery',
      policy: { config: policyConfig({ partnerDiscovery: false, allowedDomains: ['fabrikam.com'] }) },
      expect: [{ status: 'warn', messageId: 'openWithoutDiscovery', data: { count: 1 }, fix: '-EnablePartnerDiscovery $True' }],
    },
    {
      name: 'disabled while partners are watched',
      policy: { config: policyConfig({ mode: 'disabled' }, { partners: ['fabrikam.com', 'litware.com'] }) },
      expect: [{ status: 'warn', messageId: 'disabledWithPartners', data: { partners: 'fabrikam.com, litware.com' }, fix: '-AllowFederatedUsers $True' }],
    },
  ],
} satisfies CheckCases;
