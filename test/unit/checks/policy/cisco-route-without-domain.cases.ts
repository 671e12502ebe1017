import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const cisco = (federationDomains: unknown[], patterns: string[]) =>
  policyConfig({}, { own: { cisco: { federationDomains, staticRoutes: patterns.map((destinationPattern) => ({ destinationPattern, nextHop: '10.0.0.21' })) } } });

export default {
  valid: [
    { name: 'a route and its domain; an XMPP domain needs no route', policy: { config: cisco(['fabrikam.com', { domain: 'jabber.example.org', integrationType: 'inter-domain-to-xmpp' }], ['.com.fabrikam']) }, expect: [{ status: 'pass', messageId: 'paired', domain: 'fabrikam.com' }] },
    { name: 'an unreadable pattern is left to the pattern check', policy: { config: cisco([], ['.']) }, expect: [] },
  ],
  invalid: [
    {
      name: 'a route without its SIP federation domain',
      policy: { config: cisco([], ['.com.northwind']) },
      expect: [{ status: 'fail', messageId: 'routeWithoutDomain', domain: 'northwind.com', fix: 'Presence > Inter-Domain Federation > SIP Federation > Add New' }],
    },
    {
      name: 'a SIP federation domain without its route',
      policy: { config: cisco(['fabrikam.com', 'litware.com'], ['.com.fabrikam']) },
      expect: [
        { status: 'pass', messageId: 'paired' },
        { status: 'fail', messageId: 'domainWithoutRoute', domain: 'litware.com', data: { right: '.com.litware' }, fix: 'Destination Pattern .com.litware' },
      ],
    },
  ],
} satisfies CheckCases;
