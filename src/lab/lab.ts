// The lab: a fixture world on loopback. A DNS server for the zones in fixtures/zones/, a throw-away CA, and
// SIP and XMPP responders standing in for the Edges, so `fedcheck demo` and the tests run with no internet.

import { join } from 'node:path';
import { CRLReasons } from '@peculiar/asn1-x509';
import type { DnsRecord } from '../model/facts.js';
import type { Target } from '../model/target.js';
import { PROJECT_ROOT } from '../util/version.js';
import type { DnsServer } from '../probes/resolvers.js';
import { createTestPki } from '../pki/test-ca.js';
import type { TestPki } from '../pki/test-ca.js';
import type { LabDelay } from './delay.js';
import { startLabDns } from './dns-server.js';
import { startEdges } from './edges.js';
import { startLabHttp } from './http-server.js';
import { ocspPostHandler } from './ocsp-responder.js';
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
  /** The lab CA's root certificate (PEM): pass it as --ca-file, as a partner would trust its own CA. */
  caPem: string;
  /** The root of the lab's second CA (private-root.test), which no trust store holds unless given as --ca-file. */
  privateCaPem: string;
  /** The 127.N.0.0/16 block this lab instance uses. */
  block: string;
  /** The probe timeout that suits the lab: loopback answers in milliseconds; the deliberately silent names cost one timeout. */
  timeoutMs: number;
  close(): Promise<void>;
}

/**
 * The probe timeout runs against the lab use: long enough that a loaded 2-core machine running the lab and the
 * prober side by side never turns a slow healthy answer into a timeout, short enough that the silent peers end soon.
 */
const LAB_PROBE_TIMEOUT_MS = 3000;
const ZONE_DIR = join(PROJECT_ROOT, 'fixtures', 'zones');
/** The zone files are written for 127.77.0.0/16; another block is used when that one is busy. */
const HOME_BLOCK = 77;
const BLOCK_ATTEMPTS = 40;
const RESOLVER_HOST = 53;

export interface LabOptions {
  /** Milliseconds added to every exchange the lab answers (see delay.ts); 0, the default, adds nothing. */
  delayMs?: number;
  /** Told of each delayed exchange, for a benchmark's timeline. */
  onExchange?: (hop: string) => void;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const delay: LabDelay | undefined =
    options.delayMs && options.delayMs > 0
      ? { ms: options.delayMs, ...(options.onExchange ? { onExchange: options.onExchange } : {}) }
      : undefined;
  const primary = loadZoneDirectory(ZONE_DIR);
  const ns2Overrides = loadZoneDirectory(join(ZONE_DIR, 'ns2'));
  const [pki, privatePki] = await Promise.all([createTestPki({ name: 'fedcheck lab' }), createTestPki({ name: 'fedcheck private' })]);
  let lastError: unknown;
  for (let attempt = 0; attempt < BLOCK_ATTEMPTS; attempt += 1) {
    const block = HOME_BLOCK + attempt;
    try {
      return await startInBlock(block, primary, ns2Overrides, pki, privatePki, delay);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      lastError = error;
    }
  }
  throw new Error(`the lab found no free loopback block 127.${HOME_BLOCK}-${HOME_BLOCK + BLOCK_ATTEMPTS - 1}.0.0/16`, {
    cause: lastError,
  });
}

async function startInBlock(
  block: number,
  primary: Zone[],
  ns2Overrides: Zone[],
  pki: TestPki,
  privatePki: TestPki,
  delay: LabDelay | undefined,
): Promise<Lab> {
  const move = (address: string) => address.replace(/^127\.77\./, `127.${block}.`);
  const moveZones = (zones: Zone[]) => zones.map((zone) => ({ ...zone, records: zone.records.map((r) => moveRecord(r, move)) }));
  const zones = moveZones(primary);
  const ns2Zones = [
    ...zones.filter((zone) => !ns2Overrides.some((o) => o.origin === zone.origin)),
    ...moveZones(ns2Overrides),
  ];
  const resolverAddress = move(`127.77.0.${RESOLVER_HOST}`);
  const started: { close(): Promise<void> }[] = [];
  let dns: LabDnsServer | undefined;
  try {
    dns = await startLabDns([
      { address: resolverAddress, zones },
      { address: move('127.77.53.1'), zones },
      { address: move('127.77.53.2'), zones: ns2Zones },
    ], delay ? { delay } : {});
    const http = await startLabHttp({ address: move('127.77.0.80'), ...(delay ? { delay } : {}) });
    started.push(http);
    http.serve('/intermediate.cer', pki.intermediateDer, 'application/pkix-cert');
    http.serve('/private-intermediate.crl', await privatePki.crlDer(), 'application/pkix-crl');
    // Revoked a minute ago, as the CRL dates its entries; the OCSP responder reads the same list as it fills.
    const revokedSerials: string[] = [];
    let redirectCount = 0;
    const revokedAt = new Date(Date.now() - 60_000);
    http.handlePost(
      '/ocsp',
      ocspPostHandler({
        issuerDer: pki.intermediateDer,
        signerKeyPem: pki.intermediateKeyPem,
        statusOf: (serial) =>
          revokedSerials.includes(serial) ? { status: 'revoked', time: revokedAt, reason: CRLReasons.keyCompromise } : { status: 'good' },
      }),
    );
    started.push(
      ...(await startEdges(SCENARIOS, {
        pki,
        caIssuersUrl: http.url('/intermediate.cer'),
        crlUrl: http.url('/intermediate.crl'),
        ocspUrl: http.url('/ocsp'),
        revokedSerials,
        move,
        privateCa: { pki: privatePki, crlUrl: http.url('/private-intermediate.crl') },
        ...(delay ? { delay } : {}),
        redirectTo: (location) => {
          const path = `/redirect/${redirectCount++}`;
          http.redirect(path, location);
          return http.url(path);
        },
      })),
    );
    // Only now are the revoked certificates issued and their serials known.
    http.serve('/intermediate.crl', await pki.crlDer(revokedSerials), 'application/pkix-crl');
  } catch (error) {
    await Promise.all([dns?.close(), ...started.map((server) => server.close())]);
    throw error;
  }
  const running = dns;
  return {
    resolver: { address: resolverAddress, port: running.port },
    authoritativePort: running.port,
    targets: SCENARIOS.map(({ domain }) => ({ domain, input: domain, services: ['sip', 'xmpp'] })),
    allowPrivate: ['127.0.0.0/8', '::1/128'],
    block: `127.${block}.0.0/16`,
    timeoutMs: LAB_PROBE_TIMEOUT_MS,
    caPem: pki.rootPem,
    privateCaPem: privatePki.rootPem,
    close: async () => {
      await Promise.all([running.close(), ...started.map((server) => server.close())]);
    },
  };
}

function moveRecord(record: DnsRecord, move: (address: string) => string): DnsRecord {
  return record.type === 'A' ? { ...record, address: move(record.address) } : record;
}
