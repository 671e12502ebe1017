// How checks read a DNS answer (found, absent, could not measure) and show it as zone-file lines.
// Shared by the checks under checks/dns and checks/net: pure, no I/O.

import type { DnsAnswer, DnsRecord, DnsType, ProbeOutcome, SrvRecord } from '../model/facts.js';
import type { FindingData, FindingDraft } from '../model/check.js';
import type { FederationHost } from '../model/listener.js';
import type { FindingService } from '../model/finding.js';
import type { Service } from '../model/target.js';

/** One lookup as a check judges it. */
export type Lookup =
  | { state: 'not-gathered' }
  | { state: 'skipped'; because: string }
  /** Could not measure: the probe failed, or the server answered SERVFAIL, REFUSED or another error rcode. */
  | { state: 'failed'; reason: string }
  | { state: 'nxdomain'; answer: DnsAnswer }
  /** NOERROR without a record of the asked type. */
  | { state: 'nodata'; answer: DnsAnswer }
  | { state: 'found'; answer: DnsAnswer };

export function readLookup(outcome: ProbeOutcome<DnsAnswer> | undefined): Lookup {
  if (outcome === undefined) return { state: 'not-gathered' };
  if (outcome.status === 'skipped') return { state: 'skipped', because: outcome.because };
  if (outcome.status === 'error') return { state: 'failed', reason: `${outcome.reason} (${outcome.detail})` };
  const answer = outcome.facts;
  if (answer.rcode === 'NXDOMAIN') return { state: 'nxdomain', answer };
  if (answer.rcode !== 'NOERROR') return { state: 'failed', reason: `${answer.rcode} from ${answer.server}` };
  const found = answer.records.some((record) => record.type === answer.type);
  return found ? { state: 'found', answer } : { state: 'nodata', answer };
}

/** The lookup states a check cannot judge the record from. */
export type UnmeasuredLookup = Extract<Lookup, { state: 'not-gathered' | 'skipped' | 'failed' }>;

export function isUnmeasured(lookup: Lookup): lookup is UnmeasuredLookup {
  return lookup.state === 'not-gathered' || lookup.state === 'skipped' || lookup.state === 'failed';
}

/**
 * The finding for a lookup of `name` that was not made or gave no usable answer: a skip, or an error (could not
 * measure), about that name. The check's meta must have the messages notGathered, probeSkipped ({{because}}) and
 * lookupFailed ({{reason}}).
 */
export function unmeasuredFinding(lookup: UnmeasuredLookup, name: string, data: FindingData, evidence: string[]): FindingDraft {
  const about = { subject: name, location: { name } };
  switch (lookup.state) {
    case 'not-gathered':
      return { status: 'skip', ...about, messageId: 'notGathered', data };
    case 'skipped':
      return { status: 'skip', ...about, messageId: 'probeSkipped', data: { ...data, because: lookup.because } };
    case 'failed':
      return { status: 'error', ...about, messageId: 'lookupFailed', data: { ...data, reason: lookup.reason }, evidence };
  }
}

/** Why a name has no record, for messages: "NXDOMAIN: the name does not exist". */
export function describeAbsence(lookup: Extract<Lookup, { state: 'nxdomain' | 'nodata' }>): string {
  return lookup.state === 'nxdomain'
    ? `NXDOMAIN from ${lookup.answer.server}: the name does not exist`
    : `NODATA from ${lookup.answer.server}: the name exists but has no ${lookup.answer.type} record`;
}

/** Lower case, no trailing dot: the form names are compared in. */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') && lower !== '.' ? lower.slice(0, -1) : lower;
}

/** The absolute form a zone file needs: `sip.example.com.`; the root stays `.`. */
export function absoluteName(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.endsWith('.') ? name : `${name}.`;
}

export function recordData(record: DnsRecord): string {
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return record.address;
    case 'CNAME':
    case 'NS':
      return absoluteName(record.target);
    case 'SRV':
      return `${record.priority} ${record.weight} ${record.port} ${absoluteName(record.target)}`;
    case 'TXT':
      return `"${record.text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
    case 'SOA':
      return [
        absoluteName(record.primary),
        absoluteName(record.admin),
        record.serial,
        record.refresh,
        record.retry,
        record.expiration,
        record.minimum,
      ].join(' ');
  }
}

/** A record as a zone-file line with its TTL, the way an admin would publish it. */
export function zoneLine(record: DnsRecord): string {
  return `${absoluteName(record.name)} ${record.ttl} IN ${record.type} ${recordData(record)}`;
}

/** SRV records in partner order, as `priority weight port target.` for messages. */
export function srvSummary(records: readonly SrvRecord[]): string {
  return records.map(recordData).join(', ');
}

/** `198.51.100.1:53` or `[2001:db8::1]:53` into its parts. */
export function splitServer(server: string): { address: string; port: number } {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(server);
  if (bracketed) return { address: bracketed[1] ?? '', port: Number(bracketed[2]) };
  const plain = /^([^:]+):(\d+)$/.exec(server);
  if (plain) return { address: plain[1] ?? '', port: Number(plain[2]) };
  return { address: server, port: 53 };
}

/** Evidence lines for one lookup: what was asked, who answered with what, then the records as zone lines. */
export function lookupEvidence(name: string, type: DnsType, outcome: ProbeOutcome<DnsAnswer> | undefined): string[] {
  if (outcome === undefined) return [`${name} ${type}: not looked up in this run`];
  if (outcome.status === 'skipped') return [`${name} ${type}: not looked up: ${outcome.because}`];
  if (outcome.status === 'error') return [`${name} ${type}: ${outcome.reason}: ${outcome.detail}`];
  const answer = outcome.facts;
  const matching = answer.records.filter((record) => record.type === answer.type).length;
  const flags = [answer.authoritative ? 'authoritative' : '', answer.retriedOverTcp ? 'retried over TCP' : '']
    .filter(Boolean)
    .join(', ');
  const header =
    `${name} ${type}: ${answer.rcode} from ${answer.server}` +
    (flags ? ` (${flags})` : '') +
    `, ${matching} ${type} record${matching === 1 ? '' : 's'}`;
  return [header, ...answer.cnameChain.map(zoneLine), ...answer.records.map(zoneLine)];
}

/** `IPv4` or `IPv6`, for messages that must tell the families apart. */
export function familyName(address: string): 'IPv4' | 'IPv6' {
  return address.includes(':') ? 'IPv6' : 'IPv4';
}

/** The service a finding about a host speaks of: the one it serves, or `none` when both services use it. */
export function hostService(services: readonly Service[]): FindingService {
  return services.length === 1 ? (services[0] as Service) : 'none';
}

/** Each federation host name once, with every SRV name (or `--edge`) that leads to it and its services. */
export function hostsByName(hosts: readonly FederationHost[]): { host: string; via: string; services: Service[]; ports: number[] }[] {
  const byName = new Map<string, { host: string; vias: string[]; services: Service[]; ports: number[] }>();
  for (const { host, via, service, port } of hosts) {
    const entry = byName.get(host) ?? { host, vias: [], services: [], ports: [] };
    if (!entry.vias.includes(via)) entry.vias.push(via);
    if (!entry.services.includes(service)) entry.services.push(service);
    if (!entry.ports.includes(port)) entry.ports.push(port);
    byName.set(host, entry);
  }
  return [...byName.values()].map(({ host, vias, services, ports }) => ({ host, via: vias.join(', '), services, ports }));
}
