// Every Microsoft remote domain on IM and Presence needs both a SIP federation domain and a static route.

import { knownRemoteDomains, reversedPattern, routeDomain } from '../../src/policy/cisco-routes.js';
import { entryPath } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'policy.cisco-route-without-domain',
    area: 'policy',
    title: 'Each remote domain has its SIP federation domain and its static route',
    failureTitle: 'A static route lacks its SIP federation domain, or the reverse',
    description:
      'Interdomain federation through the Microsoft server needs, for each remote domain, a SIP federation domain (which also ' +
      'admits its messages) and a static route (which sends them): either one alone leaves the partner half reachable.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.ciscoIntradomain, REFERENCES.ciscoSipFederation],
    messages: {
      paired: '{{domain}} has a SIP federation domain and the static route {{pattern}}',
      routeWithoutDomain: 'the static route {{pattern}} sends to {{domain}}, which is not a SIP federation domain',
      domainWithoutRoute: '{{domain}} is a SIP federation domain (Inter-domain to OCS/Lync) with no static route: nothing sends its messages to the Microsoft server',
    },
    fixes: {
      addFederationDomain: {
        summary: 'Add {{domain}} as a SIP federation domain, or delete the route',
        steps: [
          'Cisco Unified CM IM and Presence Administration: Presence > Inter-Domain Federation > SIP Federation > Add New.',
          'Domain Name {{domain}}, Integration Type Inter-domain to OCS/Lync, check Direct Federation, Save; restart the Cisco XCP Router (Serviceability > Tools > Control Center - Network Services).',
          'If the partner is gone: Presence > Routing > Static Routes, select {{pattern}}, Delete Selected.',
        ],
      },
      addStaticRoute: {
        summary: 'Add the static route {{right}} for {{domain}}',
        steps: [
          'Cisco Unified CM IM and Presence Administration: Presence > Routing > Static Routes > Add New.',
          'Destination Pattern {{right}}, Route Type domain, Next Hop the IP address of a specific Standard Edition server or Enterprise Edition Front End (not the load balancer), Next Hop Port 5061, Protocol Type TLS, Priority 1; Save.',
          'If the partner is gone, remove the domain instead: Presence > Inter-Domain Federation > SIP Federation, Delete Selected (after its static routes).',
        ],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const cisco = config.own.cisco;
    if (cisco === undefined) return [];
    const known = knownRemoteDomains(config);
    const federated = new Set(cisco.federationDomains.map((entry) => entry.domain));
    const routed = new Set<string>();
    const drafts: FindingDraft[] = [];
    for (const [index, route] of cisco.staticRoutes.entries()) {
      const domain = routeDomain(route, known);
      // An unreadable pattern is policy.cisco-static-route-pattern's finding.
      if (domain === undefined || routed.has(domain)) continue;
      routed.add(domain);
      const data = { domain, pattern: route.destinationPattern };
      const subject = `${domain} static route`;
      const location = { policyEntry: entryPath('own.cisco.staticRoutes', index) };
      if (federated.has(domain)) drafts.push({ domain, status: 'pass', subject, location, messageId: 'paired', data });
      else drafts.push({ domain, status: 'fail', subject, location, messageId: 'routeWithoutDomain', data, fixId: 'addFederationDomain' });
    }
    for (const [index, entry] of cisco.federationDomains.entries()) {
      if (entry.integrationType !== 'inter-domain-to-ocs-lync' || routed.has(entry.domain)) continue;
      const data = { domain: entry.domain, right: reversedPattern(entry.domain) };
      drafts.push({ domain: entry.domain, status: 'fail', subject: `${entry.domain} SIP federation domain`, location: { policyEntry: entryPath('own.cisco.federationDomains', index) }, messageId: 'domainWithoutRoute', data, fixId: 'addStaticRoute' });
    }
    return drafts;
  },
});
