import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const route = (nextHopPort: number, protocol: string) =>
  policyConfig({}, { own: { cisco: { federationDomains: ['fabrikam.com'], staticRoutes: [{ destinationPattern: '.com.fabrikam', nextHop: '10.0.0.21', nextHopPort, protocol }] } } });

export default {
  valid: [{ name: '5061 with TLS', policy: { config: route(5061, 'TLS') }, expect: [{ status: 'pass', messageId: 'tls', domain: 'fabrikam.com' }] }],
  invalid: [
    { name: '5060 with TCP: right, but unencrypted', policy: { config: route(5060, 'TCP') }, expect: [{ status: 'warn', messageId: 'tcpUnencrypted', fix: 'Set Next Hop Port to 5061 and Protocol Type to TLS' }] },
    { name: 'TLS on 5060', policy: { config: route(5060, 'TLS') }, expect: [{ status: 'fail', messageId: 'mismatch', data: { expectedPort: 5061 }, fix: 'Set Next Hop Port to 5061' }] },
    { name: 'TCP on 5061', policy: { config: route(5061, 'TCP') }, expect: [{ status: 'fail', messageId: 'mismatch', data: { expectedPort: 5060 } }] },
    { name: 'UDP', policy: { config: route(5060, 'UDP') }, expect: [{ status: 'fail', messageId: 'udp', fix: 'Protocol Type to TLS' }] },
  ],
} satisfies CheckCases;
