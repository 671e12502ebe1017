import type { CheckCases } from '../../../support/check-tester.js';
import { testCertificates } from '../../../support/certificates.js';
import { EDGE, XMPP, listenerStateCases, locatedAt, protocolFacts, tlsSession } from '../../../support/protocol-fact-builder.js';
import { FILE_EDGE, fileEvidence, fromFile } from '../../../support/presented-file.js';

const certs = await testCertificates();
const { now, leaves, intermediate } = certs;
const shared = listenerStateCases('xmpp-starttls');

const edgeWith = (chain: string[]) => protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, chain));

export default {
  valid: [
    {
      name: 'a year left',
      now,
      facts: edgeWith([leaves.edge, intermediate]).build(),
      expect: [{ status: 'pass', messageId: 'valid', subject: EDGE.subject, location: locatedAt(EDGE, leaves.edge), data: { days: 364 } }],
    },
    {
      name: 'ten days left with a five-day warning',
      now,
      options: { expiryWarningDays: 5 },
      facts: edgeWith([leaves.expiresSoon, intermediate]).build(),
      expect: [{ status: 'pass', messageId: 'valid', data: { days: 10 } }],
    },
    {
      name: 'XMPP listener and our client certificate, both valid',
      now,
      target: { services: ['xmpp'] },
      facts: protocolFacts()
        .xmppServer()
        .xmppSession('starttls', XMPP.address, XMPP.port, tlsSession('example.com', [leaves.xmppDomain, intermediate]))
        .localCertificate([leaves.client, intermediate])
        .build(),
      expect: [
        { status: 'pass', messageId: 'valid', subject: XMPP.subject },
        { status: 'pass', messageId: 'valid', subject: 'our client certificate (client.pem)', location: { ...locatedAt(EDGE, leaves.client), host: undefined, address: undefined, port: undefined } },
      ],
    },
    {
      name: 'no TLS session: nothing to judge',
      target: { services: ['xmpp'] },
      facts: protocolFacts()
        .xmppServer()
        .xmppSession('starttls', XMPP.address, XMPP.port, undefined, { failure: { stage: 'tls', reason: 'timeout', detail: 'no completed TLS handshake' } })
        .build(),
      expect: [{ status: 'skip', messageId: 'noSession' }],
    },
    {
      name: 'read from a file: a year left',
      now,
      presented: fromFile('sip-edge', [leaves.edge, intermediate], { now, anchors: [certs.root] }),
      options: { extraTrustAnchors: [certs.root] },
      expect: [
        {
          status: 'pass',
          messageId: 'valid',
          subject: FILE_EDGE.subject,
          location: locatedAt(FILE_EDGE, leaves.edge),
          data: { days: 364 },
          evidence: fileEvidence('sip-edge', 2, 'chain Node would trust'),
        },
      ],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: 'expired three days ago',
      now,
      facts: edgeWith([leaves.expired, intermediate]).build(),
      expect: [{ status: 'fail', messageId: 'expired', subject: EDGE.subject, fix: 'Set-CsCertificate -Type AccessEdgeExternal' }],
    },
    {
      name: 'not valid for five more days',
      now,
      facts: edgeWith([leaves.notYetValid, intermediate]).build(),
      expect: [{ status: 'fail', messageId: 'notYetValid', fix: 'keep the previous certificate' }],
    },
    {
      name: 'ten days left, default 30-day warning',
      now,
      facts: edgeWith([leaves.expiresSoon, intermediate]).build(),
      expect: [{ status: 'warn', messageId: 'expiresSoon', data: { days: 10, warningDays: 30 }, fix: 'prosodyctl --root cert import /etc/letsencrypt/live' }],
    },
    {
      name: 'ten days left with a fifteen-day critical threshold: a failure',
      now,
      options: { expiryCriticalDays: 15 },
      facts: edgeWith([leaves.expiresSoon, intermediate]).build(),
      expect: [{ status: 'fail', messageId: 'expiresCritically', data: { days: 10, warningDays: 30, criticalDays: 15 }, fix: 'Set-CsCertificate -Type AccessEdgeExternal' }],
    },
    {
      name: 'the intermediate expires before the leaf, under the critical threshold',
      now,
      options: { expiryCriticalDays: 10 },
      facts: edgeWith([certs.soonIntermediateChain.leaf, certs.soonIntermediateChain.intermediate]).build(),
      expect: [
        { status: 'pass', messageId: 'valid' },
        { status: 'fail', messageId: 'intermediateExpiresSoon', data: { days: 9, criticalDays: 10 } },
      ],
    },
    {
      name: 'the intermediate expires before the leaf',
      now,
      facts: edgeWith([certs.soonIntermediateChain.leaf, certs.soonIntermediateChain.intermediate]).build(),
      expect: [
        { status: 'pass', messageId: 'valid' },
        {
          status: 'warn',
          messageId: 'intermediateExpiresSoon',
          location: locatedAt(EDGE, certs.soonIntermediateChain.intermediate),
          data: { certificate: certs.soonIntermediateChain.intermediateSubject, days: 9 },
          fix: 'Intermediate Certification Authorities',
        },
      ],
    },
    {
      name: 'our client certificate expired',
      now,
      facts: edgeWith([leaves.edge, intermediate]).localCertificate([leaves.expired], '/etc/fedcheck/client.pem').build(),
      expect: [
        { status: 'pass', messageId: 'valid', subject: EDGE.subject },
        { status: 'fail', messageId: 'expired', subject: 'our client certificate (/etc/fedcheck/client.pem)', fix: 'openssl x509 -in /etc/fedcheck/client.pem' },
      ],
    },
    {
      name: 'the server sent no certificate',
      now,
      facts: edgeWith([]).build(),
      expect: [{ status: 'error', messageId: 'unreadableCertificate', location: locatedAt(EDGE), data: { reason: 'the server sent no certificate' } }],
    },
    {
      name: 'read from a file: expired three days ago',
      now,
      presented: fromFile('sip-edge', [leaves.expired, intermediate], { now, anchors: [certs.root] }),
      options: { extraTrustAnchors: [certs.root] },
      expect: [
        {
          status: 'fail',
          messageId: 'expired',
          subject: FILE_EDGE.subject,
          evidence: fileEvidence('sip-edge', 2, 'chain Node would not trust (CERT_HAS_EXPIRED)'),
          fix: `openssl s_client -connect ${FILE_EDGE.host}:5061 -servername ${FILE_EDGE.host} </dev/null 2>/dev/null | openssl x509 -noout -dates`,
        },
      ],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
