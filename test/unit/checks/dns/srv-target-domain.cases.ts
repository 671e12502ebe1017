// Cases for dns.srv-target-domain: found by file name, run by the registry test.
import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';

export default {
  valid: [
    {
      name: 'target inside the SIP domain',
      facts: facts().srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']]).build(),
      expect: [{ status: 'pass', messageId: 'insideDomain', subject: 'sip.example.com', location: { name: 'sip.example.com', host: 'sip.example.com' } }],
    },
    {
      name: 'target with a trailing dot and upper case',
      facts: facts().srv(SIP_SRV, [[10, 1, 5061, 'Edge.Sub.Example.com.']]).build(),
    },
    {
      name: 'an IP address as the target: dns.srv-target-address owns it',
      facts: facts().srv(SIP_SRV, [[10, 1, 5061, '192.0.2.10']]).build(),
      expect: [{ status: 'skip', messageId: 'addressTarget', subject: '192.0.2.10' }],
    },
    {
      name: 'hosted on Microsoft 365',
      facts: facts().srv(SIP_SRV, [[100, 1, 5061, 'sipfed.online.lync.com']]).build(),
      expect: [{ status: 'pass', messageId: 'hostedProvider', data: { provider: 'Microsoft 365 (worldwide)' } }],
    },
    {
      name: 'no SRV record, SIP not required: nothing to judge',
      facts: facts().nxdomain(SIP_SRV, 'SRV').build(),
      expect: [],
    },
    {
      name: 'no SRV record, SIP required: the SRV check fails it, nothing to judge here',
      facts: facts().nxdomain(SIP_SRV, 'SRV').build(),
      target: { expected: ['sip'] },
      expect: [{ status: 'skip', messageId: 'noSrvTarget', subject: SIP_SRV, location: { name: SIP_SRV } }],
    },
  ],
  invalid: [
    {
      name: 'target in another domain',
      facts: facts().srv(SIP_SRV, [[10, 1, 5061, 'edge.hoster.example.net']]).build(),
      expect: [
        {
          status: 'fail',
          messageId: 'outsideDomain',
          subject: 'edge.hoster.example.net',
          fix: 'New-CsAllowedDomain -Identity example.com -ProxyFqdn edge.hoster.example.net',
        },
      ],
    },
    {
      name: 'a look-alike domain is outside',
      facts: facts()
        .srv(SIP_SRV, [
          [10, 1, 5061, 'sip.example.com'],
          [20, 1, 5061, 'sip.notexample.com'],
        ])
        .build(),
      expect: [
        { status: 'pass', messageId: 'insideDomain', subject: 'sip.example.com' },
        {
          status: 'fail',
          messageId: 'outsideDomain',
          subject: 'sip.notexample.com',
          fix: '_sipfederationtls._tcp.example.com. 3600 IN SRV 20 1 5061 sip.example.com.',
        },
      ],
    },
    {
      name: 'SRV lookup SERVFAIL',
      facts: facts().rcode(SIP_SRV, 'SRV', 'SERVFAIL').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed' }],
    },
  ],
} satisfies CheckCases;
