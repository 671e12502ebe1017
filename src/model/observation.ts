// The shape of what the Report says about a domain beyond its findings (its path, endpoints, certificates, SIP and
// XMPP answers, top problem), and how its findings are attached to it. Derived from the facts by observations.ts;
// here is only what the Report and the reporters need, so they depend on the model alone.

import { formatHostPort } from './facts.js';
import type { TcpResult } from './facts.js';
import type { Finding, Location, Status } from './finding.js';
import { isHealthy, worstStatus } from './finding.js';
import type { ListenerMode } from './listener.js';
import type { PresenceState } from './presence-state.js';
import type { Service } from './target.js';

export type PathColumn = 'domain' | 'srv' | 'host' | 'address' | 'port' | 'certificate';
export const PATH_COLUMNS: readonly PathColumn[] = ['domain', 'srv', 'host', 'address', 'port', 'certificate'];

export interface PathNode {
  /** `<column>:<key>`: `srv:_sipfederationtls._tcp.contoso.com`, `port:192.0.2.5:5061`, `certificate:<endpoint label>`. */
  id: string;
  column: PathColumn;
  /** The node's name; partner-controlled for SRV targets, hosts and certificate subjects. */
  label: string;
  /** Short facts about the node: the records, the TCP result, the days left. */
  detail: string;
  services: Service[];
  /** The worst status of the findings located at the node, skip only when there is nothing else; absent: none is. */
  status?: Status;
  /** The findings located at the node, as indexes into the domain's `findings`. */
  findings: number[];
}

export interface DomainPath {
  /** Column by column, each in the order a partner tries them. */
  nodes: PathNode[];
  edges: { from: string; to: string }[];
}

export interface ObservedCertificate {
  /** RFC 4514, as the certificate states it: partner-controlled text. */
  subject: string;
  /** The first common name, else the whole subject: what a person calls the certificate. */
  name: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** Whole days from the run's start (the report's `startedAt`); negative once expired. */
  daysLeft: number;
  /** At the run's start, with the run's warning days: `expiring` is under them. */
  expiry: 'not-yet-valid' | 'valid' | 'expiring' | 'expired';
  /** Lowercase hex, no colons: what a finding's `location.certificate` holds. */
  sha256: string;
  /** Where the peer put it: first, a self-signed one after it, or another after it. */
  role: 'leaf' | 'root' | 'intermediate';
}

export interface EndpointObservation {
  service: Service;
  mode: ListenerMode;
  /** The SRV owner name the host came from, `--edge`, or the XMPP fallback. */
  via: string;
  host: string;
  address: string;
  port: number;
  /** `<host> <address:port>`, as the findings about the endpoint name it in their subject. */
  label: string;
  tcp: TcpResult | 'not probed' | 'probe error';
  tls?: { version: string; cipher: string; authorized: boolean; authorizationError?: string };
  /** As the peer sent them, leaf first; certificates that cannot be read are left out (tls.certificate-chain says why). */
  certificates: ObservedCertificate[];
  /** The SIP OPTIONS answer. */
  sip?: { statusLine: string; statusCode: number };
  /** The stream features after TLS, else those before it when the stream got no further. */
  xmpp?: { afterTls: boolean; features: string[]; starttls: { offered: boolean; required: boolean }; dialback: boolean; saslMechanisms: string[] };
}

export interface DomainObservations {
  /** Per service looked at: how the domain offers it, and whether that counts as offering it. */
  services: { service: Service; presence: PresenceState; offered: boolean }[];
  path: DomainPath;
  endpoints: EndpointObservation[];
  /** The domain's worst warning, failure or error (its first finding), when it has one. */
  topProblem?: { finding: number; checkId: string; status: Status; subject: string; message: string };
}

/** Each node's findings and status, and the top problem, from the domain's findings in report order. */
export function attachFindings(observations: DomainObservations, findings: readonly Finding[]): DomainObservations {
  const ids = new Set(observations.path.nodes.map((node) => node.id));
  const located = findings.map((finding) => nodeIdsOf(finding.location, ids, observations.endpoints));
  const nodes = observations.path.nodes.map(({ status: _status, findings: _findings, ...node }) => {
    const mine = findings.flatMap((_, index) => (located[index]?.includes(node.id) ? [index] : []));
    const status = nodeStatus(mine.map((index) => findings[index]?.status ?? 'skip'));
    return { ...node, ...(status !== undefined ? { status } : {}), findings: mine };
  });
  const { topProblem: _old, ...rest } = observations;
  const top = findings.findIndex((finding) => !isHealthy(finding.status));
  const problem = findings[top];
  return {
    ...rest,
    path: { ...observations.path, nodes },
    ...(problem !== undefined
      ? { topProblem: { finding: top, checkId: problem.checkId, status: problem.status, subject: problem.subject, message: problem.message } }
      : {}),
  };
}

/**
 * The nodes a finding is located at: the most specific place its location names. A certificate of an endpoint's chain
 * (at that endpoint when the location names one), else an address and port, an address, a host (or a DNS name that is a host), an SRV owner
 * name; a location naming only the domain is the domain's node. A name on no node (lyncdiscover, say) is at none.
 */
function nodeIdsOf(location: Location, ids: ReadonlySet<string>, seen: readonly EndpointObservation[]): string[] {
  const { name, host, address, port, certificate } = location;
  if (certificate !== undefined) {
    const atCertificate = seen
      .filter((endpoint) => endpoint.certificates.some((c) => c.sha256 === certificate))
      .filter((endpoint) => (address === undefined || endpoint.address === address) && (port === undefined || endpoint.port === port))
      .map((endpoint) => `certificate:${endpoint.label}`)
      .filter((id) => ids.has(id));
    if (atCertificate.length > 0 || address === undefined) return atCertificate;
  }
  const candidates =
    address !== undefined
      ? [port !== undefined ? `port:${formatHostPort(address, port)}` : `address:${address}`]
      : host !== undefined
        ? [`host:${host}`]
        : name !== undefined
          ? [`srv:${name}`, `host:${name}`]
          : [`domain:${location.domain}`];
  return candidates.filter((id) => ids.has(id)).slice(0, 1);
}

/** A skip says a check did not apply, not that the node is unhealthy: it colours a node only when nothing else does. */
function nodeStatus(statuses: readonly Status[]): Status | undefined {
  if (statuses.length === 0) return undefined;
  const judged = statuses.filter((status) => status !== 'skip');
  return judged.length > 0 ? worstStatus(judged) : 'skip';
}
