// Builds FactRecords for unit tests the way probes record them, one fluent line per question.

import { factKey } from '../../src/model/facts.js';
import type { DnsAnswer, DnsRcode, DnsRecord, DnsType, FactRecord, ProbeOutcome, TcpResult } from '../../src/model/facts.js';

/** The resolver the facts claim answered, unless a call names another. */
export const TEST_RESOLVER = '192.0.2.53:53';

/** `[priority, weight, port, target]`, in zone-file order. */
export type SrvTuple = [priority: number, weight: number, port: number, target: string];

export interface AnswerOptions {
  ttl?: number;
  /** The server that answered, `address:port`. */
  server?: string;
  authoritative?: boolean;
  /** CNAME targets followed from the asked name, in order; the records then belong to the last one. */
  cname?: string[];
}

const DEFAULT_TTL = 3600;

const CODE_BY_RESULT: Partial<Record<TcpResult, string>> = {
  refused: 'ECONNREFUSED',
  timeout: 'ETIMEDOUT',
  unreachable: 'EHOSTUNREACH',
  reset: 'ECONNRESET',
};

type CnameRecord = Extract<DnsRecord, { type: 'CNAME' }>;

export class FactBuilder {
  private readonly outcomes: FactRecord = {};

  /** The resolver's SRV answer; an empty list is NODATA. */
  srv(name: string, records: SrvTuple[], options: AnswerOptions = {}): this {
    const ttl = options.ttl ?? DEFAULT_TTL;
    const owner = chainEnd(name, options.cname);
    return this.answer(
      name,
      'SRV',
      'NOERROR',
      records.map(([priority, weight, port, target]) => ({ name: owner, ttl, type: 'SRV' as const, priority, weight, port, target })),
      options,
    );
  }

  a(name: string, addresses: string[], options: AnswerOptions = {}): this {
    return this.addresses(name, 'A', addresses, options);
  }

  aaaa(name: string, addresses: string[], options: AnswerOptions = {}): this {
    return this.addresses(name, 'AAAA', addresses, options);
  }

  ns(domain: string, hosts: string[], options: AnswerOptions = {}): this {
    const ttl = options.ttl ?? DEFAULT_TTL;
    return this.answer(domain, 'NS', 'NOERROR', hosts.map((target) => ({ name: domain, ttl, type: 'NS' as const, target })), options);
  }

  /** The name does not exist; with `cname`, an alias whose end does not exist. */
  nxdomain(name: string, type: DnsType, options: AnswerOptions = {}): this {
    return this.answer(name, type, 'NXDOMAIN', [], options);
  }

  /** The name exists without a record of this type. */
  nodata(name: string, type: DnsType, options: AnswerOptions = {}): this {
    return this.answer(name, type, 'NOERROR', [], options);
  }

  /** An answer with an error rcode (SERVFAIL, REFUSED...) and no records. */
  rcode(name: string, type: DnsType, rcode: DnsRcode, options: AnswerOptions = {}): this {
    return this.answer(name, type, rcode, [], options);
  }

  /** The question got no answer at all: timeout, network error. */
  dnsError(name: string, type: DnsType, reason: string, detail = `no answer from ${TEST_RESOLVER}`): this {
    return this.put(factKey.dns(name, type), { status: 'error', reason, detail });
  }

  dnsSkipped(name: string, type: DnsType, because: string): this {
    return this.put(factKey.dns(name, type), { status: 'skipped', because });
  }

  /** One authoritative server's own SRV answer; an empty list is NODATA. */
  srvAt(server: string, name: string, records: SrvTuple[], options: AnswerOptions = {}): this {
    const ttl = options.ttl ?? DEFAULT_TTL;
    const answer = makeAnswer(name, 'SRV', 'NOERROR', server, true, [], []);
    answer.records = records.map(([priority, weight, port, target]) => ({ name, ttl, type: 'SRV' as const, priority, weight, port, target }));
    return this.put(factKey.dnsAt(server, name, 'SRV'), { status: 'ok', facts: answer });
  }

  /** One authoritative server answering with an rcode and no records (NXDOMAIN, REFUSED, SERVFAIL). */
  rcodeAt(server: string, name: string, type: DnsType, rcode: DnsRcode): this {
    return this.put(factKey.dnsAt(server, name, type), { status: 'ok', facts: makeAnswer(name, type, rcode, server, rcode === 'NXDOMAIN', [], []) });
  }

  /** One authoritative server not answering at all. */
  dnsErrorAt(server: string, name: string, type: DnsType, reason: string, detail = `no answer from ${server}`): this {
    return this.put(factKey.dnsAt(server, name, type), { status: 'error', reason, detail });
  }

  soaAt(server: string, domain: string, serial: number): this {
    const soa: DnsRecord = {
      name: domain,
      ttl: DEFAULT_TTL,
      type: 'SOA',
      primary: `ns1.${domain}`,
      admin: `hostmaster.${domain}`,
      serial,
      refresh: 7200,
      retry: 900,
      expiration: 1209600,
      minimum: 300,
    };
    return this.put(factKey.dnsAt(server, domain, 'SOA'), { status: 'ok', facts: makeAnswer(domain, 'SOA', 'NOERROR', server, true, [], [soa]) });
  }

  tcp(address: string, port: number, result: TcpResult, options: { code?: string; elapsedMs?: number } = {}): this {
    const code = options.code ?? CODE_BY_RESULT[result];
    const facts = { address, port, family: address.includes(':') ? (6 as const) : (4 as const), result, elapsedMs: options.elapsedMs ?? 12 };
    return this.put(factKey.tcp(address, port), { status: 'ok', facts: code === undefined ? facts : { ...facts, code } });
  }

  tcpSkipped(address: string, port: number, because: string): this {
    return this.put(factKey.tcp(address, port), { status: 'skipped', because });
  }

  tcpError(address: string, port: number, reason: string, detail = 'the probe failed'): this {
    return this.put(factKey.tcp(address, port), { status: 'error', reason, detail });
  }

  /** A copy, so one builder can seed several cases. */
  build(): FactRecord {
    return structuredClone(this.outcomes);
  }

  private addresses(name: string, type: 'A' | 'AAAA', addresses: string[], options: AnswerOptions): this {
    const ttl = options.ttl ?? DEFAULT_TTL;
    const owner = chainEnd(name, options.cname);
    return this.answer(name, type, 'NOERROR', addresses.map((address) => ({ name: owner, ttl, type, address })), options);
  }

  private answer(name: string, type: DnsType, rcode: DnsRcode, records: DnsRecord[], options: AnswerOptions): this {
    const chain = cnameChain(name, options.cname, options.ttl ?? DEFAULT_TTL);
    const answer = makeAnswer(name, type, rcode, options.server ?? TEST_RESOLVER, options.authoritative ?? false, chain, records);
    return this.put(factKey.dns(name, type), { status: 'ok', facts: answer });
  }

  private put(key: string, outcome: ProbeOutcome<unknown>): this {
    this.outcomes[key] = outcome;
    return this;
  }
}

export function facts(): FactBuilder {
  return new FactBuilder();
}

function chainEnd(name: string, cname: string[] | undefined): string {
  return cname?.[cname.length - 1] ?? name;
}

function cnameChain(name: string, cname: string[] | undefined, ttl: number): CnameRecord[] {
  const owners = [name, ...(cname ?? [])];
  return (cname ?? []).map((target, index) => ({ name: owners[index] ?? name, ttl, type: 'CNAME', target }));
}

function makeAnswer(
  name: string,
  type: DnsType,
  rcode: DnsRcode,
  server: string,
  authoritative: boolean,
  chain: CnameRecord[],
  records: DnsRecord[],
): DnsAnswer {
  return { name, type, server, rcode, records, cnameChain: chain, authoritative, retriedOverTcp: false, elapsedMs: 3 };
}
