// A lab of many healthy domains, for the 1,000-domain benchmark (bench/p2-many-domains.mjs): per domain one DNS zone
// (SIP and XMPP SRV records, the Edge's A record, two name servers) and one Edge address with a SIP responder on
// 5061 and an XMPP responder on 5269, both serving one EC P-256 certificate so that the servers stay cheap beside
// the fedcheck under test. Built from the embedded lab's servers; the scenarios lab (lab.ts) is not involved.

import type { DnsRecord } from '../model/facts.js';
import { createTestPki } from '../pki/test-ca.js';
import type { DnsServer } from '../probes/resolvers.js';
import type { LabDelay } from './delay.js';
import { startLabDns } from './dns-server.js';
import type { LabDnsServer } from './dns-server.js';
import { SIP_PORT, XMPP_PORT } from './edges.js';
import { startLabHttp } from './http-server.js';
import { startSipResponder } from './sip-responder.js';
import { startXmppResponder } from './xmpp-responder.js';
import type { Zone } from './zone-file.js';

export interface ManyDomainsLab {
  /** The domains served, d0001.many.test and on. */
  domains: string[];
  resolver: DnsServer;
  authoritativePort: number;
  allowPrivate: string[];
  /** The lab CA's root (PEM), to pass as --ca-file. */
  caPem: string;
  block: string;
  close(): Promise<void>;
}

export interface ManyDomainsOptions {
  count: number;
  delay?: LabDelay;
}

/** Edge addresses per /24 of the block: x.y.N.1 to x.y.N.250. */
const EDGES_PER_SUBNET = 250;
/** Past the scenario lab's blocks (127.77 and the 39 after it), so both can run at once. */
const FIRST_BLOCK = 160;
const BLOCK_ATTEMPTS = 40;
const MAX_DOMAINS = EDGES_PER_SUBNET * 200;
const TTL = 3600;

export async function startManyDomainsLab(options: ManyDomainsOptions): Promise<ManyDomainsLab> {
  if (!Number.isSafeInteger(options.count) || options.count < 1 || options.count > MAX_DOMAINS) {
    throw new Error(`a many-domains lab holds 1 to ${MAX_DOMAINS} domains, not ${options.count}`);
  }
  const pki = await createTestPki({ name: 'fedcheck many-domains lab' });
  const domains = Array.from({ length: options.count }, (_, index) => `d${String(index + 1).padStart(4, '0')}.many.test`);
  let lastError: unknown;
  for (let block = FIRST_BLOCK; block < FIRST_BLOCK + BLOCK_ATTEMPTS; block += 1) {
    const started: { close(): Promise<void> }[] = [];
    let dns: LabDnsServer | undefined;
    try {
      const edgeAddress = (index: number) => `127.${block}.${1 + Math.floor(index / EDGES_PER_SUBNET)}.${1 + (index % EDGES_PER_SUBNET)}`;
      const zones = [labZone(block), ...domains.map((domain, index) => domainZone(domain, edgeAddress(index)))];
      const resolverAddress = `127.${block}.0.53`;
      const delay = options.delay ? { delay: options.delay } : {};
      dns = await startLabDns(
        [resolverAddress, `127.${block}.53.1`, `127.${block}.53.2`].map((address) => ({ address, zones })),
        delay,
      );
      const http = await startLabHttp({ address: `127.${block}.0.80`, ...delay });
      started.push(http);
      http.serve('/intermediate.cer', pki.intermediateDer, 'application/pkix-cert');
      http.serve('/intermediate.crl', await pki.crlDer(), 'application/pkix-crl');
      for (const [index, domain] of domains.entries()) {
        const issued = await pki.issue({
          commonName: `sip.${domain}`,
          dnsNames: [`sip.${domain}`, domain],
          key: 'ec-p256',
          crlUrl: http.url('/intermediate.crl'),
          caIssuersUrl: http.url('/intermediate.cer'),
        });
        const credentials = { certPem: issued.certPem, keyPem: issued.keyPem, chainPem: issued.chainPem };
        const address = edgeAddress(index);
        started.push(
          await startSipResponder({ address, port: SIP_PORT, tls: credentials, reply: { status: 200, reason: 'OK' }, ...delay }),
          await startXmppResponder({
            address,
            port: XMPP_PORT,
            mode: 'starttls',
            certificates: { [domain]: credentials },
            starttls: 'required',
            dialback: true,
            saslExternal: 'if-client-cert',
            hostedDomains: [domain],
            ...delay,
          }),
        );
      }
      const running = dns;
      return {
        domains,
        resolver: { address: resolverAddress, port: running.port },
        authoritativePort: running.port,
        allowPrivate: ['127.0.0.0/8'],
        caPem: pki.rootPem,
        block: `127.${block}.0.0/16`,
        close: async () => {
          await Promise.all([running.close(), ...started.map((server) => server.close())]);
        },
      };
    } catch (error) {
      await Promise.all([dns?.close(), ...started.map((server) => server.close())]);
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      lastError = error;
    }
  }
  throw new Error(`the many-domains lab found no free loopback block 127.${FIRST_BLOCK}-${FIRST_BLOCK + BLOCK_ATTEMPTS - 1}.0.0/16`, {
    cause: lastError,
  });
}

function labZone(block: number): Zone {
  const origin = 'lab.test';
  return {
    origin,
    records: [
      soa(origin),
      { name: origin, ttl: TTL, type: 'NS', target: 'ns1.lab.test' },
      { name: origin, ttl: TTL, type: 'NS', target: 'ns2.lab.test' },
      { name: 'ns1.lab.test', ttl: TTL, type: 'A', address: `127.${block}.53.1` },
      { name: 'ns2.lab.test', ttl: TTL, type: 'A', address: `127.${block}.53.2` },
    ],
  };
}

/** As fixtures/zones/healthy.test.zone, without the client records: SIP and XMPP federation on one Edge. */
function domainZone(domain: string, edgeAddress: string): Zone {
  const edge = `sip.${domain}`;
  const srv = (service: string, port: number): DnsRecord => ({
    name: `${service}._tcp.${domain}`,
    ttl: TTL,
    type: 'SRV',
    priority: 10,
    weight: 1,
    port,
    target: edge,
  });
  return {
    origin: domain,
    records: [
      soa(domain),
      { name: domain, ttl: TTL, type: 'NS', target: 'ns1.lab.test' },
      { name: domain, ttl: TTL, type: 'NS', target: 'ns2.lab.test' },
      srv('_sipfederationtls', SIP_PORT),
      srv('_xmpp-server', XMPP_PORT),
      { name: edge, ttl: TTL, type: 'A', address: edgeAddress },
    ],
  };
}

function soa(origin: string): DnsRecord {
  return {
    name: origin,
    ttl: TTL,
    type: 'SOA',
    primary: 'ns1.lab.test',
    admin: `hostmaster.${origin}`,
    serial: 2026120301,
    refresh: 7200,
    retry: 3600,
    expiration: 1209600,
    minimum: 300,
  };
}
