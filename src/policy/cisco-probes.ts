// Probes each Cisco static route's next hop as the Edge probes are made: TCP connect, then for TLS routes a
// handshake and a SIP OPTIONS. A next hop is the admin's own Front End, written in the admin's own config, usually
// at a private address: it is probed without --allow-private (only names from a partner's DNS need it), through the
// connector as the admin's own. Probed through the run's scheduler (one concurrency limit and deadline per run),
// under keys of their own: a partner's Edge at the same address and port is connected to under the partner rule,
// and neither may be answered from a probe made under the other's.

import type { DnsAnswer, ProbeOutcome, TcpConnectFacts } from '../model/facts.js';
import { factKey } from '../model/facts.js';
import { protocolFactKey } from '../model/protocol-facts.js';
import type { SipProbeFacts } from '../model/protocol-facts.js';
import type { Scheduler } from '../gather/scheduler.js';
import type { CiscoStaticRoute, FedcheckConfig } from '../model/config.js';
import { ADMINS_OWN } from '../probes/connector.js';
import { queryDns } from '../probes/dns.js';
import type { DnsServer } from '../probes/resolvers.js';
import { probeSipOptions } from '../probes/sip.js';
import { connectTcp } from '../probes/tcp.js';
import { primaryOwnDomain } from './config-views.js';
import { isAddress, knownRemoteDomains, nextHopKey, routeDomain } from './cisco-routes.js';
import type { NextHopFacts, NextHopProbe } from '../model/policy-facts.js';

export interface NextHopProbeOptions {
  resolvers: DnsServer[];
  /** --ca-file: trusted beside Node's roots for the TLS handshake. */
  caPem: string[];
}

const nextHopKeyOf = (key: string) => `next-hop:${key}`;

export async function probeCiscoNextHops(config: FedcheckConfig, options: NextHopProbeOptions, scheduler: Scheduler): Promise<NextHopFacts> {
  // UDP has no handshake to try and Microsoft interdomain federation never uses it; the lint says so.
  const routes = (config.own.cisco?.staticRoutes ?? []).filter((route) => route.protocol !== 'UDP');
  const known = knownRemoteDomains(config);
  const unique = new Map(routes.map((route) => [nextHopKey(route), route]));
  const entries = await Promise.all(
    [...unique].map(async ([key, route]) => [key, await probeRoute(route, routeDomain(route, known) ?? primaryOwnDomain(config), config, scheduler, options)] as const),
  );
  return Object.fromEntries(entries);
}

async function probeRoute(
  route: CiscoStaticRoute,
  remoteDomain: string,
  config: FedcheckConfig,
  scheduler: Scheduler,
  options: NextHopProbeOptions,
): Promise<NextHopProbe> {
  const resolved = await nextHopAddress(route.nextHop, scheduler, options.resolvers);
  if ('failure' in resolved) return { tcp: resolved.failure };
  const { address } = resolved;
  const port = route.nextHopPort;
  const tcp = await scheduler.probe<TcpConnectFacts>(nextHopKeyOf(factKey.tcp(address, port)), (context) => connectTcp(address, port, { ...context, egress: ADMINS_OWN }));
  if (route.protocol !== 'TLS' || tcp.status !== 'ok' || tcp.facts.result !== 'open') return { address, tcp };
  const sip = await scheduler.probe<SipProbeFacts>(nextHopKeyOf(protocolFactKey.sip(remoteDomain, route.nextHop, address, port)), (context) =>
    probeSipOptions(
      address,
      port,
      {
        servername: route.nextHop,
        domain: remoteDomain,
        extraCaPem: options.caPem,
        ...(config.fromDomain !== undefined ? { fromDomain: config.fromDomain } : {}),
      },
      { ...context, egress: ADMINS_OWN },
    ),
  );
  return { address, tcp, sip };
}

type Resolved = { address: string } | { failure: ProbeOutcome<TcpConnectFacts> };

/** Cisco asks for an IP address; a host name is resolved (A first, as IM and Presence does) and its first address used. */
async function nextHopAddress(nextHop: string, scheduler: Scheduler, resolvers: DnsServer[]): Promise<Resolved> {
  if (isAddress(nextHop)) return { address: nextHop };
  for (const type of ['A', 'AAAA'] as const) {
    const outcome = await scheduler.probe<DnsAnswer>(factKey.dns(nextHop, type), (context) =>
      queryDns({ name: nextHop, type, recursive: true }, resolvers, { ...context, egress: ADMINS_OWN }),
    );
    if (outcome.status === 'error') return { failure: { status: 'error', reason: 'dns', detail: `cannot resolve ${nextHop}: ${outcome.detail}` } };
    if (outcome.status === 'skipped') return { failure: { status: 'skipped', because: outcome.because } };
    const record = outcome.facts.records.find((r) => r.type === 'A' || r.type === 'AAAA');
    if (record !== undefined && (record.type === 'A' || record.type === 'AAAA')) return { address: record.address };
  }
  return { failure: { status: 'error', reason: 'dns', detail: `${nextHop} has no A or AAAA record` } };
}
