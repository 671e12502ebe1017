import type { CheckCases } from '../../../support/check-tester.js';
import { facts } from '../../../support/fact-builder.js';

const SIP_SRV = '_sipfederationtls._tcp.example.com';
const XMPP_SRV = '_xmpp-server._tcp.example.com';

/** One Edge for SIP and XMPP, seen from inside. */
const edge = () =>
  facts()
    .srv(SIP_SRV, [[10, 1, 5061, 'edge.example.com']])
    .srv(XMPP_SRV, [[10, 0, 5269, 'edge.example.com']])
    .a('edge.example.com', ['203.0.113.5']);

export default {
  valid: [
    {
      name: 'external vantage: never probed from outside',
      facts: edge().build(),
      // One line per service: each names the internal ports that service would need.
      expect: [
        { status: 'skip', skipReason: 'vantage', messageId: 'externalVantage', subject: 'example.com', data: { ports: '5061 SIP from the Front End pool, 4443 Central Management Store replication' } },
        { status: 'skip', skipReason: 'vantage', messageId: 'externalVantage', subject: 'example.com', data: { ports: '23456 XMPP gateway (Front End to Edge)' } },
      ],
    },
    {
      name: 'internal vantage: every listener open',
      options: { vantage: 'internal' },
      facts: edge().tcp('203.0.113.5', 23456, 'open').tcp('203.0.113.5', 5061, 'open').tcp('203.0.113.5', 4443, 'open').build(),
      expect: [
        { status: 'pass', messageId: 'listening', subject: '203.0.113.5:23456', location: { host: 'edge.example.com', address: '203.0.113.5', port: 23456 } },
        { status: 'pass', messageId: 'listening', subject: '203.0.113.5:5061' },
        { status: 'pass', messageId: 'listening', subject: '203.0.113.5:4443' },
      ],
    },
    {
      name: 'SIP-only target: no XMPP gateway port',
      target: { services: ['sip'] },
      options: { vantage: 'internal' },
      facts: edge().tcp('203.0.113.5', 5061, 'open').tcpSkipped('203.0.113.5', 4443, 'not connected to').build(),
      expect: [
        { status: 'pass', messageId: 'listening', subject: '203.0.113.5:5061' },
        { status: 'skip', messageId: 'notProbed', subject: '203.0.113.5:4443' },
      ],
    },
    {
      name: 'XMPP-only target, not probed in this run',
      target: { services: ['xmpp'] },
      options: { vantage: 'internal' },
      facts: edge().build(),
      expect: [{ status: 'skip', messageId: 'notGathered', subject: '203.0.113.5:23456' }],
    },
    {
      name: 'no Edge address: nothing to probe',
      options: { vantage: 'internal' },
      facts: facts().nxdomain(SIP_SRV, 'SRV').build(),
      expect: [],
    },
  ],
  invalid: [
    {
      name: 'XMPP gateway not listening, replication refused',
      options: { vantage: 'internal' },
      facts: edge()
        .tcp('203.0.113.5', 23456, 'refused')
        .tcp('203.0.113.5', 5061, 'open')
        .tcpError('203.0.113.5', 4443, 'internal', 'socket could not be created')
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'notListening',
          subject: '203.0.113.5:23456',
          data: { result: 'refused (ECONNREFUSED)' },
          fix: 'Lync Server XMPP Translating Gateway Proxy',
        },
        { status: 'pass', messageId: 'listening', subject: '203.0.113.5:5061' },
        { status: 'error', messageId: 'probeError', subject: '203.0.113.5:4443' },
      ],
    },
    {
      name: 'internal 5061 dropped',
      target: { services: ['sip'] },
      options: { vantage: 'internal' },
      facts: edge().tcp('203.0.113.5', 5061, 'timeout').tcp('203.0.113.5', 4443, 'open').build(),
      expect: [
        { status: 'fail', messageId: 'notListening', subject: '203.0.113.5:5061', fix: 'Start-CsWindowsService' },
        { status: 'pass', messageId: 'listening', subject: '203.0.113.5:4443' },
      ],
    },
  ],
} satisfies CheckCases;
