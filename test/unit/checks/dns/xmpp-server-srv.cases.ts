import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const NAME = '_xmpp-server._tcp.example.com';

export default {
  valid: [
    {
      name: 'one record on 5269',
      facts: facts().srv(NAME, [[10, 0, 5269, 'xmpp.example.com']]).build(),
      expect: [{ status: 'pass', messageId: 'published', subject: NAME, data: { records: '10 0 5269 xmpp.example.com.' } }],
    },
    {
      name: 'one record per Edge pool with different priorities',
      facts: facts()
        .srv(NAME, [
          [10, 0, 5269, 'edge-ny.example.com'],
          [20, 0, 5269, 'edge-london.example.com'],
        ])
        .build(),
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
      name: 'NXDOMAIN: partners fall back to the domain address',
      facts: facts().nxdomain(NAME, 'SRV').a('example.com', ['203.0.113.10']).build(),
      expect: [
        {
          status: 'fail',
          messageId: 'missing',
          subject: NAME,
          fix: '_xmpp-server._tcp.example.com. 3600 IN SRV 10 0 5269 xmpp.example.com.',
        },
      ],
    },
    {
      name: 'NODATA with a configured Edge as the suggested target',
      facts: facts().nodata(NAME, 'SRV').build(),
      target: { edge: 'edge.example.com' },
      expect: [{ status: 'fail', messageId: 'missing', fix: '_xmpp-server._tcp.example.com. 3600 IN SRV 10 0 5269 edge.example.com.' }],
    },
    {
      name: 'single "." target: explicitly not offered',
      facts: facts().srv(NAME, [[0, 0, 0, '.']]).build(),
      expect: [{ status: 'warn', messageId: 'notOffered', fix: true }],
    },
    {
      name: 'record on the client port 5222',
      facts: facts().srv(NAME, [[10, 0, 5222, 'xmpp.example.com']]).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'nonStandardPort',
          data: { ports: 5222 },
          fix: '_xmpp-server._tcp.example.com. 3600 IN SRV 10 0 5269 xmpp.example.com.',
        },
      ],
    },
    {
      name: 'SERVFAIL',
      facts: facts().rcode(NAME, 'SRV', 'SERVFAIL').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { reason: 'SERVFAIL from 192.0.2.53:53' } }],
    },
    {
      name: 'resolver timeout',
      facts: facts().dnsError(NAME, 'SRV', 'timeout').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed' }],
    },
  ],
} satisfies CheckCases;
