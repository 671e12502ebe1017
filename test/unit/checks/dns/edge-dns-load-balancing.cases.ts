// Cases for dns.edge-dns-load-balancing: found by file name, run by the registry test.
import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
const XMPP_SRV = '_xmpp-server._tcp.example.com';

export default {
  valid: [
    {
      name: 'one address per family',
      facts: facts()
        .srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
        .a('sip.example.com', ['203.0.113.5'])
        .aaaa('sip.example.com', ['2001:db8::5'])
        .build(),
      expect: [{ status: 'pass', messageId: 'singleAddress', data: { addresses: '203.0.113.5, 2001:db8::5' } }],
    },
    {
      name: 'several addresses on an XMPP-only host',
      facts: facts()
        .srv(XMPP_SRV, [[10, 0, 5269, 'xmpp.example.com']])
        .a('xmpp.example.com', ['203.0.113.8', '203.0.113.9'])
        .build(),
      expect: [{ status: 'pass', messageId: 'xmppSeveralAddresses', data: { count: 2, family: 'IPv4' } }],
    },
    {
      name: 'no SRV target',
      facts: facts().nxdomain(SIP_SRV, 'SRV').build(),
      expect: [{ status: 'skip', messageId: 'noHosts' }],
    },
    {
      name: 'target without addresses',
      facts: facts().srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']]).nxdomain('sip.example.com', 'A').build(),
      expect: [{ status: 'skip', messageId: 'noAddresses' }],
    },
  ],
  invalid: [
    {
      name: 'DNS load balancing on the SIP Access Edge',
      facts: facts()
        .srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
        .a('sip.example.com', ['203.0.113.5', '203.0.113.6'])
        .build(),
      expect: [
        {
          status: 'warn',
          messageId: 'severalAddresses',
          subject: 'sip.example.com',
          location: { name: 'sip.example.com', host: 'sip.example.com' },
          data: { count: 2, family: 'IPv4', addresses: '203.0.113.5, 203.0.113.6' },
          fix: 'sip.example.com. 3600 IN A <load-balancer-virtual-ip>',
        },
      ],
    },
    {
      name: 'both families balanced on a host serving SIP and XMPP',
      facts: facts()
        .srv(SIP_SRV, [[10, 1, 5061, 'edge.example.com']])
        .srv(XMPP_SRV, [[10, 0, 5269, 'edge.example.com']])
        .a('edge.example.com', ['203.0.113.5', '203.0.113.6'])
        .aaaa('edge.example.com', ['2001:db8::5', '2001:db8::6'])
        .build(),
      expect: [
        { status: 'warn', messageId: 'severalAddresses', data: { family: 'IPv4' } },
        { status: 'warn', messageId: 'severalAddresses', data: { family: 'IPv6' }, fix: 'edge.example.com. 3600 IN AAAA 2001:db8::6' },
      ],
    },
  ],
} satisfies CheckCases;
