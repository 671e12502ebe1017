// Cisco static routes to Microsoft servers: 5061 with TLS, or 5060 with TCP (unencrypted).

import { knownRemoteDomains, routeDomain } from '../../src/policy/cisco-routes.js';
import { entryPath, primaryOwnDomain } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

const EXPECTED_PORT = { TLS: 5061, TCP: 5060 } as const;
const UI_STEP = 'Cisco Unified CM IM and Presence Administration: Presence > Routing > Static Routes, open the route {{pattern}}.';

export default defineCheck({
  meta: {
    id: 'policy.cisco-route-port-protocol',
    area: 'policy',
    title: 'Static routes pair their port and protocol',
    failureTitle: 'A static route pairs the wrong port and protocol',
    description:
      'A Microsoft server listens for SIP over TLS on 5061 and over TCP on 5060; any other pairing reaches a port that does not ' +
      'speak the protocol. TCP works but sends presence and messages unencrypted.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.ciscoIntradomain, REFERENCES.ciscoSipFederation],
    messages: {
      tls: '{{pattern}} → {{nextHop}} uses TLS on 5061',
      tcpUnencrypted: '{{pattern}} → {{nextHop}} uses TCP on 5060: the pairing is right, but messages cross the network unencrypted',
      mismatch: '{{pattern}} → {{nextHop}} uses {{protocol}} on port {{port}}: {{protocol}} belongs on {{expectedPort}}',
      udp: '{{pattern}} → {{nextHop}} uses UDP on port {{port}}: Microsoft interdomain federation takes TLS on 5061 (or TCP on 5060)',
    },
    fixes: {
      useTls: {
        summary: 'Route {{pattern}} over TLS on 5061',
        steps: [UI_STEP, 'Set Next Hop Port to 5061 and Protocol Type to TLS, click Save; the Microsoft server must trust IM and Presence as a TLS peer.'],
      },
      matchPort: {
        summary: 'Set Next Hop Port {{expectedPort}} for {{protocol}}',
        steps: [UI_STEP, 'Set Next Hop Port to {{expectedPort}} (or choose TLS with 5061) and click Save.'],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const cisco = config.own.cisco;
    if (cisco === undefined) return [];
    const known = knownRemoteDomains(config);
    const own = primaryOwnDomain(config);
    return cisco.staticRoutes.map((route, index): FindingDraft => {
      const { destinationPattern: pattern, nextHop, nextHopPort: port, protocol } = route;
      const domain = routeDomain(route, known) ?? own;
      const subject = `static route ${pattern} → ${nextHop}:${port}/${protocol}`;
      const location = { policyEntry: entryPath('own.cisco.staticRoutes', index) };
      const data = { pattern, nextHop, port, protocol };
      if (protocol === 'UDP') return { domain, status: 'fail', subject, location, messageId: 'udp', data, fixId: 'useTls' };
      const expectedPort = EXPECTED_PORT[protocol];
      if (port !== expectedPort) return { domain, status: 'fail', subject, location, messageId: 'mismatch', data: { ...data, expectedPort }, fixId: 'matchPort' };
      if (protocol === 'TCP') return { domain, status: 'warn', subject, location, messageId: 'tcpUnencrypted', data, fixId: 'useTls' };
      return { domain, status: 'pass', subject, location, messageId: 'tls', data };
    });
  },
});
