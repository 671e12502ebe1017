import type { CheckCases } from '../../../support/check-tester.js';
import type { SessionFailure } from '../../../../src/model/protocol-facts.js';
import { XMPP, XMPPS, listenerStateCases, locatedAt, protocolFacts, streamHeader, tlsSession, xmppFeatures } from '../../../support/protocol-fact-builder.js';

const shared = listenerStateCases('xmpp-starttls');
const session = tlsSession('example.com', ['MIIBpeer']);
const server = () => protocolFacts().xmppServer();
/** The server answered the first stream with a stream error instead of features. */
const refused = (condition: string, text?: string) =>
  server()
    .xmppSession('starttls', XMPP.address, XMPP.port, undefined, {
      preTlsFeatures: undefined,
      bytesAfterProceed: undefined,
      streamError: text === undefined ? { condition } : { condition, text },
    })
    .build();
const broken = (failure: SessionFailure) =>
  server().xmppSession('starttls', XMPP.address, XMPP.port, undefined, { preTlsFeatures: undefined, bytesAfterProceed: undefined, failure }).build();

export default {
  valid: [
    {
      name: 'STARTTLS, TLS, restarted stream, features',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, session).build(),
      expect: [{ status: 'pass', messageId: 'negotiated', subject: XMPP.subject, location: locatedAt(XMPP), data: { streamId: 'c2s-4f1e', from: 'example.com', version: '1.0' } }],
    },
    {
      name: 'direct TLS',
      facts: protocolFacts()
        .listener('xmpp-direct-tls', XMPPS.host, XMPPS.address, XMPPS.port)
        .xmppSession('direct-tls', XMPPS.address, XMPPS.port, session)
        .build(),
      expect: [{ status: 'pass', messageId: 'negotiated', data: { stages: 'over direct TLS (XEP-0368), features read' } }],
    },
    {
      name: 'no STARTTLS: the stream itself is fine',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, undefined, { preTlsFeatures: xmppFeatures({ dialback: true }) }).build(),
      expect: [{ status: 'pass', messageId: 'negotiatedWithoutTls' }],
    },
    {
      name: 'Prosody with nothing to offer after TLS: the stream worked, xmpp.authentication-methods owns the verdict',
      facts: server()
        .xmppSession('starttls', XMPP.address, XMPP.port, session, {
          postTlsFeatures: undefined,
          streamError: { condition: 'undefined-condition', text: 'No stream features to offer' },
        })
        .build(),
      expect: [
        {
          status: 'pass',
          messageId: 'negotiatedNothingToOffer',
          data: { stages: 'STARTTLS, TLS and the restarted stream', text: 'No stream features to offer' },
        },
      ],
    },
    {
      name: 'stopped at TLS: tls.handshake reports it',
      facts: server()
        .xmppSession('starttls', XMPP.address, XMPP.port, undefined, { failure: { stage: 'tls', reason: 'tls-alert', detail: 'the peer sent the TLS alert "protocol version"' } })
        .build(),
      expect: [{ status: 'skip', messageId: 'tlsFailed' }],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: 'host-unknown: the server does not host example.com',
      facts: refused('host-unknown'),
      expect: [
        {
          status: 'fail',
          messageId: 'streamError',
          data: { condition: 'host-unknown', stage: 'before TLS', meaning: 'the server does not host example.com' },
          fix: 'VirtualHost "example.com"',
        },
      ],
    },
    {
      name: 'host-gone after TLS',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, session, { postTlsFeatures: undefined, streamError: { condition: 'host-gone' } }).build(),
      expect: [{ status: 'fail', messageId: 'streamError', data: { stage: 'after TLS' }, fix: '_xmpp-server._tcp.example.com. 3600 IN SRV 5 0 5269 xmpp.example.com.' }],
    },
    {
      name: 'policy-violation with text',
      options: { fromDomain: 'fabrikam.example' },
      facts: refused('policy-violation', 'Encrypted server-to-server communication is required but was not offered'),
      expect: [
        {
          status: 'fail',
          messageId: 'streamError',
          data: { text: ': "Encrypted server-to-server communication is required but was not offered"' },
          fix: 'New-CsXmppAllowedPartner -Identity fabrikam.example',
        },
      ],
    },
    {
      name: 'not-authorized',
      facts: refused('not-authorized'),
      expect: [{ status: 'fail', messageId: 'streamError', data: { condition: 'not-authorized' }, fix: 's2s_insecure_domains' }],
    },
    {
      name: 'improper-addressing',
      facts: refused('improper-addressing'),
      expect: [{ status: 'fail', messageId: 'streamError', fix: 'fedcheck check example.com --from-domain' }],
    },
    {
      name: 'remote-connection-failed (Lync XMPP gateway behind the Edge)',
      facts: refused('remote-connection-failed'),
      expect: [{ status: 'fail', messageId: 'streamError', fix: 'Test-NetConnection <front end FQDN> -Port 23456' }],
    },
    {
      name: 'see-other-host',
      facts: refused('see-other-host', 'xmpp2.example.com'),
      expect: [{ status: 'fail', messageId: 'streamError', data: { meaning: 'the server redirects peers to another host (xmpp2.example.com)' }, fix: 'the host the server redirects to (xmpp2.example.com)' }],
    },
    {
      name: 'system-shutdown',
      facts: refused('system-shutdown'),
      expect: [{ status: 'fail', messageId: 'streamError', fix: 'prosodyctl status' }],
    },
    {
      name: 'undefined-condition and an unlisted one',
      facts: protocolFacts()
        .listener('xmpp-starttls', XMPP.host, XMPP.address, XMPP.port)
        .listener('xmpp-starttls', XMPP.host, '203.0.113.9', XMPP.port)
        .xmppSession('starttls', XMPP.address, XMPP.port, undefined, { preTlsFeatures: undefined, streamError: { condition: 'undefined-condition' } })
        .xmppSession('starttls', '203.0.113.9', XMPP.port, undefined, { preTlsFeatures: undefined, streamError: { condition: 'connection-timeout' } })
        .build(),
      expect: [
        { status: 'fail', messageId: 'streamError', subject: XMPP.subject, fix: '/var/log/prosody/prosody.log' },
        { status: 'fail', messageId: 'streamError', data: { meaning: 'the server ended the stream' } },
      ],
    },
    {
      name: 'not XMPP',
      facts: broken({ stage: 'preamble', reason: 'not-xmpp', detail: 'the peer opened <html> in "" instead of an XMPP stream' }),
      expect: [{ status: 'fail', messageId: 'notXmpp', fix: 's2s_ports = { 5269 }' }],
    },
    {
      name: 'closed without a stream error',
      facts: broken({ stage: 'preamble', reason: 'closed', detail: 'the peer closed the connection before the stream header' }),
      expect: [{ status: 'fail', messageId: 'closed' }],
    },
    {
      name: 'hostile or broken peers: entity bomb, endless stanza, garbage, silence',
      facts: protocolFacts()
        .listener('xmpp-starttls', XMPP.host, XMPP.address, XMPP.port)
        .listener('xmpp-starttls', XMPP.host, '203.0.113.9', XMPP.port)
        .listener('xmpp-starttls', XMPP.host, '203.0.113.10', XMPP.port)
        .listener('xmpp-starttls', XMPP.host, '203.0.113.11', XMPP.port)
        .xmppSession('starttls', XMPP.address, XMPP.port, undefined, {
          preTlsFeatures: undefined,
          failure: { stage: 'preamble', reason: 'forbidden-xml', detail: 'a DOCTYPE declaration (XMPP streams carry no DTD)' },
        })
        .xmppSession('starttls', '203.0.113.9', XMPP.port, undefined, { preTlsFeatures: undefined, failure: { stage: 'preamble', reason: 'too-large', detail: 'a stanza over 65536 bytes' } })
        .xmppSession('starttls', '203.0.113.10', XMPP.port, undefined, { preTlsFeatures: undefined, failure: { stage: 'preamble', reason: 'malformed', detail: 'not well-formed XML' } })
        .xmppSession('starttls', '203.0.113.11', XMPP.port, undefined, { preTlsFeatures: undefined, failure: { stage: 'preamble', reason: 'timeout', detail: 'no stream header within 4750 ms' } })
        .build(),
      expect: [
        { status: 'error', messageId: 'hostile', subject: XMPP.subject, data: { what: 'XML that XMPP forbids (a DOCTYPE, an entity or a processing instruction)' } },
        { status: 'error', messageId: 'hostile', subject: 'xmpp.example.com 203.0.113.9:5269' },
        { status: 'error', messageId: 'hostile', subject: 'xmpp.example.com 203.0.113.10:5269' },
        { status: 'error', messageId: 'hostile', subject: 'xmpp.example.com 203.0.113.11:5269', data: { what: 'nothing in time' } },
      ],
    },
    {
      name: 'connection failed in the probe',
      facts: broken({ stage: 'connect', reason: 'refused', detail: 'the connection was refused', code: 'ECONNREFUSED' }),
      expect: [{ status: 'error', messageId: 'couldNotMeasure' }],
    },
    {
      name: 'the server answers as another domain',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, session, { streamHeader: streamHeader('xmpp.example.com') }).build(),
      expect: [{ status: 'warn', messageId: 'unexpectedFrom', data: { from: 'xmpp.example.com' } }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
