import type { CheckCases } from '../../../support/check-tester.js';
import { testCertificates } from '../../../support/certificates.js';
import { XMPP, XMPPS, listenerStateCases, locatedAt, protocolFacts, tlsSession, xmppNegotiation } from '../../../support/protocol-fact-builder.js';
import { FILE_XMPP, fileEvidence, fromFile } from '../../../support/presented-file.js';

const certs = await testCertificates();
const { now, leaves, intermediate } = certs;
const shared = listenerStateCases('xmpp-starttls');

/** The same server (xmpp.example.com) serving another XMPP domain, for the wildcard cases. */
const xmppFor = (domain: string, leaf: string) =>
  protocolFacts()
    .srv(`_xmpp-server._tcp.${domain}`, [[10, 1, XMPP.port, XMPP.host]])
    .a(XMPP.host, [XMPP.address])
    .tcp(XMPP.address, XMPP.port, 'open')
    .xmpp('starttls', domain, XMPP.address, XMPP.port, xmppNegotiation('starttls', XMPP.address, XMPP.port, tlsSession(domain, [leaf, intermediate]), { domain }))
    .build();
const xmppWith = (leaf: string) =>
  protocolFacts().xmppServer().xmppSession('starttls', XMPP.address, XMPP.port, tlsSession('example.com', [leaf, intermediate]));

export default {
  valid: [
    {
      name: 'the domain as DNS-ID',
      now,
      facts: xmppWith(leaves.xmppDomain).build(),
      expect: [{ status: 'pass', messageId: 'named', subject: XMPP.subject, location: locatedAt(XMPP, leaves.xmppDomain), data: { how: 'DNS-ID (dNSName)' } }],
    },
    {
      name: 'the domain as SRV-ID only',
      now,
      facts: xmppWith(leaves.xmppSrvId).build(),
      expect: [{ status: 'pass', messageId: 'named', data: { how: 'SRV-ID (_xmpp-server)' } }],
    },
    {
      name: 'the domain as XmppAddr only, over direct TLS',
      now,
      facts: protocolFacts()
        .listener('xmpp-direct-tls', XMPPS.host, XMPPS.address, XMPPS.port)
        .xmppSession('direct-tls', XMPPS.address, XMPPS.port, tlsSession('example.com', [leaves.xmppAddr, intermediate]))
        .build(),
      expect: [{ status: 'pass', messageId: 'named', subject: XMPPS.subject, data: { how: 'XmppAddr' } }],
    },
    {
      name: 'a wildcard matches an XMPP domain one label below it (RFC 6125 6.4.3)',
      now,
      target: { domain: 'chat.example.com' },
      facts: xmppFor('chat.example.com', leaves.wildcard),
      expect: [{ status: 'pass', messageId: 'named', data: { how: 'DNS-ID by wildcard' } }],
    },
    {
      name: 'no STARTTLS, no session',
      facts: protocolFacts().xmppServer().xmppSession('starttls', XMPP.address, XMPP.port, undefined, { preTlsFeatures: { names: [], starttls: { offered: false, required: false }, dialback: true, saslMechanisms: [] } }).build(),
      expect: [{ status: 'skip', messageId: 'noSession', data: { why: 'the server does not offer STARTTLS' } }],
    },
    {
      name: 'read from a file: the domain as DNS-ID',
      now,
      options: { extraTrustAnchors: [certs.root] },
      presented: fromFile('xmpp-server', [leaves.xmppDomain, intermediate], { now, anchors: [certs.root] }),
      expect: [
        {
          status: 'pass',
          messageId: 'named',
          subject: FILE_XMPP.subject,
          location: locatedAt(FILE_XMPP, leaves.xmppDomain),
          data: { how: 'DNS-ID (dNSName)' },
          evidence: fileEvidence('xmpp-server', 2, 'chain Node would trust'),
        },
      ],
    },
    ...shared.valid,
  ],
  invalid: [
    {
      name: 'CN only',
      now,
      facts: xmppWith(leaves.xmppCnOnly).build(),
      expect: [{ status: 'warn', messageId: 'cnOnly', data: { names: 'none', cn: 'example.com' }, fix: 'subjectAltName=DNS:example.com,DNS:xmpp.example.com' }],
    },
    {
      name: 'the domain in the CN beside a SAN for another name: RFC 6125 ignores the CN, as Prosody 0.12 does',
      now,
      facts: xmppWith(leaves.xmppCnBesideSans).build(),
      expect: [{ status: 'fail', messageId: 'hostNotDomain', data: { names: 'DNS:xmpp.example.com', cn: 'example.com' } }],
    },
    {
      name: 'a wildcard never matches two labels: *.example.com names the host xmpp.example.com, not a.chat.example.com',
      now,
      target: { domain: 'a.chat.example.com' },
      facts: xmppFor('a.chat.example.com', leaves.wildcard),
      expect: [{ status: 'fail', messageId: 'hostNotDomain', data: { names: 'DNS:*.example.com' } }],
    },
    {
      name: 'a wildcard inside a label matches nothing',
      now,
      target: { domain: 'chat1.example.com' },
      facts: xmppFor('chat1.example.com', leaves.partialWildcard),
      expect: [{ status: 'fail', messageId: 'notNamed', data: { names: 'DNS:chat*.example.com' } }],
    },
    {
      name: 'the SRV target host, not the domain',
      now,
      facts: xmppWith(leaves.xmppHostOnly).build(),
      expect: [{ status: 'fail', messageId: 'hostNotDomain', data: { host: 'xmpp.example.com' }, fix: 'certbot certonly -d example.com -d xmpp.example.com' }],
    },
    {
      name: 'a wildcard covers the host, not the bare domain',
      now,
      facts: xmppWith(leaves.wildcard).build(),
      expect: [{ status: 'fail', messageId: 'hostNotDomain', data: { names: 'DNS:*.example.com' } }],
    },
    {
      name: 'another organisation\'s name',
      now,
      facts: xmppWith(leaves.wrongName).build(),
      expect: [{ status: 'fail', messageId: 'notNamed', data: { cn: 'edge.other.example.net' }, fix: 'acme:\n  auto: true' }],
    },
    {
      name: 'the certificate cannot be read',
      now,
      facts: xmppWith('AAAA').build(),
      expect: [{ status: 'error', messageId: 'unreadableCertificate' }],
    },
    {
      name: 'read from a file: CN only',
      now,
      options: { extraTrustAnchors: [certs.root] },
      presented: fromFile('xmpp-server', [leaves.xmppCnOnly, intermediate], { now, anchors: [certs.root] }),
      expect: [{ status: 'warn', messageId: 'cnOnly', subject: FILE_XMPP.subject, data: { cn: 'example.com' }, evidence: fileEvidence('xmpp-server', 2, 'chain Node would trust') }],
    },
    ...shared.invalid,
  ],
} satisfies CheckCases;
