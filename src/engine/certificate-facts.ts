// `fedcheck cert inspect --role`: a certificate chain judged by the certificate checks of `fedcheck check`, as a
// partner of the domain would be shown it by its Edge. The checks are given the chain alone (and the issuer its AIA
// URL served), no DNS answer and no connection: those that declare nothing more than that judge it, word for word as
// in a live run. The chain says where it came from, a server's TLS session or a file: nothing is made up for a file.
// Pure: the CLI does the reading and the connecting.

import type { Check, CheckContext, CheckOptions } from '../model/check.js';
import { judgeContext } from './evaluate.js';
import { FactView } from '../model/facts.js';
import type { FactRecord, ProbeOutcome } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import type { Presence } from '../model/presence-state.js';
import { PRESENTED_CERTIFICATE } from '../judge/presented-chains.js';
import type { CertificateChain, PresentedChain } from '../model/listener.js';
import type { HttpFetchFacts } from '../model/protocol-facts.js';
import { protocolFactKey } from '../model/protocol-facts.js';
import { SERVICE_RECORDS, srvName } from '../judge/services.js';
import type { Endpoint } from '../model/listener.js';
import type { Service, Target } from '../model/target.js';
import { listenerOf } from '../judge/tls-evidence.js';
import { allowsPurpose } from '../pki/certificate.js';
import { analyzeChain } from '../pki/chain.js';
import type { TrustStore } from '../pki/trust.js';

import type { CertificateRole } from './certificate-roles.js';

export { CERTIFICATE_ROLES } from './certificate-roles.js';
export type { CertificateRole } from './certificate-roles.js';

/**
 * What a check may read to judge a certificate given on its own: the presented chain, the issuer downloads and our
 * own client certificate (absent here). The handshake, TLS versions and mutual-TLS checks need a connection's facts.
 */
const CERTIFICATE_INPUTS: readonly string[] = [PRESENTED_CERTIFICATE, 'http', 'local-certificate'];

/** The checks that judge a presented chain and read nothing a certificate alone cannot give, in registry order. */
export function certificateChecks(checks: readonly Check[]): Check[] {
  return checks.filter(({ meta }) => meta.requires.includes(PRESENTED_CERTIFICATE) && meta.requires.every((kind) => CERTIFICATE_INPUTS.includes(kind)));
}

/** A certificate chain as a partner of `domain` would be shown it by `host` at `address`:`port`. */
export interface PresentedCertificate {
  role: CertificateRole;
  domain: string;
  /** The SRV target partners connect to: the Access Edge FQDN, or the XMPP server's host. */
  host: string;
  /** The address the chain came from; for a file, the host itself, so fixes name the server to check. */
  address: string;
  port: number;
  /** The chain, from the session that met it (sessionChain) or from a file (fileChain). */
  chain: CertificateChain;
  /** AIA downloads of a missing issuer, by URL, as the live run records them. */
  issuerDownloads?: Readonly<Record<string, ProbeOutcome<HttpFetchFacts>>>;
}

export const ROLE_PORTS: Record<CertificateRole, number> = {
  'sip-edge': SERVICE_RECORDS.sipFederation.port,
  'xmpp-server': SERVICE_RECORDS.xmppServer.port,
};

/** The listener a partner of the domain reaches by the SRV record of the role, and the chain it presents there. */
export function presentedChain(presented: PresentedCertificate): PresentedChain {
  const { role, domain, host, address, port, chain } = presented;
  const sip = role === 'sip-edge';
  const endpoint: Endpoint = {
    service: sip ? 'sip' : 'xmpp',
    host,
    port,
    via: srvName(sip ? 'sipFederation' : 'xmppServer', domain),
    mode: sip ? 'sip' : 'xmpp-starttls',
    address,
    family: address.includes(':') ? 6 : 4,
    // As endpoints() names it: SIP partners ask for the Edge FQDN, XMPP peers for the domain.
    servername: sip ? host : domain,
  };
  return { listener: listenerOf(endpoint, domain), chain: { state: 'presented', ...chain } };
}

/**
 * What the certificate checks are given for a presented chain: the chain, the issuer downloads, and nothing of a
 * connection (no DNS, TCP, SIP or XMPP fact, not for a server's chain either: the checks judge the chain alone).
 */
export function presentedCertificateInputs(presented: PresentedCertificate, options: CheckOptions, now: Date): CheckContext {
  const service: Service = presented.role === 'sip-edge' ? 'sip' : 'xmpp';
  const target: Target = { domain: presented.domain, input: presented.domain, services: [service] };
  // The user named the server and said what it serves: the service is judged, whatever DNS would say.
  const presence: Presence = { [service]: { service, state: 'configured', expected: true } };
  const facts: FactRecord = {};
  for (const [url, outcome] of Object.entries(presented.issuerDownloads ?? {})) facts[protocolFactKey.http(url)] = outcome;
  return { target, presence, facts: new FactView(facts), certificates: [presentedChain(presented)], options, now };
}

/** The certificate checks' findings for a presented chain, as `fedcheck check` would report them for its domain. */
export function judgePresentedCertificate(
  checks: readonly Check[],
  presented: PresentedCertificate,
  options: CheckOptions,
  now: Date,
): { target: Target; findings: Finding[] } {
  const inputs = presentedCertificateInputs(presented, options, now);
  return { target: inputs.target, findings: judgeContext(certificateChecks(checks), inputs) };
}

/**
 * The verdict Node's OpenSSL gives a client shown this chain (TlsSession.authorized / authorizationError), for a chain
 * read from a file, where no handshake verified it: path building against the anchors, then the CA and purpose
 * checks, then the validity dates, the last problem found being the one reported, as OpenSSL reports it.
 */
export function chainVerdict(peerChain: readonly string[], anchors: TrustStore, now: Date): Pick<CertificateChain, 'authorized' | 'authorizationError'> {
  const analysis = analyzeChain(peerChain, now, { anchors });
  const { certificates, path } = analysis;
  const onPath = path.map((index) => certificates[index]).filter((info) => info !== undefined);
  const [leaf] = onPath;
  const top = onPath[onPath.length - 1];
  const problems: string[] = [];
  if (analysis.end === 'missing') {
    problems.push(path.length === 1 ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  } else if (analysis.end === 'root' && top && !anchors.holds(top.der)) {
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

/** A chain read from the file at `path` (as the user named it), judged as Node would verify it if a server sent it. */
export function fileChain(path: string, peerChain: string[], anchors: TrustStore, now: Date): CertificateChain {
  return { peerChain, ...chainVerdict(peerChain, anchors, now), source: { kind: 'file', path } };
}
