import type { CheckCases } from '../../../support/check-tester.js';
import { testCertificates } from '../../../support/certificates.js';
import { EDGE, XMPP, listenerStateCases, locatedAt, protocolFacts, tlsSession } from '../../../support/protocol-fact-builder.js';
import { FILE_EDGE, fileEvidence, fromFile } from '../../../support/presented-file.js';

const certs = await testCertificates();
const { now, leaves, intermediate, root } = certs;
const shared = listenerStateCases('sip');

const edgeWith = (chain: string[]) => protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, chain));
const xmppWith = (chain: string[]) => protocolFacts().xmppServer().xmppSession('starttls', XMPP.address, XMPP.port, tlsSession('example.com', chain));

export default {
  valid: [
    {
      name: 'RSA 2048, SHA-256, CRL distribution point; the root sent along is not judged',
      now,
      facts: edgeWith([leaves.edge, intermediate, root]).build(),
      expect: [{ status: 'pass', messageId: 'strong', subject: EDGE.subject, location: locatedAt(EDGE, leaves.edge), data: { key: 'RSA 2048-bit', signature: 'sha256WithRSAEncryption' } }],
    },
    {
      name: 'ECDSA P-256 leaf',
      now,
      facts: edgeWith([leaves.ecdsa, intermediate]).build(),
      expect: [{ status: 'pass', messageId: 'strong', data: { key: 'EC P-256' } }],
    },
    {
      name: 'XMPP: no CRL distribution point and a PSS signature are Lync matters only',
      now,
      target: { services: ['xmpp'] },
      facts: xmppWith([leaves.pss, intermediate]).build(),
      expect: [{ status: 'pass', messageId: 'strong', subject: XMPP.subject, data: { signature: 'RSASSA-PSS, sha256WithRSAEncryption' } }],
    },
    {
      name: 'no TLS session',
      facts: protocolFacts().edge().sipFailure(EDGE.address, EDGE.port, { stage: 'tls', reason: 'timeout', detail: 'no handshake' }).build(),
      expect: [{ status: 'skip', messageId: 'noSession' }],
    },
    {
      name: 'read from a file: ECDSA P-256 leaf',
      now,
      options: { extraTrustAnchors: [root] },
      presented: fromFile('sip-edge', [leaves.ecdsa, intermediate], { now, anchors: [root] }),
      expect: [
        {
          status: 'pass',
          messageId: 'strong',
          subject: FILE_EDGE.subject,
          location: locatedAt(FILE_EDGE, leaves.ecdsa),
          data: { key: 'EC P-256' },
          evidence: fileEvidence('sip-edge', 2, 'chain Node would trust'),
        },
      ],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: '1024-bit RSA key',
      now,
      facts: edgeWith([leaves.rsa1024, intermediate]).build(),
      expect: [{ status: 'fail', messageId: 'weakKey', data: { bits: 1024, keyType: 'RSA', which: 'the certificate' }, fix: '-KeySize 2048' }],
    },
    {
      name: 'SHA-1 signed leaf',
      now,
      facts: edgeWith([leaves.sha1, intermediate]).build(),
      expect: [{ status: 'fail', messageId: 'weakSignature', data: { algorithm: 'sha1WithRSAEncryption', hash: 'SHA-1' }, fix: 'CNGHashAlgorithm SHA256' }],
    },
    {
      name: 'SHA-1 signed intermediate',
      now,
      target: { services: ['xmpp'] },
      facts: xmppWith([certs.sha1IntermediateChain.leaf, certs.sha1IntermediateChain.intermediate]).build(),
      expect: [{ status: 'fail', messageId: 'weakSignature', location: locatedAt(XMPP, certs.sha1IntermediateChain.intermediate), data: { which: 'the intermediate', certificate: certs.sha1IntermediateChain.intermediateSubject } }],
    },
    {
      name: 'RSASSA-PSS on a Lync Edge certificate',
      now,
      facts: edgeWith([leaves.pss, intermediate]).build(),
      expect: [{ status: 'warn', messageId: 'pssSignature', fix: 'AlternateSignatureAlgorithm 0' }],
    },
    {
      name: 'no CRL distribution point on the Edge certificate',
      now,
      facts: edgeWith([leaves.noCrl, intermediate]).build(),
      expect: [{ status: 'warn', messageId: 'noCrl', fix: 'http://pki.example.com/%3%8%9.crl' }],
    },
    {
      name: 'the certificate cannot be read',
      now,
      facts: edgeWith(['AAAA']).build(),
      // Bytes that are no certificate still have a fingerprint: SHA-256 of the three zero bytes 'AAAA' decodes to.
      expect: [{ status: 'error', messageId: 'unreadableCertificate', location: { ...locatedAt(EDGE), certificate: '709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c' } }],
    },
    {
      name: 'read from a file: 1024-bit RSA key',
      now,
      options: { extraTrustAnchors: [root] },
      presented: fromFile('sip-edge', [leaves.rsa1024, intermediate], { now, anchors: [root] }),
      expect: [{ status: 'fail', messageId: 'weakKey', subject: FILE_EDGE.subject, data: { bits: 1024 }, evidence: fileEvidence('sip-edge', 2, 'chain Node would trust'), fix: '-KeySize 2048' }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
