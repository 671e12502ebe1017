import type { CheckCases } from '../../../support/check-tester.js';
import { testCertificates } from '../../../support/certificates.js';
import { EDGE, XMPP, listenerStateCases, protocolFacts, tlsSession } from '../../../support/protocol-fact-builder.js';

const certs = await testCertificates();
const { now, leaves, intermediate } = certs;
const shared = listenerStateCases('sip');

const edgeWith = (leaf: string) => protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, [leaf, intermediate]));
const xmppWith = (leaf: string) =>
  protocolFacts().xmppServer().xmppSession('starttls', XMPP.address, XMPP.port, tlsSession('example.com', [leaf, intermediate]));

export default {
  valid: [
    {
      name: 'serverAuth and clientAuth',
      now,
      facts: edgeWith(leaves.edge).build(),
      expect: [{ status: 'pass', messageId: 'usages', subject: EDGE.subject, data: { usages: 'Extended Key Usage: serverAuth, clientAuth' } }],
    },
    {
      name: 'no EKU extension: any purpose',
      now,
      facts: edgeWith(leaves.anyPurpose).build(),
      expect: [{ status: 'pass', messageId: 'usages', data: { usages: 'no Extended Key Usage extension: any purpose' } }],
    },
    {
      name: 'our client certificate has clientAuth',
      now,
      target: { services: ['xmpp'] },
      facts: xmppWith(leaves.xmppDomain).localCertificate([leaves.client, intermediate]).build(),
      expect: [
        { status: 'pass', messageId: 'usages', subject: XMPP.subject },
        { status: 'pass', messageId: 'localUsages', subject: 'our client certificate (client.pem)' },
      ],
    },
    {
      name: 'no TLS session',
      facts: protocolFacts().edge().sipFailure(EDGE.address, EDGE.port, { stage: 'tls', reason: 'reset', detail: 'the peer reset the connection' }).build(),
      expect: [{ status: 'skip', messageId: 'noSession' }],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: 'clientAuth only',
      now,
      facts: edgeWith(leaves.clientAuthOnly).build(),
      expect: [{ status: 'fail', messageId: 'noServerAuth', data: { usages: 'Extended Key Usage: clientAuth' }, fix: 'WebServer template' }],
    },
    {
      name: 'SIP Edge renewed without clientAuth',
      now,
      facts: edgeWith(leaves.serverAuthOnly).build(),
      expect: [{ status: 'warn', messageId: 'noClientAuthSip', subject: EDGE.subject, fix: '-addext "extendedKeyUsage=serverAuth,clientAuth"' }],
    },
    {
      name: 'XMPP server without clientAuth: SASL EXTERNAL breaks, dialback works',
      now,
      facts: xmppWith(leaves.serverAuthOnly).build(),
      target: { services: ['xmpp'] },
      expect: [{ status: 'warn', messageId: 'noClientAuthXmpp', fix: 'modules_enabled = { "dialback" }' }],
    },
    {
      name: 'our client certificate without clientAuth',
      now,
      facts: edgeWith(leaves.edge).localCertificate([leaves.clientServerAuthOnly], 'partner-test.pfx').build(),
      expect: [
        { status: 'pass', messageId: 'usages' },
        {
          status: 'fail',
          messageId: 'localNoClientAuth',
          subject: 'our client certificate (partner-test.pfx)',
          fix: 'openssl x509 -in partner-test.pfx -noout -ext extendedKeyUsage',
        },
      ],
    },
    {
      name: 'the certificate cannot be read',
      now,
      facts: edgeWith('AAAA').build(),
      expect: [{ status: 'error', messageId: 'unreadableCertificate' }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
