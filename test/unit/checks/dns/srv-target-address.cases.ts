import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
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
