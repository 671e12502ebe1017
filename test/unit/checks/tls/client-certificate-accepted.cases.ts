import type { Case, CheckCases } from '../../../support/check-tester.js';
import { EDGE, XMPP, listenerStateCases, locatedAt, protocolFacts, sipResponse, tlsSession, xmppFeatures } from '../../../support/protocol-fact-builder.js';

const CLIENT_CHAIN = ['MIIBclientcertificate'];
const withClientCertificate = (testCase: Case): Case => ({
  ...testCase,
  facts: { ...testCase.facts, ...protocolFacts().localCertificate(CLIENT_CHAIN).build() },
});
const shared = listenerStateCases('sip');
const offered = (servername: string) => tlsSession(servername, ['MIIBpeer'], { clientCertificateOffered: true });
const edge = () => protocolFacts().edge().localCertificate(CLIENT_CHAIN, 'edge-client.pfx');
const xmpp = () => protocolFacts().xmppServer().localCertificate(CLIENT_CHAIN, 'edge-client.pfx');
const alert = (stage: 'tls' | 'response', name: string, code: string) => ({ stage, reason: 'tls-alert' as const, detail: `the peer sent the TLS alert "${name}"`, code });

export default {
  valid: [
    {
      name: 'without --client-cert there is nothing to judge',
      facts: protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, ['MIIBpeer'])).build(),
      expect: [],
    },
    {
      name: 'SIP: certificate offered, OPTIONS answered',
      options: { fromDomain: 'fabrikam.example' },
      facts: edge().sipSession(EDGE.address, EDGE.port, offered(EDGE.host), sipResponse('SIP/2.0 200 OK')).build(),
      expect: [{ status: 'pass', messageId: 'sipAccepted', subject: EDGE.subject, location: locatedAt(EDGE), data: { status: 'SIP/2.0 200 OK', source: 'edge-client.pfx' } }],
    },
    {
      name: 'SIP: the server never asked for a client certificate, so ours was not judged',
      facts: edge()
        .sipSession(EDGE.address, EDGE.port, { ...offered(EDGE.host), clientCertificateRequest: { requested: false } }, sipResponse('SIP/2.0 200 OK'))
        .build(),
      expect: [{ status: 'skip', messageId: 'notJudged', data: { why: 'the server did not ask for a client certificate, so ours was never sent' } }],
    },
    {
      name: 'XMPP: SASL EXTERNAL offered after TLS',
      target: { services: ['xmpp'] },
      facts: xmpp()
        .xmppSession('starttls', XMPP.address, XMPP.port, offered('example.com'), { postTlsFeatures: xmppFeatures({ dialback: true, sasl: ['EXTERNAL'] }) })
        .build(),
      expect: [{ status: 'pass', messageId: 'xmppExternalOffered', subject: XMPP.subject }],
    },
    {
      name: 'XMPP: SASL EXTERNAL offered, and authenticating with it succeeded',
      target: { services: ['xmpp'] },
      facts: xmpp()
        .xmppSession('starttls', XMPP.address, XMPP.port, offered('example.com'), {
          postTlsFeatures: xmppFeatures({ sasl: ['EXTERNAL'] }),
          saslExternal: { outcome: 'success' },
        })
        .build(),
      expect: [{ status: 'pass', messageId: 'xmppExternalOffered', data: { exchange: ', and authenticating with it succeeded' } }],
    },
    {
      name: 'cannot tell: no SIP answer, handshake failed for another reason, stream failed after TLS',
      target: { services: ['sip', 'xmpp'] },
      facts: edge()
        .listener('sip', EDGE.host, '203.0.113.6', EDGE.port)
        .xmppServer()
        .sipSession(EDGE.address, EDGE.port, offered(EDGE.host), { stage: 'response', reason: 'timeout', detail: 'no final SIP response within 4750 ms' })
        .sipFailure('203.0.113.6', EDGE.port, alert('tls', 'protocol version', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'))
        .xmppSession('starttls', XMPP.address, XMPP.port, offered('example.com'), {
          postTlsFeatures: undefined,
          failure: { stage: 'response', reason: 'closed', detail: 'the peer closed the connection before the stream header' },
        })
        .build(),
      expect: [
        { status: 'skip', messageId: 'notJudged', subject: EDGE.subject },
        { status: 'skip', messageId: 'notJudged', subject: 'sip.example.com 203.0.113.6:5061' },
        { status: 'skip', messageId: 'notJudged', subject: XMPP.subject, data: { why: 'no stream features after TLS; see xmpp.stream-negotiation' } },
      ],
    },
    {
      name: 'the probe did not offer the certificate',
      facts: edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, ['MIIBpeer'])).build(),
      expect: [{ status: 'skip', messageId: 'notJudged', data: { why: 'the probe did not offer our certificate' } }],
    },
    ...shared.valid.map(withClientCertificate),
  ],
  invalid: [
    {
      name: 'SIP, TLS 1.2: unknown CA alert during the handshake',
      options: { fromDomain: 'fabrikam.example' },
      facts: edge().sipFailure(EDGE.address, EDGE.port, alert('tls', 'unknown ca', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA')).build(),
      expect: [
        {
          status: 'fail',
          messageId: 'sipRejected',
          data: { detail: 'the peer sent the TLS alert "unknown ca"' },
          fix: 'New-CsAllowedDomain -Identity fabrikam.example -ProxyFqdn',
        },
      ],
    },
    {
      name: 'SIP, TLS 1.3: the alert comes after the handshake, instead of the answer',
      facts: edge()
        .sipSession(EDGE.address, EDGE.port, offered(EDGE.host), alert('response', 'unsupported certificate', 'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE'))
        .build(),
      expect: [{ status: 'fail', messageId: 'sipRejected', fix: 'openssl x509 -in edge-client.pfx' }],
    },
    {
      name: 'XMPP: EXTERNAL not offered, dialback only',
      target: { services: ['xmpp'] },
      options: { fromDomain: 'fabrikam.example' },
      facts: xmpp().xmppSession('starttls', XMPP.address, XMPP.port, offered('example.com')).build(),
      expect: [{ status: 'warn', messageId: 'xmppExternalNotOffered', data: { mechanisms: 'no SASL mechanism' }, fix: 'our XMPP domain fabrikam.example' }],
    },
    {
      name: 'XMPP: EXTERNAL offered, then refused; dialback still offered',
      target: { services: ['xmpp'] },
      facts: xmpp()
        .xmppSession('starttls', XMPP.address, XMPP.port, offered('example.com'), {
          fromDomain: 'fabrikam.example',
          postTlsFeatures: xmppFeatures({ dialback: true, sasl: ['EXTERNAL'] }),
          saslExternal: { outcome: 'failure', condition: 'not-authorized', text: 'Certificate not valid' },
        })
        .build(),
      expect: [
        {
          status: 'warn',
          messageId: 'xmppExternalRefused',
          data: { asDomain: 'fabrikam.example', condition: 'not-authorized', text: ' "Certificate not valid"', fallback: '; server dialback may still authenticate us' },
          fix: true,
        },
      ],
    },
    {
      name: 'XMPP: EXTERNAL offered, then refused, and no dialback',
      target: { services: ['xmpp'] },
      facts: xmpp()
        .xmppSession('starttls', XMPP.address, XMPP.port, offered('example.com'), {
          postTlsFeatures: xmppFeatures({ sasl: ['EXTERNAL'] }),
          saslExternal: { outcome: 'failure', condition: 'invalid-authzid' },
        })
        .build(),
      expect: [{ status: 'fail', messageId: 'xmppExternalRefused', data: { condition: 'invalid-authzid', text: '', fallback: '; no dialback is offered either' } }],
    },
    {
      name: 'XMPP: Prosody ends the stream after TLS, no EXTERNAL for our certificate and no dialback',
      target: { services: ['xmpp'] },
      facts: xmpp()
        .xmppSession('starttls', XMPP.address, XMPP.port, offered('example.com'), {
          postTlsFeatures: undefined,
          streamError: { condition: 'undefined-condition', text: 'No stream features to offer' },
        })
        .build(),
      expect: [{ status: 'fail', messageId: 'xmppNothingOffered', data: { text: 'No stream features to offer' }, fix: 'mod_s2s_dialback' }],
    },
    {
      name: 'XMPP: bad certificate alert',
      target: { services: ['xmpp'] },
      facts: xmpp()
        .xmppSession('starttls', XMPP.address, XMPP.port, undefined, { failure: alert('tls', 'bad certificate', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE') })
        .build(),
      expect: [{ status: 'fail', messageId: 'xmppRejected', subject: XMPP.subject }],
    },
    ...shared.invalid.map(withClientCertificate),
  ],
} satisfies CheckCases;
