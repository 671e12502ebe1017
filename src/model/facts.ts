// Facts: what the probes saw, as plain JSON-serializable objects. Probes write them, checks read them.

import type {
  HttpFetchFacts,
  LocalCertificateFacts,
  RevocationFacts,
  SipProbeFacts,
  TlsVersionSupport,
  XmppProbeFacts,
} from './protocol-facts.js';
import { protocolFactKey } from './protocol-facts.js';
import type { FactAccess, FactKind } from './fact-kinds.js';
import { UndeclaredFactError } from './fact-kinds.js';
import type { NextHopFacts, PartnerHosting, PolicyFacts } from './policy-facts.js';

/**
 * The outcome of one probe: what it saw, why it could not see, or why it did not look. `retried` says why the
 * scheduler ran it a second time (a timeout while this machine's event loop was saturated), when it did.
 */
export type ProbeOutcome<F> =
  | { status: 'ok'; facts: F; retried?: string }
  | { status: 'error'; reason: string; detail: string; retried?: string }
  | { status: 'skipped'; because: string };

export type DnsType = 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'NS' | 'SOA' | 'TXT';

export type DnsRecord =
  | { name: string; ttl: number; type: 'A' | 'AAAA'; address: string }
  | { name: string; ttl: number; type: 'CNAME'; target: string }
  | { name: string; ttl: number; type: 'NS'; target: string }
  | { name: string; ttl: number; type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { name: string; ttl: number; type: 'TXT'; text: string }
  | {
      name: string;
      ttl: number;
      type: 'SOA';
      primary: string;
      admin: string;
      serial: number;
      refresh: number;
      retry: number;
      expiration: number;
      minimum: number;
    };

export type SrvRecord = Extract<DnsRecord, { type: 'SRV' }>;

/** The rcode as a name; anything unlisted is kept as `RCODE<n>`. */
export type DnsRcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'FORMERR' | 'NOTIMP' | string;

/** One answered DNS question. A timeout or a network error is a probe error, not a DnsAnswer. */
export interface DnsAnswer {
  name: string;
  type: DnsType;
  /** The server that answered, `address:port`. */
  server: string;
  rcode: DnsRcode;
  /** Records of the asked type at the end of the CNAME chain (empty for NODATA / NXDOMAIN). */
  records: DnsRecord[];
  /** The CNAME records followed from `name` to the final owner, in order. */
  cnameChain: Extract<DnsRecord, { type: 'CNAME' }>[];
  authoritative: boolean;
  /** True when the UDP answer was truncated and the question was asked again over TCP. */
  retriedOverTcp: boolean;
  elapsedMs: number;
}

export type TcpResult = 'open' | 'refused' | 'timeout' | 'unreachable' | 'reset' | 'error';

export interface TcpConnectFacts {
  address: string;
  port: number;
  family: 4 | 6;
  result: TcpResult;
  /** The system error code (ECONNREFUSED, EHOSTUNREACH...) when it failed. */
  code?: string;
  elapsedMs: number;
}

/** Fact keys: one string per question, so a run asks each question once and a replay finds it again. */
export const factKey = {
  /** A question to the run's resolver. */
  dns: (name: string, type: DnsType): string => `dns:${type}:${name}`,
  /** A question to one named server (an authoritative name server), without recursion. */
  dnsAt: (server: string, name: string, type: DnsType): string => `dns@${server}:${type}:${name}`,
  tcp: (address: string, port: number): string => `tcp:${formatHostPort(address, port)}`,
};

export function formatHostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** What a probe is given: its abort signal and its time limit. */
export interface ProbeContext {
  signal: AbortSignal;
  timeoutMs: number;
}

export type FactRecord = Record<string, ProbeOutcome<unknown>>;

/** The policy config a policy check judges, and the partners `policy explain` asked about (all watched ones when absent). */
export type PolicyView = Pick<PolicyFacts, 'config' | 'partners'>;

type AuthoritativeAnswer = { server: string; outcome: ProbeOutcome<DnsAnswer> };

const DNS_TYPES: readonly DnsType[] = ['A', 'AAAA', 'CNAME', 'SRV', 'NS', 'SOA', 'TXT'];

/**
 * What no single key answers, indexed at the first question and then shared by every view of the same record (the
 * views a run makes per domain and per check), so a question costs what its answer holds, not the whole run's facts.
 */
class FactIndex {
  private authoritative?: Map<string, AuthoritativeAnswer[]>;

  constructor(private readonly outcomes: Readonly<FactRecord>) {}

  /** The answers of `dns@<server>:<type>:<name>` keys by type and name, each list sorted by server. */
  answersAt(type: DnsType, name: string): readonly AuthoritativeAnswer[] {
    this.authoritative ??= indexAuthoritative(this.outcomes);
    return this.authoritative.get(`${type}:${name}`) ?? [];
  }
}

/**
 * Every way a `dns@` key reads as server, type and name: the server (`address:port`) may hold colons, so each
 * `:<type>:` in the key is a split, as a key that ends with `:<type>:<name>` would match a scan for that name.
 */
function indexAuthoritative(outcomes: Readonly<FactRecord>): Map<string, AuthoritativeAnswer[]> {
  const index = new Map<string, AuthoritativeAnswer[]>();
  for (const [key, outcome] of Object.entries(outcomes)) {
    if (!key.startsWith('dns@')) continue;
    for (const type of DNS_TYPES) {
      const marker = `:${type}:`;
      for (let at = key.indexOf(marker, 4); at !== -1; at = key.indexOf(marker, at + 1)) {
        const question = `${type}:${key.slice(at + marker.length)}`;
        const answers = index.get(question) ?? [];
        answers.push({ server: key.slice(4, at), outcome: outcome as ProbeOutcome<DnsAnswer> });
        index.set(question, answers);
      }
    }
  }
  for (const answers of index.values()) answers.sort((a, b) => a.server.localeCompare(b.server));
  return index;
}

/**
 * Read-only, typed access to a run's facts, for checks. Each accessor reads one FactKind; a view made `for` a check
 * refuses a kind the check does not declare, so what a check reads is what its meta.requires says. The record must
 * not change once a view of it has answered an indexed question (dnsAtEveryServer): a record still being gathered
 * is read through a new view each time (Scheduler.view).
 */
export class FactView {
  private readonly index: FactIndex;

  constructor(
    private readonly outcomes: Readonly<FactRecord>,
    /** What the policy checks read beside the probes' outcomes; absent outside `policy lint`, `policy explain` and `run`. */
    private readonly policyFacts?: PolicyFacts,
    private readonly access: FactAccess = {},
    index?: FactIndex,
  ) {
    this.index = index ?? new FactIndex(outcomes);
  }

  /** The same facts, readable only as the check declares; a read is still told to this view's observer. */
  forCheck(check: { meta: { id: string; requires: readonly FactKind[] } }): FactView {
    const access: FactAccess = { ...this.access, checkId: check.meta.id, declared: new Set(check.meta.requires) };
    return new FactView(this.outcomes, this.policyFacts, access, this.index);
  }

  /** The same facts, with every read told to `observe` (before a view `for` a check allows or refuses it). */
  observed(observe: (kind: FactKind) => void): FactView {
    return new FactView(this.outcomes, this.policyFacts, { ...this.access, observe }, this.index);
  }

  /** The same facts for the engine's own derivations (the presented chains): neither restricted nor observed. */
  whole(): FactView {
    return new FactView(this.outcomes, this.policyFacts, {}, this.index);
  }

  /** What the engine hands a check beside the facts (the presented chains) is read as this kind: declared and seen. */
  readHanded(kind: FactKind): void {
    this.read(kind);
  }

  private read(kind: FactKind): void {
    this.access.observe?.(kind);
    const { declared, checkId } = this.access;
    if (declared !== undefined && !declared.has(kind)) throw new UndeclaredFactError(checkId ?? 'a check', kind);
  }

  /** The resolver's answer, or undefined when the question was never asked in this run. */
  dns(name: string, type: DnsType): ProbeOutcome<DnsAnswer> | undefined {
    this.read(`dns:${type}`);
    return this.outcomes[factKey.dns(name, type)] as ProbeOutcome<DnsAnswer> | undefined;
  }

  dnsAt(server: string, name: string, type: DnsType): ProbeOutcome<DnsAnswer> | undefined {
    this.read(`dns@:${type}`);
    return this.outcomes[factKey.dnsAt(server, name, type)] as ProbeOutcome<DnsAnswer> | undefined;
  }

  tcp(address: string, port: number): ProbeOutcome<TcpConnectFacts> | undefined {
    this.read('tcp');
    return this.outcomes[factKey.tcp(address, port)] as ProbeOutcome<TcpConnectFacts> | undefined;
  }

  /** The OPTIONS asked for `domain` with SNI `servername`; in facts saved before the key named them, the one by address. */
  sip(domain: string, servername: string, address: string, port: number): ProbeOutcome<SipProbeFacts> | undefined {
    this.read('sip');
    const outcome = this.outcomes[protocolFactKey.sip(domain, servername, address, port)] ?? this.outcomes[`sip:${formatHostPort(address, port)}`];
    return outcome as ProbeOutcome<SipProbeFacts> | undefined;
  }

  xmpp(mode: XmppProbeFacts['mode'], domain: string, address: string, port: number): ProbeOutcome<XmppProbeFacts> | undefined {
    this.read('xmpp');
    return this.outcomes[protocolFactKey.xmpp(mode, domain, address, port)] as ProbeOutcome<XmppProbeFacts> | undefined;
  }

  tlsVersions(
    service: 'sip' | 'xmpp',
    servername: string,
    address: string,
    port: number,
  ): ProbeOutcome<TlsVersionSupport> | undefined {
    this.read('tls-versions');
    return this.outcomes[protocolFactKey.tlsVersions(service, servername, address, port)] as
      | ProbeOutcome<TlsVersionSupport>
      | undefined;
  }

  http(url: string): ProbeOutcome<HttpFetchFacts> | undefined {
    this.read('http');
    return this.outcomes[protocolFactKey.http(url)] as ProbeOutcome<HttpFetchFacts> | undefined;
  }

  localCertificate(role: 'client'): ProbeOutcome<LocalCertificateFacts> | undefined {
    this.read('local-certificate');
    return this.outcomes[protocolFactKey.localCertificate(role)] as ProbeOutcome<LocalCertificateFacts> | undefined;
  }

  ocsp(url: string, serialNumber: string): ProbeOutcome<HttpFetchFacts> | undefined {
    this.read('ocsp');
    return this.outcomes[protocolFactKey.ocsp(url, serialNumber)] as ProbeOutcome<HttpFetchFacts> | undefined;
  }

  /** What --revocation did for the leaf with this SHA-256 fingerprint; undefined when revocation was not checked. */
  revocation(leafSha256: string): ProbeOutcome<RevocationFacts> | undefined {
    this.read('revocation');
    return this.outcomes[protocolFactKey.revocation(leafSha256)] as ProbeOutcome<RevocationFacts> | undefined;
  }

  /** The policy config; undefined when these facts are a domain's, not a policy lint's. */
  policy(): PolicyView | undefined {
    this.read('policy');
    if (this.policyFacts === undefined) return undefined;
    const { config, partners } = this.policyFacts;
    return partners === undefined ? { config } : { config, partners };
  }

  /** Where each partner's SIP federation SRV record points; undefined when the partners' DNS was not asked. */
  partnerHosting(): PartnerHosting | undefined {
    this.read('partner-hosting');
    return this.policyFacts?.partnerHosting;
  }

  /** The Cisco next hops as probed, by nextHopKey(route); undefined when they were not probed. */
  nextHops(): NextHopFacts | undefined {
    this.read('cisco-next-hops');
    return this.policyFacts?.nextHops;
  }

  /** Every authoritative server asked about `name`/`type`, with its answer. */
  dnsAtEveryServer(name: string, type: DnsType): AuthoritativeAnswer[] {
    this.read(`dns@:${type}`);
    return [...this.index.answersAt(type, name)];
  }
}
