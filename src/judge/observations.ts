// What the reporters need to know about a domain beyond its findings, derived once from the facts: the path a
// partner follows, each endpoint with its TLS session, certificates, SIP answer and XMPP features, and, from the
// findings, each path node's status and the domain's top problem. Pure; the Report carries the result, so every
// reporter reads the Report alone and none re-opens (or re-judges) the facts.

import type { DnsAnswer, FactView, ProbeOutcome } from '../model/facts.js';
import { formatHostPort } from '../model/facts.js';
import type { Presence, PresenceState } from '../model/presence-state.js';
import { PATH_COLUMNS } from '../model/observation.js';
import type { DomainObservations, DomainPath, EndpointObservation, ObservedCertificate, PathNode } from '../model/observation.js';
import {
  FEDERATION_SRV,
  SERVICE_RECORDS,
  endpoints,
  federationHosts,
  hostAddresses,
  isExplicitlyNotOffered,
  srvName,
  srvRecords,
} from './services.js';
import type { Endpoint, ListenerMode } from '../model/listener.js';
import type { Target } from '../model/target.js';

import { daysUntilExpiry, listenerOf, parseCertificate, probeOutcome, validityText } from './tls-evidence.js';
import type { CertificateInfo } from './tls-evidence.js';
import type { ProbeRecord } from '../model/listener.js';

/** A presence that leaves partners nothing to reach. */
const NOT_OFFERED: readonly PresenceState[] = ['absent', 'not-offered', 'unknown'];

const MODE_NAMES: Record<ListenerMode, string> = {
  sip: 'SIP over TLS',
  'xmpp-starttls': 'XMPP STARTTLS',
  'xmpp-direct-tls': 'XMPP direct TLS',
};

/** The facts' part of a domain's observations: findings are attached by `attachFindings`. */
export function observeDomain(target: Target, facts: FactView, presence: Presence, now: Date, warningDays: number): DomainObservations {
  const observed = target.services.flatMap((service) => {
    const entry = presence[service];
    return entry === undefined ? [] : [{ service, presence: entry.state, offered: !NOT_OFFERED.includes(entry.state) }];
  });
  const listeners = endpoints(target, facts);
  return {
    services: observed,
    path: pathOf(target, facts, listeners, now),
    endpoints: listeners.map((endpoint) => observeEndpoint(endpoint, target.domain, facts, now, warningDays)),
  };
}

function observeEndpoint(endpoint: Endpoint, domain: string, facts: FactView, now: Date, warningDays: number): EndpointObservation {
  const outcome = probeOutcome(endpoint, domain, { facts });
  const probe = outcome?.status === 'ok' ? outcome.facts : undefined;
  const session = probe?.facts.tls;
  const observed: EndpointObservation = {
    service: endpoint.service,
    mode: endpoint.mode,
    via: endpoint.via,
    host: endpoint.host,
    address: endpoint.address,
    port: endpoint.port,
    label: listenerOf(endpoint, domain).subject,
    tcp: tcpResult(facts, endpoint.address, endpoint.port),
    certificates: (session?.peerChain ?? []).flatMap((der, index) => readable(der, index, now, warningDays)),
  };
  if (session !== undefined) {
    observed.tls = {
      version: session.protocol,
      cipher: session.cipher,
      authorized: session.authorized,
      ...(session.authorizationError !== undefined ? { authorizationError: session.authorizationError } : {}),
    };
  }
  if (probe !== undefined) Object.assign(observed, protocolAnswer(probe));
  return observed;
}

function protocolAnswer(probe: ProbeRecord): Pick<EndpointObservation, 'sip' | 'xmpp'> {
  if (probe.protocol === 'sip') {
    const { response } = probe.facts;
    return response === undefined ? {} : { sip: { statusLine: response.statusLine, statusCode: response.statusCode } };
  }
  const { postTlsFeatures, preTlsFeatures } = probe.facts;
  const features = postTlsFeatures ?? preTlsFeatures;
  if (features === undefined) return {};
  return {
    xmpp: {
      afterTls: postTlsFeatures !== undefined,
      features: features.names,
      starttls: features.starttls,
      dialback: features.dialback,
      saslMechanisms: features.saslMechanisms,
    },
  };
}

function tcpResult(facts: FactView, address: string, port: number): EndpointObservation['tcp'] {
  const outcome = facts.tcp(address, port);
  if (outcome === undefined || outcome.status === 'skipped') return 'not probed';
  if (outcome.status === 'error') return 'probe error';
  return outcome.facts.result;
}

function readable(der: string, index: number, now: Date, warningDays: number): ObservedCertificate[] {
  let info: CertificateInfo;
  try {
    info = parseCertificate(der);
  } catch {
    return [];
  }
  const daysLeft = daysUntilExpiry(info, now);
  return [
    {
      subject: info.subject,
      name: commonName(info),
      issuer: info.issuer,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      daysLeft,
      expiry: expiryOf(info, daysLeft, now, warningDays),
      sha256: info.fingerprints.sha256.replace(/:/g, '').toLowerCase(),
      role: index === 0 ? 'leaf' : info.selfSigned ? 'root' : 'intermediate',
    },
  ];
}

function expiryOf(info: CertificateInfo, daysLeft: number, now: Date, warningDays: number): ObservedCertificate['expiry'] {
  if (Date.parse(info.notBefore) > now.getTime()) return 'not-yet-valid';
  if (Date.parse(info.notAfter) < now.getTime()) return 'expired';
  return daysLeft < warningDays ? 'expiring' : 'valid';
}

function commonName(info: CertificateInfo): string {
  return info.subjectCommonNames[0] ?? (info.subject || '(empty subject)');
}

function pathOf(target: Target, facts: FactView, listeners: readonly Endpoint[], now: Date): DomainPath {
  const nodes = new Map<string, PathNode>();
  const edges: DomainPath['edges'] = [];
  const add = (node: Omit<PathNode, 'findings'>, parent?: string): void => {
    const existing = nodes.get(node.id);
    if (existing) existing.services = [...new Set([...existing.services, ...node.services])];
    else nodes.set(node.id, { ...node, findings: [] });
    if (parent !== undefined && !edges.some((e) => e.from === parent && e.to === node.id)) edges.push({ from: parent, to: node.id });
  };
  const { domain, services } = target;
  const root = `domain:${domain}`;
  add({ id: root, column: 'domain', label: domain, detail: services.map((s) => s.toUpperCase()).join(' + '), services });

  for (const service of services) {
    if (service === 'sip' && target.edge !== undefined) {
      // A configured Edge FQDN takes the place of the SRV record: no finding judges it as a record.
      add({ id: 'srv:--edge', column: 'srv', label: 'configured Edge', detail: target.edge, services: [service] }, root);
    }
    for (const kind of FEDERATION_SRV[service]) {
      const name = srvName(kind, domain);
      const outcome = facts.dns(name, 'SRV');
      if (outcome === undefined) continue;
      add({ id: `srv:${name}`, column: 'srv', label: SERVICE_RECORDS[kind].prefix, detail: srvDetail(outcome), services: [service] }, root);
    }
  }

  for (const host of federationHosts(target, facts)) {
    const addresses = hostAddresses(host.host, facts);
    const hostId = `host:${host.host}`;
    add({ id: hostId, column: 'host', label: host.host, detail: hostDetail(host.host, addresses.length, facts), services: [host.service] }, `srv:${host.via}`);
    for (const { address, family } of addresses) {
      add({ id: `address:${address}`, column: 'address', label: address, detail: `IPv${family}`, services: [host.service] }, hostId);
    }
  }

  for (const endpoint of listeners) {
    const hostPort = formatHostPort(endpoint.address, endpoint.port);
    const portId = `port:${hostPort}`;
    const service = [endpoint.service];
    const detail = `${MODE_NAMES[endpoint.mode]} · ${tcpResult(facts, endpoint.address, endpoint.port)}`;
    add({ id: portId, column: 'port', label: hostPort, detail, services: service }, `address:${endpoint.address}`);
    const leaf = leafNode(endpoint, target.domain, facts, now);
    const label = listenerOf(endpoint, target.domain).subject;
    if (leaf !== undefined) add({ id: `certificate:${label}`, column: 'certificate', ...leaf, services: service }, portId);
  }
  const ordered = PATH_COLUMNS.flatMap((column) => [...nodes.values()].filter((node) => node.column === column));
  return { nodes: ordered, edges };
}

/** The leaf's box: its name and days left; a leaf that cannot be read still gets a box, where its finding goes. */
function leafNode(endpoint: Endpoint, domain: string, facts: FactView, now: Date): { label: string; detail: string } | undefined {
  const outcome = probeOutcome(endpoint, domain, { facts });
  const der = outcome?.status === 'ok' ? outcome.facts.facts.tls?.peerChain[0] : undefined;
  if (der === undefined) return undefined;
  try {
    const info = parseCertificate(der);
    return { label: commonName(info), detail: validityText(info, now) };
  } catch {
    return { label: 'unreadable certificate', detail: 'see tls.certificate-chain' };
  }
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
