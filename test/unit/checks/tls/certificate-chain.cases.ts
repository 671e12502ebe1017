import type { CheckCases } from '../../../support/check-tester.js';
import { AIA_URL, testCertificates } from '../../../support/certificates.js';
import { EDGE, XMPP, listenerStateCases, locatedAt, protocolFacts, tlsSession } from '../../../support/protocol-fact-builder.js';
import { FILE_EDGE, FILE_XMPP, fileEvidence, fromFile, issuerDownload } from '../../../support/presented-file.js';

const certs = await testCertificates();
const { now, leaves, root, intermediate } = certs;
const trustTestRoot = { extraTrustAnchors: [root] };
const shared = listenerStateCases('sip');

/** The Edge presenting `chain`, with Node's verdict as given. */
const edgeWith = (chain: string[], trust: { authorized?: boolean; authorizationError?: string; trustStoreIssuers?: string[] } = {}) =>
  protocolFacts()
    .edge()
    .sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, chain, { authorized: trust.authorized ?? true, ...trust }));

export default {
  valid: [
    {
      name: 'leaf and intermediate sent, root trusted (--ca-file)',
      now,
      options: trustTestRoot,
      facts: edgeWith([leaves.edge, intermediate]).build(),
      expect: [{ status: 'pass', messageId: 'trusted', subject: EDGE.subject, location: locatedAt(EDGE, leaves.edge), data: { count: 2, anchor: certs.rootSubject } }],
    },
    {
      name: 'the root sent too (harmless), over XMPP',
      now,
      options: trustTestRoot,
      target: { services: ['xmpp'] },
      facts: protocolFacts()
        .xmppServer()
        .xmppSession('starttls', XMPP.address, XMPP.port, tlsSession('example.com', [leaves.xmppDomain, intermediate, root]))
        .build(),
      expect: [{ status: 'pass', messageId: 'trusted', subject: XMPP.subject, data: { count: 3 } }],
    },
    {
      name: 'no TLS session: tls.handshake reports it',
      facts: protocolFacts()
        .edge()
        .sipFailure(EDGE.address, EDGE.port, { stage: 'tls', reason: 'tls-alert', detail: 'the peer sent the TLS alert "handshake failure"' })
        .build(),
      expect: [{ status: 'skip', messageId: 'noSession' }],
    },
    {
      name: 'read from a file: leaf and intermediate, root trusted (--ca-file)',
      now,
      options: trustTestRoot,
      presented: fromFile('sip-edge', [leaves.edge, intermediate], { now, anchors: [root] }),
      expect: [
        {
          status: 'pass',
          messageId: 'trusted',
          subject: FILE_EDGE.subject,
          location: locatedAt(FILE_EDGE, leaves.edge),
          data: { count: 2, anchor: certs.rootSubject },
          evidence: fileEvidence('sip-edge', 2, 'chain Node would trust'),
        },
      ],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: 'self-signed certificate',
      now,
      facts: edgeWith([leaves.selfSigned], { authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }).build(),
      expect: [{ status: 'fail', messageId: 'selfSigned', data: { leaf: 'CN=sip.example.com' }, fix: 'Request-CsCertificate -New -Type AccessEdgeExternal' }],
    },
    {
      name: 'private CA, root sent, not trusted',
      now,
      facts: edgeWith([leaves.edge, intermediate, root], { authorized: false, authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN' }).build(),
      expect: [
        {
          status: 'fail',
          messageId: 'untrustedRoot',
          data: { root: certs.rootSubject, trustStore: "Node's public roots" },
          fix: 'fedcheck check example.com --ca-file root.pem',
        },
      ],
    },
    {
      name: 'private CA over XMPP, root sent, another CA given as --ca-file',
      now,
      options: { extraTrustAnchors: [certs.expiredIntermediateChain.root] },
      target: { services: ['xmpp'] },
      facts: protocolFacts()
        .xmppServer()
        .xmppSession(
          'starttls',
          XMPP.address,
          XMPP.port,
          tlsSession('example.com', [leaves.xmppDomain, intermediate, root], { authorized: false, authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN' }),
        )
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'untrustedRoot',
          data: { trustStore: "Node's public roots and 1 certificate from --ca-file / check.caFiles" },
          // The root is read off an XMPP listener with the STARTTLS preamble, or s_client would wait for a handshake.
          fix: `openssl s_client -connect ${XMPP.address}:${XMPP.port} -starttls xmpp-server -xmpphost example.com -servername example.com -showcerts </dev/null`,
        },
      ],
    },
    {
      name: 'missing intermediate, named from the AIA download',
      now,
      options: trustTestRoot,
      facts: edgeWith([leaves.edge], { authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' })
        .http(AIA_URL, { body: intermediate })
        .build(),
      expect: [
        {
          status: 'fail',
          messageId: 'missingIntermediate',
          data: { issuer: certs.intermediateSubject, issuerIssuer: certs.rootSubject, url: AIA_URL },
          fix: 'certificate = /etc/kamailio/fullchain.pem',
        },
      ],
    },
    {
      name: 'issued by a private root, which the AIA download shows',
      now,
      facts: edgeWith([leaves.rootIssued], { authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' })
        .http(AIA_URL, { body: root })
        .build(),
      expect: [{ status: 'fail', messageId: 'untrustedCa', data: { root: certs.rootSubject }, fix: '--ca-file root.pem' }],
    },
    {
      name: 'chain stops below a root nobody here trusts, AIA not fetched',
      now,
      facts: edgeWith([leaves.edge], { authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }).build(),
      expect: [
        {
          status: 'fail',
          messageId: 'incompleteOrUntrusted',
          data: { issuer: certs.intermediateSubject, aia: `${AIA_URL} was not fetched in this run` },
          fix: 'Import-Certificate -FilePath C:\\intermediate.cer -CertStoreLocation Cert:\\LocalMachine\\CA',
        },
      ],
    },
    {
      name: 'AIA download failed',
      now,
      options: trustTestRoot,
      facts: edgeWith([leaves.edge], { authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' })
        .http(AIA_URL, { status: 404, body: '' })
        .build(),
      expect: [{ status: 'fail', messageId: 'incompleteOrUntrusted', data: { aia: `${AIA_URL} answered HTTP 404` } }],
    },
    {
      name: 'intermediate not sent, trusted here only through --ca-file',
      now,
      options: { extraTrustAnchors: [root, intermediate] },
      facts: edgeWith([leaves.edge], { trustStoreIssuers: [intermediate, root] }).build(),
      expect: [{ status: 'fail', messageId: 'intermediateNotSent', data: { issuer: certs.intermediateSubject }, fix: 'curl -o intermediate.cer' }],
    },
    {
      name: 'expired leaf: Node rejects the chain',
      now,
      options: trustTestRoot,
      facts: edgeWith([leaves.expired, intermediate], { authorized: false, authorizationError: 'CERT_HAS_EXPIRED' }).build(),
      expect: [{ status: 'fail', messageId: 'untrusted', data: { error: 'CERT_HAS_EXPIRED', meaning: 'a certificate of the chain has expired' } }],
    },
    {
      // Node's verify code is UNSPECIFIED here, and an unknown issuer for the next two: the certificate says why.
      name: 'an unhandled critical extension',
      now,
      options: trustTestRoot,
      facts: edgeWith([leaves.unhandledCritical, intermediate], { authorized: false, authorizationError: 'UNSPECIFIED' }).build(),
      expect: [
        {
          status: 'fail',
          messageId: 'invalidExtension',
          data: { certificate: 'CN=sip.example.com', defect: 'an unhandled critical extension 1.3.6.1.4.1.32473.1', error: 'UNSPECIFIED' },
          fix: `openssl s_client -connect ${EDGE.address}:${EDGE.port} -servername ${EDGE.host} </dev/null | openssl x509 -noout -text`,
        },
      ],
    },
    {
      name: 'the subjectAltName extension twice',
      now,
      options: trustTestRoot,
      facts: edgeWith([leaves.duplicateSan, intermediate], { authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }).build(),
      expect: [{ status: 'fail', messageId: 'invalidExtension', data: { defect: 'a duplicate extension subjectAltName (2.5.29.17)' } }],
    },
    {
      name: 'a keyUsage extension with no usage set',
      now,
      options: trustTestRoot,
      facts: edgeWith([leaves.emptyKeyUsage, intermediate], { authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }).build(),
      expect: [{ status: 'fail', messageId: 'invalidExtension', data: { defect: 'an empty keyUsage (no usage bit set)' } }],
    },
    {
      name: 'chain out of order',
      now,
      options: trustTestRoot,
      facts: edgeWith([leaves.edge, root, intermediate]).build(),
      expect: [{ status: 'warn', messageId: 'misordered', fix: 'cat sip.example.com.pem intermediate.pem > fullchain.pem' }],
    },
    {
      name: 'expired intermediate sent',
      now,
      options: { extraTrustAnchors: [certs.expiredIntermediateChain.root] },
      facts: edgeWith([certs.expiredIntermediateChain.leaf, certs.expiredIntermediateChain.intermediate], {
        authorized: false,
        authorizationError: 'CERT_HAS_EXPIRED',
      }).build(),
      expect: [
        { status: 'fail', messageId: 'untrusted', data: { error: 'CERT_HAS_EXPIRED' } },
        {
          status: 'fail',
          messageId: 'expiredIntermediate',
          data: { index: 1, certificate: certs.expiredIntermediateChain.intermediateSubject },
          fix: 'current intermediate',
        },
      ],
    },
    {
      name: 'a certificate that cannot be read',
      now,
      facts: edgeWith(['bm90IGEgY2VydGlmaWNhdGU=']).build(),
      expect: [{ status: 'error', messageId: 'unreadableCertificate' }],
    },
    {
      name: 'read from a file: the intermediate missing, named from the AIA download; the fix names the server to install it on',
      now,
      options: trustTestRoot,
      presented: fromFile('sip-edge', [leaves.edge], { now, anchors: [root], issuerDownloads: issuerDownload(AIA_URL, intermediate) }),
      expect: [
        {
          status: 'fail',
          messageId: 'missingIntermediate',
          subject: FILE_EDGE.subject,
          data: { issuer: certs.intermediateSubject, url: AIA_URL },
          evidence: fileEvidence('sip-edge', 1, 'chain Node would not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE)'),
          fix: `openssl s_client -connect ${FILE_EDGE.host}:5061 -servername ${FILE_EDGE.host} -showcerts </dev/null`,
        },
      ],
    },
    {
      name: 'read from a file for an XMPP server: self-signed',
      now,
      presented: fromFile('xmpp-server', [leaves.selfSigned], { now }),
      expect: [
        {
          status: 'fail',
          messageId: 'selfSigned',
          subject: FILE_XMPP.subject,
          evidence: fileEvidence('xmpp-server', 1, 'chain Node would not trust (DEPTH_ZERO_SELF_SIGNED_CERT)'),
        },
      ],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
