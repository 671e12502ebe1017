import type { CheckCases } from '../../../support/check-tester.js';
import { testCertificates } from '../../../support/certificates.js';
import { EDGE, listenerStateCases, locatedAt, protocolFacts, tlsSession } from '../../../support/protocol-fact-builder.js';
import { FILE_EDGE, fileEvidence, fromFile } from '../../../support/presented-file.js';

const certs = await testCertificates();
const { now, leaves, intermediate } = certs;
const shared = listenerStateCases('sip');

const edgeWith = (leaf: string) => protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, [leaf, intermediate]));

export default {
  valid: [
    {
      name: 'Lync layout: CN and first SAN the Edge FQDN, the domain as dNSName',
      now,
      facts: edgeWith(leaves.edge).build(),
      expect: [{ status: 'pass', messageId: 'named', subject: EDGE.subject, location: locatedAt(EDGE, leaves.edge), data: { edgeMatch: 'dNSName', domainMatch: 'dNSName' } }],
    },
    {
      name: 'the SIP domain as a sip: URI (RFC 5922)',
      now,
      facts: edgeWith(leaves.edgeWithUri).build(),
      expect: [{ status: 'pass', messageId: 'named', data: { domainMatch: 'sip: URI' } }],
    },
    {
      name: 'hosted on Microsoft 365: the provider\'s certificate names its Edge',
      now,
      facts: protocolFacts()
        .listener('sip', 'sipfed.online.lync.com', '52.112.0.10', 5061)
        .sipSession('52.112.0.10', 5061, tlsSession('sipfed.online.lync.com', [leaves.hosted, intermediate]))
        .build(),
      expect: [{ status: 'pass', messageId: 'named', subject: 'sipfed.online.lync.com 52.112.0.10:5061', data: { domainMatch: 'not named' } }],
    },
    {
      name: 'no TLS session',
      facts: protocolFacts().edge().sipFailure(EDGE.address, EDGE.port, { stage: 'tls', reason: 'closed', detail: 'the peer closed the connection' }).build(),
      expect: [{ status: 'skip', messageId: 'noSession' }],
    },
    {
      name: 'read from a file: the Edge FQDN and the domain as dNSNames',
      now,
      options: { extraTrustAnchors: [certs.root] },
      presented: fromFile('sip-edge', [leaves.edge, intermediate], { now, anchors: [certs.root] }),
      expect: [
        {
          status: 'pass',
          messageId: 'named',
          subject: FILE_EDGE.subject,
          location: locatedAt(FILE_EDGE, leaves.edge),
          data: { edgeMatch: 'dNSName', domainMatch: 'dNSName' },
          evidence: fileEvidence('sip-edge', 2, 'chain Node would trust'),
        },
      ],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: 'names another organisation\'s Edge',
      now,
      facts: edgeWith(leaves.wrongName).build(),
      expect: [
        {
          status: 'fail',
          messageId: 'neitherNamed',
          data: { names: 'DNS:edge.other.example.net', cn: 'edge.other.example.net' },
          fix: '-DomainName "sip.example.com,example.com"',
        },
      ],
    },
    {
      name: 'names the domain but not the Edge FQDN',
      now,
      facts: edgeWith(leaves.domainOnly).build(),
      expect: [{ status: 'warn', messageId: 'edgeNotNamed', fix: 'subjectAltName=DNS:sip.example.com,DNS:example.com' }],
    },
    {
      name: 'CN is another host',
      now,
      facts: edgeWith(leaves.otherCn).build(),
      expect: [{ status: 'warn', messageId: 'cnNotEdge', data: { cn: 'webconf.example.com' }, fix: 'CN=sip.example.com' }],
    },
    {
      name: 'the Edge is the second SAN',
      now,
      facts: edgeWith(leaves.edgeNotFirst).build(),
      expect: [{ status: 'warn', messageId: 'edgeNotFirstSan', data: { names: 'DNS:example.com, DNS:sip.example.com' } }],
    },
    {
      name: 'wildcard certificate: Microsoft does not support it on the Edge, a fail',
      now,
      facts: edgeWith(leaves.wildcard).build(),
      expect: [
        { status: 'fail', messageId: 'wildcardEdge', data: { names: 'DNS:*.example.com' }, fix: '-DomainName "sip.example.com,example.com"' },
        { status: 'warn', messageId: 'cnNotEdge', data: { cn: '*.example.com' } },
      ],
    },
    {
      name: 'the Edge FQDN in the CN beside SANs for other names: RFC 6125 ignores the CN',
      now,
      facts: edgeWith(leaves.edgeCnBesideSans).build(),
      expect: [{ status: 'warn', messageId: 'edgeNotNamed', data: { edgeMatch: 'not named', domainMatch: 'dNSName', cn: 'sip.example.com' } }],
    },
    {
      name: 'CN only, no SAN',
      now,
      facts: edgeWith(leaves.edgeCnOnly).build(),
      expect: [{ status: 'warn', messageId: 'cnOnly', data: { edgeMatch: 'subject CN only', names: 'none' } }],
    },
    {
      name: 'the certificate cannot be read',
      now,
      facts: edgeWith('AAAA').build(),
      expect: [{ status: 'error', messageId: 'unreadableCertificate' }],
    },
    {
      name: 'read from a file: names another organisation\'s Edge',
      now,
      options: { extraTrustAnchors: [certs.root] },
      presented: fromFile('sip-edge', [leaves.wrongName, intermediate], { now, anchors: [certs.root] }),
      expect: [{ status: 'fail', messageId: 'neitherNamed', subject: FILE_EDGE.subject, evidence: fileEvidence('sip-edge', 2, 'chain Node would trust'), fix: true }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
