import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import type { DnsAnswer, DnsType, ProbeOutcome } from '../../src/model/facts.js';
import { startLabDns, type LabDnsServer } from '../../src/lab/dns-server.js';
import { loadZoneDirectory } from '../../src/lab/zone-file.js';
import { queryDns } from '../../src/probes/dns.js';
import type { DnsServer } from '../../src/probes/resolvers.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import type { NetContext } from '../../src/probes/connector.js';

const FIXTURES = fileURLToPath(new URL('../fixtures-dns/', import.meta.url));
const MAIN_ADDRESS = '127.0.0.1';
const ALT_ADDRESS = '127.0.53.2';

let lab: LabDnsServer;
let main: DnsServer;
let alt: DnsServer;

const context = (timeoutMs = 2000): NetContext => ({ signal: AbortSignal.timeout(2000), timeoutMs, egress: LOOPBACK_EGRESS });

const ask = (name: string, type: DnsType, servers: DnsServer[] = [main], timeoutMs?: number) =>
  queryDns({ name, type, recursive: false }, servers, context(timeoutMs));

function facts(outcome: ProbeOutcome<DnsAnswer>): DnsAnswer {
  if (outcome.status !== 'ok') throw new Error(`expected an answer, got ${JSON.stringify(outcome)}`);
  return outcome.facts;
}

beforeAll(async () => {
  lab = await startLabDns([
    { address: MAIN_ADDRESS, zones: loadZoneDirectory(`${FIXTURES}main`) },
    { address: ALT_ADDRESS, zones: loadZoneDirectory(`${FIXTURES}alt`) },
  ]);
  main = { address: MAIN_ADDRESS, port: lab.port };
  alt = { address: ALT_ADDRESS, port: lab.port };
});

afterAll(async () => {
  await lab?.close();
});

describe('queryDns against the lab DNS server', () => {
  it('records A and AAAA answers with their TTLs, the server and the AA flag', async () => {
    const a = facts(await ask('SIP.sip-ok.lab.', 'A'));
    expect(a).toMatchObject({
      name: 'sip.sip-ok.lab',
      type: 'A',
      server: `${MAIN_ADDRESS}:${lab.port}`,
      rcode: 'NOERROR',
      records: [{ name: 'sip.sip-ok.lab', ttl: 3600, type: 'A', address: '192.0.2.10' }],
      cnameChain: [],
      authoritative: true,
      retriedOverTcp: false,
    });
    const aaaa = facts(await ask('sip.sip-ok.lab', 'AAAA'));
    expect(aaaa.records).toEqual([{ name: 'sip.sip-ok.lab', ttl: 600, type: 'AAAA', address: '2001:db8::10' }]);
  });

  it('records SRV answers with their own TTL', async () => {
    const srv = facts(await ask('_sipfederationtls._tcp.sip-ok.lab', 'SRV'));
    expect(srv.rcode).toBe('NOERROR');
    expect(srv.records).toEqual([
      { name: '_sipfederationtls._tcp.sip-ok.lab', ttl: 300, type: 'SRV', priority: 10, weight: 50, port: 5061, target: 'sip.sip-ok.lab' },
      { name: '_sipfederationtls._tcp.sip-ok.lab', ttl: 300, type: 'SRV', priority: 20, weight: 10, port: 5061, target: 'sip-backup.sip-ok.lab' },
    ]);
  });

  it('keeps an SRV target of "." as "."', async () => {
    const srv = facts(await ask('_xmpp-server._tcp.sip-ok.lab', 'SRV'));
    expect(srv.records).toEqual([{ name: '_xmpp-server._tcp.sip-ok.lab', ttl: 3600, type: 'SRV', priority: 0, weight: 0, port: 0, target: '.' }]);
  });

  it('joins the strings of a TXT record and reads an SOA', async () => {
    expect(facts(await ask('text.sip-ok.lab', 'TXT')).records).toEqual([{ name: 'text.sip-ok.lab', ttl: 3600, type: 'TXT', text: 'v=fedcheck1 second part' }]);
    expect(facts(await ask('other.lab', 'SOA')).records).toEqual([
      { name: 'other.lab', ttl: 3600, type: 'SOA', primary: 'ns1.sip-ok.lab', admin: 'hostmaster.other.lab', serial: 2024010101, refresh: 7200, retry: 3600, expiration: 1209600, minimum: 300 },
    ]);
  });

  it('records NODATA as NOERROR without records, for a name and for an empty non-terminal', async () => {
    expect(facts(await ask('sip-backup.sip-ok.lab', 'AAAA'))).toMatchObject({ rcode: 'NOERROR', records: [], authoritative: true });
    expect(facts(await ask('_tcp.sip-ok.lab', 'SRV'))).toMatchObject({ rcode: 'NOERROR', records: [] });
  });

  it('records NXDOMAIN', async () => {
    expect(facts(await ask('nowhere.sip-ok.lab', 'A'))).toMatchObject({ rcode: 'NXDOMAIN', records: [], authoritative: true });
  });

  it('records SERVFAIL from the servfail fault', async () => {
    expect(facts(await ask('broken.sip-ok.lab', 'A'))).toMatchObject({ rcode: 'SERVFAIL', records: [] });
  });

  it('records REFUSED for a name outside the zones', async () => {
    expect(facts(await ask('www.example.com', 'A'))).toMatchObject({ rcode: 'REFUSED', records: [], authoritative: false });
  });

  it('gives a timeout error when the server never answers (silent fault)', async () => {
    const outcome = await ask('quiet.sip-ok.lab', 'A', [main], 300);
    expect(outcome).toMatchObject({ status: 'error', reason: 'timeout' });
    expect(outcome.status === 'error' && outcome.detail).toContain(`${MAIN_ADDRESS}:${lab.port}`);
  });

  it('follows a CNAME chain inside a zone from one answer', async () => {
    const answer = facts(await ask('edge.sip-ok.lab', 'A'));
    expect(answer.cnameChain).toEqual([
      { name: 'edge.sip-ok.lab', ttl: 3600, type: 'CNAME', target: 'edge-pool.sip-ok.lab' },
      { name: 'edge-pool.sip-ok.lab', ttl: 3600, type: 'CNAME', target: 'sip.sip-ok.lab' },
    ]);
    expect(answer.records).toEqual([{ name: 'sip.sip-ok.lab', ttl: 3600, type: 'A', address: '192.0.2.10' }]);
  });

  it('follows a CNAME into another zone by asking again', async () => {
    const answer = facts(await ask('alias.sip-ok.lab', 'A'));
    expect(answer.cnameChain).toEqual([{ name: 'alias.sip-ok.lab', ttl: 3600, type: 'CNAME', target: 'sip.other.lab' }]);
    expect(answer.records).toEqual([{ name: 'sip.other.lab', ttl: 3600, type: 'A', address: '192.0.2.20' }]);
  });

  it('returns the CNAME itself when CNAME is asked', async () => {
    const answer = facts(await ask('alias.sip-ok.lab', 'CNAME'));
    expect(answer.records).toEqual([{ name: 'alias.sip-ok.lab', ttl: 3600, type: 'CNAME', target: 'sip.other.lab' }]);
    expect(answer.cnameChain).toEqual([]);
  });

  it('records NXDOMAIN at the end of a dangling CNAME, with the chain', async () => {
    const answer = facts(await ask('dangling.sip-ok.lab', 'A'));
    expect(answer).toMatchObject({ rcode: 'NXDOMAIN', records: [], cnameChain: [{ name: 'dangling.sip-ok.lab', target: 'missing.sip-ok.lab' }] });
  });

  it('reports a CNAME loop across zones as an error', async () => {
    const outcome = await ask('loop.sip-ok.lab', 'A');
    expect(outcome).toMatchObject({ status: 'error', reason: 'cname-loop' });
    expect(outcome.status === 'error' && outcome.detail).toContain('loop.sip-ok.lab → loop.other.lab → loop.sip-ok.lab');
  });

  it('asks again over TCP when the UDP answer is truncated, and keeps every record', async () => {
    const answer = facts(await ask('many.sip-ok.lab', 'A'));
    expect(answer.retriedOverTcp).toBe(true);
    expect(answer.records).toHaveLength(40);
    expect(answer.records.map((r) => (r.type === 'A' ? r.address : '')).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `198.51.100.${i + 1}`).sort(),
    );
  });

  it('names an answer truncated over TCP too, instead of reading it as NODATA', async () => {
    expect(await ask('cut.sip-ok.lab', 'A')).toEqual({
      status: 'error',
      reason: 'truncated',
      detail: `no answer for cut.sip-ok.lab A (${MAIN_ADDRESS}:${lab.port}: truncated twice: the answer is marked truncated over UDP and over TCP too)`,
    });
  });

  it('names an answer with more records than it reads, with the count seen and the cap', async () => {
    expect(await ask('flood.sip-ok.lab', 'A')).toMatchObject({
      status: 'error',
      reason: 'too-many-records',
      detail: expect.stringContaining('the answer holds 150 records; fedcheck reads at most 100 per answer'),
    });
  });

  it('gives a network error, and does not crash, for a server address the system cannot send to', async () => {
    // A partner's name server at a link-local or broadcast address is never even tried: the egress rule refuses it.
    for (const address of ['fe80::1', '255.255.255.255']) {
      const outcome = await ask('sip.sip-ok.lab', 'A', [{ address, port: 53 }]);
      expect(outcome.status, address).toBe('skipped');
    }
    // One the rule allows but the socket cannot send to (port 0) fails in connect(): an error, not a crash.
    expect(await ask('sip.sip-ok.lab', 'A', [{ address: MAIN_ADDRESS, port: 0 }])).toMatchObject({ status: 'error', reason: 'network' });
    // The next server still answers.
    expect(facts(await ask('sip.sip-ok.lab', 'A', [{ address: 'fe80::1', port: 53 }, main])).records).toHaveLength(1);
  });

  it('hears a different answer from the second view on its own address', async () => {
    const answer = facts(await ask('_sipfederationtls._tcp.sip-ok.lab', 'SRV', [alt]));
    expect(answer.server).toBe(`${ALT_ADDRESS}:${lab.port}`);
    expect(answer.records).toEqual([
      { name: '_sipfederationtls._tcp.sip-ok.lab', ttl: 300, type: 'SRV', priority: 10, weight: 50, port: 5062, target: 'sip-internal.sip-ok.lab' },
    ]);
    expect(facts(await ask('other.lab', 'SOA', [alt])).rcode).toBe('REFUSED');
  });

  it('moves on to the next server when the first one fails', async () => {
    const closed = await closedUdpPort();
    const answer = facts(await ask('sip.sip-ok.lab', 'A', [{ address: MAIN_ADDRESS, port: closed }, main]));
    expect(answer.server).toBe(`${MAIN_ADDRESS}:${lab.port}`);
    const outcome = await ask('sip.sip-ok.lab', 'A', [{ address: MAIN_ADDRESS, port: closed }]);
    expect(outcome).toMatchObject({ status: 'error', reason: 'network' });
  });

  it('stops at once when the probe is aborted', async () => {
    const outcome = await queryDns({ name: 'sip.sip-ok.lab', type: 'A', recursive: false }, [main], { signal: AbortSignal.abort(), timeoutMs: 2000, egress: LOOPBACK_EGRESS });
    expect(outcome).toMatchObject({ status: 'error', reason: 'timeout' });
  });

  it('rejects a name that cannot be asked', async () => {
    expect(await ask(`${'a'.repeat(64)}.sip-ok.lab`, 'A')).toMatchObject({ status: 'error', reason: 'invalid-name' });
  });
});

describe('the lab DNS server', () => {
  it('refuses a port that is taken, with the system error code the lab retries on', async () => {
    await expect(startLabDns([{ address: MAIN_ADDRESS, zones: [] }], { port: lab.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('answers SERVFAIL, and keeps serving, when an answer cannot be encoded', async () => {
    const zone = {
      origin: 'bad.lab',
      records: [
        { name: 'c.bad.lab', ttl: 60, type: 'CNAME' as const, target: `${'x'.repeat(70)}.bad.lab` },
        { name: 'ok.bad.lab', ttl: 60, type: 'A' as const, address: '192.0.2.1' },
      ],
    };
    const broken = await startLabDns([{ address: MAIN_ADDRESS, zones: [zone] }]);
    try {
      const server = { address: MAIN_ADDRESS, port: broken.port };
      expect(facts(await ask('c.bad.lab', 'A', [server])).rcode).toBe('SERVFAIL');
      expect(facts(await ask('ok.bad.lab', 'A', [server])).records).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });
});

describe('queryDns against a broken server', () => {
  it('reports an answer with the wrong id as malformed', async () => {
    const server = dgram.createSocket('udp4');
    server.on('message', (query, peer) => {
      const reply = Buffer.from(query);
      reply.writeUInt16BE((query.readUInt16BE(0) + 1) & 0xffff, 0);
      reply[2] = (reply[2] ?? 0) | 0x80;
      server.send(reply, peer.port, peer.address);
    });
    await new Promise<void>((resolve) => server.bind(0, MAIN_ADDRESS, resolve));
    try {
      const outcome = await ask('sip.sip-ok.lab', 'A', [{ address: MAIN_ADDRESS, port: server.address().port }]);
      expect(outcome).toMatchObject({ status: 'error', reason: 'malformed' });
    } finally {
      server.close();
    }
  });
});

/** A UDP port with nothing behind it: bound once to learn a free number, then closed. */
async function closedUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, MAIN_ADDRESS, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
