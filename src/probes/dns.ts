// DNS probe: asks one question of a list of servers and records what came back, without judging it.
// dns2's Packet only encodes and decodes; the transport is ours so every exchange is bounded in time and bytes.

import type dgram from 'node:dgram';
import dns2 from 'dns2';
import type { DnsAnswer, DnsRecord, DnsType, ProbeOutcome } from '../model/facts.js';
import { ADMINS_OWN, openTcp, openUdp, type Egress, type Lookup, type NetContext } from './connector.js';
import { describeError } from '../model/errors.js';
import { formatServer, systemResolvers, type DnsServer } from './resolvers.js';

const { Packet } = dns2;
type Packet = InstanceType<typeof Packet>;
type Resource = Packet['answers'][number];

export interface DnsQuery {
  name: string;
  type: DnsType;
  recursive: boolean;
}

type CnameRecord = Extract<DnsRecord, { type: 'CNAME' }>;
/** truncated: marked truncated over TCP too; too-many-records: more answer records than MAX_RECORDS. */
type FailureReason = 'timeout' | 'network' | 'malformed' | 'truncated' | 'too-many-records' | 'egress';

/** Answer records read per message: more is a hostile or broken zone, named as such rather than judged in part. */
export const MAX_RECORDS = 100;
const MAX_CNAME_HOPS = 8;
const HEADER_BYTES = 12;
// The smallest question (root name, type, class) and the smallest record (root name, fixed fields, no rdata).
const MIN_QUESTION_BYTES = 5;
const MIN_RECORD_BYTES = 11;

const RCODE_NAMES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
};

/** Why one exchange with one server gave no usable answer: the documented error of the message reader. */
export class ExchangeFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

interface Exchange {
  response: Packet;
  server: DnsServer;
  retriedOverTcp: boolean;
}

export async function queryDns(query: DnsQuery, servers: DnsServer[], context: NetContext): Promise<ProbeOutcome<DnsAnswer>> {
  const startedAt = performance.now();
  const name = normalizeName(query.name);
  const invalid = invalidNameReason(name);
  if (invalid) return { status: 'error', reason: 'invalid-name', detail: `cannot ask about "${query.name}": ${invalid}` };
  if (servers.length === 0) return { status: 'error', reason: 'network', detail: 'no DNS server to ask' };

  const deadline = startedAt + context.timeoutMs;
  const cnameChain: CnameRecord[] = [];
  const seen = new Set([name]);
  let owner = name;
  let retriedOverTcp = false;
  for (;;) {
    const exchange = await askServers({ ...query, name: owner }, servers, context, deadline);
    if (!('response' in exchange)) return exchange;
    retriedOverTcp ||= exchange.retriedOverTcp;
    const { response } = exchange;
    const rcode = RCODE_NAMES[response.header.rcode] ?? `RCODE${response.header.rcode}`;
    const answers = response.answers.map(toDnsRecord).filter((r): r is DnsRecord => r !== undefined);
    const walked = walkCnames(answers, owner, query.type, cnameChain, seen);
    if (walked === 'loop') {
      return { status: 'error', reason: 'cname-loop', detail: `CNAME loop or chain longer than ${MAX_CNAME_HOPS}: ${describeChain(name, cnameChain)}` };
    }
    // An answer that stops at a CNAME target without its records leaves the rest of the chain to us.
    if (walked.records.length === 0 && rcode === 'NOERROR' && walked.owner !== owner) {
      owner = walked.owner;
      continue;
    }
    return {
      status: 'ok',
      facts: {
        name,
        type: query.type,
        server: formatServer(exchange.server),
        rcode,
        records: walked.records.slice(0, MAX_RECORDS),
        cnameChain,
        authoritative: response.header.aa === 1,
        retriedOverTcp,
        elapsedMs: Math.round(performance.now() - startedAt),
      },
    };
  }
}

/** Follows CNAMEs in one answer section from `start`; appends to `chain` and `seen` as it goes. */
function walkCnames(answers: DnsRecord[], start: string, type: DnsType, chain: CnameRecord[], seen: Set<string>) {
  let owner = start;
  for (;;) {
    const records = answers.filter((r) => r.name === owner && r.type === type);
    if (records.length > 0 || type === 'CNAME') return { owner, records };
    const cname = answers.find((r): r is CnameRecord => r.type === 'CNAME' && r.name === owner);
    if (!cname) return { owner, records };
    chain.push(cname);
    if (chain.length > MAX_CNAME_HOPS || seen.has(cname.target)) return 'loop' as const;
    seen.add(cname.target);
    owner = cname.target;
  }
}

function describeChain(start: string, chain: CnameRecord[]): string {
  return [start, ...chain.map((r) => r.target)].join(' → ');
}

/** Asks each server in turn until one answers; a failure moves on to the next server. */
async function askServers(
  query: DnsQuery,
  servers: DnsServer[],
  context: NetContext,
  deadline: number,
): Promise<Exchange | Extract<ProbeOutcome<DnsAnswer>, { status: 'error' | 'skipped' }>> {
  // Each server gets a share of the probe's time, so a dead first server leaves time for the others.
  const shareMs = Math.ceil(context.timeoutMs / servers.length);
  const failures: { server: DnsServer; failure: ExchangeFailure }[] = [];
  for (const server of servers) {
    if (context.signal.aborted) break;
    const budget = () => Math.min(shareMs, deadline - performance.now());
    try {
      return await askServer(query, server, budget, context);
    } catch (error) {
      const failure = error instanceof ExchangeFailure ? error : new ExchangeFailure('network', describeError(error));
      failures.push({ server, failure });
    }
  }
  const first = failures[0];
  if (!first) return { status: 'error', reason: 'timeout', detail: `aborted before asking for ${query.name} ${query.type}` };
  const detail = failures.map(({ server, failure }) => `${formatServer(server)}: ${failure.message}`).join('; ');
  // Not asked at all: the egress rule refused every server, which is no failure of theirs.
  if (failures.every(({ failure }) => failure.reason === 'egress')) return { status: 'skipped', because: `${query.name} ${query.type} not asked: ${detail}` };
  // The first server is the one the run prefers, so its failure names the outcome.
  return { status: 'error', reason: first.failure.reason, detail: `no answer for ${query.name} ${query.type} (${detail})` };
}

async function askServer(query: DnsQuery, server: DnsServer, budget: () => number, context: NetContext): Promise<Exchange> {
  const request = encodeQuery(query);
  const { signal, egress } = context;
  const overUdp = validateResponse(await exchangeUdp(server, request.bytes, budget(), signal, egress), request.id, query);
  if (overUdp.header.tc !== 1) return { response: overUdp, server, retriedOverTcp: false };
  const overTcp = validateResponse(await exchangeTcp(server, request.bytes, budget(), signal, egress), request.id, query);
  // TCP carries up to 65535 bytes, so a truncated answer there has no complete form to read: not NODATA.
  if (overTcp.header.tc === 1) throw new ExchangeFailure('truncated', 'truncated twice: the answer is marked truncated over UDP and over TCP too');
  return { response: overTcp, server, retriedOverTcp: true };
}

function encodeQuery(query: DnsQuery): { id: number; bytes: Buffer } {
  const packet = new Packet();
  const id = Packet.uuid();
  packet.header = new Packet.Header({ id, rd: query.recursive ? 1 : 0 });
  packet.questions.push(new Packet.Question(query.name, Packet.TYPE[query.type], Packet.CLASS.IN));
  return { id, bytes: packet.toBuffer() };
}

/** Reads one response to `query`; anything unusable throws an ExchangeFailure, never another error. */
export function validateResponse(bytes: Buffer, id: number, query: DnsQuery): Packet {
  if (bytes.length < HEADER_BYTES) throw new ExchangeFailure('malformed', `answer of ${bytes.length} bytes is shorter than a DNS header`);
  const header = Packet.Header.parse(bytes);
  if (header.id !== id) throw new ExchangeFailure('malformed', `answer id ${header.id} does not match the query id ${id}`);
  if (header.qr !== 1) throw new ExchangeFailure('malformed', 'the reply is not marked as a response');
  // Checked before decoding so a header announcing 65535 records in a tiny message costs nothing.
  const minimumBytes = HEADER_BYTES + header.qdcount * MIN_QUESTION_BYTES + (header.ancount + header.nscount + header.arcount) * MIN_RECORD_BYTES;
  if (minimumBytes > bytes.length) throw new ExchangeFailure('malformed', `the header announces more records than ${bytes.length} bytes can hold`);
  if (header.ancount > MAX_RECORDS) {
    throw new ExchangeFailure('too-many-records', `the answer holds ${header.ancount} records; fedcheck reads at most ${MAX_RECORDS} per answer`);
  }
  let packet: Packet;
  try {
    packet = Packet.parse(bytes);
  } catch (error) {
    throw new ExchangeFailure('malformed', `undecodable answer: ${describeError(error)}`);
  }
  // dns2 skips records it cannot decode, so a short section means a broken message.
  const sections = [packet.questions.length === header.qdcount, packet.answers.length === header.ancount, packet.authorities.length === header.nscount, packet.additionals.length === header.arcount];
  if (sections.includes(false)) throw new ExchangeFailure('malformed', 'undecodable records in the answer');
  checkQuestion(packet, query);
  return packet;
}

function checkQuestion(packet: Packet, query: DnsQuery): void {
  // Some servers leave the question out of an error reply; an answer with data must echo it.
  if (packet.questions.length === 0 && packet.header.rcode !== 0) return;
  const [question] = packet.questions;
  const matches =
    packet.questions.length === 1 &&
    question !== undefined &&
    normalizeName(question.name) === query.name &&
    question.type === Packet.TYPE[query.type] &&
    question.class === Packet.CLASS.IN;
  if (!matches) throw new ExchangeFailure('malformed', `the answer is for another question than ${query.name} ${query.type}`);
}

function exchangeUdp(server: DnsServer, request: Buffer, budgetMs: number, signal: AbortSignal, egress: Egress): Promise<Buffer> {
  let connected: (error?: Error) => void = () => undefined;
  const opened = openUdp(server.address, server.port, egress, (error) => connected(error));
  if ('refused' in opened) return Promise.reject(new ExchangeFailure('egress', opened.refused));
  const socket: dgram.Socket = opened.socket;
  const release = () => {
    try {
      socket.close();
    } catch {
      // Already closed by an earlier error: nothing left to free.
    }
  };
  return bounded(budgetMs, signal, release, (resolve, reject) => {
    socket.once('error', (error) => reject(networkFailure(error)));
    // A connected socket only accepts datagrams from the server asked, and hears its port-unreachable.
    socket.once('message', (datagram) => resolve(datagram));
    connected = (error) => {
      if (error) return reject(networkFailure(error));
      socket.send(request, (sendError) => sendError && reject(networkFailure(sendError)));
    };
  });
}

function exchangeTcp(server: DnsServer, request: Buffer, budgetMs: number, signal: AbortSignal, egress: Egress): Promise<Buffer> {
  const opened = openTcp(server.address, server.port, egress);
  if ('refused' in opened) return Promise.reject(new ExchangeFailure('egress', opened.refused));
  const { socket } = opened;
  return bounded(budgetMs, signal, () => socket.destroy(), (resolve, reject) => {
    let received = Buffer.alloc(0);
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(request.length);
    socket.once('connect', () => socket.write(Buffer.concat([prefix, request])));
    socket.once('error', (error) => reject(networkFailure(error)));
    socket.once('close', () => {
      const what = received.length === 0 ? 'network' : 'malformed';
      reject(new ExchangeFailure(what, `connection closed after ${received.length} bytes, before a complete answer`));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2) return;
      // The 2-byte prefix caps an answer at 65535 bytes; nothing past the announced length is kept.
      const length = received.readUInt16BE(0);
      if (length < HEADER_BYTES) return reject(new ExchangeFailure('malformed', `announced answer length ${length} is shorter than a DNS header`));
      if (received.length >= 2 + length) resolve(received.subarray(2, 2 + length));
    });
  });
}

type Settle = (resolve: (value: Buffer) => void, reject: (failure: ExchangeFailure) => void) => void;

/** Runs one exchange under a timer and the probe's signal; `release` frees the socket however it ends. */
function bounded(budgetMs: number, signal: AbortSignal, release: () => void, start: Settle): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      release();
      outcome();
    };
    const onAbort = () => finish(() => reject(new ExchangeFailure('timeout', `aborted: ${describeError(signal.reason)}`)));
    const timer = setTimeout(() => finish(() => reject(new ExchangeFailure('timeout', `no answer within ${Math.round(budgetMs)} ms`))), Math.max(budgetMs, 0));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      start(
        (value) => finish(() => resolve(value)),
        (failure) => finish(() => reject(failure)),
      );
    } catch (error) {
      // A socket call that throws at once (a port of 0, an address family mismatch) is this server's failure.
      finish(() => reject(new ExchangeFailure('network', describeError(error))));
    }
  });
}

function networkFailure(error: NodeJS.ErrnoException): ExchangeFailure {
  return new ExchangeFailure('network', error.code ?? error.message);
}

function toDnsRecord(resource: Resource): DnsRecord | undefined {
  if (resource.class !== Packet.CLASS.IN) return undefined;
  const base = { name: normalizeName(resource.name), ttl: resource.ttl };
  switch (resource.type) {
    case Packet.TYPE.A:
      return { ...base, type: 'A', address: resource.address ?? '' };
    case Packet.TYPE.AAAA:
      return { ...base, type: 'AAAA', address: resource.address ?? '' };
    case Packet.TYPE.CNAME:
      return { ...base, type: 'CNAME', target: normalizeName(resource.domain ?? '') };
    case Packet.TYPE.NS:
      return { ...base, type: 'NS', target: normalizeName(resource.ns ?? '') };
    case Packet.TYPE.SRV:
      return { ...base, type: 'SRV', priority: resource.priority ?? 0, weight: resource.weight ?? 0, port: resource.port ?? 0, target: normalizeName(resource.target ?? '') };
    case Packet.TYPE.TXT:
      // dns2 joins a record's character-strings into one string.
      return { ...base, type: 'TXT', text: Array.isArray(resource.data) ? resource.data.join('') : (resource.data ?? '') };
    case Packet.TYPE.SOA:
      return {
        ...base,
        type: 'SOA',
        primary: normalizeName(resource.primary ?? ''),
        admin: normalizeName(resource.admin ?? ''),
        serial: resource.serial ?? 0,
        refresh: resource.refresh ?? 0,
        retry: resource.retry ?? 0,
        expiration: resource.expiration ?? 0,
        minimum: resource.minimum ?? 0,
      };
    default:
      return undefined;
  }
}

/** Lower case without the trailing dot; the root (dns2 decodes it as "") stays ".". */
function normalizeName(name: string): string {
  const trimmed = name.toLowerCase().replace(/\.$/, '');
  return trimmed === '' ? '.' : trimmed;
}

function invalidNameReason(name: string): string | undefined {
  if (name === '.') return 'the root is not a name to check';
  if (name.length > 253) return 'longer than 253 characters';
  for (const label of name.split('.')) {
    if (label.length === 0) return 'empty label';
    if (label.length > 63) return `label "${label}" is longer than 63 characters`;
    if (!/^[\x21-\x7e]+$/.test(label)) return `label "${label}" has characters other than printable ASCII`;
  }
  return undefined;
}

type Resolve = (name: string, type: 'A' | 'AAAA') => Promise<ProbeOutcome<DnsAnswer>>;

/** The connector's name lookup from DNS answers: the A addresses, then the AAAA ones, of a host name. */
export function addressLookup(resolve: Resolve): Lookup {
  return async (host) => {
    const answers = await Promise.all([resolve(host, 'A'), resolve(host, 'AAAA')]);
    const failed = answers.find((outcome) => outcome.status !== 'ok');
    const addresses = answers.flatMap((outcome) =>
      outcome.status === 'ok' ? outcome.facts.records.flatMap((r) => (r.type === 'A' || r.type === 'AAAA' ? [r.address] : [])) : [],
    );
    if (addresses.length === 0 && failed?.status === 'error') return { error: `cannot resolve ${host}: ${failed.detail}` };
    return addresses;
  };
}

/** A lookup that asks `servers` (the admin's resolvers) directly, for commands that have no scheduler. */
export function resolverLookup(servers: DnsServer[], timeoutMs: number): Lookup {
  return (host, signal) =>
    addressLookup((name, type) =>
      queryDns({ name, type, recursive: true }, servers, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), timeoutMs, egress: ADMINS_OWN }),
    )(host, signal);
}

/** As `check` without --resolver: a lookup asking the system's resolvers (resolv.conf), through fedcheck's own DNS client. */
export function systemLookup(timeoutMs: number): Lookup {
  return (host, signal) => {
    let servers: DnsServer[];
    try {
      servers = systemResolvers();
    } catch (error) {
      return Promise.resolve({ error: `cannot resolve ${host}: ${describeError(error)}` });
    }
    return resolverLookup(servers, timeoutMs)(host, signal);
  };
}
