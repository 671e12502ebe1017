import type { CheckCases } from '../../../support/check-tester.js';
import { publicCaLeaves, testCertificates } from '../../../support/certificates.js';
import { EDGE, XMPP, listenerStateCases, locatedAt, protocolFacts, tlsSession } from '../../../support/protocol-fact-builder.js';
import { FILE_EDGE, FILE_XMPP, fileEvidence, fromFile } from '../../../support/presented-file.js';

const certs = await testCertificates();
const { now, leaves, intermediate } = certs;
const { digiCert, letsEncrypt } = await publicCaLeaves();
const shared = listenerStateCases('sip');

// The clientAuth messages read only the issuer and the clock, so each case sets `now` on the side of a deadline it tests.
const december2026 = new Date('2026-12-03T12:00:00Z');
const afterDigiCert = new Date('2027-03-01T00:00:00Z');
const beforeLetsEncrypt = new Date('2026-02-10T12:00:00Z');
const afterChromeLeaves = new Date('2027-03-15T00:00:00Z');
const edgeFrom = (leaf: string, chainIntermediate: string) =>
  protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, [leaf, chainIntermediate]));

const edgeWith = (leaf: string) => protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, [leaf, intermediate]));
const xmppWith = (leaf: string) =>
  protocolFacts().xmppServer().xmppSession('starttls', XMPP.address, XMPP.port, tlsSession('example.com', [leaf, intermediate]));

export default {
  valid: [
    {
      name: 'serverAuth and clientAuth',
      now,
      facts: edgeWith(leaves.edge).build(),
      expect: [{ status: 'pass', messageId: 'usages', subject: EDGE.subject, location: locatedAt(EDGE, leaves.edge), data: { usages: 'Extended Key Usage: serverAuth, clientAuth' } }],
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
    {
      name: 'read from a file: serverAuth and clientAuth',
      now,
      options: { extraTrustAnchors: [certs.root] },
      presented: fromFile('sip-edge', [leaves.edge, intermediate], { now, anchors: [certs.root] }),
      expect: [
        {
          status: 'pass',
          messageId: 'usages',
          subject: FILE_EDGE.subject,
          location: locatedAt(FILE_EDGE, leaves.edge),
          data: { usages: 'Extended Key Usage: serverAuth, clientAuth' },
          evidence: fileEvidence('sip-edge', 2, 'chain Node would trust'),
        },
      ],
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
      name: 'SIP Edge renewed without clientAuth by a CA fedcheck does not know: Chrome\'s dates, before its leaf date',
      now: december2026,
      facts: edgeWith(leaves.serverAuthOnly).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'noClientAuthSip',
          subject: EDGE.subject,
          data: {
            outlook:
              'the Chrome Root Program (a Chrome rule, not a CA/Browser Forum one) has required new intermediate CA certificates to be ' +
              'serverAuth-only since 2026-06-15 and requires every new leaf certificate to be serverAuth-only from 2027-03-15; public ' +
              'CAs stop earlier, each on its own date: ask yours now whether it still issues Client Authentication',
          },
          fix: '-addext "extendedKeyUsage=serverAuth,clientAuth"',
        },
      ],
    },
    {
      name: 'a CA fedcheck does not know, from Chrome\'s leaf date on',
      now: afterChromeLeaves,
      facts: edgeWith(leaves.serverAuthOnly).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'noClientAuthSip',
          data: {
            outlook:
              'the Chrome Root Program (a Chrome rule, not a CA/Browser Forum one) has required new intermediate CA certificates to be ' +
              'serverAuth-only since 2026-06-15 and has required every new leaf certificate to be serverAuth-only since 2027-03-15; ' +
              'no public CA issues a TLS server certificate with Client Authentication any more',
          },
          fix: 'EnableServerEkuUpload: On',
        },
      ],
    },
    {
      name: 'DigiCert renewed the Edge without clientAuth, before its last date: renew now',
      now: december2026,
      facts: edgeFrom(digiCert.serverAuthOnly, digiCert.intermediate).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'noClientAuthSip',
          data: {
            outlook:
              'your CA, DigiCert, has left clientAuth out by default since 2025-10-01 and still issues clientAuth on request until ' +
              '2027-03-01: renew now and ask for Client Authentication, before 2027-03-01',
          },
          fix: 'your CA, DigiCert, has left clientAuth out by default since 2025-10-01',
        },
      ],
    },
    {
      name: 'DigiCert, from its last date on',
      now: afterDigiCert,
      facts: edgeFrom(digiCert.serverAuthOnly, digiCert.intermediate).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'noClientAuthSip',
          data: {
            outlook:
              'your CA, DigiCert, has left clientAuth out by default since 2025-10-01 and stopped issuing clientAuth on 2027-03-01: ' +
              'no certificate from it will carry Client Authentication again',
          },
          fix: true,
        },
      ],
    },
    {
      name: 'Let\'s Encrypt renewed the Edge without clientAuth: every date past',
      now: december2026,
      facts: edgeFrom(letsEncrypt.serverAuthOnly, letsEncrypt.intermediate).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'noClientAuthSip',
          data: {
            outlook:
              'your CA, Let\'s Encrypt, dropped clientAuth from its default (classic) profile on 2026-02-11, closed its tlsclient ' +
              'profile to new accounts on 2026-05-13 and ended the tlsclient profile on 2026-07-08: no certificate from it will carry ' +
              'Client Authentication again',
          },
          fix: true,
        },
      ],
    },
    {
      name: 'Let\'s Encrypt the day before its default profile drops clientAuth',
      now: beforeLetsEncrypt,
      facts: edgeFrom(letsEncrypt.serverAuthOnly, letsEncrypt.intermediate).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'noClientAuthSip',
          data: {
            outlook:
              'your CA, Let\'s Encrypt, drops clientAuth from its default (classic) profile on 2026-02-11, closes its tlsclient ' +
              'profile to new accounts on 2026-05-13 and keeps clientAuth in the tlsclient profile for its existing users until ' +
              '2026-07-08: renew now and ask for Client Authentication, before 2026-07-08',
          },
          fix: true,
        },
      ],
    },
    {
      name: 'a DigiCert certificate that still has clientAuth: its renewal may not',
      now: december2026,
      facts: edgeFrom(digiCert.bothUsages, digiCert.intermediate).build(),
      expect: [
        {
          status: 'warn',
          messageId: 'clientAuthEnding',
          subject: EDGE.subject,
          data: {
            usages: 'Extended Key Usage: serverAuth, clientAuth',
            outlook:
              'your CA, DigiCert, has left clientAuth out by default since 2025-10-01 and still issues clientAuth on request until ' +
              '2027-03-01: renew now and ask for Client Authentication, before 2027-03-01',
          },
          fix: 'Request-CsCertificate -ClientEku $true',
        },
      ],
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
    {
      name: 'read from a file: clientAuth only',
      now,
      options: { extraTrustAnchors: [certs.root] },
      presented: fromFile('sip-edge', [leaves.clientAuthOnly, intermediate], { now, anchors: [certs.root] }),
      expect: [{ status: 'fail', messageId: 'noServerAuth', subject: FILE_EDGE.subject, evidence: fileEvidence('sip-edge', 2, 'chain Node would not trust (INVALID_PURPOSE)'), fix: 'WebServer template' }],
    },
    {
      name: 'read from a file for an XMPP server without clientAuth',
      now,
      options: { extraTrustAnchors: [certs.root] },
      presented: fromFile('xmpp-server', [leaves.serverAuthOnly, intermediate], { now, anchors: [certs.root] }),
      expect: [{ status: 'warn', messageId: 'noClientAuthXmpp', subject: FILE_XMPP.subject, evidence: fileEvidence('xmpp-server', 2, 'chain Node would trust') }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
