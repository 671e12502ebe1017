import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const NAME = '_sipfederationtls._tcp.example.com';

export default {
  valid: [
    {
      name: 'one record on 5061',
      facts: facts().srv(NAME, [[10, 1, 5061, 'sip.example.com']]).build(),
      expect: [{ status: 'pass', messageId: 'published', subject: NAME, location: { name: NAME }, data: { records: '10 1 5061 sip.example.com.' } }],
    },
    {
      name: 'two sites with distinct priorities',
      facts: facts()
        .srv(NAME, [
          [20, 1, 5061, 'sip2.example.com'],
          [10, 1, 5061, 'sip.example.com'],
        ])
        .build(),
    },
    {
      name: 'hosted on Microsoft 365',
      facts: facts().srv(NAME, [[100, 1, 5061, 'sipfed.online.lync.com']]).build(),
    },
    {
      name: 'not looked up in this run',
      facts: facts().build(),
      expect: [{ status: 'skip', messageId: 'notGathered', subject: NAME }],
    },
    {
      name: 'nothing published, SIP not required: one information line',
      facts: facts().nxdomain(NAME, 'SRV').build(),
      expect: [{ status: 'info', messageId: 'notPublished', subject: NAME, data: { absence: 'NXDOMAIN from 192.0.2.53:53: the name does not exist' } }],
    },
    {
      name: 'single "." target, SIP not required: declared not offered',
      facts: facts().srv(NAME, [[0, 0, 0, '.']]).build(),
      expect: [{ status: 'info', messageId: 'declaredNotOffered' }],
    },
    {
      name: 'a partner reached at its configured Edge without an SRV record',
      facts: facts().nxdomain(NAME, 'SRV').build(),
      target: { edge: 'edge.example.com', role: 'partner', expected: ['sip'] },
      expect: [{ status: 'info', messageId: 'reachedAsConfigured', data: { edge: 'edge.example.com' } }],
    },
    {
      name: 'lookup skipped at the deadline',
      facts: facts().dnsSkipped(NAME, 'SRV', 'the run deadline was reached before this probe started').build(),
      expect: [{ status: 'skip', messageId: 'probeSkipped', data: { because: 'the run deadline was reached before this probe started' } }],
    },
  ],
  invalid: [
    {
      name: 'NXDOMAIN without a configured Edge, SIP required',
      facts: facts().nxdomain(NAME, 'SRV').build(),
      target: { expected: ['sip'] },
      expect: [
        {
          status: 'fail',
          messageId: 'missing',
          subject: NAME,
          data: { absence: 'NXDOMAIN from 192.0.2.53:53: the name does not exist' },
          fix: '_sipfederationtls._tcp.example.com. 3600 IN SRV 10 1 5061 <access-edge-fqdn>.',
        },
      ],
    },
    {
      name: 'NODATA, SIP required',
      facts: facts().nodata(NAME, 'SRV').build(),
      target: { expected: ['sip'] },
      expect: [{ status: 'fail', messageId: 'missing', data: { absence: 'NODATA from 192.0.2.53:53: the name exists but has no SRV record' } }],
    },
    {
      name: 'missing while an Edge is configured for direct federation',
      facts: facts().nxdomain(NAME, 'SRV').build(),
      target: { edge: 'edge.example.com' },
      expect: [{ status: 'warn', messageId: 'missingWithEdge', fix: '_sipfederationtls._tcp.example.com. 3600 IN SRV 10 1 5061 edge.example.com.' }],
    },
    {
      name: 'single "." target, SIP required',
      facts: facts().srv(NAME, [[0, 0, 0, '.']]).build(),
      target: { expected: ['sip'] },
      expect: [{ status: 'fail', messageId: 'notOffered', fix: 'Remove a "." record' }],
    },
    {
      name: 'record on port 443',
      facts: facts().srv(NAME, [[10, 1, 443, 'sip.example.com']]).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'nonStandardPort',
          data: { ports: 443 },
          fix: '_sipfederationtls._tcp.example.com. 3600 IN SRV 10 1 5061 sip.example.com.',
        },
      ],
    },
    {
      name: 'two Edge pools at the same priority',
      facts: facts()
        .srv(NAME, [
          [10, 1, 5061, 'sip.example.com'],
          [10, 1, 5061, 'sip-london.example.com'],
        ])
        .build(),
      expect: [
        {
          status: 'warn',
          messageId: 'competingHosts',
          data: { priority: 10, count: 2, hosts: 'sip-london.example.com, sip.example.com' },
          fix: '_sipfederationtls._tcp.example.com. 3600 IN SRV 20 1 5061 sip.example.com.',
        },
      ],
    },
    {
      name: 'wrong port and competing hosts together',
      facts: facts()
        .srv(NAME, [
          [10, 1, 5062, 'a.example.com'],
          [10, 1, 5061, 'b.example.com'],
        ])
        .build(),
      expect: [
        { status: 'warn', messageId: 'nonStandardPort' },
        { status: 'warn', messageId: 'competingHosts' },
      ],
    },
    {
      name: 'SERVFAIL',
      facts: facts().rcode(NAME, 'SRV', 'SERVFAIL').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { reason: 'SERVFAIL from 192.0.2.53:53' } }],
    },
    {
      name: 'REFUSED by another resolver',
      facts: facts().rcode(NAME, 'SRV', 'REFUSED', { server: '198.51.100.53:53' }).build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { reason: 'REFUSED from 198.51.100.53:53' } }],
    },
    {
      name: 'resolver timeout',
      facts: facts().dnsError(NAME, 'SRV', 'timeout', 'no answer from 192.0.2.53:53 within 5000 ms').build(),
      expect: [{ status: 'error', messageId: 'lookupFailed', data: { reason: 'timeout (no answer from 192.0.2.53:53 within 5000 ms)' } }],
    },
  ],
} satisfies CheckCases;
