import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
const SIP_TLS = '_sip._tls.example.com';
const SIP_HOST = 'sip.example.com';
const LYNCDISCOVER = 'lyncdiscover.example.com';

/** A Microsoft 365 domain as the admin center asks for it. */
const hostedInMicrosoft365 = () =>
  facts()
    .srv(SIP_SRV, [[100, 1, 5061, 'sipfed.online.lync.com']])
    .srv(SIP_TLS, [[100, 1, 443, 'sipdir.online.lync.com']])
    .a(SIP_HOST, ['198.51.100.30'], { cname: ['sipdir.online.lync.com', 'sipdir.online.lync.com.edgekey.example.net'] })
    .a(LYNCDISCOVER, ['198.51.100.31'], { cname: ['webdir.online.lync.com'] });

export default {
  valid: [
    {
      name: 'on-premises Edge: all client records published',
      facts: facts()
        .srv(SIP_SRV, [[10, 1, 5061, 'sip.example.com']])
        .srv(SIP_TLS, [[10, 1, 443, 'sip.example.com']])
        .a(SIP_HOST, ['203.0.113.5'])
        .a(LYNCDISCOVER, ['203.0.113.15'], { cname: ['webext.example.com'] })
        .build(),
      expect: [
        { status: 'pass', messageId: 'srvPublished', subject: SIP_TLS, location: { name: SIP_TLS }, data: { records: '10 1 443 sip.example.com.' } },
        { status: 'pass', messageId: 'nameAddress', subject: SIP_HOST, data: { addresses: '203.0.113.5' } },
        { status: 'pass', messageId: 'nameAlias', subject: LYNCDISCOVER, data: { aliasTarget: 'webext.example.com' } },
      ],
    },
    {
      name: 'nothing published: information only',
      facts: facts().nxdomain(SIP_TLS, 'SRV').nxdomain(SIP_HOST, 'A').nodata(LYNCDISCOVER, 'A').build(),
      expect: [
        { status: 'pass', messageId: 'srvAbsent', subject: SIP_TLS },
        { status: 'pass', messageId: 'nameAbsent', subject: SIP_HOST },
        { status: 'pass', messageId: 'nameAbsent', subject: LYNCDISCOVER },
      ],
    },
    {
      name: 'Microsoft 365: clients and federation agree',
      facts: hostedInMicrosoft365().build(),
      expect: [
        { status: 'pass', messageId: 'hostedConsistent', subject: SIP_TLS },
        { status: 'pass', messageId: 'hostedConsistent', subject: SIP_HOST, data: { expected: 'sipdir.online.lync.com' } },
        { status: 'pass', messageId: 'hostedConsistent', subject: LYNCDISCOVER, data: { expected: 'webdir.online.lync.com' } },
      ],
    },
    {
      name: 'client names not looked up or skipped',
      facts: facts().dnsSkipped(SIP_TLS, 'SRV', 'the run deadline was reached before this probe started').build(),
      expect: [
        { status: 'skip', messageId: 'probeSkipped', subject: SIP_TLS },
        { status: 'skip', messageId: 'notGathered', subject: SIP_HOST },
        { status: 'skip', messageId: 'notGathered', subject: LYNCDISCOVER },
      ],
    },
  ],
  invalid: [
    {
      name: '_sip._tls on 5061 instead of 443',
      facts: facts()
        .srv(SIP_TLS, [[10, 1, 5061, 'sip.example.com']])
        .a(SIP_HOST, ['203.0.113.5'])
        .a(LYNCDISCOVER, ['203.0.113.15'])
        .build(),
      expect: [
        {
          status: 'warn',
          messageId: 'sipTlsPort',
          subject: SIP_TLS,
          data: { ports: 5061 },
          fix: '_sip._tls.example.com. 3600 IN SRV 10 1 443 sip.example.com.',
        },
        { status: 'pass', messageId: 'nameAddress', subject: SIP_HOST },
        { status: 'pass', messageId: 'nameAddress', subject: LYNCDISCOVER },
      ],
    },
    {
      name: 'federation in Microsoft 365, clients still on premises',
      facts: facts()
        .srv(SIP_SRV, [[100, 1, 5061, 'sipfed.online.lync.com']])
        .srv(SIP_TLS, [[10, 1, 443, 'sip.example.com']])
        .a(SIP_HOST, ['203.0.113.5'])
        .nxdomain(LYNCDISCOVER, 'A')
        .build(),
      expect: [
        {
          status: 'warn',
          messageId: 'hostedMismatch',
          subject: SIP_TLS,
          data: { actual: 'published as 10 1 443 sip.example.com.', provider: 'Microsoft 365 (worldwide)' },
          fix: '_sip._tls.example.com. 3600 IN SRV 100 1 443 sipdir.online.lync.com.',
        },
        { status: 'warn', messageId: 'hostedMismatch', subject: SIP_HOST, data: { actual: 'an address record (203.0.113.5)' } },
        {
          status: 'warn',
          messageId: 'hostedMismatch',
          subject: LYNCDISCOVER,
          data: { actual: 'not published' },
          fix: 'lyncdiscover.example.com. 3600 IN CNAME webdir.online.lync.com.',
        },
      ],
    },
    {
      name: 'GCC High: lyncdiscover points at the worldwide service',
      facts: facts()
        .srv(SIP_SRV, [[100, 1, 5061, 'sipfed.online.gov.skypeforbusiness.us']])
        .srv(SIP_TLS, [[100, 1, 443, 'sipdir.online.gov.skypeforbusiness.us']])
        .a(SIP_HOST, ['198.51.100.40'], { cname: ['sipdir.online.gov.skypeforbusiness.us'] })
        .a(LYNCDISCOVER, ['198.51.100.31'], { cname: ['webdir.online.lync.com'] })
        .build(),
      expect: [
        { status: 'pass', messageId: 'hostedConsistent', subject: SIP_TLS },
        { status: 'pass', messageId: 'hostedConsistent', subject: SIP_HOST },
        {
          status: 'warn',
          messageId: 'hostedMismatch',
          subject: LYNCDISCOVER,
          data: { actual: 'a CNAME to webdir.online.lync.com', expected: 'webdir.online.gov.skypeforbusiness.us' },
          fix: 'lyncdiscover.example.com. 3600 IN CNAME webdir.online.gov.skypeforbusiness.us.',
        },
      ],
    },
    {
      name: 'lookups failed',
      facts: hostedInMicrosoft365().rcode(SIP_TLS, 'SRV', 'SERVFAIL').dnsError(LYNCDISCOVER, 'A', 'timeout').build(),
      expect: [
        { status: 'error', messageId: 'lookupFailed', subject: SIP_TLS, data: { reason: 'SERVFAIL from 192.0.2.53:53' } },
        { status: 'pass', messageId: 'hostedConsistent', subject: SIP_HOST },
        { status: 'error', messageId: 'lookupFailed', subject: LYNCDISCOVER },
      ],
    },
  ],
} satisfies CheckCases;
