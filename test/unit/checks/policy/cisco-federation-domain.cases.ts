import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const cisco = (federationDomains: unknown[], patterns: string[] = []) =>
  policyConfig({}, { own: { cisco: { federationDomains, staticRoutes: patterns.map((destinationPattern) => ({ destinationPattern, nextHop: '10.0.0.21' })) } } });

export default {
  valid: [
    { name: 'Inter-domain to OCS/Lync with Direct Federation', policy: { config: cisco(['fabrikam.com'], ['.com.fabrikam']) }, expect: [{ status: 'pass', messageId: 'lync', domain: 'fabrikam.com' }] },
    { name: 'an XMPP domain, not routed', policy: { config: cisco([{ domain: 'jabber.example.org', integrationType: 'inter-domain-to-xmpp' }]) }, expect: [{ status: 'pass', messageId: 'otherIntegration' }] },
  ],
  invalid: [
    {
      name: 'Direct Federation unchecked',
      policy: { config: cisco([{ domain: 'fabrikam.com', directFederation: false }], ['.com.fabrikam']) },
      expect: [{ status: 'fail', messageId: 'directFederationOff', fix: 'check Direct Federation' }],
    },
    {
      name: 'statically routed but integration type XMPP',
      policy: { config: cisco([{ domain: 'fabrikam.com', integrationType: 'inter-domain-to-xmpp' }], ['.com.fabrikam']) },
      expect: [{ status: 'fail', messageId: 'routedButNotLync', fix: 'Integration Type Inter-domain to OCS/Lync' }],
    },
  ],
} satisfies CheckCases;
