// Per domain, the path a partner follows: domain → SRV record → host → addresses → ports → certificate, each node
// judged by the worst status of the findings whose subject names it. Pure: for the HTML picture and the metrics.

import type { SavedFacts } from '../engine/facts-file.js';
import { FactView, formatHostPort } from '../engine/facts.js';
import type { DnsAnswer, ProbeOutcome } from '../engine/facts.js';
import type { Finding, Status } from '../engine/finding.js';
import { worstStatus } from '../engine/finding.js';
import type { DomainReport, Report } from '../engine/report.js';
import {
  FEDERATION_SRV,
  SERVICE_RECORDS,
  endpoints,
  federationHosts,
  hostAddresses,
  isExplicitlyNotOffered,
  srvName,
  srvRecords,
} from '../engine/services.js';
import type { ListenerMode } from '../engine/services.js';
import type { Service, Target } from '../engine/target.js';
import { listenerOf, probeOutcome, validityText } from '../engine/tls-evidence.js';
import { parseCertificate } from '../pki/certificate.js';

export type PathColumn = 'domain' | 'srv' | 'host' | 'address' | 'port' | 'certificate';
export const PATH_COLUMNS: readonly PathColumn[] = ['domain', 'srv', 'host', 'address', 'port', 'certificate'];

export interface PathNode {
  id: string;
  column: PathColumn;
  /** The node's name; partner-controlled for SRV targets, hosts and certificate subjects. */
  label: string;
  /** Short facts about the node: the records, the TCP result, the days left. */
  detail: string;
  services: Service[];
  /** The worst status of the findings naming the node, skips only when there is nothing else; undefined: none names it. */
  status: Status | undefined;
  findings: Finding[];
}

export interface DomainPath {
  domain: string;
  /** Column by column, each in the order a partner tries them. */
  nodes: PathNode[];
  edges: { from: string; to: string }[];
}

const MODE_NAMES: Record<ListenerMode, string> = {
  sip: 'SIP over TLS',
  'xmpp-starttls': 'XMPP STARTTLS',
  'xmpp-direct-tls': 'XMPP direct TLS',
};

/** The path of every domain of the report whose target is in the facts (all of them, for a run's own facts). */
export function domainPaths(report: Report, saved: SavedFacts): DomainPath[] {
  const facts = new FactView(saved.facts);
  const now = new Date(saved.startedAt);
  return report.domains.flatMap((domain) => {
    const target = saved.targets.find((t) => t.domain === domain.domain);
    return target === undefined ? [] : [pathOf(domain, target, facts, now)];
  });
}

/** The certificate's own checks (tls.certificate-*, tls.*-certificate-names); the rest judge the connection. */
function isCertificateCheck(checkId: string): boolean {
  return /^tls\.(certificate-|[a-z-]+-certificate-names$)/.test(checkId);
}

type Matcher = (finding: Finding) => boolean;

function pathOf(report: DomainReport, target: Target, facts: FactView, now: Date): DomainPath {
  const nodes = new Map<string, PathNode>();
  const edges: DomainPath['edges'] = [];
  const add = (node: Omit<PathNode, 'status' | 'findings'>, matches: Matcher, parent?: string): void => {
    const existing = nodes.get(node.id);
    if (existing) existing.services = [...new Set([...existing.services, ...node.services])];
    else {
      const findings = report.findings.filter(matches);
      nodes.set(node.id, { ...node, findings, status: nodeStatus(findings) });
    }
    if (parent !== undefined && !edges.some((e) => e.from === parent && e.to === node.id)) edges.push({ from: parent, to: node.id });
  };
  const { domain, services } = target;
  const root = `domain:${domain}`;
  add({ id: root, column: 'domain', label: domain, detail: services.map((s) => s.toUpperCase()).join(' + '), services }, (f) => f.subject === domain);

  for (const service of services) {
    if (service === 'sip' && target.edge !== undefined) {
      // A configured Edge FQDN takes the place of the SRV record: no finding judges it as a record.
      add({ id: 'srv:--edge', column: 'srv', label: 'configured Edge', detail: target.edge, services: [service] }, () => false, root);
    }
    for (const kind of FEDERATION_SRV[service]) {
      const name = srvName(kind, domain);
      const outcome = facts.dns(name, 'SRV');
      if (outcome === undefined) continue;
      const label = SERVICE_RECORDS[kind].prefix;
      add({ id: `srv:${name}`, column: 'srv', label, detail: srvDetail(outcome), services: [service] }, (f) => f.subject === name || f.subject.startsWith(`${name} `), root);
    }
  }

  for (const host of federationHosts(target, facts)) {
    const addresses = hostAddresses(host.host, facts);
    const hostId = `host:${host.host}`;
    add({ id: hostId, column: 'host', label: host.host, detail: hostDetail(host.host, addresses.length, facts), services: [host.service] }, (f) => f.subject === host.host, `srv:${host.via}`);
    for (const { address, family } of addresses) {
      add({ id: `address:${address}`, column: 'address', label: address, detail: `IPv${family}`, services: [host.service] }, (f) => f.subject === address, hostId);
    }
  }

  for (const endpoint of endpoints(target, facts)) {
    const hostPort = formatHostPort(endpoint.address, endpoint.port);
    const { subject } = listenerOf(endpoint, domain);
    const portId = `port:${hostPort}`;
    const detail = `${MODE_NAMES[endpoint.mode]} · ${tcpText(facts, endpoint.address, endpoint.port)}`;
    const service = [endpoint.service];
    add({ id: portId, column: 'port', label: hostPort, detail, services: service }, (f) => f.subject === hostPort || (f.subject === subject && !isCertificateCheck(f.checkId)), `address:${endpoint.address}`);
    const leaf = leafCertificate(probeOutcome(endpoint, domain, { facts }), now);
    if (leaf !== undefined) {
      add({ id: `certificate:${subject}`, column: 'certificate', label: leaf.label, detail: leaf.detail, services: service }, (f) => f.subject === subject && isCertificateCheck(f.checkId), portId);
    }
  }
  const ordered = PATH_COLUMNS.flatMap((column) => [...nodes.values()].filter((node) => node.column === column));
  return { domain, nodes: ordered, edges };
}

/** A skip says a check did not apply, not that the node is unhealthy: it colours a node only when nothing else does. */
function nodeStatus(findings: readonly Finding[]): Status | undefined {
  if (findings.length === 0) return undefined;
  const judged = findings.filter((f) => f.status !== 'skip');
  return judged.length > 0 ? worstStatus(judged.map((f) => f.status)) : 'skip';
}

function srvDetail(outcome: ProbeOutcome<DnsAnswer>): string {
  if (outcome.status === 'skipped') return `not asked: ${outcome.because}`;
  if (outcome.status === 'error') return `no answer: ${outcome.reason}`;
  const records = srvRecords(outcome);
  if (outcome.facts.rcode !== 'NOERROR') return outcome.facts.rcode;
  if (records.length === 0) return 'no record (NODATA)';
  if (isExplicitlyNotOffered(records)) return 'not offered (target ".")';
  return records.map((r) => `${r.target}:${r.port}`).join(', ');
}

function hostDetail(host: string, addressCount: number, facts: FactView): string {
  const answer = facts.dns(host, 'A');
  const alias = answer?.status === 'ok' && answer.facts.cnameChain.length > 0 ? ' · via CNAME' : '';
  const count = addressCount === 0 ? 'no address' : `${addressCount} address${addressCount === 1 ? '' : 'es'}`;
  return `${count}${alias}`;
}

function tcpText(facts: FactView, address: string, port: number): string {
  const outcome = facts.tcp(address, port);
  if (outcome === undefined || outcome.status === 'skipped') return 'not probed';
  if (outcome.status === 'error') return 'probe error';
  return outcome.facts.result;
}

function leafCertificate(outcome: ReturnType<typeof probeOutcome>, now: Date): { label: string; detail: string } | undefined {
  const der = outcome?.status === 'ok' ? outcome.facts.facts.tls?.peerChain[0] : undefined;
  if (der === undefined) return undefined;
  try {
    const info = parseCertificate(der);
    return { label: info.subjectCommonNames[0] ?? (info.subject || '(empty subject)'), detail: validityText(info, now) };
  } catch {
    return { label: 'unreadable certificate', detail: 'see tls.certificate-chain' };
  }
}
