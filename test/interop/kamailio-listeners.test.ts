// Interop: what fedcheck's TLS probe learns from a real Kamailio's listeners beyond a plain TLS handshake. A listener
// with `listen=tcp:` on the port a partner expects TLS on (fedcheck must say it answers plain SIP), and TLS listeners
// whose tls.cfg sections ask for a client certificate (verify_certificate / require_certificate, with a ca_list) or do
// not: the CertificateRequest is read in clear for TLS 1.2 and from the decrypted flight for TLS 1.3. The real CLI
// (`fedcheck check --sip`) runs against the same listeners, one SRV record each, and names each listener's fault.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { ProbeOutcome } from '../../src/model/facts.js';
import { startLabDns, type LabDnsServer } from '../../src/lab/dns-server.js';
import { parseZoneFile } from '../../src/lab/zone-file.js';
import { protocolFactKey, type SipProbeFacts } from '../../src/model/protocol-facts.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../src/pki/test-ca.js';
import { probeSipOptions } from '../../src/probes/sip.js';
import { facts } from '../support/fact-builder.js';
import {
  checkWithCli,
  describeFindings,
  freePorts,
  makeWorkDir,
  probeContext,
  removeWorkDir,
  requireBinary,
  kamailioCoreConfig,
  requireKamailioModules,
  runChecks,
  startServer,
  withLog,
  zoneText,
  type RunningServer,
} from '../support/interop.js';

const ADDRESS = '127.77.48.20';
/** The test's DNS for the CLI run: one SRV record per listener, all to the Edge. */
const DNS_ADDRESS = '127.77.48.53';
const DOMAIN = 'interop.test';
const EDGE = 'sip.interop.test';

const kamailio = requireBinary('kamailio', 'kamailio', 'Kamailio');
const moduleDir = kamailio ? requireKamailioModules(['pv', 'sl', 'textops', 'tls'], 'Kamailio') : undefined;

/** The listeners, by what they are: plain TCP, TLS asking for a certificate (1.2 and 1.3), TLS not asking. */
type Role = 'plainTcp' | 'demands12' | 'demands13' | 'quiet';
const ROLES: Role[] = ['plainTcp', 'demands12', 'demands13', 'quiet'];

(kamailio && moduleDir ? describe : describe.skip)('fedcheck against Kamailio: plain SIP on the TLS port, client certificate requests', () => {
  let workDir: string | undefined;
  let server: RunningServer | undefined;
  let pki: TestPki;
  let client: IssuedCertificate;
  let rootFile: string;
  let dns: LabDnsServer | undefined;
  const port = {} as Record<Role, number>;
  const outcomes = new Map<string, Promise<ProbeOutcome<SipProbeFacts>>>();

  beforeAll(async () => {
    workDir = makeWorkDir('kamailio-listeners');
    pki = await createTestPki({ name: 'fedcheck Interop' });
    const edge = await pki.issue({ commonName: EDGE, dnsNames: [EDGE, DOMAIN] });
    client = await pki.issue({ commonName: 'sip.partner.test', dnsNames: ['sip.partner.test'], eku: ['serverAuth', 'clientAuth'] });
    const files = {
      cert: writeFile(workDir, 'edge.crt', edge.fullChainPem),
      key: writeFile(workDir, 'edge.key', edge.keyPem),
      caList: writeFile(workDir, 'ca-list.pem', pki.rootPem),
    };
    rootFile = files.caList;
    const ports = await freePorts(ADDRESS, ROLES.length);
    ROLES.forEach((role, index) => (port[role] = ports[index] as number));
    const tlsConfig = writeFile(workDir, 'tls.cfg', tlsCfg(port, files));
    const config = writeFile(workDir, 'kamailio.cfg', kamailioCfg(moduleDir as string, tlsConfig, port));
    const runDir = path.join(workDir, 'run');
    fs.mkdirSync(runDir);
    server = await startServer({
      name: 'kamailio',
      command: kamailio as string,
      args: ['-f', config, '-P', path.join(runDir, 'kamailio.pid'), '-Y', runDir, '-DD', '-E'],
      cwd: workDir,
      listeners: ROLES.map((role) => ({ address: ADDRESS, port: port[role] })),
    });
    const srv = ROLES.map((role, index) => `_sipfederationtls._tcp IN SRV ${10 * (index + 1)} 1 ${port[role]} sip.${DOMAIN}.`);
    dns = await startLabDns([{ address: DNS_ADDRESS, zones: [parseZoneFile(zoneText(DOMAIN, DNS_ADDRESS, [...srv, `sip IN A ${ADDRESS}`]), DOMAIN, `${DOMAIN}.zone`)] }]);
  });

  afterAll(async () => {
    await server?.stop();
    await dns?.close();
    removeWorkDir(workDir);
  });

  function probe(role: Role, withClientCertificate = false): Promise<ProbeOutcome<SipProbeFacts>> {
    const key = `${role}:${withClientCertificate}`;
    let outcome = outcomes.get(key);
    if (!outcome) {
      const clientCertificate = withClientCertificate ? { clientCertificate: { certPem: client.fullChainPem, keyPem: client.keyPem } } : {};
      outcome = probeSipOptions(ADDRESS, port[role], { servername: EDGE, domain: DOMAIN, extraCaPem: [pki.rootPem], ...clientCertificate }, probeContext(4000));
      outcomes.set(key, outcome);
    }
    return outcome;
  }

  async function factsOf(role: Role, withClientCertificate = false): Promise<SipProbeFacts> {
    const outcome = await probe(role, withClientCertificate);
    if (outcome.status !== 'ok') throw new Error(withLog(server, `probeSipOptions on ${role}: ${JSON.stringify(outcome)}`));
    return outcome.facts;
  }

  const seen = (what: unknown) => withLog(server, `probe facts: ${JSON.stringify(what, (key, value: unknown) => (key === 'peerChain' ? '[...]' : value))}`);
  const rootName = () => parseCertificate(pki.rootDer.toString('base64')).subject;

  /** tls.handshake on the facts Kamailio gave for one listener, found by SRV as a run finds it. */
  async function handshakeFindings(role: Role) {
    const target = { domain: DOMAIN, input: DOMAIN, services: ['sip' as const] };
    const recorded = {
      ...facts().srv(`_sipfederationtls._tcp.${DOMAIN}`, [[10, 1, port[role], EDGE]]).a(EDGE, [ADDRESS]).tcp(ADDRESS, port[role], 'open').build(),
      [protocolFactKey.sip(DOMAIN, EDGE, ADDRESS, port[role])]: await probe(role),
    };
    return runChecks(['tls.handshake'], target, recorded).get('tls.handshake') ?? [];
  }

  it('listen=tcp: on the federation port: silent to the ClientHello, it answers a plain OPTIONS, and tls.handshake says plain SIP', async () => {
    const sip = await factsOf('plainTcp');
    expect(sip.tls, seen(sip)).toBeUndefined();
    expect(sip.failure, seen(sip)).toMatchObject({ stage: 'tls', nonTlsAnswer: { answerTo: 'plain-sip-options', looksLike: 'sip' } });
    expect(sip.failure?.nonTlsAnswer?.text, seen(sip)).toMatch(/^SIP\/2\.0 200 OK\\r\\n.*Server: kamailio \(/);
    const findings = await handshakeFindings('plainTcp');
    expect(findings.map((f) => [f.status, f.messageId]), describeFindings(findings)).toEqual([['fail', 'answersWithoutTls']]);
    expect(findings[0]?.message).toContain(`port ${port.plainTcp} answers without TLS (plain SIP)`);
    expect(findings[0]?.evidence).toContain('  SIP/2.0 200 OK');
    expect(findings[0]?.fix?.snippets.map((s) => s.text).join('\n')).toContain(`listen=tls:${ADDRESS}:${port.plainTcp}`);
  });

  it('TLS 1.2 with require_certificate: the CertificateRequest and its CA list are seen, and the refusal is "demands a client certificate"', async () => {
    const sip = await factsOf('demands12');
    expect(sip.tls, seen(sip)).toBeUndefined();
    expect(sip.failure?.clientCertificateRequest, seen(sip)).toEqual({ requested: true, certificateAuthorities: [rootName()] });
    const findings = await handshakeFindings('demands12');
    expect(findings.map((f) => [f.status, f.messageId]), describeFindings(findings)).toEqual([['error', 'clientCertificateDemanded']]);
  });

  it('TLS 1.3 with require_certificate: the request is read from the decrypted flight; with our certificate the OPTIONS is answered', async () => {
    const without = await factsOf('demands13');
    expect(without.tls?.protocol, seen(without)).toBe('TLSv1.3');
    expect(without.tls?.clientCertificateRequest, seen(without)).toEqual({ requested: true, certificateAuthorities: [rootName()] });
    // TLS 1.3 ends our side of the handshake before the server judges our (empty) certificate: it refuses right after.
    expect(without.response, seen(without)).toBeUndefined();
    const withCertificate = await factsOf('demands13', true);
    expect(withCertificate.tls?.clientCertificateRequest, seen(withCertificate)).toMatchObject({ requested: true });
    expect(withCertificate.response?.statusLine, seen(withCertificate)).toBe('SIP/2.0 200 OK');
  });

  it('fedcheck check --sip, the real CLI: plain SIP on the TLS port fails, a demanded client certificate is an error, the quiet listener passes', async () => {
    const { code, report, stderr } = await checkWithCli([DOMAIN, '--sip'], { resolver: `${DNS_ADDRESS}:${dns?.port}`, caFile: rootFile, server });
    const findings = report.domains[0]?.findings ?? [];
    const handshake = (role: Role) => findings.filter((f) => f.checkId === 'tls.handshake' && f.subject.endsWith(`:${port[role]}`)).map((f) => [f.status, f.messageId]);
    const all = withLog(server, describeFindings(findings));
    expect(stderr).toBe('');
    expect(handshake('plainTcp'), all).toEqual([['fail', 'answersWithoutTls']]);
    expect(handshake('demands12'), all).toEqual([['error', 'clientCertificateDemanded']]);
    expect(handshake('quiet'), all).toEqual([['pass', 'completed']]);
    expect(code, all).toBe(2);
  });

  it('verify_certificate = no: no client certificate requested, and the evidence says so', async () => {
    const sip = await factsOf('quiet');
    expect(sip.tls?.clientCertificateRequest, seen(sip)).toEqual({ requested: false });
    const findings = await handshakeFindings('quiet');
    expect(findings.map((f) => [f.status, f.messageId]), describeFindings(findings)).toEqual([['pass', 'completed']]);
    expect(findings[0]?.evidence[0]).toContain('no client certificate requested');
  });
});

function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/** One section per TLS listener; the two that demand a certificate name the test root in ca_list. */
function tlsCfg(port: Record<Role, number>, files: { cert: string; key: string; caList: string }): string {
  const section = (listener: string, method: string, demand: boolean) =>
    [
      `[server:${listener}]`,
      `method = ${method}`,
      `verify_certificate = ${demand ? 'yes' : 'no'}`,
      `require_certificate = ${demand ? 'yes' : 'no'}`,
      `certificate = ${files.cert}`,
      `private_key = ${files.key}`,
      ...(demand ? [`ca_list = ${files.caList}`] : []),
      '',
    ].join('\n');
  return [
    '# generated by test/interop/kamailio-listeners.test.ts',
    section('default', 'TLSv1.2+', false),
    section(`${ADDRESS}:${port.demands12}`, 'TLSv1.2', true),
    // Debian's Kamailio 5.6 refuses method = TLSv1.3; TLSv1.2+ negotiates TLS 1.3 with a current client.
    section(`${ADDRESS}:${port.demands13}`, 'TLSv1.2+', true),
  ].join('\n');
}

/** A plain TCP listener and three TLS listeners, OPTIONS answered 200 statelessly on all of them. */
function kamailioCfg(modules: string, tlsConfig: string, port: Record<Role, number>): string {
  return `#!KAMAILIO
${kamailioCoreConfig('test/interop/kamailio-listeners.test.ts')}
listen=tcp:${ADDRESS}:${port.plainTcp}
listen=tls:${ADDRESS}:${port.demands12}
listen=tls:${ADDRESS}:${port.demands13}
listen=tls:${ADDRESS}:${port.quiet}

mpath="${modules}/"
loadmodule "pv.so"
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
