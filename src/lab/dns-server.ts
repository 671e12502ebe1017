// The lab's authoritative DNS server: dns2's UDP and TCP servers answering from parsed zone files.
//
// Each view is one loopback address with its own zones; all views share one port, so a view stands for a
// name server host. Answers follow an authoritative server (and Knot, which the interop test compares with):
// AA set, CNAMEs followed only inside the zone that holds them, NXDOMAIN / NODATA with the zone's SOA in the
// authority section, NODATA for empty non-terminals, REFUSED outside the view's zones.
// Not supported: wildcards, delegation below the apex (NS records there are plain data), DNSSEC, transfers;
// ANY and types other than SOA NS A AAAA CNAME SRV TXT get NODATA.
//
// Faults, for scenarios that need a broken name server: a TXT record at a zone's apex
//   "fedcheck-lab: servfail <name>"   answers SERVFAIL for exactly that name, whatever the type;
//   "fedcheck-lab: silent <name>"     never answers for that name, so the client times out;
//   "fedcheck-lab: truncated <name>"  answers with the TC flag and no records, over UDP and TCP alike.
// <name> is absolute (trailing dot optional); a name outside the zone is read relative to its apex.
// The fault records are also served as ordinary TXT records.

import type { Socket } from 'node:net';
import net from 'node:net';
import dns2 from 'dns2';
import type { DnsRecord, DnsType } from '../model/facts.js';
import { afterDelay } from './delay.js';
import type { LabDelay } from './delay.js';
import type { Zone } from './zone-file.js';

const { Packet } = dns2;
type Packet = InstanceType<typeof Packet>;

export interface LabDnsView {
  address: string;
  zones: Zone[];
}

export interface LabDnsServer {
  port: number;
  close(): Promise<void>;
}

// dns2 has Packet.RCODE at run time but not in its type declarations.
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const PORT_ATTEMPTS = 8;
const MAX_CNAME_HOPS = 8;
const TXT_STRING_BYTES = 255;
const FAULT_PATTERN = /^fedcheck-lab:\s*(\S+)\s+(\S+)\s*$/;
const SUPPORTED_TYPES: DnsType[] = ['A', 'AAAA', 'CNAME', 'SRV', 'NS', 'SOA', 'TXT'];

interface IndexedZone {
  origin: string;
  soa: Extract<DnsRecord, { type: 'SOA' }> | undefined;
  byName: Map<string, DnsRecord[]>;
  /** Names with no records of their own but records below them (such as _tcp.example.lab). */
  emptyNonTerminals: Set<string>;
}

interface PreparedView {
  address: string;
  /** Longest origin first, so the most specific zone answers. */
  zones: IndexedZone[];
  servfail: Set<string>;
  silent: Set<string>;
  truncated: Set<string>;
}

interface Reply {
  rcode: number;
  authoritative: boolean;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  truncated?: boolean;
}

interface ViewListener {
  port: number;
  close(): Promise<void>;
}

/** `delay`: every answer sent that much later (see delay.ts). */
export async function startLabDns(views: LabDnsView[], options: { port?: number; delay?: LabDelay } = {}): Promise<LabDnsServer> {
  if (views.length === 0) throw new Error('the lab DNS server needs at least one view');
  const prepared = views.map(prepareView);
  // A chosen port is taken as is; an ephemeral one may be free on the first address and busy on another.
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const listeners: ViewListener[] = [];
    try {
      let port = options.port ?? 0;
      for (const view of prepared) {
        const listener = await listenView(view, port, options.delay);
        listeners.push(listener);
        port = listener.port;
      }
      return { port, close: () => closeAll(listeners) };
    } catch (error) {
      await closeAll(listeners);
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      lastError = error;
    }
  }
  throw lastError;
}

async function closeAll(listeners: ViewListener[]): Promise<void> {
  await Promise.all(listeners.map((listener) => listener.close()));
}

async function listenView(view: PreparedView, port: number, delay: LabDelay | undefined): Promise<ViewListener> {
  const udp = new dns2.UDPServer({ type: net.isIPv6(view.address) ? 'udp6' : 'udp4' });
  const tcp = new dns2.TCPServer();
  // dns2 keeps a TCP connection open for its idle timeout; closing the lab must not wait for that.
  const connections = new Set<Socket>();
  tcp.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  for (const server of [udp, tcp]) {
    server.on('request', (request: Packet, send: (response: Packet) => unknown) =>
      afterDelay(delay, `dns ${view.address} ${request.questions[0]?.name ?? ''}`, () => handleRequest(view, request, send)),
    );
    // A query dns2 cannot even parse gets no answer, as from many real servers.
    server.on('requestError', () => undefined);
  }
  const close = async () => {
    for (const socket of connections) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => udp.close(() => resolve())),
      new Promise<void>((resolve) => tcp.close(() => resolve())),
    ]);
  };
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind({ address: view.address, port, exclusive: true }, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  const boundPort = udp.address().port;
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen({ host: view.address, port: boundPort, exclusive: true }, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    throw error;
  }
  // Once listening, a socket error must not take the lab down.
  udp.on('error', () => undefined);
  tcp.on('error', () => undefined);
  return { port: boundPort, close };
}

function handleRequest(view: PreparedView, request: Packet, send: (response: Packet) => unknown): void {
  let response: Packet | undefined;
  try {
    response = respond(view, request);
  } catch {
    response = servfail(request);
  }
  // dns2 encodes while sending, so a record it cannot encode shows up here: answer SERVFAIL instead.
  if (response && !trySend(send, response)) trySend(send, servfail(request));
}

function trySend(send: (response: Packet) => unknown, response: Packet): boolean {
  try {
    // dns2's UDP send returns a promise, its TCP send nothing; a client gone away is not the lab's problem.
    Promise.resolve(send(response)).catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}

function servfail(request: Packet): Packet {
  const response = Packet.createResponseFromRequest(request);
  response.header.rcode = RCODE.SERVFAIL;
  return response;
}

/** The response to one query, or undefined when the view is told to stay silent for the name. */
function respond(view: PreparedView, request: Packet): Packet | undefined {
  const response = Packet.createResponseFromRequest(request);
  const question = request.questions[0];
  const reply = question ? replyTo(view, request, question) : rcodeOnly(RCODE.FORMERR);
  if (!reply) return undefined;
  response.header.rcode = reply.rcode;
  response.header.aa = reply.authoritative ? 1 : 0;
  if (reply.truncated) response.header.tc = 1;
  response.answers = reply.answers.map(toResource);
  response.authorities = reply.authorities.map(toResource);
  return response;
}

function replyTo(view: PreparedView, request: Packet, question: Packet['questions'][number]): Reply | undefined {
  if (request.header.opcode !== 0) return rcodeOnly(RCODE.NOTIMP);
  if (request.questions.length !== 1) return rcodeOnly(RCODE.FORMERR);
  const name = normalizeName(question.name);
  if (view.silent.has(name)) return undefined;
  if (view.servfail.has(name)) return rcodeOnly(RCODE.SERVFAIL);
  if (view.truncated.has(name)) return { ...rcodeOnly(RCODE.NOERROR), truncated: true };
  const zone = view.zones.find((z) => isAtOrBelow(name, z.origin));
  if (!zone || question.class !== Packet.CLASS.IN) return rcodeOnly(RCODE.REFUSED);
  const type = SUPPORTED_TYPES.find((t) => Packet.TYPE[t] === question.type);
  return lookUp(zone, name, type);
}

/** What the zone says about `name`: records of `type`, or a CNAME chain followed inside the zone. */
function lookUp(zone: IndexedZone, name: string, type: DnsType | undefined): Reply {
  const answers: DnsRecord[] = [];
  const visited = new Set<string>();
  let owner = name;
  for (;;) {
    visited.add(owner);
    const records = zone.byName.get(owner);
    if (!records) return negative(zone, answers, zone.emptyNonTerminals.has(owner) ? RCODE.NOERROR : RCODE.NXDOMAIN);
    const matching = records.filter((r) => r.type === type);
    if (matching.length > 0) return { rcode: RCODE.NOERROR, authoritative: true, answers: [...answers, ...matching], authorities: [] };
    const cname = records.find((r) => r.type === 'CNAME');
    if (!cname || cname.type !== 'CNAME') return negative(zone, answers, RCODE.NOERROR);
    answers.push(cname);
    // Out of zone, looping or too long: the client follows the rest, as with a real authoritative server.
    const stop = !isAtOrBelow(cname.target, zone.origin) || visited.has(cname.target) || answers.length >= MAX_CNAME_HOPS;
    if (stop) return { rcode: RCODE.NOERROR, authoritative: true, answers, authorities: [] };
    owner = cname.target;
  }
}

function negative(zone: IndexedZone, answers: DnsRecord[], rcode: number): Reply {
  // RFC 2308: the SOA in a negative answer carries the negative-caching TTL, the lower of its TTL and MINIMUM.
  const authorities: DnsRecord[] = zone.soa ? [{ ...zone.soa, ttl: Math.min(zone.soa.ttl, zone.soa.minimum) }] : [];
  return { rcode, authoritative: true, answers, authorities };
}

function rcodeOnly(rcode: number): Reply {
  return { rcode, authoritative: false, answers: [], authorities: [] };
}

function toResource(record: DnsRecord): Packet['answers'][number] {
  const base = { name: record.name, ttl: record.ttl, type: Packet.TYPE[record.type], class: Packet.CLASS.IN };
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return new Packet.Resource({ ...base, address: record.address });
    case 'CNAME':
      return new Packet.Resource({ ...base, domain: record.target });
    case 'NS':
      return new Packet.Resource({ ...base, ns: record.target });
    case 'SRV':
      // dns2 encodes "." (and "") as the root name, which resolvers read as "no service here".
      return new Packet.Resource({ ...base, priority: record.priority, weight: record.weight, port: record.port, target: record.target });
    case 'TXT':
      return new Packet.Resource({ ...base, data: splitTxt(record.text) as unknown as string[] });
    case 'SOA': {
      const { primary, admin, serial, refresh, retry, expiration, minimum } = record;
      return new Packet.Resource({ ...base, primary, admin, serial, refresh, retry, expiration, minimum });
    }
  }
}

/** A TXT record's text as character-strings of at most 255 bytes, as the wire format requires. */
function splitTxt(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += TXT_STRING_BYTES) chunks.push(bytes.subarray(offset, offset + TXT_STRING_BYTES));
  return chunks.length > 0 ? chunks : [Buffer.alloc(0)];
}

function prepareView(view: LabDnsView): PreparedView {
  const servfail = new Set<string>();
  const silent = new Set<string>();
  const truncated = new Set<string>();
  for (const zone of view.zones) {
    for (const record of zone.records) {
      if (record.type !== 'TXT' || record.name !== zone.origin) continue;
      const fault = FAULT_PATTERN.exec(record.text);
      if (!fault) continue;
      const [, kind = '', rawName = ''] = fault;
      const target = faultName(rawName, zone.origin);
      if (kind === 'servfail') servfail.add(target);
      else if (kind === 'silent') silent.add(target);
      else if (kind === 'truncated') truncated.add(target);
      else throw new Error(`zone ${zone.origin}: unknown lab fault "${kind}" in TXT "${record.text}" (expected servfail, silent or truncated)`);
    }
  }
  const zones = view.zones.map(indexZone).sort((a, b) => b.origin.length - a.origin.length);
  return { address: view.address, zones, servfail, silent, truncated };
}

function faultName(raw: string, origin: string): string {
  if (raw === '@') return origin;
  const name = normalizeName(raw);
  return isAtOrBelow(name, origin) || raw.endsWith('.') ? name : `${name}.${origin}`;
}

function indexZone(zone: Zone): IndexedZone {
  const byName = new Map<string, DnsRecord[]>();
  const emptyNonTerminals = new Set<string>();
  for (const record of zone.records) {
    const records = byName.get(record.name) ?? [];
    records.push(record);
    byName.set(record.name, records);
    for (let parent = parentName(record.name); parent && isAtOrBelow(parent, zone.origin); parent = parentName(parent)) {
      emptyNonTerminals.add(parent);
    }
  }
  for (const name of byName.keys()) emptyNonTerminals.delete(name);
  const soa = zone.records.find((r): r is Extract<DnsRecord, { type: 'SOA' }> => r.type === 'SOA' && r.name === zone.origin);
  return { origin: zone.origin, soa, byName, emptyNonTerminals };
}

function parentName(name: string): string | undefined {
  const dot = name.indexOf('.');
  return dot < 0 ? undefined : name.slice(dot + 1);
}

function isAtOrBelow(name: string, origin: string): boolean {
  return name === origin || name.endsWith(`.${origin}`);
}

function normalizeName(name: string): string {
  const trimmed = name.toLowerCase().replace(/\.$/, '');
  return trimmed === '' ? '.' : trimmed;
}
