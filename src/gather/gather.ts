// The gathering plan for one target: which questions to ask, in which order. SRV → A/AAAA → TCP,
// with everything that does not depend on an earlier answer asked at once.

import { ALL_NON_PUBLIC } from '../judge/address-scope.js';
import type { Vantage } from '../model/check.js';
import type { FactKind } from '../model/fact-kinds.js';
import { factKey } from '../model/facts.js';
import type { DnsAnswer, DnsType, ProbeOutcome } from '../model/facts.js';
import type { Scheduler } from './scheduler.js';
import { FEDERATION_SRV, clientNames, federationHosts, hostAddresses, internalPortsFor, srvName } from '../judge/services.js';
import type { ServiceRecordKind } from '../judge/services.js';
import type { Target } from '../model/target.js';
import { ADMINS_OWN, type Egress } from '../probes/connector.js';
import { addressLookup, queryDns } from '../probes/dns.js';
import { formatServer } from '../probes/resolvers.js';
import type { DnsServer } from '../probes/resolvers.js';
import { connectTcp } from '../probes/tcp.js';
import { gatherSessions } from './gather-sessions.js';
import type { SessionOptions } from './gather-sessions.js';

export interface GatherOptions extends Omit<SessionOptions, 'resolve' | 'egress'> {
  resolvers: DnsServer[];
  /** Port for questions to a domain's own name servers: 53, or the lab's port. */
  authoritativePort: number;
  vantage: Vantage;
  /** The fact kinds the run's enabled checks read; undefined means everything. A probe of any other kind is not run. */
  needs?: ReadonlySet<FactKind>;
}

const RECORD_KINDS: Record<Target['services'][number], ServiceRecordKind[]> = {
  sip: ['sipFederation', 'sipClient'],
  xmpp: ['xmppServer', 'xmppsServer', 'jabberLegacy'],
};

export async function gatherTarget(target: Target, scheduler: Scheduler, given: GatherOptions): Promise<void> {
  // From inside, our own domains' addresses are ours (split DNS, the Edge's internal interface): no partner steers them.
  const options = given.vantage === 'internal' && target.role === 'own' ? { ...given, allowPrivate: [...ALL_NON_PUBLIC] } : given;
  const resolve = (name: string, type: DnsType) =>
    scheduler.probe<DnsAnswer>(factKey.dns(name, type), (context) =>
      queryDns({ name, type, recursive: true }, options.resolvers, { ...context, egress: ADMINS_OWN }),
    );
  // Everything the partner's answers point at is connected to under the rule; a name (an AIA or CRL host) is
  // resolved through the run's resolver, the answer the report shows being the one connected to.
  const egress: Egress = { kind: 'partner', allowPrivate: options.allowPrivate, lookup: addressLookup(resolve) };
  const view = () => scheduler.view();

  const srvNames = target.services.flatMap((service) => RECORD_KINDS[service].map((kind) => srvName(kind, target.domain)));
  const clientHosts = target.services.includes('sip')
    ? [clientNames(target.domain).sipHost, clientNames(target.domain).lyncdiscover]
    : [];

  await Promise.all([
    ...srvNames.map((name) => resolve(name, 'SRV')),
    ...clientHosts.map((host) => resolve(host, 'A')),
    gatherAuthoritative(target, scheduler, options, resolve, egress),
  ]);
  await Promise.all(
    federationHosts(target, view()).flatMap(({ host }) => [resolve(host, 'A'), resolve(host, 'AAAA')]),
  );

  const connections = new Map<string, { address: string; port: number }>();
  for (const { host, port, service } of federationHosts(target, view())) {
    const ports = options.vantage === 'internal' ? [port, ...internalPortsFor([service]).map((p) => p.port)] : [port];
    for (const address of hostAddresses(host, view())) {
      for (const p of ports) connections.set(factKey.tcp(address.address, p), { address: address.address, port: p });
    }
  }
  await Promise.all([...connections].map(([key, { address, port }]) => scheduler.probe(key, (context) => connectTcp(address, port, { ...context, egress }))));
  await gatherSessions(target, scheduler, { ...options, resolve, egress });
}

/** Asks each of the domain's name servers directly for the federation SRV records, to compare them. */
async function gatherAuthoritative(
  target: Target,
  scheduler: Scheduler,
  options: GatherOptions,
  resolve: (name: string, type: DnsType) => Promise<ProbeOutcome<DnsAnswer>>,
  egress: Egress,
): Promise<void> {
  const nsOutcome = await resolve(target.domain, 'NS');
  if (nsOutcome.status !== 'ok') return;
  const nameServers = nsOutcome.facts.records.flatMap((r) => (r.type === 'NS' ? [r.target] : []));
  await Promise.all(nameServers.flatMap((host) => [resolve(host, 'A'), resolve(host, 'AAAA')]));
  const view = scheduler.view();
  // A name server at an address the rule refuses is not asked; its questions are recorded as skipped, with why.
  const servers = nameServers.flatMap((host) => hostAddresses(host, view)).map(({ address }) => ({ address, port: options.authoritativePort }));
  const questions: { name: string; type: DnsType }[] = [
    { name: target.domain, type: 'SOA' },
    ...target.services.flatMap((service) =>
      FEDERATION_SRV[service].map((kind) => ({ name: srvName(kind, target.domain), type: 'SRV' as const })),
    ),
  ];
  await Promise.all(
    servers.flatMap((server) =>
      questions.map(({ name, type }) =>
        scheduler.probe<DnsAnswer>(factKey.dnsAt(formatServer(server), name, type), (context) =>
          queryDns({ name, type, recursive: false }, [server], { ...context, egress }),
        ),
      ),
    ),
  );
}
