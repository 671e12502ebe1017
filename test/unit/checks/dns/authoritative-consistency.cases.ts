import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
const XMPP_SRV = '_xmpp-server._tcp.example.com';
const XMPPS_SRV = '_xmpps-server._tcp.example.com';
const NS1 = '198.51.100.1:53';
const NS2 = '198.51.100.2:53';
const NS3 = '[2001:db8::53]:53';

/** Two name servers, both with an IPv4 address; ns2 also with IPv6. */
const delegation = () =>
  facts()
    .ns('example.com', ['ns1.example.com', 'ns2.example.net'])
    .a('ns1.example.com', ['198.51.100.1'])
    .a('ns2.example.net', ['198.51.100.2'])
    .aaaa('ns2.example.net', ['2001:db8::53']);

export default {
  valid: [
    {
      name: 'every server gives the same SIP answer, in any order',
      target: { services: ['sip'] },
      facts: delegation()
        .srvAt(NS1, SIP_SRV, [
          [10, 1, 5061, 'sip.example.com'],
          [20, 1, 5061, 'sip2.example.com'],
        ])
        .srvAt(NS2, SIP_SRV, [
          [20, 1, 5061, 'sip2.example.com'],
          [10, 1, 5061, 'sip.example.com'],
        ], { ttl: 600 })
        .srvAt(NS3, SIP_SRV, [
          [10, 1, 5061, 'sip.example.com'],
          [20, 1, 5061, 'sip2.example.com'],
        ])
        .build(),
      expect: [
        {
          status: 'pass',
          messageId: 'consistent',
          subject: SIP_SRV,
          location: { name: SIP_SRV },
          data: { count: 3, servers: 'ns1.example.com (198.51.100.1:53), ns2.example.net (198.51.100.2:53), ns2.example.net ([2001:db8::53]:53)' },
        },
      ],
    },
    {
      name: 'XMPP: agreeing NXDOMAIN is consistent too',
      target: { services: ['xmpp'] },
      facts: delegation()
        .srvAt(NS1, XMPP_SRV, [[10, 0, 5269, 'xmpp.example.com']])
        .srvAt(NS2, XMPP_SRV, [[10, 0, 5269, 'xmpp.example.com']])
        .rcodeAt(NS1, XMPPS_SRV, 'SRV', 'NXDOMAIN')
        .rcodeAt(NS2, XMPPS_SRV, 'SRV', 'NXDOMAIN')
        .build(),
      expect: [
        { status: 'pass', messageId: 'consistent', subject: XMPP_SRV, data: { answer: '10 0 5269 xmpp.example.com.' } },
        { status: 'pass', messageId: 'consistent', subject: XMPPS_SRV, data: { answer: 'NXDOMAIN' } },
      ],
    },
    {
      name: 'NS not looked up',
      facts: facts().build(),
      expect: [{ status: 'skip', messageId: 'noNameServers', subject: 'example.com' }],
    },
    {
      name: 'NS lookup skipped',
      facts: facts().dnsSkipped('example.com', 'NS', 'the run deadline was reached before this probe started').build(),
      expect: [{ status: 'skip', messageId: 'probeSkipped' }],
    },
    {
      name: 'a name below the zone apex',
      target: { domain: 'lync.example.com', services: ['sip'] },
      facts: facts().nodata('lync.example.com', 'NS').build(),
      expect: [{ status: 'skip', messageId: 'notZoneApex', subject: 'lync.example.com' }],
    },
    {
      name: 'servers not asked directly (private addresses)',
      target: { services: ['sip'] },
      facts: delegation().build(),
      expect: [{ status: 'skip', messageId: 'notAsked', subject: SIP_SRV }],
    },
  ],
  invalid: [
    {
      name: 'a stale secondary still serves the old Edge',
      target: { services: ['sip'] },
      facts: delegation()
        .srvAt(NS1, SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
        .srvAt(NS2, SIP_SRV, [[10, 1, 5061, 'old-edge.example.com']])
        .soaAt(NS1, 'example.com', 2026011501)
        .soaAt(NS2, 'example.com', 2025120101)
        .build(),
      expect: [
        {
          status: 'warn',
          messageId: 'inconsistent',
          subject: SIP_SRV,
          data: {
            disagreement:
              '10 1 5061 sip.example.com. from ns1.example.com (198.51.100.1:53); 10 1 5061 old-edge.example.com. from ns2.example.net (198.51.100.2:53)',
            staleServers: 'ns2.example.net (198.51.100.2:53)',
          },
          fix: 'dig +norecurse @198.51.100.2 -p 53 _sipfederationtls._tcp.example.com SRV',
        },
      ],
    },
    {
      name: 'one server says NXDOMAIN, no SOA: the minority is stale',
      target: { services: ['sip'] },
      facts: delegation()
        .srvAt(NS1, SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
        .srvAt(NS3, SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
        .rcodeAt(NS2, SIP_SRV, 'SRV', 'NXDOMAIN')
        .build(),
      expect: [{ status: 'warn', messageId: 'inconsistent', data: { staleServers: 'ns2.example.net (198.51.100.2:53)' } }],
    },
    {
      name: 'a server refuses and another times out',
      target: { services: ['sip'] },
      facts: delegation()
        .srvAt(NS1, SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
        .rcodeAt(NS2, SIP_SRV, 'SRV', 'REFUSED')
        .dnsErrorAt(NS3, SIP_SRV, 'SRV', 'timeout')
        .build(),
      expect: [
        { status: 'pass', messageId: 'consistent', data: { count: 1 } },
        {
          status: 'warn',
          messageId: 'serverUnanswered',
          subject: `${SIP_SRV} @${NS2}`,
          location: { name: SIP_SRV, address: '198.51.100.2', port: 53 },
          data: { reason: 'REFUSED', label: 'ns2.example.net (198.51.100.2:53)' },
          fix: 'nft add rule inet filter input ip daddr 198.51.100.2 udp dport 53 accept',
        },
        {
          status: 'warn',
          messageId: 'serverUnanswered',
          subject: `${SIP_SRV} @${NS3}`,
          fix: 'nft add rule inet filter input ip6 daddr 2001:db8::53 tcp dport 53 accept',
        },
      ],
    },
    {
      name: 'NS lookup failed',
      facts: facts().dnsError('example.com', 'NS', 'timeout').build(),
      expect: [{ status: 'error', messageId: 'nsLookupFailed' }],
    },
  ],
} satisfies CheckCases;
