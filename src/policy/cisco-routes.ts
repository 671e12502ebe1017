// Cisco IM and Presence static routes: the destination pattern is the remote domain reversed with a leading
// dot (remote.com → .com.remote), optionally ending in .* for the names below it.

import { isIP } from 'node:net';
import type { CiscoStaticRoute, FedcheckConfig } from '../model/config.js';

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const WILDCARD = '.*';

/** The pattern Cisco expects for a domain: remote.com → .com.remote. */
export function reversedPattern(domain: string): string {
  return `.${domain.split('.').reverse().join('.')}`;
}

export type PatternReading =
  | { state: 'ok'; domain: string }
  /** Written without the leading dot; `domain` is the domain it most likely means. */
  | { state: 'missing-dot'; domain: string }
  /** Written as the domain itself (.remote.com) rather than reversed. */
  | { state: 'not-reversed'; domain: string }
  | { state: 'invalid'; reason: string };

/**
 * Reads a destination pattern against the domains the config knows. A pattern matching a known domain only
 * when read forwards was not reversed; a pattern naming no known domain is trusted as written.
 */
export function readPattern(pattern: string, knownDomains: readonly string[]): PatternReading {
  const text = pattern.trim().toLowerCase();
  const withoutWildcard = text.endsWith(WILDCARD) ? text.slice(0, -WILDCARD.length) : text;
  const dotted = withoutWildcard.startsWith('.');
  const body = dotted ? withoutWildcard.slice(1) : withoutWildcard;
  const labels = body.split('.');
  if (labels.length < 2) return { state: 'invalid', reason: 'it needs at least two labels, such as .com.remote' };
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) return { state: 'invalid', reason: `"${bad}" is not a DNS label` };
  const reversed = [...labels].reverse().join('.');
  const known = (domain: string) => knownDomains.includes(domain);
  if (!dotted) {
    // The usual slip is typing the domain as it is, so that is the reading unless only the reverse is known.
    return { state: 'missing-dot', domain: known(reversed) && !known(body) ? reversed : body };
  }
  if (!known(reversed) && known(body)) return { state: 'not-reversed', domain: body };
  return { state: 'ok', domain: reversed };
}

/** Every domain a route could be meant for: Cisco federation domains, partners and the allowed list. */
export function knownRemoteDomains(config: FedcheckConfig): string[] {
  return [
    ...(config.own.cisco?.federationDomains.map((entry) => entry.domain) ?? []),
    ...config.partners.map((partner) => partner.domain),
    ...config.own.federation.allowedDomains.map((entry) => entry.domain),
  ];
}

/** The remote domain a route serves, whatever the state of its pattern; undefined when unreadable. */
export function routeDomain(route: CiscoStaticRoute, knownDomains: readonly string[]): string | undefined {
  const reading = readPattern(route.destinationPattern, knownDomains);
  return reading.state === 'invalid' ? undefined : reading.domain;
}

/** One string per route, to file its probe outcome under and to name it in messages. */
export function nextHopKey(route: CiscoStaticRoute): string {
  const host = route.nextHop.includes(':') ? `[${route.nextHop}]` : route.nextHop;
  return `${host}:${route.nextHopPort}/${route.protocol}`;
}

/** Cisco asks for the next hop's IP address; a host name may resolve to the Front End pool's load balancer. */
export function isAddress(nextHop: string): boolean {
  return isIP(nextHop) !== 0;
}
