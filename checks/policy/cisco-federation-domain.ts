// Cisco SIP federation domains reached through the Microsoft server: Inter-domain to OCS/Lync, Direct Federation checked.

import { knownRemoteDomains, routeDomain } from '../../src/policy/cisco-routes.js';
import { entryPath } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

const UI_STEPS = [
  'Cisco Unified CM IM and Presence Administration: Presence > Inter-Domain Federation > SIP Federation, open {{domain}}.',
  'Choose Integration Type Inter-domain to OCS/Lync, check Direct Federation, Save.',
  'Restart the Cisco XCP Router (Cisco Unified IM and Presence Serviceability: Tools > Control Center - Network Services), on the publisher of each cluster.',
];

export default defineCheck({
  meta: {
    id: 'policy.cisco-federation-domain',
    area: 'policy',
    title: 'SIP federation domains routed to the Microsoft server are set up for it',
    failureTitle: 'A SIP federation domain routed to the Microsoft server is set up wrongly',
    description:
      'A remote domain reached through the Microsoft server\'s federation must be a SIP federation domain with integration type ' +
      '"Inter-domain to OCS/Lync" and Direct Federation checked, or IM and Presence handles its traffic another way.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.ciscoIntradomain, REFERENCES.ciscoSipFederation],
    messages: {
      lync: '{{domain}}: Inter-domain to OCS/Lync with Direct Federation checked',
      otherIntegration: '{{domain}}: integration type {{integrationType}}, not routed to the Microsoft server',
      directFederationOff: '{{domain}} is Inter-domain to OCS/Lync but Direct Federation is not checked',
      routedButNotLync: '{{domain}} has a static route to the Microsoft server but integration type {{integrationType}}, not Inter-domain to OCS/Lync',
    },
    fixes: {
      lyncIntegration: { summary: 'Set {{domain}} to Inter-domain to OCS/Lync with Direct Federation checked', steps: UI_STEPS },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const cisco = config.own.cisco;
    if (cisco === undefined) return [];
    const known = knownRemoteDomains(config);
    const routed = new Set(cisco.staticRoutes.map((route) => routeDomain(route, known)));
    return cisco.federationDomains.map((entry, index): FindingDraft => {
      const { domain, integrationType } = entry;
      const subject = `SIP federation domain ${domain}`;
      const location = { policyEntry: entryPath('own.cisco.federationDomains', index) };
      const data = { domain, integrationType };
      if (integrationType !== 'inter-domain-to-ocs-lync') {
        if (routed.has(domain)) return { domain, status: 'fail', subject, location, messageId: 'routedButNotLync', data, fixId: 'lyncIntegration' };
        return { domain, status: 'pass', subject, location, messageId: 'otherIntegration', data };
      }
      if (!entry.directFederation) return { domain, status: 'fail', subject, location, messageId: 'directFederationOff', data, fixId: 'lyncIntegration' };
      return { domain, status: 'pass', subject, location, messageId: 'lync', data };
    });
  },
});
