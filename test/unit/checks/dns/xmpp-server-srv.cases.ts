import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const NAME = '_xmpp-server._tcp.example.com';

export default {
  valid: [
    {
      name: 'one record on 5269',
      facts: facts().srv(NAME, [[10, 0, 5269, 'xmpp.example.com']]).build(),
      expect: [{ status: 'pass', messageId: 'published', subject: NAME, location: { name: NAME }, data: { records: '10 0 5269 xmpp.example.com.' } }],
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
      name: 'nothing published, nothing on 5269, XMPP not required: one information line',
      facts: facts()
        .nxdomain(NAME, 'SRV')
        .nxdomain('_xmpps-server._tcp.example.com', 'SRV')
        .nxdomain('_jabber._tcp.example.com', 'SRV')
        .a('example.com', ['203.0.113.10'])
        .nodata('example.com', 'AAAA')
        .tcp('203.0.113.10', 5269, 'refused')
        .build(),
      expect: [{ status: 'info', messageId: 'notPublished', subject: NAME }],
    },
    {
      name: 'hosted on Microsoft 365: no XMPP federation there',
      facts: facts()
        .srv('_sipfederationtls._tcp.example.com', [[100, 1, 5061, 'sipfed.online.lync.com']])
        .nxdomain(NAME, 'SRV')
        .nxdomain('_xmpps-server._tcp.example.com', 'SRV')
        .nxdomain('example.com', 'A')
        .nxdomain('example.com', 'AAAA')
        .build(),
      target: { services: ['sip', 'xmpp'] },
      expect: [{ status: 'info', messageId: 'notPublishedHosted', data: { provider: 'Microsoft 365 (worldwide)' } }],
    },
    {
      name: 'single "." target, XMPP not required: declared not offered',
      facts: facts().srv(NAME, [[0, 0, 0, '.']]).build(),
      expect: [{ status: 'info', messageId: 'declaredNotOffered' }],
    },
    {
      name: 'an XMPP partner reached at its configured server without an SRV record',
      facts: facts().nxdomain(NAME, 'SRV').build(),
      target: { xmppEdge: 'xmpp.partner.example', role: 'partner', expected: ['xmpp'] },
      expect: [{ status: 'info', messageId: 'reachedAsConfigured', data: { xmppHost: 'xmpp.partner.example' } }],
    },
    {
      name: 'lookup skipped',
      facts: facts().dnsSkipped(NAME, 'SRV', 'the run deadline was reached before this probe started').build(),
      expect: [{ status: 'skip', messageId: 'probeSkipped' }],
    },
  ],
  invalid: [
    {
      name: 'NXDOMAIN, XMPP required: the fallback finds nothing either',
      facts: facts()
        .nxdomain(NAME, 'SRV')
        .nxdomain('_xmpps-server._tcp.example.com', 'SRV')
        .a('example.com', ['203.0.113.10'])
        .nodata('example.com', 'AAAA')
        .tcp('203.0.113.10', 5269, 'refused')
        .build(),
      target: { expected: ['xmpp'] },
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
      name: 'NODATA, XMPP required, with a configured Edge as the suggested target',
      facts: facts().nodata(NAME, 'SRV').build(),
      target: { edge: 'edge.example.com', expected: ['xmpp'] },
      expect: [{ status: 'fail', messageId: 'missing', fix: '_xmpp-server._tcp.example.com. 3600 IN SRV 10 0 5269 edge.example.com.' }],
    },
    {
      name: 'only the legacy _jabber._tcp record: servers no longer read it',
      facts: facts()
        .nxdomain(NAME, 'SRV')
        .nxdomain('_xmpps-server._tcp.example.com', 'SRV')
        .srv('_jabber._tcp.example.com', [[10, 0, 5269, 'xmpp.example.com']])
        .nxdomain('example.com', 'A')
        .nxdomain('example.com', 'AAAA')
        .build(),
      expect: [{ status: 'fail', messageId: 'missing' }],
    },
    {
      name: 'no SRV record, a server answers on the domain itself (RFC 6120 fallback)',
      facts: facts()
        .nxdomain(NAME, 'SRV')
        .nxdomain('_xmpps-server._tcp.example.com', 'SRV')
        .a('example.com', ['203.0.113.10'])
        .nodata('example.com', 'AAAA')
        .tcp('203.0.113.10', 5269, 'open')
        .build(),
      expect: [{ status: 'warn', messageId: 'viaFallback', fix: '_xmpp-server._tcp.example.com. 3600 IN SRV 10 0 5269 example.com.' }],
    },
    {
      name: 'only _xmpps-server._tcp (direct TLS) is published',
      facts: facts()
        .nxdomain(NAME, 'SRV')
        .srv('_xmpps-server._tcp.example.com', [[10, 0, 5270, 'xmpp.example.com']])
        .build(),
      expect: [{ status: 'warn', messageId: 'onlyDirectTls', fix: true }],
    },
    {
      name: 'our own XMPP server configured, no SRV record',
      facts: facts().nxdomain(NAME, 'SRV').build(),
      target: { xmppEdge: 'xmpp.example.com', role: 'own', expected: ['xmpp'] },
      expect: [{ status: 'warn', messageId: 'missing', fix: true }],
    },
    {
      name: 'hosted on Microsoft 365, XMPP required: Teams offers none',
      facts: facts()
        .srv('_sipfederationtls._tcp.example.com', [[100, 1, 5061, 'sipfed.online.lync.com']])
        .nxdomain(NAME, 'SRV')
        .nxdomain('_xmpps-server._tcp.example.com', 'SRV')
        .nxdomain('example.com', 'A')
        .nxdomain('example.com', 'AAAA')
        .build(),
      target: { services: ['sip', 'xmpp'], expected: ['xmpp'] },
      expect: [{ status: 'fail', messageId: 'missingHosted', fix: true }],
    },
    {
      name: 'single "." target, XMPP required',
      facts: facts().srv(NAME, [[0, 0, 0, '.']]).build(),
      target: { expected: ['xmpp'] },
      expect: [{ status: 'fail', messageId: 'notOffered', fix: true }],
    },
    {
      name: 'single "." target while the legacy _jabber._tcp still points at a server',
      facts: facts()
        .srv(NAME, [[0, 0, 0, '.']])
        .srv('_jabber._tcp.example.com', [[10, 0, 5269, 'xmpp.example.com']])
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'notOfferedButLegacy',
          data: { legacyTargets: '10 0 5269 xmpp.example.com.' },
          fix: '_jabber._tcp.example.com. 3600 IN SRV 10 0 5269 xmpp.example.com.',
        },
      ],
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
