// Whether a domain offers each federation service, from what its DNS publishes (and, for XMPP, what answers on
// the RFC 6120 fallback). Pure: the gatherer, the evaluator, the checks and the report read the same answer.

import { readLookup } from './dns-evidence.js';
import type { Lookup } from './dns-evidence.js';
import type { CheckMeta } from '../model/check.js';
import type { FactView } from '../model/facts.js';
import { fallbackState, hostingProvider, isExplicitlyNotOffered, srvName, srvRecords } from './services.js';
import type { Service, Target } from '../model/target.js';
import { isJudged } from '../model/presence-state.js';
import type { Presence, ServicePresence } from '../model/presence-state.js';

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
