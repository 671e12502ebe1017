// Whether a domain offers each federation service, from what its DNS publishes (and, for XMPP, what answers on
// the RFC 6120 fallback). Pure: the gatherer, the evaluator, the checks and the report read the same answer.

import { readLookup } from './dns-evidence.js';
import type { Lookup } from './dns-evidence.js';
import type { CheckMeta } from './check.js';
import type { FactView } from './facts.js';
import { fallbackState, hostingProvider, isExplicitlyNotOffered, srvName, srvRecords } from './services.js';
import type { Service, Target } from './target.js';

export type PresenceState =
  /** An SRV record leads to a real host. */
  | 'offered'
  /** SIP: every SRV target is a hosting provider's Edge (Microsoft 365 and its sovereign clouds). */
  | 'hosted'
  /** No SRV record, but the user configured the server (--edge, an allowed partner's ProxyFqdn). */
  | 'configured'
  /** XMPP: no SRV record, and a server answers on the domain's own address, port 5269 (RFC 6120 3.2.2). */
  | 'fallback'
  /** XMPP: only the pre-RFC 6120 _jabber._tcp record, which servers no longer ask for. */
  | 'legacy-only'
  /** A single SRV record with the target "." (RFC 2782): decidedly not offered. */
  | 'not-offered'
  | 'absent'
  /** The lookups that decide it failed or were not made: could not measure. */
  | 'unknown';

export interface ServicePresence {
  service: Service;
  state: PresenceState;
  /** The user said the domain must offer it (config `services:`, --sip/--xmpp/--expect, our own domains). */
  expected: boolean;
  /** The hosting provider, for `hosted`. */
  provider?: string;
}

export type Presence = Partial<Record<Service, ServicePresence>>;

export function isExpected(target: Target, service: Service): boolean {
  return target.expected?.includes(service) ?? false;
}

/** Each service the target is checked for, with its presence. */
export function servicePresence(target: Target, facts: FactView): Presence {
  const presence: Presence = {};
  for (const service of target.services) {
    const expected = isExpected(target, service);
    presence[service] = { service, expected, ...(service === 'sip' ? sipState(target, facts) : xmppState(target, facts)) };
  }
  return presence;
}

/** A service whose checks run: one the domain offers in some way, one that could not be decided, or one expected. */
export function isJudged(presence: ServicePresence): boolean {
  return presence.expected || !(presence.state === 'absent' || presence.state === 'not-offered');
}

/** The services whose checks run, in the target's order. */
export function judgedServices(target: Target, presence: Presence): Service[] {
  return target.services.filter((service) => {
    const entry = presence[service];
    return entry !== undefined && isJudged(entry);
  });
}

/**
 * The target a check sees: a presence check sees every service looked at, the others only the judged ones.
 * Undefined when the check has nothing to judge.
 */
export function checkScope(meta: CheckMeta, target: Target, presence: Presence): Target | undefined {
  const scope = meta.reportsPresence ? target : { ...target, services: judgedServices(target, presence) };
  return meta.services.some((service) => scope.services.includes(service)) ? scope : undefined;
}

type State = Pick<ServicePresence, 'state' | 'provider'>;

function sipState(target: Target, facts: FactView): State {
  const name = srvName('sipFederation', target.domain);
  const lookup = readLookup(facts.dns(name, 'SRV'));
  if (lookup.state === 'found') {
    const records = srvRecords(facts.dns(name, 'SRV'));
    if (isExplicitlyNotOffered(records)) return { state: target.edge ? 'configured' : 'not-offered' };
    const providers = records.map((record) => hostingProvider(record.target.toLowerCase()));
    const [first] = providers;
    if (first !== undefined && providers.every((provider) => provider === first)) return { state: 'hosted', provider: first.name };
    return { state: 'offered' };
  }
  if (target.edge) return { state: 'configured' };
  return { state: isDecided(lookup) ? 'absent' : 'unknown' };
}

function xmppState(target: Target, facts: FactView): State {
  const lookups = (['xmppServer', 'xmppsServer'] as const).map((kind) => {
    const outcome = facts.dns(srvName(kind, target.domain), 'SRV');
    return { lookup: readLookup(outcome), records: srvRecords(outcome) };
  });
  const real = lookups.filter(({ lookup, records }) => lookup.state === 'found' && !isExplicitlyNotOffered(records));
  if (real.length > 0) return { state: 'offered' };
  if (target.xmppEdge) return { state: 'configured' };
  if (lookups.some(({ lookup }) => !isDecided(lookup))) return { state: 'unknown' };
  if (lookups.some(({ lookup }) => lookup.state === 'found')) return { state: 'not-offered' };
  if (fallbackAnswers(target.domain, facts)) return { state: 'fallback' };
  const legacy = srvRecords(facts.dns(srvName('jabberLegacy', target.domain), 'SRV'));
  if (legacy.length > 0 && !isExplicitlyNotOffered(legacy)) return { state: 'legacy-only' };
  return { state: 'absent' };
}

/** NXDOMAIN, NODATA or records: the name's state is known. */
function isDecided(lookup: Lookup): boolean {
  return lookup.state === 'found' || lookup.state === 'nxdomain' || lookup.state === 'nodata';
}

function fallbackAnswers(domain: string, facts: FactView): boolean {
  return fallbackState(domain, facts) === 'answers';
}
