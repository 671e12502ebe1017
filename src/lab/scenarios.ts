// The lab's scenario domains: each shows checks in their passing or failing form. The DNS side is in
// fixtures/zones/<domain>.zone; this file says what listens where and with which certificate, so the two
// must agree. Addresses are written for the lab block 127.77.0.0/16; the lab moves them when it is busy.

import type { CertSpec } from '../pki/test-ca.js';
import type { HostilePeerOptions } from './hostile.js';
import type { SipReply } from './sip-responder.js';
import type { XmppResponderOptions, XmppStreamError } from './xmpp-responder.js';

/** How a listener's certificate differs from a good one naming the listener's hosts. */
export type CertificateFault = Partial<CertSpec> & {
  /** false: serve the leaf without its intermediate (the "missing intermediate" fault). */
  sendChain?: boolean;
  /** true: the lab's CRL and OCSP responder list the certificate as revoked (key compromise). */
  revoked?: boolean;
  /** true: issued by the lab's second CA, which nobody trusts, and sent with its intermediate and self-signed root. */
  privateCa?: boolean;
  /** The certificate's AIA, CRL or OCSP URL is on the lab's HTTP server, which redirects it to this URL. */
  redirects?: { caIssuers?: string; crl?: string; ocsp?: string };
};

type Hostile = HostilePeerOptions['behaviour'];

export interface SipListener {
  reply?: SipReply;
  hostile?: Hostile;
  /** No TLS on 5061: a SIP listener over plain TCP, or a web server (the port forwarded to the wrong listener). */
  withoutTls?: 'sip' | 'http';
  /** Ask for a client certificate naming the lab's root CA, as an Access Edge does for mutual TLS. */
  requestClientCertificate?: boolean;
}

export interface XmppListener {
  starttls?: XmppResponderOptions['starttls'];
  dialback?: boolean;
  saslExternal?: XmppResponderOptions['saslExternal'];
  streamError?: XmppStreamError;
  /** false: the listener does not host the domain (stream error host-unknown). */
  hosted?: boolean;
  hostile?: Hostile;
}

/** One Edge address: SIP on 5061 and/or XMPP on 5269, with one certificate for both, like an Access Edge. */
export interface EdgeListener {
  address: string;
  /** The names the certificate is issued for: the Access Edge FQDN first. */
  names: string[];
  certificate?: CertificateFault;
  /** TLS versions served, when restricted. */
  versions?: { minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; maxVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' };
  sip?: SipListener;
  xmpp?: XmppListener;
  /** Ports that only accept TCP: the Edge's internal listeners. */
  plainPorts?: number[];
}

export interface Scenario {
  domain: string;
  /** What the scenario shows, for `fedcheck lab` and the README. */
  shows: string;
  edges: EdgeListener[];
}

const DAY = 24 * 60 * 60 * 1000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);
const DIAGNOSTIC_1034: [string, string] = [
  'ms-diagnostics',
  '1034;reason="Previous hop federated peer did not report diagnostic information";Domain="partner.example";PeerServer="edge.partner.example";source="sip.fedcheck-lab.test"',
];

/** A scenario whose Access Edge `sip.<domain>` serves SIP and XMPP, with one fault. */
function faultyEdge(domain: string, octet: number, shows: string, edge: Omit<EdgeListener, 'address' | 'names'>): Scenario {
  return {
    domain,
    shows,
    edges: [{ address: `127.77.${octet}.1`, names: [`sip.${domain}`, domain], sip: {}, xmpp: {}, ...edge }],
  };
}

export const SCENARIOS: Scenario[] = [
  {
    domain: 'healthy.test',
    shows: 'everything in order, internal listeners included',
    edges: [
      {
        address: '127.77.1.1',
        names: ['sip.healthy.test', 'healthy.test'],
        sip: { requestClientCertificate: true },
        xmpp: {},
        plainPorts: [23456, 4443],
      },
    ],
  },
  {
    domain: 'm365.test',
    shows: 'a domain hosted on Microsoft 365 (sipfed.online.lync.com)',
    edges: [{ address: '127.77.2.1', names: ['sipfed.online.lync.com'], sip: {} }],
  },
  { domain: 'no-srv.test', shows: 'no federation SRV records, only legacy _jabber._tcp', edges: [] },
  {
    domain: 'cname-target.test',
    shows: 'SRV target is a CNAME',
    edges: [
      {
        address: '127.77.4.1',
        names: ['edge.cname-target.test', 'access-edge-01.cname-target.test', 'cname-target.test'],
        sip: {},
        xmpp: {},
      },
    ],
  },
  { domain: 'wrong-port.test', shows: 'SRV records with the wrong ports, nothing listening there', edges: [] },
  {
    domain: 'multi-edge.test',
    shows: 'two Edge pools with equal priority and DNS load balancing',
    edges: [
      { address: '127.77.6.1', names: ['edge-east.multi-edge.test', 'multi-edge.test'], sip: {} },
      { address: '127.77.6.2', names: ['edge-east.multi-edge.test', 'multi-edge.test'], sip: {} },
      { address: '127.77.6.3', names: ['edge-west.multi-edge.test', 'multi-edge.test'], sip: {} },
    ],
  },
  {
    domain: 'outside-domain.test',
    shows: 'SIP SRV target in another domain (ms-diagnostics 1009)',
    edges: [{ address: '127.77.7.1', names: ['edge.hoster-example.test'], sip: {} }],
  },
  { domain: 'closed-port.test', shows: 'the Edge resolves but its ports are closed', edges: [] },
  {
    domain: 'dual-stack.test',
    shows: 'reachable over IPv4, refused over IPv6',
    edges: [{ address: '127.77.9.1', names: ['sip.dual-stack.test', 'dual-stack.test'], sip: {} }],
  },
  { domain: 'private-edge.test', shows: 'public SRV target with an internal address (never connected to)', edges: [] },
  {
    domain: 'not-offered.test',
    shows: 'XMPP explicitly not offered (SRV target ".")',
    edges: [{ address: '127.77.10.1', names: ['sip.not-offered.test', 'not-offered.test'], sip: {} }],
  },
  {
    domain: 'ns-disagree.test',
    shows: 'the two authoritative name servers disagree on the SIP SRV record',
    edges: [
      { address: '127.77.11.1', names: ['sip.ns-disagree.test', 'ns-disagree.test'], sip: {} },
      { address: '127.77.11.2', names: ['edge-old.ns-disagree.test', 'ns-disagree.test'], sip: {} },
    ],
  },
  { domain: 'dns-broken.test', shows: 'SERVFAIL for one record, no answer for another', edges: [] },
  { domain: 'client-mismatch.test', shows: 'federation on Microsoft 365, client records still on premises', edges: [] },
  faultyEdge('expired-cert.test', 21, 'the Edge certificate expired ten days ago', {
    certificate: { notBefore: daysFromNow(-400), notAfter: daysFromNow(-10) },
  }),
  faultyEdge('future-cert.test', 22, 'the Edge certificate is not valid yet', {
    certificate: { notBefore: daysFromNow(30), notAfter: daysFromNow(400) },
  }),
  faultyEdge('expiring-soon.test', 23, 'the Edge certificate expires in ten days', {
    certificate: { notAfter: daysFromNow(10) },
  }),
  faultyEdge('wrong-name.test', 24, 'the certificate names another company: no SAN for the Edge or the domain', {
    certificate: { commonName: 'www.other-company.test', dnsNames: ['www.other-company.test'] },
  }),
  faultyEdge('cn-only.test', 25, 'a certificate naming the domain in its CN only, with no SAN', {
    certificate: { commonName: 'cn-only.test', dnsNames: [] },
  }),
  faultyEdge('wildcard-cert.test', 26, 'a wildcard certificate on the Access Edge', {
    certificate: { commonName: '*.wildcard-cert.test', dnsNames: ['*.wildcard-cert.test', 'wildcard-cert.test'] },
  }),
  faultyEdge('no-clientauth.test', 27, 'a renewed certificate without the Client Authentication usage', {
    certificate: { eku: ['serverAuth'] },
  }),
  faultyEdge('self-signed.test', 28, 'a self-signed certificate', { certificate: { selfSigned: true } }),
  faultyEdge('missing-intermediate.test', 29, 'the Edge sends its certificate without the intermediate', {
    certificate: { sendChain: false },
  }),
  faultyEdge('sha1-cert.test', 30, 'a certificate signed with SHA-1', { certificate: { signature: 'sha1' } }),
  faultyEdge('weak-key.test', 31, 'a certificate with a 1024-bit RSA key', { certificate: { key: 'rsa1024' } }),
  faultyEdge('pss-cert.test', 32, 'an RSASSA-PSS signature, which Lync and Skype for Business cannot use', {
    certificate: { signature: 'rsa-pss' },
  }),
  faultyEdge('no-crl.test', 33, 'a certificate without a CRL distribution point', { certificate: { crlUrl: null } }),
  faultyEdge('tls10-only.test', 34, 'an old Edge that speaks TLS 1.0 only', {
    versions: { minVersion: 'TLSv1', maxVersion: 'TLSv1' },
  }),
  faultyEdge('no-starttls.test', 35, 'an XMPP server that does not offer STARTTLS', { xmpp: { starttls: 'none', dialback: true } }),
  faultyEdge('host-unknown.test', 36, 'an XMPP server that does not host the domain (stream error host-unknown)', {
    xmpp: { hosted: false },
  }),
  faultyEdge('sip-forbidden.test', 37, 'the Edge answers 403 with ms-diagnostics 1034', {
    sip: { reply: { status: 403, reason: 'Forbidden', headers: [DIAGNOSTIC_1034] } },
  }),
  faultyEdge('sip-timeout.test', 38, 'the Edge answers 504 Server Time-out with ms-diagnostics 1034', {
    sip: { reply: { status: 504, reason: 'Server Time-out', headers: [DIAGNOSTIC_1034] } },
  }),
  faultyEdge('silent-edge.test', 39, 'a peer that accepts connections and never speaks', {
    sip: { hostile: 'silent' },
    xmpp: { hostile: 'silent' },
  }),
  faultyEdge('hostile-edge.test', 40, 'a hostile peer: an endless SIP header and an XML entity bomb', {
    sip: { hostile: 'endless-sip-header' },
    xmpp: { hostile: 'xmpp-entity-bomb' },
  }),
  // An empty OCSP URL leaves AIA OCSP out: revocation is read from the CRL, as a Lync / Skype for Business Edge reads it.
  faultyEdge('revoked-cert.test', 41, 'a certificate its CA has revoked, listed in the CRL', {
    certificate: { revoked: true, ocspUrl: '' },
  }),
  faultyEdge('sip-403-plain.test', 42, 'a partner SBC (Kamailio-like) answers 403 Forbidden with no ms-diagnostics', {
    sip: {
      reply: {
        status: 403,
        reason: 'Forbidden',
        headers: [
          ['Server', 'kamailio (5.6.3 (x86_64/linux))'],
          ['Warning', '399 sip.sip-403-plain.test "Domain not allowed"'],
        ],
      },
    },
  }),
  // Service presence: a healthy partner runs one service; a missing one is information, not a fault, unless expected.
  {
    domain: 'sip-only.test',
    shows: 'a healthy SIP-only partner: nothing published for XMPP',
    edges: [{ address: '127.77.80.1', names: ['sip.sip-only.test', 'sip-only.test'], sip: {} }],
  },
  {
    domain: 'xmpp-only.test',
    shows: 'a healthy XMPP-only partner: nothing published for SIP',
    edges: [{ address: '127.77.81.1', names: ['xmpp-only.test', 'xmpp.xmpp-only.test'], xmpp: {} }],
  },
  // Hosting: one Edge address serves two SIP domains, its certificate naming both Access Edge FQDNs. Each domain
  // must get its own OPTIONS, with its own Request-URI and SNI, not the other's answer.
  {
    domain: 'shared-edge-a.test',
    shows: 'one Edge address serving two SIP domains (with shared-edge-b.test): each gets its own OPTIONS',
    edges: [{ address: '127.77.13.1', names: ['sip.shared-edge-a.test', 'sip.shared-edge-b.test', 'shared-edge-a.test', 'shared-edge-b.test'], sip: {} }],
  },
  {
    domain: 'shared-edge-b.test',
    shows: "the second SIP domain on shared-edge-a.test's Edge: its FQDN on the certificate, but not as its subject",
    edges: [],
  },
  {
    domain: 'xmpp-fallback.test',
    shows: 'no XMPP SRV record, a server answering on the domain itself (RFC 6120 fallback)',
    edges: [{ address: '127.77.82.1', names: ['xmpp-fallback.test'], xmpp: {} }],
  },
  {
    domain: 'jabber-contradiction.test',
    shows: 'XMPP declared not offered (".") while the legacy _jabber._tcp record points at a server',
    edges: [{ address: '127.77.83.1', names: ['sip.jabber-contradiction.test', 'jabber-contradiction.test'], sip: {} }],
  },
  faultyEdge('no-dialback.test', 60, 'an XMPP server with dialback off and no SASL EXTERNAL for us: it ends the stream after TLS', {
    xmpp: { dialback: false, saslExternal: 'never' },
  }),
  {
    domain: 'missing-dot.test',
    shows: 'an XMPP SRV target written without its final dot: the zone origin appended twice',
    edges: [{ address: '127.77.70.1', names: ['sip.missing-dot.test', 'missing-dot.test', 'xmpp.missing-dot.test'], sip: {}, xmpp: {} }],
  },
  {
    domain: 'ip-target.test',
    shows: 'SRV targets written as IP addresses: the Edge listens, partners cannot find it',
    edges: [{ address: '127.77.70.5', names: ['sip.ip-target.test', 'ip-target.test'], sip: {}, xmpp: {} }],
  },
  {
    domain: 'stale-priority.test',
    shows: 'a retired Edge left in DNS with the higher SRV priority refuses; the lower-priority Edge works',
    edges: [{ address: '127.77.71.2', names: ['sip.stale-priority.test', 'stale-priority.test'], sip: {}, xmpp: {} }],
  },
  faultyEdge('private-root.test', 72, 'the whole chain sent, up to a private root no trust store holds', {
    certificate: { privateCa: true },
  }),
  faultyEdge('plain-sip.test', 46, 'port 5061 answers plain SIP over TCP, without TLS', { sip: { withoutTls: 'sip' } }),
  faultyEdge('http-on-5061.test', 47, 'a web server answers on port 5061 (the port forwarded to the wrong listener)', {
    sip: { withoutTls: 'http' },
  }),
  {
    domain: 'silent-dns.test',
    shows: 'a domain whose DNS never answers: its own error findings, the run goes on',
    edges: [],
  },
  {
    domain: 'hostile-dns.test',
    shows: 'hostile DNS: 150 SIP SRV records, an XMPP answer truncated over TCP too, a name server at an unroutable address',
    edges: [],
  },
  faultyEdge('deep-xml.test', 97, 'an XMPP peer whose features nest 21,000 elements deep', { xmpp: { hostile: 'xmpp-deep-features' } }),
  // Egress: a partner's DNS and certificates steer fedcheck at internal addresses. Nothing here is ever connected
  // to: the addresses are the bait (the egress test proves no connection leaves loopback).
  {
    domain: 'egress-mapped.test',
    shows: 'SRV targets and a name server at internal addresses in IPv6 clothing (mapped, NAT64, 6to4) and at link-local',
    edges: [],
  },
  {
    domain: 'egress-aia.test',
    shows: 'certificates whose AIA, CRL and OCSP URLs lead (by redirect or by DNS) to 169.254.169.254 and 10.x',
    edges: [
      {
        address: '127.77.91.1',
        names: ['sip.egress-aia.test', 'egress-aia.test'],
        sip: {},
        certificate: {
          sendChain: false,
          redirects: { caIssuers: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', crl: 'http://10.0.0.1/intermediate.crl' },
        },
      },
      {
        address: '127.77.91.2',
        names: ['xmpp.egress-aia.test', 'egress-aia.test'],
        xmpp: {},
        certificate: { ocspUrl: 'http://ocsp.egress-aia.test/', crlUrl: 'http://169.254.169.254/intermediate.crl' },
      },
    ],
  },
];
