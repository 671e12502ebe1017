import type { CheckCases } from '../../../support/check-tester.js';
import { EDGE, XMPP, XMPPS, listenerStateCases, locatedAt, protocolFacts, tlsSession, xmppFeatures } from '../../../support/protocol-fact-builder.js';
import { testCertificates } from '../../../support/certificates.js';

const certs = await testCertificates();
const edgeSession = tlsSession(EDGE.host, [certs.leaves.edge, certs.intermediate]);
const xmppSession = tlsSession('example.com', [certs.leaves.xmppDomain, certs.intermediate]);
const shared = listenerStateCases('sip', { ownsProbe: true });
const sharedXmpp = listenerStateCases('xmpp-starttls', { ownsProbe: true });
const alert = (name: string, code: string) => ({ stage: 'tls' as const, reason: 'tls-alert' as const, detail: `the peer sent the TLS alert "${name}"`, code });

export default {
  valid: [
    {
      name: 'SIP Edge and XMPP server complete TLS 1.3',
      target: { services: ['sip', 'xmpp'] },
      facts: protocolFacts().edge().xmppServer().sipSession(EDGE.address, EDGE.port, edgeSession).xmppSession('starttls', XMPP.address, XMPP.port, xmppSession).build(),
      expect: [
        { status: 'pass', messageId: 'completed', subject: EDGE.subject, location: locatedAt(EDGE), data: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' } },
        { status: 'pass', messageId: 'completed', subject: XMPP.subject },
      ],
    },
    {
      name: 'XMPP direct TLS (XEP-0368) completes with ALPN',
      target: { services: ['xmpp'] },
      facts: protocolFacts()
        .listener('xmpp-direct-tls', XMPPS.host, XMPPS.address, XMPPS.port)
        .xmppSession('direct-tls', XMPPS.address, XMPPS.port, { ...xmppSession, alpnProtocol: 'xmpp-server', protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES256-GCM-SHA384' })
        .build(),
      expect: [{ status: 'pass', messageId: 'completed', subject: XMPPS.subject, data: { protocol: 'TLSv1.2' } }],
    },
    {
      name: 'XMPP without STARTTLS: TLS not attempted, xmpp.starttls judges it',
      target: { services: ['xmpp'] },
      facts: protocolFacts().xmppServer().xmppSession('starttls', XMPP.address, XMPP.port, undefined, { preTlsFeatures: xmppFeatures({ dialback: true }) }).build(),
      expect: [{ status: 'skip', messageId: 'notAttempted', data: { why: 'the server does not offer STARTTLS' } }],
    },
    {
      name: 'XMPP stream failed before STARTTLS: xmpp.stream-negotiation judges it',
      target: { services: ['xmpp'] },
      facts: protocolFacts()
        .xmppServer()
        .xmppSession('starttls', XMPP.address, XMPP.port, undefined, {
          preTlsFeatures: undefined,
          failure: { stage: 'preamble', reason: 'not-xmpp', detail: 'the peer opened <html> in "" instead of an XMPP stream' },
        })
        .build(),
      expect: [{ status: 'skip', messageId: 'notAttempted' }],
    },
    ...shared.valid,
    ...sharedXmpp.valid,
  ],
  invalid: [
    {
      name: 'TLS 1.0-only Edge: protocol version alert, versions probe names TLS 1.0',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, alert('protocol version', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'))
        .tlsVersions('sip', EDGE.host, EDGE.address, EDGE.port, { TLSv1: 'accepted' })
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'oldProtocolOnly',
          subject: EDGE.subject,
          data: { accepted: 'TLS 1.0' },
          fix: "New-ItemProperty -Path $net -Name 'SchUseStrongCrypto' -Value 1",
        },
      ],
    },
    {
      name: 'SChannel hangs up on a TLS 1.2 ClientHello; TLS 1.0 and 1.1 accepted',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, { stage: 'tls', reason: 'closed', detail: 'the peer closed the connection during the TLS handshake' })
        .tlsVersions('sip', EDGE.host, EDGE.address, EDGE.port, { TLSv1: 'accepted', 'TLSv1.1': 'accepted' })
        .build(),
      expect: [{ status: 'fail', messageId: 'oldProtocolOnly', data: { accepted: 'TLS 1.0 and TLS 1.1' }, fix: 'ssl = { protocol = "tlsv1_2+" }' }],
    },
    {
      name: 'plain text on 5061',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, { stage: 'tls', reason: 'tls-error', detail: 'the peer did not answer with TLS', code: 'ERR_SSL_WRONG_VERSION_NUMBER' })
        .build(),
      expect: [{ status: 'fail', messageId: 'notTls', fix: 'openssl s_client -connect 203.0.113.5:5061 -servername sip.example.com' }],
    },
    {
      name: 'plain SIP on 5061: silent to the ClientHello, a 200 to an OPTIONS in clear',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, {
          stage: 'tls',
          reason: 'timeout',
          detail: 'the peer sent nothing in answer to our TLS ClientHello within 2375 ms',
          nonTlsAnswer: { answerTo: 'plain-sip-options', text: 'SIP/2.0 200 OK\\r\\nVia: SIP/2.0/TCP 192.0.2.10:50000\\r\\n\\r\\n', bytes: 47, looksLike: 'sip' },
        })
        .build(),
      expect: [{ status: 'fail', messageId: 'answersWithoutTls', data: { answer: 'plain SIP', port: 5061 }, fix: 'listen=tls:203.0.113.5:5061' }],
    },
    {
      name: 'a web server on 5061 answers the ClientHello with HTTP',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, {
          stage: 'tls',
          reason: 'tls-error',
          detail: 'the peer did not answer with TLS',
          code: 'ERR_SSL_WRONG_VERSION_NUMBER',
          nonTlsAnswer: { answerTo: 'client-hello', text: 'HTTP/1.1 400 Bad Request\\r\\nConnection: close\\r\\n\\r\\n', bytes: 47, looksLike: 'http' },
        })
        .build(),
      expect: [{ status: 'fail', messageId: 'answersWithoutTls', data: { answer: 'HTTP' }, fix: 'forwards 5061' }],
    },
    {
      name: 'an XMPP direct TLS port that speaks a plain XMPP stream (a STARTTLS port)',
      target: { services: ['xmpp'] },
      facts: protocolFacts()
        .listener('xmpp-direct-tls', XMPPS.host, XMPPS.address, XMPPS.port)
        .xmppSession('direct-tls', XMPPS.address, XMPPS.port, undefined, {
          failure: {
            stage: 'tls',
            reason: 'tls-error',
            detail: 'the peer did not answer with TLS',
            code: 'ERR_SSL_WRONG_VERSION_NUMBER',
            nonTlsAnswer: { answerTo: 'client-hello', text: "<?xml version='1.0'?><stream:stream xmlns='jabber:server'>", bytes: 57, looksLike: 'xmpp' },
          },
        })
        .build(),
      expect: [{ status: 'fail', messageId: 'answersWithoutTls', subject: XMPPS.subject, data: { answer: 'an XMPP stream' }, fix: 's2s_direct_tls_ports' }],
    },
    {
      name: 'bytes that are neither TLS nor a protocol fedcheck knows',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, {
          stage: 'tls',
          reason: 'tls-error',
          detail: 'the peer did not answer with TLS',
          code: 'ERR_SSL_WRONG_VERSION_NUMBER',
          nonTlsAnswer: { answerTo: 'client-hello', text: 'SSH-2.0-OpenSSH_9.2p1\\r\\n', bytes: 23, looksLike: 'unknown' },
        })
        .build(),
      expect: [{ status: 'fail', messageId: 'notTls', fix: true }],
    },
    {
      name: 'TLS 1.2 server asked for a certificate, then ended the handshake without one: demanded',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, {
          ...alert('handshake failure', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'),
          clientCertificateRequest: { requested: true, certificateAuthorities: ['CN=Partner Root CA,O=Partner'] },
        })
        .build(),
      expect: [{ status: 'error', messageId: 'clientCertificateDemanded' }],
    },
    {
      name: 'handshake failure alert with TLS 1.2 accepted by the versions probe',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, alert('handshake failure', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'))
        .tlsVersions('sip', EDGE.host, EDGE.address, EDGE.port, { 'TLSv1.2': 'accepted', TLSv1: 'untestable' })
        .build(),
      expect: [{ status: 'fail', messageId: 'peerRejected', data: { detail: 'the peer sent the TLS alert "handshake failure"' }, fix: 'Enable-TlsCipherSuite' }],
    },
    {
      name: 'no shared cipher, failed on our side',
      target: { services: ['xmpp'] },
      facts: protocolFacts()
        .xmppServer()
        .xmppSession('starttls', XMPP.address, XMPP.port, undefined, {
          failure: { stage: 'tls', reason: 'tls-error', detail: 'the TLS handshake failed: no ciphers available', code: 'ERR_SSL_NO_CIPHERS_AVAILABLE' },
        })
        .build(),
      expect: [{ status: 'fail', messageId: 'handshakeFailed', subject: XMPP.subject, fix: 'TLS 1.2 or 1.3' }],
    },
    {
      name: 'mutual TLS demanded (TLS 1.3 certificate_required) without --client-cert',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, {
          stage: 'tls',
          reason: 'tls-error',
          detail: 'the TLS handshake failed: tlsv13 alert certificate required',
          code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
        })
        .build(),
      expect: [{ status: 'error', messageId: 'clientCertificateDemanded' }],
    },
    {
      name: 'handshake timed out, connect failed: could not measure',
      facts: protocolFacts()
        .listener('sip', EDGE.host, EDGE.address, EDGE.port)
        .listener('sip', EDGE.host, '203.0.113.6', EDGE.port)
        .sipFailure(EDGE.address, EDGE.port, { stage: 'tls', reason: 'timeout', detail: "no completed TLS handshake within the probe's 4750 ms" })
        .sipFailure('203.0.113.6', EDGE.port, { stage: 'connect', reason: 'reset', detail: 'the peer reset the connection', code: 'ECONNRESET' })
        .build(),
      expect: [
        { status: 'error', messageId: 'incomplete', subject: EDGE.subject },
        { status: 'error', messageId: 'incomplete', subject: 'sip.example.com 203.0.113.6:5061', data: { reason: 'connecting: reset: the peer reset the connection (ECONNRESET)' } },
      ],
    },
    ...shared.invalid,
    ...sharedXmpp.invalid,
  ],
} satisfies CheckCases;
