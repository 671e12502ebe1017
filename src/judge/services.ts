// Which DNS names and ports each federation service uses, and which hosts a run must probe.
// Shared by the gatherer (what to ask) and the checks (what was asked): pure, no I/O.

import type { DnsAnswer, FactView, ProbeOutcome, SrvRecord } from '../model/facts.js';
import type { Service, Target } from '../model/target.js';
import type { Endpoint, FederationHost } from '../model/listener.js';

export const SERVICE_RECORDS = {
  sipFederation: { prefix: '_sipfederationtls._tcp', port: 5061, service: 'sip' },
  xmppServer: { prefix: '_xmpp-server._tcp', port: 5269, service: 'xmpp' },
  xmppsServer: { prefix: '_xmpps-server._tcp', port: 5270, service: 'xmpp' },
  jabberLegacy: { prefix: '_jabber._tcp', port: 5269, service: 'xmpp' },
  sipClient: { prefix: '_sip._tls', port: 443, service: 'sip' },
} as const;

export type ServiceRecordKind = keyof typeof SERVICE_RECORDS;

export function srvName(kind: ServiceRecordKind, domain: string): string {
  return `${SERVICE_RECORDS[kind].prefix}.${domain}`;
}

/** The SRV records that lead partners to a federation listener, per service. */
export const FEDERATION_SRV: Record<Service, ServiceRecordKind[]> = {
  sip: ['sipFederation'],
  xmpp: ['xmppServer', 'xmppsServer'],
};

/** Client-side names reported for information (Lync / Skype for Business clients, Microsoft 365). */
export const clientNames = (domain: string) => ({
  sipTls: srvName('sipClient', domain),
  sipHost: `sip.${domain}`,
  lyncdiscover: `lyncdiscover.${domain}`,
});

/** The ports of an Edge's internal interface, probed only with `--vantage internal`. */
export const INTERNAL_PORTS = [
  { port: 23456, service: 'xmpp', what: 'XMPP gateway (Front End to Edge)' },
  { port: 5061, service: 'sip', what: 'SIP from the Front End pool' },
  { port: 4443, service: 'sip', what: 'Central Management Store replication' },
] as const;

/** The internal ports an Edge serving these services must listen on. */
export function internalPortsFor(services: readonly Service[]): (typeof INTERNAL_PORTS)[number][] {
  return INTERNAL_PORTS.filter((entry) => services.includes(entry.service));
}

/** Hosting providers whose Edge partners reach by SRV while the domain is theirs. */
export const HOSTING_PROVIDERS = [
  { fqdn: 'sipfed.online.lync.com', name: 'Microsoft 365 (worldwide)' },
  { fqdn: 'sipfed.online.gov.skypeforbusiness.us', name: 'Microsoft 365 GCC High' },
  { fqdn: 'sipfed.online.dod.skypeforbusiness.us', name: 'Microsoft 365 DoD' },
  { fqdn: 'sipfed.online.partner.outlook.cn', name: 'Microsoft 365 operated by 21Vianet' },
] as const;

export function hostingProvider(host: string): (typeof HOSTING_PROVIDERS)[number] | undefined {
  return HOSTING_PROVIDERS.find((p) => p.fqdn === host);
}

/** SRV records of an answer, sorted by priority then weight (descending), as partners try them. */
export function srvRecords(outcome: ProbeOutcome<DnsAnswer> | undefined): SrvRecord[] {
  if (outcome?.status !== 'ok') return [];
  return outcome.facts.records
    .filter((r): r is SrvRecord => r.type === 'SRV')
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.target.localeCompare(b.target));
}

/** RFC 2782: a single SRV record whose target is "." says the service is decidedly not offered. */
export function isExplicitlyNotOffered(records: SrvRecord[]): boolean {
  return records.length === 1 && (records[0]?.target === '' || records[0]?.target === '.');
}

/** Every host and port a partner would connect to for the target, from the facts gathered so far. */
export function federationHosts(target: Target, facts: FactView): FederationHost[] {
  const hosts: FederationHost[] = [];
  const seen = new Set<string>();
  const add = (host: FederationHost) => {
    const key = `${host.mode}|${host.host}|${host.port}`;
    if (!seen.has(key)) {
      seen.add(key);
      hosts.push(host);
    }
  };
  for (const service of target.services) {
    if (service === 'sip' && target.edge) {
      add({ service, host: target.edge, port: SERVICE_RECORDS.sipFederation.port, via: '--edge', mode: 'sip' });
    }
    if (service === 'xmpp' && target.xmppEdge) {
      add({ service, host: target.xmppEdge, port: SERVICE_RECORDS.xmppServer.port, via: 'configured XMPP server', mode: 'xmpp-starttls' });
    }
    for (const kind of FEDERATION_SRV[service]) {
      const name = srvName(kind, target.domain);
      const records = srvRecords(facts.dns(name, 'SRV'));
      if (isExplicitlyNotOffered(records)) continue;
      const mode = service === 'sip' ? 'sip' : kind === 'xmppsServer' ? 'xmpp-direct-tls' : 'xmpp-starttls';
      for (const record of records) add({ service, host: record.target, port: record.port, via: name, mode });
    }
    if (service === 'xmpp' && !target.xmppEdge && hasNoXmppSrv(target.domain, facts) && fallbackState(target.domain, facts) !== 'silent') {
      add({ service, host: target.domain, port: SERVICE_RECORDS.xmppServer.port, via: XMPP_FALLBACK_VIA, mode: 'xmpp-starttls' });
    }
  }
  return hosts;
}

/** Where a host found by the RFC 6120 fallback came from, in place of an SRV owner name. */
export const XMPP_FALLBACK_VIA = 'the RFC 6120 fallback (no _xmpp-server._tcp record)';

/** Neither _xmpp-server nor _xmpps-server exists (NXDOMAIN or NODATA): servers fall back to the domain itself. */
function hasNoXmppSrv(domain: string, facts: FactView): boolean {
  return FEDERATION_SRV.xmpp.every((kind) => {
    const outcome = facts.dns(srvName(kind, domain), 'SRV');
    return outcome?.status === 'ok' && (outcome.facts.rcode === 'NXDOMAIN' || (outcome.facts.rcode === 'NOERROR' && srvRecords(outcome).length === 0));
  });
}

/**
 * Whether the domain's own address accepted a connection on 5269 (RFC 6120 3.2.2). `pending` while the
 * lookups or connections are still to be made: during gathering the fallback is a candidate until it is silent.
 */
export function fallbackState(domain: string, facts: FactView): 'answers' | 'silent' | 'pending' {
  const port = SERVICE_RECORDS.xmppServer.port;
  if (facts.dns(domain, 'A') === undefined || facts.dns(domain, 'AAAA') === undefined) return 'pending';
  const outcomes = hostAddresses(domain, facts).map(({ address }) => facts.tcp(address, port));
  if (outcomes.some((outcome) => outcome?.status === 'ok' && outcome.facts.result === 'open')) return 'answers';
  return outcomes.some((outcome) => outcome === undefined) ? 'pending' : 'silent';
}

/** The addresses the resolver gave for a host (A and AAAA, after any CNAME), in answer order. */
export function hostAddresses(host: string, facts: FactView): { address: string; family: 4 | 6 }[] {
  const addresses: { address: string; family: 4 | 6 }[] = [];
  for (const [type, family] of [['A', 4], ['AAAA', 6]] as const) {
    const outcome = facts.dns(host, type);
    if (outcome?.status !== 'ok') continue;
    for (const record of outcome.facts.records) {
      if ((record.type === 'A' || record.type === 'AAAA') && !addresses.some((a) => a.address === record.address)) {
        addresses.push({ address: record.address, family });
      }
    }
  }
  return addresses;
}

/** One address of one federation listener: where the TLS, SIP and XMPP probes go. */

export function endpoints(target: Target, facts: FactView): Endpoint[] {
  return federationHosts(target, facts).flatMap((host) => hostEndpoints(target, host, facts));
}

/** The endpoints of one federation host: one per address the resolver gave for it so far. */
export function hostEndpoints(target: Target, host: FederationHost, facts: FactView): Endpoint[] {
  return hostAddresses(host.host, facts).map(({ address, family }) => ({
    ...host,
    address,
    family,
    servername: host.service === 'sip' ? host.host : target.domain,
  }));
}
