// The protocol half of gathering: for every open federation port, the TLS session with the protocol
// answering behind it (SIP OPTIONS, XMPP s2s), the TLS versions accepted, and the missing issuer from AIA.

import { isIP } from 'node:net';
import { mayConnect } from './address-scope.js';
import { FactView } from './facts.js';
import type { DnsAnswer, DnsType, ProbeOutcome } from './facts.js';
import type { HttpFetchFacts, TlsSession } from './protocol-facts.js';
import { protocolFactKey } from './protocol-facts.js';
import type { Scheduler } from './scheduler.js';
import { endpoints } from './services.js';
import type { Endpoint } from './services.js';
import type { Target } from './target.js';
import { analyzeChain } from '../pki/chain.js';
import { trustAnchors } from '../pki/trust.js';
import { fetchBounded } from '../probes/http.js';
import { probeSipOptions } from '../probes/sip.js';
import { probeTlsVersions } from '../probes/tls.js';
import type { ClientCertificate } from '../probes/tls.js';
import { probeXmpp, xmppStartTlsPreamble } from '../probes/xmpp.js';

export interface SessionOptions {
  allowPrivate: string[];
  /** --ca-file, PEM, trusted beside Node's roots. */
  extraCaPem: string[];
  /** The same certificates as base64 DER, for chain analysis. */
  extraTrustAnchors: string[];
  clientCertificate?: ClientCertificate;
  fromDomain?: string;
  /** The run's resolver (shared cache), to vet the hosts of AIA URLs before fetching. */
  resolve: (name: string, type: DnsType) => Promise<ProbeOutcome<DnsAnswer>>;
}

/** Runs after the TCP probes: only ports that accepted a connection are spoken to. */
export async function gatherSessions(target: Target, scheduler: Scheduler, options: SessionOptions): Promise<void> {
  const view = new FactView(scheduler.facts());
  const open = endpoints(target, view).filter((endpoint) => {
    const tcp = view.tcp(endpoint.address, endpoint.port);
    return tcp?.status === 'ok' && tcp.facts.result === 'open';
  });
  const sessions = await Promise.all(open.map((endpoint) => gatherEndpoint(target, endpoint, scheduler, options)));
  await Promise.all(
    sessions.flatMap((session) => (session ? [fetchMissingIssuer(session, scheduler, options)] : [])),
  );
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** The session and the version table of one endpoint; returns the TLS session when one was made. */
async function gatherEndpoint(
  target: Target,
  endpoint: Endpoint,
  scheduler: Scheduler,
  options: SessionOptions,
): Promise<TlsSession | undefined> {
  const { address, port, servername, service, mode } = endpoint;
  const tls = {
    extraCaPem: options.extraCaPem,
    ...optional('clientCertificate', options.clientCertificate),
  };
  const fromDomain = options.fromDomain;
  const versions = scheduler.probe(protocolFactKey.tlsVersions(service, servername, address, port), (context) =>
    probeTlsVersions(
      address,
      port,
      servername,
      mode === 'xmpp-starttls' ? xmppStartTlsPreamble(target.domain, fromDomain ?? 'fedcheck.invalid') : undefined,
      { extraCaPem: options.extraCaPem, ...(mode === 'xmpp-direct-tls' ? { alpn: ['xmpp-server'] } : {}) },
      context,
    ),
  );
  const session =
    mode === 'sip'
      ? scheduler
          .probe(protocolFactKey.sip(address, port), (context) =>
            probeSipOptions(
              address,
              port,
              { servername, domain: target.domain, ...optional('fromDomain', fromDomain), ...tls },
              context,
            ),
          )
          .then((outcome) => (outcome.status === 'ok' ? outcome.facts.tls : undefined))
      : scheduler
          .probe(
            protocolFactKey.xmpp(mode === 'xmpp-starttls' ? 'starttls' : 'direct-tls', target.domain, address, port),
            (context) =>
              probeXmpp(
                address,
                port,
                {
                  domain: target.domain,
                  mode: mode === 'xmpp-starttls' ? 'starttls' : 'direct-tls',
                  ...optional('fromDomain', fromDomain),
                  ...tls,
                },
                context,
              ),
          )
          .then((outcome) => (outcome.status === 'ok' ? outcome.facts.tls : undefined));
  const [tlsSession] = await Promise.all([session, versions]);
  return tlsSession;
}

/** When the peer left out an intermediate, fetch it from the leaf's AIA URL so the fix can name it. */
async function fetchMissingIssuer(session: TlsSession, scheduler: Scheduler, options: SessionOptions): Promise<void> {
  if (session.peerChain.length === 0) return;
  let missing;
  try {
    missing = analyzeChain(session.peerChain, new Date(), { anchors: trustAnchors(options.extraTrustAnchors) }).missingIssuer;
  } catch {
    return; // an unparseable chain is the checks' to report; there is nothing to fetch for it
  }
  const url = missing?.aiaCaIssuers.find((candidate) => /^https?:\/\//i.test(candidate));
  if (!url) return;
  const key = protocolFactKey.http(url);
  const blocked = await blockedHost(url, options);
  if (blocked) {
    await scheduler.record<HttpFetchFacts>(key, { status: 'skipped', because: blocked });
    return;
  }
  await scheduler.probe(key, (context) => fetchBounded(url, { maxBytes: 64 * 1024 }, context));
}

/**
 * A partner's certificate must not steer a run into the internal network either: an AIA host given as an
 * address, or resolving through the run's resolver to one, is only fetched when --allow-private covers it.
 */
async function blockedHost(url: string, options: SessionOptions): Promise<string | undefined> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses = [host];
  if (!isIP(host)) {
    const answers = await Promise.all([options.resolve(host, 'A'), options.resolve(host, 'AAAA')]);
    addresses = answers.flatMap((outcome) =>
      outcome.status === 'ok' ? outcome.facts.records.flatMap((r) => (r.type === 'A' || r.type === 'AAAA' ? [r.address] : [])) : [],
    );
    if (addresses.length === 0) return `${url}: ${host} has no address in DNS`;
  }
  const refused = addresses.find((address) => !mayConnect(address, options.allowPrivate));
  return refused === undefined ? undefined : `${url}: ${refused} is not a public address; not fetched without --allow-private`;
}
