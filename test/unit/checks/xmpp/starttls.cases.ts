import type { CheckCases } from '../../../support/check-tester.js';
import { XMPP, XMPPS, listenerStateCases, locatedAt, protocolFacts, tlsSession, xmppFeatures } from '../../../support/protocol-fact-builder.js';

const shared = listenerStateCases('xmpp-starttls');
const session = tlsSession('example.com', ['MIIBpeer']);
const server = () => protocolFacts().xmppServer();

export default {
  valid: [
    {
      name: 'STARTTLS offered and required',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, session).build(),
      expect: [{ status: 'pass', messageId: 'required', subject: XMPP.subject, location: locatedAt(XMPP) }],
    },
    {
      name: 'direct TLS: STARTTLS does not apply',
      facts: protocolFacts()
        .listener('xmpp-direct-tls', XMPPS.host, XMPPS.address, XMPPS.port)
        .xmppSession('direct-tls', XMPPS.address, XMPPS.port, session)
        .build(),
      expect: [{ status: 'skip', messageId: 'directTls', subject: XMPPS.subject }],
    },
    {
      name: 'the stream failed before the features',
      facts: server()
        .xmppSession('starttls', XMPP.address, XMPP.port, undefined, {
          preTlsFeatures: undefined,
          streamError: { condition: 'host-unknown' },
        })
        .build(),
      expect: [{ status: 'skip', messageId: 'noFeatures', data: { why: 'stream error <host-unknown/>' } }],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: 'STARTTLS offered, not required',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, session, { preTlsFeatures: xmppFeatures({ starttls: true, dialback: true }) }).build(),
      expect: [{ status: 'warn', messageId: 'optional', fix: 's2s_require_encryption = true' }],
    },
    {
      name: 'no STARTTLS at all',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, undefined, { preTlsFeatures: xmppFeatures({ dialback: true }) }).build(),
      expect: [{ status: 'fail', messageId: 'notOffered', data: { features: '{urn:xmpp:features:dialback}dialback' }, fix: 's2s_use_starttls: required' }],
    },
    {
      name: 'bytes injected after <proceed/>',
      facts: server().xmppSession('starttls', XMPP.address, XMPP.port, session, { bytesAfterProceed: 42 }).build(),
      expect: [{ status: 'fail', messageId: 'injection', data: { bytes: 42 }, fix: 'openssl s_client -connect 203.0.113.8:5269 -starttls xmpp-server -xmpphost example.com' }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
