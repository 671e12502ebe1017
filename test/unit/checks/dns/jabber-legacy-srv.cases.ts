// Cases for dns.jabber-legacy-srv: found by file name, run by the registry test.
import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const LEGACY = '_jabber._tcp.example.com';
const MODERN = '_xmpp-server._tcp.example.com';

export default {
  valid: [
    {
      name: 'legacy record absent, as expected',
      facts: facts().nxdomain(LEGACY, 'SRV').srv(MODERN, [[10, 0, 5269, 'xmpp.example.com']]).build(),
      expect: [{ status: 'pass', messageId: 'notPublished', subject: LEGACY, location: { name: LEGACY } }],
    },
    {
      name: 'both published',
      facts: facts()
        .srv(LEGACY, [[10, 0, 5269, 'xmpp.example.com']])
        .srv(MODERN, [[10, 0, 5269, 'xmpp.example.com']])
        .build(),
      expect: [{ status: 'pass', messageId: 'bothPublished' }],
    },
    {
      name: 'legacy lookup not made',
      facts: facts().build(),
      expect: [{ status: 'skip', messageId: 'notGathered', data: { failedName: LEGACY } }],
    },
    {
      name: 'legacy published, modern lookup skipped',
      facts: facts()
        .srv(LEGACY, [[10, 0, 5269, 'xmpp.example.com']])
        .dnsSkipped(MODERN, 'SRV', 'the run deadline was reached before this probe started')
        .build(),
      expect: [{ status: 'skip', messageId: 'probeSkipped', data: { failedName: MODERN } }],
    },
  ],
  invalid: [
    {
      name: 'only the legacy record',
      facts: facts().srv(LEGACY, [[10, 0, 5269, 'jabber.example.com']]).nxdomain(MODERN, 'SRV').build(),
      expect: [
        {
          status: 'warn',
          messageId: 'legacyOnly',
          subject: LEGACY,
          fix: '_xmpp-server._tcp.example.com. 3600 IN SRV 10 0 5269 jabber.example.com.',
        },
      ],
    },
    {
      name: 'legacy lookup SERVFAIL',
      facts: facts().rcode(LEGACY, 'SRV', 'SERVFAIL').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { failedName: LEGACY } }],
    },
    {
      name: 'legacy published, modern lookup timed out',
      facts: facts().srv(LEGACY, [[10, 0, 5269, 'xmpp.example.com']]).dnsError(MODERN, 'SRV', 'timeout').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { failedName: MODERN } }],
    },
  ],
} satisfies CheckCases;
