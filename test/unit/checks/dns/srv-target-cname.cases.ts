// Cases for dns.srv-target-cname: found by file name, run by the registry test.
import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
const XMPP_SRV = '_xmpp-server._tcp.example.com';
const withSipTarget = () => facts().srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']]);

export default {
  valid: [
    {
      name: 'an IP address as the target, its lookup refused: dns.srv-target-address owns it',
      facts: facts()
        .srv(SIP_SRV, [[10, 1, 5061, '192.0.2.10']])
        .rcode('192.0.2.10', 'A', 'REFUSED')
        .rcode('192.0.2.10', 'AAAA', 'REFUSED')
        .build(),
      expect: [{ status: 'skip', messageId: 'addressTarget', subject: '192.0.2.10' }],
    },
    {
      name: 'SRV target with its own A record',
      facts: withSipTarget().a('sip.example.com', ['203.0.113.5']).build(),
      expect: [{ status: 'pass', messageId: 'addressRecord', subject: 'sip.example.com', location: { name: 'sip.example.com', host: 'sip.example.com' }, data: { via: SIP_SRV } }],
    },
    {
      name: 'IPv6-only target',
      facts: withSipTarget().nodata('sip.example.com', 'A').aaaa('sip.example.com', ['2001:db8::5']).build(),
    },
    {
      name: 'one host for SIP and XMPP',
      facts: withSipTarget()
        .srv(XMPP_SRV, [[10, 0, 5269, 'sip.example.com']])
        .a('sip.example.com', ['203.0.113.5'])
        .build(),
      expect: [{ status: 'pass', messageId: 'addressRecord', data: { via: `${SIP_SRV}, ${XMPP_SRV}` } }],
    },
    {
      name: 'hosting provider target is judged too',
      facts: facts()
        .srv(SIP_SRV, [[100, 1, 5061, 'sipfed.online.lync.com']])
        .a('sipfed.online.lync.com', ['198.51.100.20'])
        .build(),
    },
    {
      name: 'no SRV target',
      facts: facts().nxdomain(SIP_SRV, 'SRV').build(),
      expect: [{ status: 'skip', messageId: 'noHosts', subject: 'example.com' }],
    },
    {
      name: 'target not looked up',
      facts: withSipTarget().build(),
      expect: [{ status: 'skip', messageId: 'notGathered', subject: 'sip.example.com' }],
    },
    {
      name: 'target lookups skipped',
      facts: withSipTarget()
        .dnsSkipped('sip.example.com', 'A', 'the run deadline was reached before this probe started')
        .dnsSkipped('sip.example.com', 'AAAA', 'the run deadline was reached before this probe started')
        .build(),
      expect: [{ status: 'skip', messageId: 'probeSkipped' }],
    },
    {
      name: 'target does not exist: reported by dns.srv-target-address',
      facts: withSipTarget().nxdomain('sip.example.com', 'A').nxdomain('sip.example.com', 'AAAA').build(),
      expect: [{ status: 'skip', messageId: 'unresolved' }],
    },
  ],
  invalid: [
    {
      name: 'SRV target is a CNAME',
      facts: withSipTarget()
        .a('sip.example.com', ['203.0.113.5'], { cname: ['edge.hoster.example.net'] })
        .aaaa('sip.example.com', ['2001:db8::5'], { cname: ['edge.hoster.example.net'] })
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'aliasTarget',
          subject: 'sip.example.com',
          data: { chain: 'sip.example.com → edge.hoster.example.net', finalName: 'edge.hoster.example.net' },
          fix: 'sip.example.com. 3600 IN CNAME edge.hoster.example.net.\n; instead: address records of its own\nsip.example.com. 3600 IN A 203.0.113.5\nsip.example.com. 3600 IN AAAA 2001:db8::5',
        },
      ],
    },
    {
      name: 'CNAME chain to a name that does not exist',
      facts: withSipTarget().nxdomain('sip.example.com', 'A', { cname: ['old-edge.example.com', 'gone.example.net'] }).build(),
      expect: [
        {
          status: 'fail',
          messageId: 'aliasTarget',
          data: { chain: 'sip.example.com → old-edge.example.com → gone.example.net' },
          fix: 'sip.example.com. 3600 IN A <public-ipv4-address>',
        },
      ],
    },
    {
      name: 'configured Edge is a CNAME',
      facts: facts().nxdomain(SIP_SRV, 'SRV').a('edge.example.com', ['203.0.113.7'], { cname: ['lb.example.com'] }).build(),
      target: { edge: 'edge.example.com' },
      expect: [{ status: 'fail', messageId: 'aliasTarget', subject: 'edge.example.com', data: { via: '--edge' } }],
    },
    {
      name: 'XMPP target is a CNAME, SIP target is fine',
      facts: withSipTarget()
        .srv(XMPP_SRV, [[10, 0, 5269, 'xmpp.example.com']])
        .a('sip.example.com', ['203.0.113.5'])
        .a('xmpp.example.com', ['203.0.113.6'], { cname: ['chat.example.net'] })
        .build(),
      expect: [
        { status: 'pass', messageId: 'addressRecord', subject: 'sip.example.com' },
        { status: 'fail', messageId: 'aliasTarget', subject: 'xmpp.example.com', data: { via: XMPP_SRV } },
      ],
    },
    {
      name: 'A lookup SERVFAIL',
      facts: withSipTarget().rcode('sip.example.com', 'A', 'SERVFAIL').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { reason: 'SERVFAIL from 192.0.2.53:53' } }],
    },
  ],
} satisfies CheckCases;
