import type { PolicyCheckCases } from '../../support/policy-check-tester.js';
import { policyConfig } from '../../support/policy-config.js';

const cisco = (federationDomains: unknown[], patterns: string[]) =>
  policyConfig({}, { own: { cisco: { federationDomains, staticRoutes: patterns.map((destinationPattern) => ({ destinationPattern, nextHop: '10.0.0.21' })) } } });

export default {
  valid: [
    { name: 'a route and its domain; an XMPP domain needs no route', facts: { config: cisco(['fabrikam.com', { domain: 'jabber.example.org', integrationType: 'inter-domain-to-xmpp' }], ['.com.fabrikam']) }, expect: [{ status: 'pass', messageId: 'paired', domain: 'fabrikam.com' }] },
    { name: 'an unreadable pattern is left to the pattern check', facts: { config: cisco([], ['.']) }, expect: [] },
  ],
  invalid: [
    {
      name: 'a route without its SIP federation domain',
      facts: { config: cisco([], ['.com.northwind']) },
      expect: [{ status: 'fail', messageId: 'routeWithoutDomain', domain: 'northwind.com', fix: 'Presence > Inter-Domain Federation > SIP Federation > Add New' }],
    },
    {
      name: 'a SIP federation domain without its route',
      facts: { config: cisco(['fabrikam.com', 'litware.com'], ['.com.fabrikam']) },
      expect: [
        { status: 'pass', messageId: 'paired' },
        { status: 'fail', messageId: 'domainWithoutRoute', domain: 'litware.com', data: { right: '.com.litware' }, fix: 'Destination Pattern .com.litware' },
      ],
    },
  ],
} satisfies PolicyCheckCases;
