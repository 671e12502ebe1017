import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
const XMPP_SRV = '_xmpp-server._tcp.example.com';
const XMPPS_SRV = '_xmpps-server._tcp.example.com';

/** sip.example.com on 5061 with one IPv4 and one IPv6 address. */
const dualStackEdge = () =>
  facts()
    .srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
    .a('sip.example.com', ['203.0.113.5'])
    .aaaa('sip.example.com', ['2001:db8::5']);

export default {
  valid: [
    {
      name: 'both addresses accept 5061',
      facts: dualStackEdge().tcp('203.0.113.5', 5061, 'open').tcp('2001:db8::5', 5061, 'open').build(),
      expect: [
        { status: 'pass', messageId: 'open', subject: '203.0.113.5:5061', location: { host: 'sip.example.com', address: '203.0.113.5', port: 5061 }, data: { family: 'IPv4', what: 'SIP federation (TLS)' } },
        { status: 'pass', messageId: 'open', subject: '[2001:db8::5]:5061', location: { address: '2001:db8::5', port: 5061 }, data: { family: 'IPv6' } },
      ],
    },
    {
      name: 'XMPP STARTTLS and direct TLS on one host',
      target: { services: ['xmpp'] },
      facts: facts()
        .srv(XMPP_SRV, [[10, 0, 5269, 'xmpp.example.com']])
        .srv(XMPPS_SRV, [[10, 0, 5270, 'xmpp.example.com']])
        .a('xmpp.example.com', ['203.0.113.8'])
        .tcp('203.0.113.8', 5269, 'open')
        .tcp('203.0.113.8', 5270, 'open')
        .build(),
      expect: [
        { status: 'pass', messageId: 'open', subject: '203.0.113.8:5269', data: { what: 'XMPP server-to-server' } },
        { status: 'pass', messageId: 'open', subject: '203.0.113.8:5270', data: { what: 'XMPP server-to-server (direct TLS)' } },
      ],
    },
    {
      name: 'private address not probed, IPv6 not probed in this run',
      facts: facts()
        .srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
        .a('sip.example.com', ['10.0.0.5'])
        .aaaa('sip.example.com', ['2001:db8::5'])
        .tcpSkipped('10.0.0.5', 5061, '10.0.0.5 is not a public address; not connected to without --allow-private')
        .build(),
      expect: [
        { status: 'skip', messageId: 'notProbed', subject: '10.0.0.5:5061' },
        { status: 'skip', messageId: 'notGathered', subject: '[2001:db8::5]:5061' },
      ],
    },
    {
      name: 'no federation host: the SRV check says why, nothing to connect to',
      facts: facts().nxdomain(SIP_SRV, 'SRV').build(),
      expect: [],
    },
    {
      name: 'host without addresses',
      facts: facts().srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']]).nxdomain('sip.example.com', 'A').build(),
      expect: [{ status: 'skip', messageId: 'noAddresses', subject: 'sip.example.com' }],
    },
  ],
  invalid: [
    {
      name: 'a stale target with the higher priority refuses while the lower-priority one works',
      facts: facts()
        .srv(SIP_SRV, [
          [10, 1, 5061, 'edge-old.example.com'],
          [20, 1, 5061, 'sip.example.com'],
        ])
        .a('edge-old.example.com', ['203.0.113.9'])
        .a('sip.example.com', ['203.0.113.5'])
        .tcp('203.0.113.9', 5061, 'refused')
        .tcp('203.0.113.5', 5061, 'open')
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'staleTarget',
          subject: '203.0.113.9:5061',
          data: { priority: 10, workingHost: 'sip.example.com', workingPriority: 20, failure: 'connection refused' },
          fix: '; delete this record:\n; _sipfederationtls._tcp.example.com. 3600 IN SRV 10 1 5061 edge-old.example.com.',
        },
        { status: 'pass', messageId: 'open', subject: '203.0.113.5:5061' },
      ],
    },
    {
      name: 'a stale XMPP target that times out: the record is the fix, with the dig line to check it',
      target: { services: ['xmpp'] },
      facts: facts()
        .srv(XMPP_SRV, [
          [5, 0, 5269, 'xmpp-old.example.com'],
          [10, 0, 5269, 'xmpp.example.com'],
        ])
        .a('xmpp-old.example.com', ['203.0.113.10'])
        .a('xmpp.example.com', ['203.0.113.8'])
        .tcp('203.0.113.10', 5269, 'timeout')
        .tcp('203.0.113.8', 5269, 'open')
        .build(),
      expect: [
        { status: 'fail', messageId: 'staleTarget', data: { failure: 'no answer' }, fix: 'dig +short @192.0.2.53 -p 53 _xmpp-server._tcp.example.com SRV' },
        { status: 'pass', messageId: 'open' },
      ],
    },
    {
      name: 'equal priorities, one target refusing: its listener or firewall is the fix, not the record',
      facts: facts()
        .srv(SIP_SRV, [
          [10, 1, 5061, 'edge-a.example.com'],
          [10, 1, 5061, 'edge-b.example.com'],
        ])
        .a('edge-a.example.com', ['203.0.113.11'])
        .a('edge-b.example.com', ['203.0.113.12'])
        .tcp('203.0.113.11', 5061, 'refused')
        .tcp('203.0.113.12', 5061, 'open')
        .build(),
      expect: [
        { status: 'fail', messageId: 'refused', subject: '203.0.113.11:5061', fix: 'New-NetFirewallRule' },
        { status: 'pass', messageId: 'open' },
      ],
    },
    {
      name: 'open over IPv4, refused over IPv6',
      facts: dualStackEdge().tcp('203.0.113.5', 5061, 'open').tcp('2001:db8::5', 5061, 'refused').build(),
      expect: [
        { status: 'pass', messageId: 'open', subject: '203.0.113.5:5061' },
        {
          status: 'fail',
          messageId: 'refused',
          subject: '[2001:db8::5]:5061',
          data: { family: 'IPv6' },
          fix: 'nft add rule inet filter input ip6 daddr 2001:db8::5 tcp dport 5061 accept',
        },
      ],
    },
    {
      name: 'firewall drops 5061',
      facts: dualStackEdge().tcp('203.0.113.5', 5061, 'timeout').tcp('2001:db8::5', 5061, 'timeout').build(),
      expect: [
        {
          status: 'fail',
          messageId: 'timeout',
          subject: '203.0.113.5:5061',
          fix: 'New-NetFirewallRule -DisplayName "SIP federation (TLS)" -Direction Inbound -Protocol TCP -LocalPort 5061 -Action Allow',
        },
        { status: 'fail', messageId: 'timeout', subject: '[2001:db8::5]:5061' },
      ],
    },
    {
      name: 'XMPP port unreachable, reset, failed',
      target: { services: ['xmpp'] },
      facts: facts()
        .srv(XMPP_SRV, [[10, 0, 5269, 'xmpp.example.com']])
        .a('xmpp.example.com', ['203.0.113.8', '203.0.113.9', '198.51.100.8'])
        .tcp('203.0.113.8', 5269, 'unreachable', { code: 'ENETUNREACH' })
        .tcp('203.0.113.9', 5269, 'reset')
        .tcp('198.51.100.8', 5269, 'error', { code: 'EPROTO' })
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'unreachable',
          subject: '203.0.113.8:5269',
          data: { code: 'ENETUNREACH' },
          fix: 'allow inbound TCP 5269 from the internet to 203.0.113.8',
        },
        { status: 'fail', messageId: 'reset', subject: '203.0.113.9:5269', fix: 'XMPP server-to-server' },
        { status: 'fail', messageId: 'connectError', subject: '198.51.100.8:5269', data: { code: 'EPROTO' } },
      ],
    },
    {
      name: 'probe error',
      facts: dualStackEdge().tcp('203.0.113.5', 5061, 'open').tcpError('2001:db8::5', 5061, 'internal', 'socket could not be created').build(),
      expect: [
        { status: 'pass', messageId: 'open' },
        { status: 'error', messageId: 'probeError', subject: '[2001:db8::5]:5061', data: { reason: 'internal: socket could not be created' } },
      ],
    },
  ],
} satisfies CheckCases;
