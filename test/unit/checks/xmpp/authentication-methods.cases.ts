import type { CheckCases } from '../../../support/check-tester.js';
import { XMPP, XMPPS, listenerStateCases, locatedAt, protocolFacts, streamHeader, tlsSession, xmppFeatures } from '../../../support/protocol-fact-builder.js';

const shared = listenerStateCases('xmpp-starttls');
const session = tlsSession('example.com', ['MIIBpeer']);
const server = () => protocolFacts().xmppServer();

export default {
  valid: [
    {
      name: 'dialback and SASL EXTERNAL',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, session, { postTlsFeatures: xmppFeatures({ dialback: true, sasl: ['EXTERNAL'] }) }).build(),
      expect: [{ status: 'pass', messageId: 'both', subject: XMPP.subject, location: locatedAt(XMPP) }],
    },
    {
      name: 'dialback only (fedcheck offered no certificate)',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, session).build(),
      expect: [{ status: 'pass', messageId: 'dialbackOnly' }],
    },
    {
      name: 'an undefined-condition after TLS without Prosody\'s text stays a stream error for xmpp.stream-negotiation',
      facts: server()
        .xmppSession('starttls', XMPP.address, XMPP.port, session, { postTlsFeatures: undefined, streamError: { condition: 'undefined-condition' } })
        .build(),
      expect: [{ status: 'skip', messageId: 'noFeatures', data: { why: 'stream error <undefined-condition/>' } }],
    },
    {
      name: 'SASL EXTERNAL only, over direct TLS',
      facts: protocolFacts()
        .listener('xmpp-direct-tls', XMPPS.host, XMPPS.address, XMPPS.port)
        .xmppSession('direct-tls', XMPPS.address, XMPPS.port, session, { postTlsFeatures: xmppFeatures({ sasl: ['EXTERNAL'] }) })
        .build(),
      expect: [{ status: 'pass', messageId: 'externalOnly', subject: XMPPS.subject }],
    },
    {
      name: 'no secured stream; stream failed after TLS',
      facts: protocolFacts()
        .listener('xmpp-starttls', XMPP.host, XMPP.address, XMPP.port)
        .listener('xmpp-starttls', XMPP.host, '203.0.113.9', XMPP.port)
        .xmppSession('starttls', XMPP.address, XMPP.port, undefined, { preTlsFeatures: xmppFeatures({ dialback: true }) })
        .xmppSession('starttls', '203.0.113.9', XMPP.port, session, { postTlsFeatures: undefined, streamError: { condition: 'policy-violation' } })
        .build(),
      expect: [
        { status: 'skip', messageId: 'noSecuredStream', subject: XMPP.subject, data: { why: 'the server does not offer STARTTLS' } },
        { status: 'skip', messageId: 'noFeatures', subject: 'xmpp.example.com 203.0.113.9:5269', data: { why: 'stream error <policy-violation/>' } },
      ],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: 'neither dialback nor EXTERNAL',
      facts: server()
        .xmppSession('starttls', XMPP.address, XMPP.port, session, {
          streamHeader: { id: 'abc', from: 'example.com', version: '1.0' },
          postTlsFeatures: xmppFeatures({ sasl: ['PLAIN'] }),
        })
        .build(),
      expect: [{ status: 'fail', messageId: 'none', data: { features: '{urn:ietf:params:xml:ns:xmpp-sasl}mechanisms' }, fix: 'mod_s2s_dialback: {}' }],
    },
    {
      name: 'Prosody ends the stream after TLS: dialback off, no EXTERNAL (no certificate of ours)',
      facts: server()
        .xmppSession('starttls', XMPP.address, XMPP.port, session, {
          postTlsFeatures: undefined,
          streamError: { condition: 'undefined-condition', text: 'No stream features to offer' },
        })
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'nothingToOffer',
          subject: XMPP.subject,
          data: { condition: 'undefined-condition', text: 'No stream features to offer', certificate: 'fedcheck presented no client certificate; --client-cert tests yours' },
          fix: 'modules_enabled = { "dialback" }',
        },
      ],
    },
    {
      name: 'the same with our certificate presented: not even EXTERNAL for it; the fix names certificates and ejabberd',
      facts: server()
        .xmppSession('starttls', XMPP.address, XMPP.port, tlsSession('example.com', ['MIIBpeer'], { clientCertificateOffered: true }), {
          postTlsFeatures: undefined,
          streamError: { condition: 'undefined-condition', text: 'No stream features to offer' },
        })
        .build(),
      expect: [{ status: 'fail', messageId: 'nothingToOffer', data: { certificate: 'not even for the client certificate fedcheck presented' }, fix: 'mod_s2s_dialback: {}' }],
    },
    {
      name: 'dialback namespace declared, feature not advertised',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, session, { streamHeader: streamHeader(), postTlsFeatures: xmppFeatures() }).build(),
      expect: [{ status: 'warn', messageId: 'dialbackUnadvertised', fix: '-SupportDialbackNegotiation $true' }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
