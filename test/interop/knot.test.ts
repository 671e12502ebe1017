// Interop: the DNS probe must read the same answers from Knot DNS as from the lab's server, for the same zone files.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DnsAnswer, DnsRecord, DnsType, ProbeOutcome } from '../../src/model/facts.js';
import { startLabDns, type LabDnsServer } from '../../src/lab/dns-server.js';
import { loadZoneDirectory } from '../../src/lab/zone-file.js';
import { queryDns } from '../../src/probes/dns.js';
import type { DnsServer } from '../../src/probes/resolvers.js';
import { freeDnsPort } from '../support/interop.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';

const ZONE_DIR = fileURLToPath(new URL('../fixtures-dns/main/', import.meta.url));
const ADDRESS = '127.0.0.1';
const STARTUP_MS = 15000;

const knotd = findKnotd();
if (!knotd) console.warn('knotd not found: install the Debian package knot to run the Knot DNS interop test');

/** Questions whose answers must agree; the lab's fault names are left out, Knot serves them normally. */
const QUESTIONS: [string, DnsType][] = [
  ['sip.sip-ok.lab', 'A'],
  ['sip.sip-ok.lab', 'AAAA'],
  ['_sipfederationtls._tcp.sip-ok.lab', 'SRV'],
  ['_xmpp-server._tcp.sip-ok.lab', 'SRV'],
  ['text.sip-ok.lab', 'TXT'],
  ['sip-ok.lab', 'SOA'],
  ['sip-ok.lab', 'NS'],
  ['other.lab', 'SOA'],
  ['sip-backup.sip-ok.lab', 'AAAA'],
  ['_tcp.sip-ok.lab', 'SRV'],
  ['nowhere.sip-ok.lab', 'A'],
  ['www.example.com', 'A'],
  ['edge.sip-ok.lab', 'A'],
  ['alias.sip-ok.lab', 'A'],
  ['alias.sip-ok.lab', 'CNAME'],
  ['dangling.sip-ok.lab', 'A'],
  ['loop.sip-ok.lab', 'A'],
  ['many.sip-ok.lab', 'A'],
  ['_xmpp-server._tcp.nodot.sip-ok.lab', 'SRV'],
  ['_sipfederationtls._tcp.address.sip-ok.lab', 'SRV'],
];

(knotd ? describe : describe.skip)('queryDns reads Knot DNS as it reads the lab', () => {
  let workDir: string;
  let knot: ChildProcess | undefined;
  let knotLog = '';
  let knotServer: DnsServer;
  let lab: LabDnsServer;
  let labServer: DnsServer;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedcheck-knot-'));
    const zones = loadZoneDirectory(ZONE_DIR);
    lab = await startLabDns([{ address: ADDRESS, zones }]);
    labServer = { address: ADDRESS, port: lab.port };

    const port = await freeDnsPort(ADDRESS);
    knotServer = { address: ADDRESS, port };
    const zoneFiles = fs.readdirSync(ZONE_DIR).filter((name) => name.endsWith('.zone'));
    for (const name of zoneFiles) fs.copyFileSync(path.join(ZONE_DIR, name), path.join(workDir, name));
    const configFile = path.join(workDir, 'knot.conf');
    fs.writeFileSync(configFile, knotConfig(workDir, port, zoneFiles));

    knot = spawn(knotd as string, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keepLog = (chunk: Buffer) => {
      knotLog = (knotLog + chunk.toString('utf8')).slice(-8000);
    };
    knot.stdout?.on('data', keepLog);
    knot.stderr?.on('data', keepLog);
    await waitUntilAnswering(knot, knotServer, () => knotLog);
  }, STARTUP_MS + 5000);

  afterAll(async () => {
    await stop(knot);
    await lab?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it.each(QUESTIONS)('%s %s', async (name, type) => {
    const fromLab = comparable(await ask(name, type, labServer));
    const fromKnot = comparable(await ask(name, type, knotServer));
    expect(fromKnot).toEqual(fromLab);
  });

  it('sees the answers the table expects, so the comparison is not between two empty results', async () => {
    expect(comparable(await ask('many.sip-ok.lab', 'A', knotServer))).toMatchObject({ rcode: 'NOERROR', records: expect.arrayContaining([expect.anything()]) });
    expect(comparable(await ask('nowhere.sip-ok.lab', 'A', knotServer))).toMatchObject({ rcode: 'NXDOMAIN' });
    expect(comparable(await ask('www.example.com', 'A', knotServer))).toMatchObject({ rcode: 'REFUSED' });
    expect(comparable(await ask('loop.sip-ok.lab', 'A', knotServer))).toEqual({ status: 'error', reason: 'cname-loop' });
    // The zone-file faults fedcheck names: Knot, like the lab, appends the origin to a target without its final dot.
    expect(comparable(await ask('_xmpp-server._tcp.nodot.sip-ok.lab', 'SRV', knotServer))).toMatchObject({
      records: [expect.objectContaining({ target: 'xmpp.sip-ok.lab.sip-ok.lab' })],
    });
    expect(comparable(await ask('_sipfederationtls._tcp.address.sip-ok.lab', 'SRV', knotServer))).toMatchObject({
      records: [expect.objectContaining({ target: '192.0.2.10' })],
    });
  });
});

function ask(name: string, type: DnsType, server: DnsServer): Promise<ProbeOutcome<DnsAnswer>> {
  return queryDns({ name, type, recursive: false }, [server], { signal: AbortSignal.timeout(2000), timeoutMs: 2000, egress: LOOPBACK_EGRESS });
}

/** What must agree: the rcode, the records (in a stable order) and the CNAME chain, or the error reason. */
function comparable(outcome: ProbeOutcome<DnsAnswer>) {
  if (outcome.status !== 'ok') return { status: outcome.status, reason: outcome.status === 'error' ? outcome.reason : outcome.because };
  const { rcode, records, cnameChain } = outcome.facts;
  return { status: 'ok', rcode, records: [...records].sort(byContent), cnameChain };
}

function byContent(a: DnsRecord, b: DnsRecord): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}

function knotConfig(dir: string, port: number, zoneFiles: string[]): string {
  const zones = zoneFiles.map((file) => `  - domain: ${file.slice(0, -'.zone'.length)}\n    file: "${path.join(dir, file)}"\n`).join('');
  return [
    'server:',
    `    rundir: "${dir}"`,
    `    listen: ${ADDRESS}@${port}`,
    'log:',
    '  - target: stderr',
    '    any: info',
    'database:',
    `    storage: "${dir}"`,
    'zone:',
    zones,
  ].join('\n');
}

function findKnotd(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'knotd')), '/usr/sbin/knotd'];
  return candidates.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function waitUntilAnswering(child: ChildProcess, server: DnsServer, log: () => string): Promise<void> {
  const startedAt = Date.now();
  while (Date.now() - startedAt < STARTUP_MS) {
    if (child.exitCode !== null) throw new Error(`knotd exited with code ${child.exitCode}:\n${log()}`);
    const outcome = await queryDns({ name: 'sip-ok.lab', type: 'SOA', recursive: false }, [server], { signal: AbortSignal.timeout(1000), timeoutMs: 500, egress: LOOPBACK_EGRESS });
    if (outcome.status === 'ok' && outcome.facts.rcode === 'NOERROR') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`knotd did not answer within ${STARTUP_MS} ms:\n${log()}`);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(forced);
}
