// The protocol half of gathering: for one open federation port, the TLS session with the protocol answering behind
// it (SIP OPTIONS, XMPP s2s), the TLS versions accepted, the missing issuer from AIA, and with --revocation the
// leaf's OCSP status or CRL.

import type net from 'node:net';
import type { FactView } from '../model/facts.js';
import type { DnsAnswer, DnsType, ProbeOutcome } from '../model/facts.js';
import type { HttpFetchFacts, RevocationFacts, TlsSession } from '../model/protocol-facts.js';
import { protocolFactKey } from '../model/protocol-facts.js';
import { factKey } from '../model/facts.js';
import { CRL_MAX_BYTES, OCSP_MAX_BYTES, findIssuer, readOcsp } from '../judge/revocation.js';
import type { GatherPlan } from './plan.js';
import { endpointGatesOf } from './endpoint-gates.js';
import type { Scheduler } from './scheduler.js';
import type { Endpoint } from '../model/listener.js';
import { fromDomainToward } from '../model/target.js';
import type { Target } from '../model/target.js';
import { parseCertificate } from '../pki/certificate.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { analyzeChain, certificateFromIssuerFetch } from '../pki/chain.js';
import { ocspRequestDer } from '../pki/ocsp.js';
import { trustAnchors } from '../pki/trust.js';
import type { Egress } from '../probes/connector.js';
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
  /** --revocation: ask each leaf's OCSP responder, else fetch its CRL. */
  revocation?: boolean;
  /** The run's resolver (shared cache). */
  resolve: (name: string, type: DnsType) => Promise<ProbeOutcome<DnsAnswer>>;
  /** The egress every connection to the partner's endpoints, and to the URLs its certificates name, is made under. */
  egress: Egress;
  /** Which probes the enabled checks lead to. */
  plan: GatherPlan;
  /** The connection the TCP probe kept open to the endpoint, if it still is: the session speaks on it. */
  connection?: () => net.Socket | undefined;
}

/**
 * Everything behind one open federation port, each step as soon as its input exists: the session (on the connection
 * the TCP probe kept), then that endpoint's TLS version probes beside its AIA fetch and, after that fetch, --revocation.
 */
export async function gatherEndpoint(target: Target, endpoint: Endpoint, scheduler: Scheduler, options: SessionOptions): Promise<void> {
  const { plan } = options;
  const gates = endpointGatesOf(scheduler);
  const at = factKey.tcp(endpoint.address, endpoint.port);
  const session = plan.session(endpoint.mode)
    ? await gates.session(at, () => probeSession(target, endpoint, scheduler, options))
    : undefined;
  // The version probes wait for every session at this address and port (endpoint-gates.ts); no other endpoint waits.
  await Promise.all([
    plan.tlsVersions ? gates.versionProbe(at, () => probeVersions(target, endpoint, scheduler, options)) : undefined,
    session ? followCertificate(session, scheduler, options) : undefined,
  ]);
}

/** The leaf's missing issuer from AIA, then (after it: an issuer the peer left out is still the one OCSP and the CRL are checked against) revocation. */
async function followCertificate(session: TlsSession, scheduler: Scheduler, options: SessionOptions): Promise<void> {
  if (options.plan.aia) await fetchMissingIssuer(session, scheduler, options);
  if (options.revocation && options.plan.revocation) await checkRevocation(session, scheduler, options);
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** The SIP OPTIONS or XMPP stream of one endpoint; returns the TLS session when one was made. */
async function probeSession(target: Target, endpoint: Endpoint, scheduler: Scheduler, options: SessionOptions): Promise<TlsSession | undefined> {
  const { address, port, servername, mode } = endpoint;
  const tls = {
    extraCaPem: options.extraCaPem,
    ...optional('clientCertificate', options.clientCertificate),
  };
  const fromDomain = fromDomainToward(target, options.fromDomain);
  const { egress } = options;
  // The kept connection is taken when the probe starts, not when it is queued.
  if (mode === 'sip') {
    const outcome = await scheduler.probe(protocolFactKey.sip(target.domain, servername, address, port), (context) =>
      probeSipOptions(
        address,
        port,
        { servername, domain: target.domain, ...optional('fromDomain', fromDomain), ...tls },
        { ...context, egress },
        options.connection?.(),
      ),
    );
    return outcome.status === 'ok' ? outcome.facts.tls : undefined;
  }
  const xmppMode = mode === 'xmpp-starttls' ? 'starttls' : 'direct-tls';
  const outcome = await scheduler.probe(protocolFactKey.xmpp(xmppMode, target.domain, address, port), (context) =>
    probeXmpp(
      address,
      port,
      { domain: target.domain, mode: xmppMode, ...optional('fromDomain', fromDomain), ...tls },
      { ...context, egress },
      options.connection?.(),
    ),
  );
  return outcome.status === 'ok' ? outcome.facts.tls : undefined;
}

/** Which TLS versions the endpoint accepts, each on a connection of its own. */
async function probeVersions(target: Target, endpoint: Endpoint, scheduler: Scheduler, options: SessionOptions): Promise<void> {
  const { address, port, servername, service, mode } = endpoint;
  const fromDomain = fromDomainToward(target, options.fromDomain);
  await scheduler.probe(protocolFactKey.tlsVersions(service, servername, address, port), (context) =>
    probeTlsVersions(
      address,
      port,
      servername,
      mode === 'xmpp-starttls' ? xmppStartTlsPreamble(target.domain, fromDomain ?? 'fedcheck.invalid') : undefined,
      { extraCaPem: options.extraCaPem, ...(mode === 'xmpp-direct-tls' ? { alpn: ['xmpp-server'] } : {}) },
      { ...context, egress: options.egress },
    ),
  );
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
  await scheduler.probe(protocolFactKey.http(url), (context) => fetchBounded(url, { maxBytes: 64 * 1024 }, { ...context, egress: options.egress }));
}

const isHttp = (url: string): boolean => /^https?:\/\//i.test(url);

/**
 * --revocation for the session's leaf: its OCSP responder when it names one and the issuer is known, else (or when the
 * answer is of no use) its first http CRL. What was done is recorded under protocolFactKey.revocation.
 */
async function checkRevocation(session: TlsSession, scheduler: Scheduler, options: SessionOptions): Promise<void> {
  const [leafDer] = session.peerChain;
  if (leafDer === undefined) return;
  let leaf: CertificateInfo;
  try {
    leaf = parseCertificate(leafDer);
  } catch {
    return; // tls.certificate-chain reports an unreadable certificate
  }
  const key = protocolFactKey.revocation(leaf.fingerprints.sha256);
  const skip = (because: string) => scheduler.record<RevocationFacts>(key, { status: 'skipped', because });
  if (leaf.selfSigned) {
    await skip('the certificate is self-signed: there is no CA to revoke it');
    return;
  }
  const ocspUrl = leaf.aia.ocsp.find(isHttp);
  const crlUrl = leaf.crlDistributionPoints.find(isHttp);
  if (ocspUrl === undefined && crlUrl === undefined) {
    const ldap = leaf.crlDistributionPoints.length > 0 ? ` (only ${leaf.crlDistributionPoints.join(', ')}, which partners outside the domain cannot reach)` : '';
    await skip(`the certificate names neither an OCSP responder nor an http CRL distribution point${ldap}`);
    return;
  }
  const issuer = findIssuer(leafDer, issuerCandidates(session, leaf, scheduler.view()));
  const facts: RevocationFacts = { serialNumber: leaf.serialNumber, notes: [] };
  if (issuer) {
    facts.issuer = issuer.der;
    facts.issuerSource = issuer.source;
  }
  let crlNeeded = true;
  if (ocspUrl === undefined) facts.notes.push('the certificate names no OCSP responder');
  else if (!issuer) facts.notes.push(`OCSP not asked: a request names the issuer ${leaf.issuer}, which is neither sent nor known`);
  else {
    facts.ocspUrl = ocspUrl;
    const outcome = await askOcsp(ocspUrl, leafDer, leaf, issuer.der, scheduler, options);
    const reading = readOcsp(ocspUrl, outcome, leafDer, issuer.der, new Date());
    crlNeeded = reading.state !== 'answer' || reading.single.status === 'unknown';
  }
  if (crlNeeded && crlUrl === undefined) facts.notes.push('the certificate names no http CRL distribution point');
  else if (crlNeeded && crlUrl !== undefined) {
    facts.crlUrl = crlUrl;
    await scheduler.probe(protocolFactKey.http(crlUrl), (context) =>
      fetchBounded(crlUrl, { maxBytes: CRL_MAX_BYTES, accept: 'application/pkix-crl' }, { ...context, egress: options.egress }),
    );
  }
  await scheduler.record<RevocationFacts>(key, { status: 'ok', facts });
}

/** The OCSP POST for one leaf; the connector refuses a responder the egress rule forbids, as for AIA. */
async function askOcsp(
  url: string,
  leafDer: string,
  leaf: CertificateInfo,
  issuerDer: string,
  scheduler: Scheduler,
  options: SessionOptions,
) {
  const key = protocolFactKey.ocsp(url, leaf.serialNumber);
  let body: Buffer;
  try {
    body = ocspRequestDer(leafDer, issuerDer);
  } catch (error) {
    return scheduler.record<HttpFetchFacts>(key, { status: 'error', reason: 'ocsp-request', detail: (error as Error).message });
  }
  return scheduler.probe(key, (context) =>
    fetchBounded(
      url,
      { method: 'POST', body, contentType: 'application/ocsp-request', accept: 'application/ocsp-response', maxBytes: OCSP_MAX_BYTES },
      { ...context, egress: options.egress },
    ),
  );
}

/** Where the leaf's issuer may be: sent after it, added by Node from its trust store, or downloaded from AIA. */
function issuerCandidates(session: TlsSession, leaf: CertificateInfo, view: FactView) {
  const downloaded = leaf.aia.caIssuers.filter(isHttp).flatMap((url) => {
    const outcome = view.http(url);
    if (outcome?.status !== 'ok' || outcome.facts.status !== 200) return [];
    try {
      return certificateFromIssuerFetch(Buffer.from(outcome.facts.body, 'base64'), outcome.facts.contentType).map((info) => info.der);
    } catch {
      return [];
    }
  });
  return [
    ...session.peerChain.slice(1).map((der) => ({ der, source: 'chain' as const })),
    ...(session.trustStoreIssuers ?? []).map((der) => ({ der, source: 'trust-store' as const })),
    ...downloaded.map((der) => ({ der, source: 'aia' as const })),
  ];
}
