import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
const XMPP_SRV = '_xmpp-server._tcp.example.com';
/** An SRV target that does not resolve: no A, no AAAA. */
const withAbsentTarget = (srv: string, port: number, host: string) =>
  facts().srv(srv, [[10, 1, port, host]]).nxdomain(host, 'A').nxdomain(host, 'AAAA');
const withSipTarget = () => facts().srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']]);

export default {
  valid: [
    {
      name: 'IPv4 and IPv6 addresses with TTLs',
      facts: withSipTarget()
        .a('sip.example.com', ['203.0.113.5'], { ttl: 300 })
        .aaaa('sip.example.com', ['2001:db8::5'])
        .build(),
      expect: [
        {
          status: 'pass',
          messageId: 'resolved',
          subject: 'sip.example.com',
          location: { name: 'sip.example.com', host: 'sip.example.com' },
          data: { addresses: '203.0.113.5 (A, TTL 300), 2001:db8::5 (AAAA, TTL 3600)' },
        },
      ],
    },
    {
      name: 'IPv4 only, AAAA timed out',
      facts: withSipTarget().a('sip.example.com', ['203.0.113.5']).dnsError('sip.example.com', 'AAAA', 'timeout').build(),
    },
    {
      name: 'configured Edge without SRV',
      facts: facts().nxdomain(SIP_SRV, 'SRV').a('edge.example.com', ['203.0.113.7']).nodata('edge.example.com', 'AAAA').build(),
      target: { edge: 'edge.example.com' },
      expect: [{ status: 'pass', messageId: 'resolved', subject: 'edge.example.com', data: { via: '--edge' } }],
    },
    {
      name: 'no SRV target',
      facts: facts().nxdomain(SIP_SRV, 'SRV').build(),
      expect: [{ status: 'skip', messageId: 'noHosts' }],
    },
    {
      name: 'AAAA not looked up, A NODATA',
      facts: withSipTarget().nodata('sip.example.com', 'A').build(),
      expect: [{ status: 'skip', messageId: 'notGathered' }],
    },
    {
      name: 'a name that repeats its domain but resolves is judged by its addresses',
      facts: facts()
        .srv(SIP_SRV, [[10, 1, 5061, 'example.com.example.com']])
        .a('example.com.example.com', ['203.0.113.5'])
        .nodata('example.com.example.com', 'AAAA')
        .build(),
    },
    {
      name: 'lookups skipped',
      facts: withSipTarget()
        .dnsSkipped('sip.example.com', 'A', 'the run deadline was reached before this probe started')
        .dnsSkipped('sip.example.com', 'AAAA', 'the run deadline was reached before this probe started')
        .build(),
      expect: [{ status: 'skip', messageId: 'probeSkipped' }],
    },
  ],
  invalid: [
    {
      name: 'target does not exist',
      facts: withSipTarget().nxdomain('sip.example.com', 'A').nxdomain('sip.example.com', 'AAAA').build(),
      expect: [
        {
          status: 'fail',
          messageId: 'hostNotFound',
          subject: 'sip.example.com',
          data: { absence: 'NXDOMAIN from 192.0.2.53:53' },
          fix: 'sip.example.com. 3600 IN A <edge-public-ipv4>',
        },
      ],
    },
    {
      name: 'target exists without addresses',
      facts: withSipTarget().nodata('sip.example.com', 'A').nodata('sip.example.com', 'AAAA').build(),
      expect: [{ status: 'fail', messageId: 'noAddress', fix: 'Add-DnsServerResourceRecordA -ZoneName "example.com" -Name "sip" -IPv4Address' }],
    },
    {
      name: 'XMPP target written without its final dot: the origin appended twice',
      target: { services: ['xmpp'] },
      facts: withAbsentTarget(XMPP_SRV, 5269, 'xmpp.example.com.example.com').build(),
      expect: [
        {
          status: 'fail',
          messageId: 'targetWithoutDot',
          subject: 'xmpp.example.com.example.com',
          data: { origin: 'example.com', intended: 'xmpp.example.com', dnsAddress: '192.0.2.53', dnsPort: 53 },
          fix: '_xmpp-server._tcp.example.com. 3600 IN SRV 10 1 5269 xmpp.example.com.',
        },
      ],
    },
    {
      name: 'a domain below its zone: the zone origin, a parent, appended twice',
      target: { domain: 'eu.example.com' },
      facts: withAbsentTarget('_sipfederationtls._tcp.eu.example.com', 5061, 'sip.eu.example.com.example.com').build(),
      expect: [
        {
          status: 'fail',
          messageId: 'targetWithoutDot',
          data: { origin: 'example.com', intended: 'sip.eu.example.com' },
          fix: 'dig +short @192.0.2.53 -p 53 _sipfederationtls._tcp.eu.example.com SRV',
        },
      ],
    },
    {
      name: 'SRV target written as an IPv4 address',
      facts: withAbsentTarget(SIP_SRV, 5061, '192.0.2.10').build(),
      expect: [
        {
          status: 'fail',
          messageId: 'addressTarget',
          subject: '192.0.2.10',
          data: { address: '192.0.2.10', suggested: 'sip.example.com', lookup: 'NXDOMAIN from 192.0.2.53:53' },
          fix: 'sip.example.com. 3600 IN A 192.0.2.10\n_sipfederationtls._tcp.example.com. 3600 IN SRV 10 1 5061 sip.example.com.',
        },
      ],
    },
    {
      name: 'XMPP target written as an IPv6 address, the resolver refusing the name',
      target: { services: ['xmpp'] },
      facts: facts()
        .srv(XMPP_SRV, [[5, 0, 5269, '2001:db8::10']])
        .rcode('2001:db8::10', 'A', 'REFUSED')
        .rcode('2001:db8::10', 'AAAA', 'REFUSED')
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'addressTarget',
          data: { rrType: 'AAAA', suggested: 'xmpp.example.com', lookup: 'the lookup gave REFUSED from 192.0.2.53:53' },
          fix: 'xmpp.example.com. 3600 IN AAAA 2001:db8::10',
        },
      ],
    },
    {
      name: 'an address written without its final dot: the origin appended',
      facts: withAbsentTarget(SIP_SRV, 5061, '192.0.2.10.example.com').build(),
      expect: [{ status: 'fail', messageId: 'addressTargetWithoutDot', data: { address: '192.0.2.10', origin: 'example.com' }, fix: 'IN A 192.0.2.10' }],
    },
    {
      name: 'both lookups failed',
      facts: withSipTarget().rcode('sip.example.com', 'A', 'SERVFAIL').dnsError('sip.example.com', 'AAAA', 'timeout').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { reason: 'SERVFAIL from 192.0.2.53:53' } }],
    },
    {
      name: 'A NODATA and AAAA timed out: cannot say there is no address',
      facts: withSipTarget().nodata('sip.example.com', 'A').dnsError('sip.example.com', 'AAAA', 'timeout', 'no answer within 5000 ms').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { reason: 'timeout (no answer within 5000 ms)' } }],
    },
  ],
} satisfies CheckCases;
