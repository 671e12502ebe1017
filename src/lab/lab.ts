// The lab: a fixture world on loopback. A DNS server for the zones in fixtures/zones/ and TCP listeners
// standing in for the Edges, so `fedcheck demo` and the tests run with no internet.

import net from 'node:net';
import { join } from 'node:path';
import type { DnsRecord } from '../engine/facts.js';
import type { Target } from '../engine/target.js';
import { PROJECT_ROOT } from '../engine/version.js';
import type { DnsServer } from '../probes/resolvers.js';
import { startLabDns } from './dns-server.js';
import type { LabDnsServer } from './dns-server.js';
import { loadZoneDirectory } from './zone-file.js';
import type { Zone } from './zone-file.js';
import { SCENARIOS } from './scenarios.js';

export interface Lab {
  resolver: DnsServer;
  /** The port every lab name server answers on (ns1.lab.test, ns2.lab.test). */
  authoritativePort: number;
  targets: Target[];
  /** What the lab's own addresses need from --allow-private. */
  allowPrivate: string[];
  /** The 127.N.0.0/16 block this lab instance uses. */
  block: string;
  /** The probe timeout that suits the lab: loopback answers in milliseconds; the deliberately silent names cost one timeout. */
  timeoutMs: number;
  close(): Promise<void>;
}

const ZONE_DIR = join(PROJECT_ROOT, 'fixtures', 'zones');
/** The zone files are written for 127.77.0.0/16; another block is used when that one is busy. */
const HOME_BLOCK = 77;
const BLOCK_ATTEMPTS = 40;
const RESOLVER_HOST = 53;

export async function startLab(): Promise<Lab> {
  const primary = loadZoneDirectory(ZONE_DIR);
  const ns2Overrides = loadZoneDirectory(join(ZONE_DIR, 'ns2'));
  let lastError: unknown;
  for (let attempt = 0; attempt < BLOCK_ATTEMPTS; attempt += 1) {
    const block = HOME_BLOCK + attempt;
    try {
      return await startInBlock(block, primary, ns2Overrides);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      lastError = error;
    }
  }
  throw new Error(`the lab found no free loopback block 127.${HOME_BLOCK}-${HOME_BLOCK + BLOCK_ATTEMPTS - 1}.0.0/16`, {
    cause: lastError,
  });
}

async function startInBlock(block: number, primary: Zone[], ns2Overrides: Zone[]): Promise<Lab> {
  const move = (address: string) => address.replace(/^127\.77\./, `127.${block}.`);
  const moveZones = (zones: Zone[]) => zones.map((zone) => ({ ...zone, records: zone.records.map((r) => moveRecord(r, move)) }));
  const zones = moveZones(primary);
  const ns2Zones = [
    ...zones.filter((zone) => !ns2Overrides.some((o) => o.origin === zone.origin)),
    ...moveZones(ns2Overrides),
  ];
  const resolverAddress = move(`127.77.0.${RESOLVER_HOST}`);
  const listeners: net.Server[] = [];
  let dns: LabDnsServer | undefined;
  try {
    dns = await startLabDns([
      { address: resolverAddress, zones },
      { address: move('127.77.53.1'), zones },
      { address: move('127.77.53.2'), zones: ns2Zones },
    ]);
    for (const scenario of SCENARIOS) {
      for (const { address, ports } of scenario.listeners) {
        for (const port of ports) listeners.push(await listen(move(address), port));
      }
    }
  } catch (error) {
    await Promise.all([dns?.close(), ...listeners.map(closeServer)]);
    throw error;
  }
  const running = dns;
  return {
    resolver: { address: resolverAddress, port: running.port },
    authoritativePort: running.port,
    targets: SCENARIOS.map(({ domain }) => ({ domain, input: domain, services: ['sip', 'xmpp'] })),
    allowPrivate: ['127.0.0.0/8', '::1/128'],
    block: `127.${block}.0.0/16`,
    timeoutMs: 2000,
    close: async () => {
      await Promise.all([running.close(), ...listeners.map(closeServer)]);
    },
  };
}

function moveRecord(record: DnsRecord, move: (address: string) => string): DnsRecord {
  return record.type === 'A' ? { ...record, address: move(record.address) } : record;
}

/** A stand-in Edge port: accepts and closes. The protocol responders come with the TLS/SIP/XMPP probes. */
function listen(address: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.end());
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
