// The gathering plan for one target, as a dependency graph: each probe starts the moment its own inputs exist. An SRV
// answer starts its targets' A/AAAA lookups, each address its connection, an open connection its session (on that
// same connection), a session its TLS version probes, AIA fetch and revocation questions. The authoritative chain
// runs beside, never in front. Promise chains per branch, no barrier between stages; the scheduler dedupes by key.

import { ALL_NON_PUBLIC } from '../judge/address-scope.js';
import type { Vantage } from '../model/check.js';
import type { FactKind } from '../model/fact-kinds.js';
import { factKey } from '../model/facts.js';
import type { DnsAnswer, DnsType, ProbeOutcome, TcpConnectFacts } from '../model/facts.js';
import type { Endpoint, FederationHost } from '../model/listener.js';
import type { Scheduler } from './scheduler.js';
import { FEDERATION_SRV, clientNames, federationHosts, hostAddresses, hostEndpoints, internalPortsFor, srvName } from '../judge/services.js';
import type { ServiceRecordKind } from '../judge/services.js';
import type { Target } from '../model/target.js';
import { ADMINS_OWN, type Egress } from '../probes/connector.js';
import { addressLookup, queryDns } from '../probes/dns.js';
import { parseCertificate } from '../pki/certificate.js';
import { trustAnchors } from '../pki/trust.js';
import { formatServer } from '../probes/resolvers.js';
import type { DnsServer } from '../probes/resolvers.js';
import { connectTcp, openConnection } from '../probes/tcp.js';
import { gatherEndpoint } from './gather-sessions.js';
import type { SessionOptions } from './gather-sessions.js';
import { openConnectionsOf } from './open-connections.js';
import { gatherPlan, type GatherPlan } from './plan.js';

export interface GatherOptions extends Omit<SessionOptions, 'resolve' | 'egress' | 'plan' | 'connection'> {
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
  const plan = gatherPlan(options.needs);
  const resolve = (name: string, type: DnsType) =>
    scheduler.probe<DnsAnswer>(factKey.dns(name, type), (context) =>
      queryDns({ name, type, recursive: true }, options.resolvers, { ...context, egress: ADMINS_OWN }),
    );
  // Everything the partner's answers point at is connected to under the rule; a name (an AIA or CRL host) is
  // resolved through the run's resolver, the answer the report shows being the one connected to.
  const egress: Egress = { kind: 'partner', allowPrivate: options.allowPrivate, lookup: addressLookup(resolve) };
  const sessionOptions: SessionOptions = { ...options, resolve, egress, plan };
  const connections = openConnectionsOf(scheduler);
  const view = () => scheduler.view();

  // Hosts and endpoints are found as answers arrive; each is followed once, by the first answer that shows it.
  const followed = new Set<string>();
  const first = (key: string) => !followed.has(key) && Boolean(followed.add(key));

  /** The federation port: its connection, kept for the session when a check reads what the session leads to. */
  const reachEndpoint = async (endpoint: Endpoint): Promise<void> => {
    const { address, port, mode } = endpoint;
    const key = factKey.tcp(address, port);
    const speaks = plan.session(mode);
    const tcp = await scheduler.probe<TcpConnectFacts>(key, async (context) => {
      if (!speaks) return connectTcp(address, port, { ...context, egress });
      const { outcome, socket } = await openConnection(address, port, { ...context, egress });
      if (socket) connections.keep(key, socket);
      return outcome;
    });
    // Only ports that accepted a connection are spoken to.
    if (tcp.status === 'ok' && tcp.facts.result === 'open') {
      await gatherEndpoint(target, endpoint, scheduler, { ...sessionOptions, connection: () => connections.take(key) });
    }
    connections.release(key);
  };

  /** A port only connected to: an Edge's internal interface, probed with --vantage internal. */
  const reachPort = (address: string, port: number) =>
    scheduler.probe(factKey.tcp(address, port), (context) => connectTcp(address, port, { ...context, egress }));

  const reachAddresses = (host: FederationHost) =>
    Promise.all(
      hostEndpoints(target, host, view())
        .filter((endpoint) => first(`endpoint|${endpoint.mode}|${endpoint.host}|${endpoint.address}|${endpoint.port}`))
        .map((endpoint) => {
          const internal = options.vantage === 'internal' ? internalPortsFor([host.service]).map((p) => p.port) : [];
          return Promise.all([reachEndpoint(endpoint), ...internal.map((port) => reachPort(endpoint.address, port))]);
        }),
    );

  // Each of A and AAAA starts the connections to its own addresses as soon as it is answered.
  const reachHost = (host: FederationHost) =>
    Promise.all((['A', 'AAAA'] as const).map((type) => resolve(host.host, type).then(() => (plan.tcp ? reachAddresses(host) : undefined))));

  // At the start (a configured Edge needs no SRV) and after every SRV answer: the hosts not followed yet.
  const reachHosts = () =>
    Promise.all(
      federationHosts(target, view())
        .filter((host) => first(`host|${host.mode}|${host.host}|${host.port}`))
        .map(reachHost),
    );

  const srvNames = target.services.flatMap((service) => RECORD_KINDS[service].map((kind) => srvName(kind, target.domain)));
  const clientHosts = target.services.includes('sip')
    ? [clientNames(target.domain).sipHost, clientNames(target.domain).lyncdiscover]
    : [];

  await Promise.all([
    ...(plan.srv ? srvNames.map((name) => resolve(name, 'SRV').then(() => (plan.addresses ? reachHosts() : undefined))) : []),
    plan.addresses ? reachHosts() : undefined,
    ...(plan.clientHosts ? clientHosts.map((host) => resolve(host, 'A')) : []),
    plan.nameServers ? gatherAuthoritative(target, scheduler, options, plan, resolve, egress) : undefined,
  ]);
}

/** Asks each of the domain's name servers directly for the federation SRV records, to compare them. */
async function gatherAuthoritative(
  target: Target,
  scheduler: Scheduler,
  options: GatherOptions,
  plan: GatherPlan,
  resolve: (name: string, type: DnsType) => Promise<ProbeOutcome<DnsAnswer>>,
  egress: Egress,
): Promise<void> {
  const nsOutcome = await resolve(target.domain, 'NS');
  if (nsOutcome.status !== 'ok' || !plan.authoritative) return;
  const nameServers = nsOutcome.facts.records.flatMap((r) => (r.type === 'NS' ? [r.target] : []));
  const questions: { name: string; type: DnsType }[] = [
    { name: target.domain, type: 'SOA' },
    ...target.services.flatMap((service) =>
      FEDERATION_SRV[service].map((kind) => ({ name: srvName(kind, target.domain), type: 'SRV' as const })),
    ),
  ];
  // Each name server is asked as soon as its own addresses are known. One at an address the rule refuses is not
  // asked; its questions are recorded as skipped, with why.
  const ask = (host: string) =>
    Promise.all(
      hostAddresses(host, scheduler.view()).flatMap(({ address }) => {
        const server = { address, port: options.authoritativePort };
        return questions.map(({ name, type }) =>
          scheduler.probe<DnsAnswer>(factKey.dnsAt(formatServer(server), name, type), (context) =>
            queryDns({ name, type, recursive: false }, [server], { ...context, egress }),
          ),
        );
      }),
    );
  await Promise.all(nameServers.flatMap((host) => (['A', 'AAAA'] as const).map((type) => resolve(host, type).then(() => ask(host)))));
}
