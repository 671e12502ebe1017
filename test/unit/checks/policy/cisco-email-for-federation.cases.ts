import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const cisco = (section: Record<string, unknown>) => policyConfig({}, { own: { cisco: section } });

export default {
  valid: [
    { name: 'off', policy: { config: cisco({ federationDomains: ['fabrikam.com'] }) }, expect: [{ status: 'pass', messageId: 'off' }] },
    { name: 'on, XMPP federation only', policy: { config: cisco({ emailAddressForFederation: true, federationDomains: [{ domain: 'jabber.example.org', integrationType: 'inter-domain-to-xmpp' }] }) }, expect: [{ status: 'pass', messageId: 'onSupported' }] },
  ],
  invalid: [
    { name: 'on with partitioned intradomain federation', policy: { config: cisco({ emailAddressForFederation: true, partitionedIntradomainFederation: true }) }, expect: [{ status: 'fail', messageId: 'withPartitioned', fix: 'Presence > Settings > Standard Configuration' }] },
    { name: 'on with Microsoft interdomain federation', policy: { config: cisco({ emailAddressForFederation: true, federationDomains: ['fabrikam.com'] }) }, expect: [{ status: 'fail', messageId: 'withMicrosoft', data: { domains: 'fabrikam.com' } }] },
    { name: 'on with static routes only', policy: { config: cisco({ emailAddressForFederation: true, staticRoutes: [{ destinationPattern: '.com.fabrikam', nextHop: '10.0.0.21' }] }) }, expect: [{ status: 'fail', messageId: 'withMicrosoft', data: { domains: 'the statically routed domains' } }] },
  ],
} satisfies CheckCases;
