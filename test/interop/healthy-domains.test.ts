// Interop: correctly set-up domains served by real servers are green. Knot DNS serves a SIP-only, an XMPP-only, a
// dual-service and a Microsoft-365-hosted domain; Kamailio (TLS) is their Access Edges, Prosody their XMPP server;
// `fedcheck check` and `fedcheck run` must report no failure, error or warning for any of them, with the right
// per-service headline, and still fail a service that is required but not published.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Report } from '../../src/model/report.js';
import { startLabHttp, type LabHttpServer } from '../../src/lab/http-server.js';
import { createTestPki, type TestPki } from '../../src/pki/test-ca.js';
import { queryDns } from '../../src/probes/dns.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import { fedcheck, type CliResult } from '../support/fedcheck.js';
import {
  freeDnsPort,
  lua,
  makeWorkDir,
  prosodyListenerConfig,
  removeWorkDir,
  requireBinary,
  kamailioCoreConfig,
  requireKamailioModules,
  startServer,
  withLog,
  type RunningServer,
} from '../support/interop.js';

const SIP_PORT = 5061;
const XMPP_PORT = 5269;
const DNS_ADDRESS = '127.0.89.53';
/** Serves the intermediate (AIA caIssuers) and its CRL, which every certificate points at, as a public CA's do. */
const HTTP_ADDRESS = '127.0.89.80';
const NS = 'ns1.interop.test';

const SIP_ONLY = 'sip-only.interop.test';
const XMPP_ONLY = 'xmpp-only.interop.test';
const DUAL = 'dual.interop.test';
const HOSTED = 'hosted.interop.test';
const M365_EDGE = 'sipfed.online.lync.com';
const DOMAINS = [SIP_ONLY, XMPP_ONLY, DUAL, HOSTED];
const NO_PROBLEMS = Object.fromEntries(DOMAINS.map((domain) => [domain, []]));

/** Kamailio's TLS listeners: an Access Edge per SIP domain, and the stand-in for Microsoft 365's federation Edge. */
const SIP_EDGES = [
  { address: '127.0.89.1', edge: `sip.${SIP_ONLY}`, domain: SIP_ONLY },
  { address: '127.0.89.2', edge: `sip.${DUAL}`, domain: DUAL },
  { address: '127.0.89.3', edge: M365_EDGE },
];
/** The XMPP servers: a Prosody each, its s2s listener on the address, its certificate naming its domain. */
const XMPP_SERVERS = [
  { address: '127.0.89.11', host: `xmpp.${XMPP_ONLY}`, domain: XMPP_ONLY },
  { address: '127.0.89.12', host: `xmpp.${DUAL}`, domain: DUAL },
];

const knotd = requireBinary('knotd', 'knot', 'healthy-domains');
const kamailio = requireBinary('kamailio', 'kamailio', 'healthy-domains');
const kamailioModules = kamailio ? requireKamailioModules(['sl', 'textops', 'tls'], 'healthy-domains') : undefined;
const prosody = requireBinary('prosody', 'prosody', 'healthy-domains');

(knotd && kamailio && kamailioModules && prosody ? describe : describe.skip)('healthy domains on Knot, Kamailio and Prosody', () => {
  let workDir: string | undefined;
  let http: LabHttpServer | undefined;
  const servers: RunningServer[] = [];
  let dnsPort: number;
  let rootFile: string;
  let pki: TestPki;
  let json: CliResult;
  let report: Report;

  beforeAll(async () => {
    workDir = makeWorkDir('healthy');
    pki = await createTestPki({ name: 'fedcheck Interop' });
    http = await startLabHttp({ address: HTTP_ADDRESS });
    http.serve('/intermediate.crt', Buffer.from(pki.intermediateDer), 'application/pkix-cert');
    http.serve('/intermediate.crl', await pki.crlDer(), 'application/pkix-crl');
    rootFile = writeFile(workDir, 'root.pem', pki.rootPem);
    const urls = { crlUrl: http.url('/intermediate.crl'), caIssuersUrl: http.url('/intermediate.crt') };

    dnsPort = await freeDnsPort(DNS_ADDRESS);
    const knotDir = subdir(workDir, 'knot');
    for (const [zone, records] of Object.entries(zones())) writeFile(knotDir, `${zone}.zone`, zoneFile(zone, records));
    const knotConf = writeFile(knotDir, 'knot.conf', knotConfig(knotDir, dnsPort, Object.keys(zones())));

    // An Access Edge certificate: the Edge FQDN as CN and first SAN, the SIP domain beside it, server and client auth.
    const kamailioDir = subdir(workDir, 'kamailio');
    const sipCredentials = [];
    for (const { address, edge, domain } of SIP_EDGES) {
      const issued = await pki.issue({ commonName: edge, dnsNames: domain ? [edge, domain] : [edge], ...urls });
      sipCredentials.push({ address, cert: writeFile(kamailioDir, `${edge}.crt`, issued.fullChainPem), key: writeFile(kamailioDir, `${edge}.key`, issued.keyPem) });
    }
    const tlsConf = writeFile(kamailioDir, 'tls.cfg', kamailioTlsConfig(sipCredentials));
    const kamailioConf = writeFile(kamailioDir, 'kamailio.cfg', kamailioConfig(kamailioModules as string, tlsConf));

    // One Prosody per XMPP domain, as two organisations run two servers: a server refuses a stream from a domain it hosts.
    const prosodies = [];
    for (const { address, domain } of XMPP_SERVERS) {
      const dir = subdir(workDir, `prosody-${domain}`);
      const issued = await pki.issue({ commonName: domain, dnsNames: [domain], xmppAddrs: [domain], ...urls });
      const credentials = { cert: writeFile(dir, `${domain}.crt`, issued.fullChainPem), key: writeFile(dir, `${domain}.key`, issued.keyPem) };
      prosodies.push({ address, dir, config: writeFile(dir, 'prosody.cfg.lua', prosodyConfig(dir, address, domain, credentials)) });
    }

    const runDir = subdir(kamailioDir, 'run');
    const started = await Promise.allSettled([
      startServer({ name: 'knotd', command: knotd as string, args: ['-c', knotConf], cwd: knotDir, listeners: [{ address: DNS_ADDRESS, port: dnsPort }] }),
      startServer({
        name: 'kamailio',
        command: kamailio as string,
        args: ['-f', kamailioConf, '-P', path.join(runDir, 'kamailio.pid'), '-Y', runDir, '-DD', '-E'],
        cwd: kamailioDir,
        listeners: SIP_EDGES.map(({ address }) => ({ address, port: SIP_PORT })),
      }),
      ...prosodies.map(({ address, dir, config }) =>
        startServer({
          name: `prosody ${address}`,
          command: prosody as string,
          args: ['--config', config, '-F'],
          cwd: dir,
          listeners: [{ address, port: XMPP_PORT }],
        }),
      ),
    ]);
    for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value);
    const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    await waitForZones(servers[0] as RunningServer);

    json = await fedcheck(['check', ...DOMAINS, ...cliArgs(), '--format', 'json']);
    report = JSON.parse(json.stdout) as Report;
  }, 45000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await http?.close();
    removeWorkDir(workDir);
  });

  const cliArgs = () => ['--resolver', `${DNS_ADDRESS}:${dnsPort}`, '--allow-private=127.0.0.0/8', '--ca-file', rootFile];

  /** Every server's output beside the findings, so a failure shows both sides. */
  const seen = (what: string) => servers.reduce((text, server) => withLog(server, text), what);

  /** Knot accepts TCP before every zone is loaded: wait until each answers its SOA. */
  async function waitForZones(knot: RunningServer): Promise<void> {
    for (const zone of Object.keys(zones())) {
      for (let attempt = 0; ; attempt += 1) {
        const outcome = await queryDns({ name: zone, type: 'SOA', recursive: false }, [{ address: DNS_ADDRESS, port: dnsPort }], {
          signal: AbortSignal.timeout(2000),
          timeoutMs: 1000,
          egress: LOOPBACK_EGRESS,
        });
        if (outcome.status === 'ok' && outcome.facts.rcode === 'NOERROR') break;
        if (attempt === 50) throw new Error(withLog(knot, `knotd does not serve ${zone}: ${JSON.stringify(outcome)}`));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  it('fedcheck check: exit 0, and no failure, error or warning for any domain', () => {
    expect(json.stderr).toBe('');
    expect(problemsByDomain(report), seen('fedcheck check')).toEqual(NO_PROBLEMS);
    expect(json.code, seen(json.stdout.slice(0, 4000))).toBe(0);
  });

  it('fedcheck check: the headline per service says what each domain offers and how it fared', () => {
    const headlines = Object.fromEntries(
      report.domains.map((domain) => [domain.domain, (domain.serviceSummaries ?? []).map(({ service, presence, worst }) => `${service} ${presence} ${worst}`)]),
    );
    expect(headlines).toEqual({
      [SIP_ONLY]: ['sip offered pass', 'xmpp absent info'],
      [XMPP_ONLY]: ['sip absent info', 'xmpp offered pass'],
      [DUAL]: ['sip offered pass', 'xmpp offered pass'],
      [HOSTED]: ['sip hosted pass', 'xmpp absent info'],
    });
    // The one line for a service nobody publishes names the service.
    const absent = report.domains.find((domain) => domain.domain === SIP_ONLY)?.findings.filter((f) => f.service === 'xmpp');
    expect(absent?.map((f) => [f.checkId, f.status, f.message])).toEqual([['dns.xmpp-server-srv', 'info', expect.stringContaining('no XMPP federation published')]]);
  });

  it('fedcheck check in the terminal: PASS for each domain with its services', async () => {
    // -v: over more than three domains, the healthy ones are otherwise named together on one line.
    const { code, stdout } = await fedcheck(['check', ...DOMAINS, ...cliArgs(), '-v']);
    expect(stdout).toMatch(/^PASS {2}sip-only\.interop\.test {2}SIP PASS · XMPP not published( {2}|$)/m);
    expect(stdout).toMatch(/^PASS {2}xmpp-only\.interop\.test {2}SIP not published · XMPP PASS( {2}|$)/m);
    expect(stdout).toMatch(/^PASS {2}dual\.interop\.test {2}SIP PASS · XMPP PASS( {2}|$)/m);
    expect(stdout).toMatch(/^PASS {2}hosted\.interop\.test {2}SIP PASS · XMPP not published( {2}|$)/m);
    expect(code).toBe(0);
    const glance = await fedcheck(['check', ...DOMAINS, ...cliArgs()]);
    expect(glance.stdout.replace(/\s+/g, ' ')).toContain(' Healthy (4): dual.interop.test, hosted.interop.test, sip-only.interop.test, xmpp-only.interop.test ');
    expect(glance.stdout).not.toMatch(/^\s*PASS/m);
  });

  it('fedcheck run: our dual-service domain and three bare partners, a green report', async () => {
    const dir = subdir(workDir as string, 'run');
    const config = writeFile(
      dir,
      'fedcheck.yaml',
      [
        'own:',
        `  sipDomains: [${DUAL}]`,
        `  xmppDomains: [${DUAL}]`,
        // Our Edge's policy, as set up for these partners: Microsoft 365 reached through the LyncOnline hosting
        // provider, the XMPP partner on the XMPP gateway's list.
        '  federation:',
        '    hostingProviders:',
        `      - { name: LyncOnline, proxyFqdn: ${M365_EDGE}, enabled: true, verificationLevel: UseSourceVerification }`,
        `    xmppPartners: [${XMPP_ONLY}]`,
        `partners: [${SIP_ONLY}, ${XMPP_ONLY}, ${HOSTED}]`,
        'check:',
        `  resolvers: ['${DNS_ADDRESS}:${dnsPort}']`,
        "  allowPrivate: ['127.0.0.0/8']",
        `  caFiles: [${rootFile}]`,
        'outputs:',
        '  dir: out',
        '',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await fedcheck(['run', '--config', config]);
    expect(stderr).toBe('');
    const nightly = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(nightly.domains.map((domain) => domain.domain).sort()).toEqual([...DOMAINS].sort());
    expect(problemsByDomain(nightly), seen('fedcheck run')).toEqual(NO_PROBLEMS);
    expect(code, stdout).toBe(0);
  });

  it('the control: the XMPP-only domain checked with --expect sip fails its missing SIP record', async () => {
    const { code, stdout } = await fedcheck(['check', XMPP_ONLY, '--expect', 'sip', ...cliArgs(), '--format', 'json']);
    const findings = (JSON.parse(stdout) as Report).domains[0]?.findings ?? [];
    expect(findings.filter((f) => f.status === 'fail').map((f) => [f.checkId, f.service, f.messageId])).toEqual([['dns.sip-federation-srv', 'sip', 'missing']]);
    expect(code).toBe(2);
  });
});

/** Each domain's failures, errors and warnings, one line each with the check, the service and the message. */
function problemsByDomain(report: Report): Record<string, string[]> {
  return Object.fromEntries(
    DOMAINS.map((domain) => {
      const found = report.domains.find((entry) => entry.domain === domain);
      if (!found) return [domain, [`not in the report (${report.domains.map((entry) => entry.domain).join(', ')})`]];
      const problems = found.findings.filter((f) => f.status === 'fail' || f.status === 'error' || f.status === 'warn');
      return [domain, problems.map((f) => `${f.status} ${f.checkId} ${f.messageId} [${f.service}] (${f.subject}): ${f.message}`)];
    }),
  );
}

/** The zones Knot serves, as record lines relative to each origin; every zone is delegated to ns1.interop.test. */
function zones(): Record<string, string[]> {
  const [sipOnlyEdge, dualEdge, m365Edge] = SIP_EDGES.map(({ address }) => address) as [string, string, string];
  const [xmppOnlyServer, dualServer] = XMPP_SERVERS.map(({ address }) => address) as [string, string];
  return {
    'interop.test': ['ns1 IN A ' + DNS_ADDRESS],
    [SIP_ONLY]: [`_sipfederationtls._tcp IN SRV 10 1 ${SIP_PORT} sip.${SIP_ONLY}.`, `sip IN A ${sipOnlyEdge}`],
    [XMPP_ONLY]: [`_xmpp-server._tcp IN SRV 10 1 ${XMPP_PORT} xmpp.${XMPP_ONLY}.`, `xmpp IN A ${xmppOnlyServer}`],
    [DUAL]: [
      `_sipfederationtls._tcp IN SRV 10 1 ${SIP_PORT} sip.${DUAL}.`,
      `_xmpp-server._tcp IN SRV 10 1 ${XMPP_PORT} xmpp.${DUAL}.`,
      `sip IN A ${dualEdge}`,
      `xmpp IN A ${dualServer}`,
    ],
    // What Microsoft 365 tells a tenant to publish: federation and client sign-in both at Microsoft's names.
    [HOSTED]: [
      `_sipfederationtls._tcp IN SRV 100 1 ${SIP_PORT} ${M365_EDGE}.`,
      '_sip._tls IN SRV 100 1 443 sipdir.online.lync.com.',
      'sip IN CNAME sipdir.online.lync.com.',
      'lyncdiscover IN CNAME webdir.online.lync.com.',
    ],
    'online.lync.com': [`sipfed IN A ${m365Edge}`, 'sipdir IN A 127.0.89.4', 'webdir IN A 127.0.89.5'],
  };
}

function zoneFile(origin: string, records: string[]): string {
  return [
    `$ORIGIN ${origin}.`,
    '$TTL 3600',
    `@ IN SOA ${NS}. hostmaster.${origin}. ( 2026120301 7200 3600 1209600 300 )`,
    `@ IN NS ${NS}.`,
    ...records,
    '',
  ].join('\n');
}

function knotConfig(dir: string, port: number, origins: string[]): string {
  return [
    '# generated by test/interop/healthy-domains.test.ts',
    'server:',
    `    rundir: "${dir}"`,
    `    listen: ${DNS_ADDRESS}@${port}`,
    'log:',
    '  - target: stderr',
    '    any: info',
    'database:',
    `    storage: "${dir}"`,
    'zone:',
    ...origins.map((origin) => `  - domain: ${origin}\n    file: "${path.join(dir, `${origin}.zone`)}"`),
    '',
  ].join('\n');
}

/** One [server:<ip>:<port>] section per Edge, so each listener presents its own certificate. */
function kamailioTlsConfig(credentials: { address: string; cert: string; key: string }[]): string {
  const section = (name: string, cert: string, key: string) =>
    [`[server:${name}]`, 'method = TLSv1.2+', 'verify_certificate = no', 'require_certificate = no', `certificate = ${cert}`, `private_key = ${key}`, ''].join('\n');
  const [first] = credentials;
  if (!first) throw new Error('no SIP Edge');
  return [
    '# generated by test/interop/healthy-domains.test.ts',
    section('default', first.cert, first.key),
    ...credentials.map(({ address, cert, key }) => section(`${address}:${SIP_PORT}`, cert, key)),
  ].join('\n');
}

/** TLS listeners on 5061 only, no DNS lookups of its own, OPTIONS answered 200 statelessly, anything else 405. */
function kamailioConfig(modules: string, tlsConfig: string): string {
  return `#!KAMAILIO
${kamailioCoreConfig('test/interop/healthy-domains.test.ts')}
${SIP_EDGES.map(({ address }) => `listen=tls:${address}:${SIP_PORT}`).join('\n')}

mpath="${modules}/"
loadmodule "sl.so"
loadmodule "textops.so"
loadmodule "tls.so"
modparam("tls", "config", "${tlsConfig}")

request_route {
  if (is_method("OPTIONS")) {
    sl_send_reply("200", "OK");
    exit;
  }
  sl_send_reply("405", "Method Not Allowed");
  exit;
}
`;
}

/** s2s only on the address, STARTTLS required, dialback on, one VirtualHost with a certificate naming it. */
function prosodyConfig(dir: string, address: string, domain: string, credentials: { cert: string; key: string }): string {
  return `-- generated by test/interop/healthy-domains.test.ts
run_as_root = true
modules_disabled = { "posix", "c2s" }
modules_enabled = { "tls", "dialback" }
${prosodyListenerConfig(dir, address, XMPP_PORT)}
log = { { levels = { min = "info" }, to = "console" } }

VirtualHost ${lua(domain)}
  ssl = { certificate = ${lua(credentials.cert)}; key = ${lua(credentials.key)} }
`;
}

function subdir(parent: string, name: string): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}
