// `fedcheck cert inspect --role`: the facts a live probe of an Edge would have recorded had it been sent this
// certificate chain, so the registered certificate checks judge a file or a host:port exactly as `fedcheck check`.
// Pure: the CLI does the reading and the connecting.

import { allChecks } from '../../checks/index.js';
import type { Check, CheckOptions } from './check.js';
import { evaluateTarget } from './evaluate.js';
import { factKey } from './facts.js';
import type { DnsAnswer, FactRecord, ProbeOutcome, TcpConnectFacts } from './facts.js';
import type { Finding } from './finding.js';
import type { HttpFetchFacts, SipProbeFacts, TlsSession, XmppProbeFacts } from './protocol-facts.js';
import { protocolFactKey } from './protocol-facts.js';
import { SERVICE_RECORDS, srvName } from './services.js';
import type { Target } from './target.js';
import { allowsPurpose, parseCertificate } from '../pki/certificate.js';
import { analyzeChain } from '../pki/chain.js';

export type CertificateRole = 'sip-edge' | 'xmpp-server';
export const CERTIFICATE_ROLES: readonly CertificateRole[] = ['sip-edge', 'xmpp-server'];

/** The checks that judge the certificate itself; the handshake, TLS versions and mutual-TLS checks judge a connection. */
export const CERTIFICATE_CHECK_IDS: readonly string[] = [
  'tls.certificate-chain',
  'tls.certificate-expiry',
  'tls.sip-certificate-names',
  'tls.xmpp-certificate-names',
  'tls.certificate-key-usage',
  'tls.certificate-key-strength',
];

/** A certificate chain as a partner of `domain` would be shown it by `host` at `address`:`port`. */
export interface PresentedCertificate {
  role: CertificateRole;
  domain: string;
  /** The SRV target partners connect to: the Access Edge FQDN, or the XMPP server's host. */
  host: string;
  /** The address the chain came from; for a file, the host itself, so fixes name the server to check. */
  address: string;
  port: number;
  session: TlsSession;
  /** AIA downloads of a missing issuer, by URL, as the live run records them. */
  issuerDownloads?: Readonly<Record<string, ProbeOutcome<HttpFetchFacts>>>;
}

export const ROLE_PORTS: Record<CertificateRole, number> = {
  'sip-edge': SERVICE_RECORDS.sipFederation.port,
  'xmpp-server': SERVICE_RECORDS.xmppServer.port,
};

/** The target and facts a live run of `fedcheck check <domain> --sip` (or `--xmpp`) would have recorded. */
export function presentedFacts(presented: PresentedCertificate): { target: Target; facts: FactRecord } {
  const { role, domain, host, address, port, session } = presented;
  const sip = role === 'sip-edge';
  const srvOwner = srvName(sip ? 'sipFederation' : 'xmppServer', domain);
  const family = address.includes(':') ? 6 : 4;
  const srv: DnsAnswer = answer(srvOwner, 'SRV', [{ name: srvOwner, ttl: 3600, type: 'SRV', priority: 0, weight: 0, port, target: host }]);
  const addresses: DnsAnswer = answer(host, family === 6 ? 'AAAA' : 'A', [
    { name: host, ttl: 3600, type: family === 6 ? 'AAAA' : 'A', address },
  ]);
  const tcp: TcpConnectFacts = { address, port, family, result: 'open', elapsedMs: 0 };
  const facts: FactRecord = {
    [factKey.dns(srvOwner, 'SRV')]: ok(srv),
    [factKey.dns(host, addresses.type)]: ok(addresses),
    [factKey.tcp(address, port)]: ok(tcp),
  };
  if (sip) {
    const probe: SipProbeFacts = { address, port, tls: session };
    facts[protocolFactKey.sip(address, port)] = ok(probe);
  } else {
    const probe: XmppProbeFacts = { address, port, domain, fromDomain: 'fedcheck.invalid', mode: 'starttls', tls: session };
    facts[protocolFactKey.xmpp('starttls', domain, address, port)] = ok(probe);
  }
  for (const [url, outcome] of Object.entries(presented.issuerDownloads ?? {})) facts[protocolFactKey.http(url)] = outcome;
  return { target: { domain, input: domain, services: [sip ? 'sip' : 'xmpp'] }, facts };
}

/** The certificate checks' findings for a presented chain, as `fedcheck check` would report them for its domain. */
export function judgePresentedCertificate(presented: PresentedCertificate, options: CheckOptions, now: Date): { target: Target; findings: Finding[] } {
  const { target, facts } = presentedFacts(presented);
  return { target, findings: evaluateTarget(certificateChecks(allChecks), target, facts, options, now) };
}

function certificateChecks(checks: readonly Check[]): Check[] {
  return checks.filter((check) => CERTIFICATE_CHECK_IDS.includes(check.meta.id));
}

/**
 * The verdict Node's OpenSSL gives a client shown this chain (TlsSession.authorized / authorizationError), for a chain
 * read from a file, where no handshake verified it: path building against the anchors, then the CA and purpose
 * checks, then the validity dates, the last problem found being the one reported, as OpenSSL reports it.
 */
export function chainVerdict(peerChain: readonly string[], anchors: readonly string[], now: Date): Pick<TlsSession, 'authorized' | 'authorizationError'> {
  const analysis = analyzeChain(peerChain, now, { anchors });
  const { certificates, path } = analysis;
  const onPath = path.map((index) => certificates[index]).filter((info) => info !== undefined);
  const [leaf] = onPath;
  const top = onPath[onPath.length - 1];
  const anchored = (der: string) => anchors.some((anchor) => parseCertificate(anchor).der === der);
  const problems: string[] = [];
  if (analysis.end === 'missing') {
    problems.push(path.length === 1 ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  } else if (analysis.end === 'root' && top && !anchored(top.der)) {
    problems.push(path.length === 1 ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'SELF_SIGNED_CERT_IN_CHAIN');
  }
  if (onPath.slice(1).some((info) => !info.isCa)) problems.push('INVALID_CA');
  if (leaf && !allowsPurpose(leaf, 'serverAuth')) problems.push('INVALID_PURPOSE');
  // OpenSSL checks the dates from the top of the path down to the leaf.
  for (const info of [...onPath].reverse()) {
    if (Date.parse(info.notBefore) > now.getTime()) problems.push('CERT_NOT_YET_VALID');
    else if (Date.parse(info.notAfter) < now.getTime()) problems.push('CERT_HAS_EXPIRED');
  }
  const last = problems[problems.length - 1];
  return last === undefined ? { authorized: true } : { authorized: false, authorizationError: last };
}

/** The session a chain read from a file stands for: what a partner would be sent, nothing negotiated. */
export function fileSession(source: string, servername: string, peerChain: string[], anchors: readonly string[], now: Date): TlsSession {
  return {
    servername,
    // Evidence prints "<protocol> <cipher>": for a file it reads "read from edge.pfx".
    protocol: 'read from',
    cipher: source,
    peerChain,
    ...chainVerdict(peerChain, anchors, now),
    clientCertificateOffered: false,
    elapsedMs: 0,
  };
}

function answer(name: string, type: DnsAnswer['type'], records: DnsAnswer['records']): DnsAnswer {
  return {
    name,
    type,
    server: 'fedcheck cert inspect',
    rcode: 'NOERROR',
    records,
    cnameChain: [],
    authoritative: false,
    retriedOverTcp: false,
    elapsedMs: 0,
  };
}

function ok<F>(facts: F): ProbeOutcome<F> {
  return { status: 'ok', facts };
}
