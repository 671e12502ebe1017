// Cases for dns.xmpps-server-srv: found by file name, run by the registry test.
import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const NAME = '_xmpps-server._tcp.example.com';

export default {
  valid: [
    {
      name: 'published on a direct-TLS port',
      facts: facts().srv(NAME, [[10, 0, 5270, 'xmpp.example.com']]).build(),
      expect: [{ status: 'pass', messageId: 'published', data: { records: '10 0 5270 xmpp.example.com.' } }],
    },
    {
      name: 'not published: optional',
      facts: facts().nxdomain(NAME, 'SRV').build(),
      expect: [{ status: 'pass', messageId: 'notPublished', subject: NAME, location: { name: NAME } }],
    },
    {
      name: 'NODATA: optional',
      facts: facts().nodata(NAME, 'SRV').build(),
      expect: [{ status: 'pass', messageId: 'notPublished' }],
    },
    {
      name: 'single "." target: direct TLS not offered',
      facts: facts().srv(NAME, [[0, 0, 0, '.']]).build(),
      expect: [{ status: 'pass', messageId: 'notOffered' }],
    },
    {
      name: 'not looked up in this run',
      facts: facts().build(),
      expect: [{ status: 'skip', messageId: 'notGathered' }],
    },
    {
      name: 'lookup skipped',
      facts: facts().dnsSkipped(NAME, 'SRV', 'the run deadline was reached before this probe started').build(),
      expect: [{ status: 'skip', messageId: 'probeSkipped' }],
    },
  ],
  invalid: [
    {
      name: 'direct TLS pointed at the STARTTLS port 5269',
      facts: facts()
        .srv(NAME, [
          [10, 0, 5269, 'xmpp.example.com'],
          [20, 0, 5270, 'xmpp2.example.com'],
        ])
        .build(),
      expect: [
        {
          status: 'warn',
          messageId: 'starttlsPort',
          data: { records: '10 0 5269 xmpp.example.com.' },
          fix: '_xmpps-server._tcp.example.com. 3600 IN SRV 10 0 5270 xmpp.example.com.',
        },
      ],
    },
    {
      name: 'REFUSED',
      facts: facts().rcode(NAME, 'SRV', 'REFUSED').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { reason: 'REFUSED from 192.0.2.53:53' } }],
    },
  ],
} satisfies CheckCases;
