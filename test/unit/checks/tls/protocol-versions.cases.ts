import type { CheckCases } from '../../../support/check-tester.js';
import { EDGE, XMPP, locatedAt, protocolFacts } from '../../../support/protocol-fact-builder.js';

const edge = () => protocolFacts().edge();
const versions = (results: Parameters<ReturnType<typeof protocolFacts>['tlsVersions']>[4]) =>
  edge().tlsVersions('sip', EDGE.host, EDGE.address, EDGE.port, results);

export default {
  valid: [
    {
      name: 'a silent peer: no version reached TLS, and neither did the main probe, which tls.handshake reports',
      facts: versions({ TLSv1: 'error', 'TLSv1.1': 'error', 'TLSv1.2': 'error', 'TLSv1.3': 'error' })
        .sipFailure(EDGE.address, EDGE.port, { stage: 'tls', reason: 'timeout', detail: "no completed TLS handshake within the probe's 1800 ms" })
        .build(),
      expect: [{ status: 'skip', messageId: 'noTlsReached', subject: EDGE.subject }],
    },
    {
      name: 'TLS 1.2 and 1.3 only',
      facts: versions({ 'TLSv1.2': 'accepted', 'TLSv1.3': 'accepted' }).build(),
      expect: [{ status: 'pass', messageId: 'modernOnly', subject: EDGE.subject, location: locatedAt(EDGE), data: { accepted: 'TLS 1.2 and TLS 1.3', untested: '' } }],
    },
    {
      name: 'XMPP, TLS 1.3 only, TLS 1.0 and 1.1 untestable on this machine (SNI is the domain)',
      target: { services: ['xmpp'] },
      facts: protocolFacts()
        .xmppServer()
        .tlsVersions('xmpp', 'example.com', XMPP.address, XMPP.port, { TLSv1: 'untestable', 'TLSv1.1': 'untestable', 'TLSv1.3': 'accepted' })
        .build(),
      expect: [
        {
          status: 'pass',
          messageId: 'modernOnly',
          subject: XMPP.subject,
          data: { accepted: 'TLS 1.3', untested: ' (TLS 1.0 and TLS 1.1 not tested: this machine cannot offer them)' },
        },
      ],
    },
    {
      name: 'port closed, versions not probed, probe skipped, no listener',
      target: { services: ['sip', 'xmpp'] },
      facts: protocolFacts()
        .listener('sip', EDGE.host, EDGE.address, EDGE.port, 'timeout')
        .listener('sip', EDGE.host, '203.0.113.6', EDGE.port)
        .listener('sip', EDGE.host, '203.0.113.7', EDGE.port)
        .tlsVersionsOutcome('sip', EDGE.host, '203.0.113.7', EDGE.port, { status: 'skipped', because: 'the run reached its deadline' })
        .nxdomain('_xmpp-server._tcp.example.com', 'SRV')
        .build(),
      expect: [
        { status: 'skip', messageId: 'portNotOpen', subject: EDGE.subject, data: { tcp: 'timeout' } },
        { status: 'skip', messageId: 'notGathered', subject: 'sip.example.com 203.0.113.6:5061' },
        { status: 'skip', messageId: 'notProbed', subject: 'sip.example.com 203.0.113.7:5061' },
      ],
    },
    {
      name: 'a port that answers without TLS: no versions to tell, tls.handshake fails it',
      facts: versions({ TLSv1: 'error', 'TLSv1.1': 'error', 'TLSv1.2': 'error', 'TLSv1.3': 'error' })
        .sipFailure(EDGE.address, EDGE.port, {
          stage: 'tls',
          reason: 'tls-error',
          detail: 'the peer did not answer with TLS',
          nonTlsAnswer: { answerTo: 'client-hello', text: 'HTTP/1.1 400 Bad Request\\r\\n\\r\\n', bytes: 28, looksLike: 'http' },
        })
        .build(),
      expect: [{ status: 'skip', messageId: 'noTlsListener', subject: EDGE.subject }],
    },
    {
      name: 'no federation listener, nothing to judge',
      facts: protocolFacts().nxdomain('_sipfederationtls._tcp.example.com', 'SRV').nxdomain('_xmpp-server._tcp.example.com', 'SRV').build(),
      expect: [],
    },
  ],
  invalid: [
    {
      name: 'TLS 1.0 only: an OCS 2007 R2 / Lync 2010 era Edge',
      facts: versions({ TLSv1: 'accepted' }).build(),
      expect: [{ status: 'fail', messageId: 'oldOnly', data: { accepted: 'TLS 1.0' }, fix: "'SchUseStrongCrypto' -Value 1" }],
    },
    {
      name: 'TLS 1.2 and 1.3 refused, 1.0 and 1.1 untestable here',
      facts: versions({ TLSv1: 'untestable', 'TLSv1.1': 'untestable' }).build(),
      expect: [{ status: 'fail', messageId: 'noModernVersion', fix: 'method = TLSv1.2+' }],
    },
    {
      name: 'TLS 1.0 and 1.1 still accepted beside 1.2',
      facts: versions({ TLSv1: 'accepted', 'TLSv1.1': 'accepted', 'TLSv1.2': 'accepted' }).build(),
      expect: [{ status: 'warn', messageId: 'oldStillAccepted', data: { accepted: 'TLS 1.2', old: 'TLS 1.0 and TLS 1.1' }, fix: "-Name 'Enabled' -Value 0" }],
    },
    {
      name: 'every modern attempt timed out',
      facts: versions({ 'TLSv1.2': 'error', 'TLSv1.3': 'error' }).build(),
      expect: [{ status: 'error', messageId: 'couldNotMeasure' }],
    },
    {
      name: 'the versions probe failed',
      facts: edge().tlsVersionsOutcome('sip', EDGE.host, EDGE.address, EDGE.port, { status: 'error', reason: 'tls-setup', detail: 'the client certificate could not be loaded' }).build(),
      expect: [{ status: 'error', messageId: 'probeError' }],
    },
  ],
} satisfies CheckCases;
