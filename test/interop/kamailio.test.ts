// Interop: fedcheck's SIP OPTIONS probe against a real Kamailio with TLS on loopback. Three TLS listeners: the first
// presents a certificate for the Edge FQDN and the SIP domain and answers 200; the second presents a certificate
// for another name (its own [server:<ip>:<port>] section in tls.cfg) and answers 403 with an ms-diagnostics header;
// the third presents the Edge certificate and answers a plain 403, as a partner's Kamailio refusing our domain does.
// The real CLI (`fedcheck check --sip`) runs against the same listeners too, the test's DNS publishing one SRV record
// per listener: the report an admin reads gives each listener the verdicts the checks give the probes' facts.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { FactRecord, ProbeOutcome } from '../../src/model/facts.js';
import type { Finding } from '../../src/model/finding.js';
import { startLabDns, type LabDnsServer } from '../../src/lab/dns-server.js';
import { parseZoneFile } from '../../src/lab/zone-file.js';
import { protocolFactKey, type SipProbeFacts } from '../../src/model/protocol-facts.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { sipIdentities } from '../../src/pki/names.js';
import { createTestPki, type TestPki } from '../../src/pki/test-ca.js';
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

const ADDRESS = '127.0.88.20';
/** The test's DNS for the CLI run: one SRV record per listener, all to the Edge. */
const DNS_ADDRESS = '127.0.88.54';
const DOMAIN = 'interop.test';
const EDGE = 'sip.interop.test';
const FROM = 'fedcheck.interop.test';
const WRONG_NAME = 'other.example';
const DIAGNOSTICS_SOURCE = 'kamailio.interop.test';
const DIAGNOSTICS = `1034;reason="Previous hop federated peer did not report diagnostic information";source="${DIAGNOSTICS_SOURCE}"`;

const kamailio = requireBinary('kamailio', 'kamailio', 'Kamailio');
const moduleDir = kamailio ? requireKamailioModules(['pv', 'sl', 'textops', 'tls'], 'Kamailio') : undefined;

(kamailio && moduleDir ? describe : describe.skip)('probeSipOptions against Kamailio with TLS', () => {
  let workDir: string | undefined;
  let server: RunningServer | undefined;
  let pki: TestPki;
  /** The listener with the right certificate, answering 200. */
  let okPort: number;
  /** The listener with the wrong certificate, answering 403 with ms-diagnostics. */
  let diagPort: number;
  /** The listener with the Edge certificate, answering 403 without ms-diagnostics. */
  let plainPort: number;
  let rootFile: string;
  let dns: LabDnsServer | undefined;
  const outcomes = new Map<number, Promise<ProbeOutcome<SipProbeFacts>>>();

  beforeAll(async () => {
    workDir = makeWorkDir('kamailio');
    pki = await createTestPki({ name: 'fedcheck Interop' });
    const good = await pki.issue({ commonName: EDGE, dnsNames: [EDGE, DOMAIN], uris: [`sip:${DOMAIN}`] });
    const wrong = await pki.issue({ commonName: WRONG_NAME, dnsNames: [WRONG_NAME] });
    const files = {
      goodCert: writeFile(workDir, 'edge.crt', good.fullChainPem),
      goodKey: writeFile(workDir, 'edge.key', good.keyPem),
      wrongCert: writeFile(workDir, 'wrong.crt', wrong.fullChainPem),
      wrongKey: writeFile(workDir, 'wrong.key', wrong.keyPem),
    };
    rootFile = writeFile(workDir, 'root.pem', pki.rootPem);
    [okPort, diagPort, plainPort] = (await freePorts(ADDRESS, 3)) as [number, number, number];
    const tlsConfig = writeFile(workDir, 'tls.cfg', tlsCfg(okPort, diagPort, files));
    const config = writeFile(workDir, 'kamailio.cfg', kamailioCfg(moduleDir as string, tlsConfig, okPort, diagPort, plainPort));
    const runDir = path.join(workDir, 'run');
    fs.mkdirSync(runDir);
    server = await startServer({
      name: 'kamailio',
      command: kamailio as string,
      args: ['-f', config, '-P', path.join(runDir, 'kamailio.pid'), '-Y', runDir, '-DD', '-E'],
      cwd: workDir,
      listeners: [
        { address: ADDRESS, port: okPort },
        { address: ADDRESS, port: diagPort },
        { address: ADDRESS, port: plainPort },
      ],
    });
    const srv = [okPort, diagPort, plainPort].map((port, index) => `_sipfederationtls._tcp IN SRV ${10 * (index + 1)} 1 ${port} sip.${DOMAIN}.`);
    dns = await startLabDns([{ address: DNS_ADDRESS, zones: [parseZoneFile(zoneText(DOMAIN, DNS_ADDRESS, [...srv, `sip IN A ${ADDRESS}`]), DOMAIN, `${DOMAIN}.zone`)] }]);
  });

  afterAll(async () => {
    await server?.stop();
    await dns?.close();
    removeWorkDir(workDir);
  });

  function probe(port: number): Promise<ProbeOutcome<SipProbeFacts>> {
    let outcome = outcomes.get(port);
    if (!outcome) {
      outcome = probeSipOptions(ADDRESS, port, { servername: EDGE, domain: DOMAIN, fromDomain: FROM, extraCaPem: [pki.rootPem] }, probeContext());
      outcomes.set(port, outcome);
    }
    return outcome;
  }

  /** The exchange, checked for what every answer from Kamailio has: TLS, a final response echoing our request. */
  async function exchanged(port: number): Promise<Required<Pick<SipProbeFacts, 'tls' | 'request' | 'response'>> & SipProbeFacts> {
    const outcome = await probe(port);
    if (outcome.status !== 'ok') throw new Error(withLog(server, `probeSipOptions on port ${port}: ${JSON.stringify(outcome)}`));
    const { tls, request, response, failure } = outcome.facts;
    const seen = withLog(server, `probe facts: ${JSON.stringify({ ...outcome.facts, tls: tls && { ...tls, peerChain: tls.peerChain.length } })}`);
    expect(failure, seen).toBeUndefined();
    if (!tls || !request || !response) throw new Error(seen);
    expect(tls.servername, seen).toBe(EDGE);
    expect(tls.protocol, seen).toMatch(/^TLSv1\.[23]$/);
    expect(tls.authorized, seen).toBe(true);
    expect(tls.peerChain, seen).toHaveLength(2);

    const sent = headerMap(request.split('\r\n').slice(1));
    const got = (name: string) => response.headers.find(([header]) => header.toLowerCase() === name.toLowerCase())?.[1];
    const branch = /branch=(z9hG4bK[0-9a-f]+)/.exec(sent.get('via') ?? '')?.[1];
    expect(branch, seen).toBeDefined();
    // Via echoed with our branch, and Kamailio's rport / received added.
    expect(got('Via'), seen).toMatch(new RegExp(`^SIP/2\\.0/TLS [^;]+;branch=${branch};rport=\\d+;received=127(?:\\.\\d+){3}$`));
    expect(got('From'), seen).toBe(sent.get('from'));
    expect(got('To'), seen).toMatch(new RegExp(`^<sip:${DOMAIN.replace(/\./g, '\\.')}>;tag=\\S+$`));
    expect(got('Call-ID'), seen).toBe(sent.get('call-id'));
    expect(got('CSeq'), seen).toBe('1 OPTIONS');
    expect(got('Server'), seen).toMatch(/^kamailio \(\d+\.\d+\.\d+ /);
    expect(got('Content-Length'), seen).toBe('0');
    return { ...outcome.facts, tls, request, response };
  }

  it('the listener with the Edge certificate: TLS trusted, 200 OK with Kamailio\'s Server header, and the names match', async () => {
    const { tls, response } = await exchanged(okPort);
    expect(response.statusLine).toBe('SIP/2.0 200 OK');
    expect(response.headers.map(([name]) => name)).toEqual(['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Server', 'Content-Length']);
    const leaf = parseCertificate(tls.peerChain[0] as string);
    const identities = sipIdentities(leaf, { domain: DOMAIN, edgeFqdn: EDGE });
    expect(identities.edge.matchedBy).toEqual(['dns']);
    expect(identities.domain.matchedBy).toEqual(['dns', 'uri']);
    expect(identities).toMatchObject({ cnIsEdge: true, edgeIsFirstSan: true, wildcardForEdge: false });
  });

  it(`the listener with the ${WRONG_NAME} certificate: 403 with the ms-diagnostics header, and the names do not match`, async () => {
    const { tls, response } = await exchanged(diagPort);
    expect(response.statusLine).toBe('SIP/2.0 403 Forbidden');
    expect(response.headers.filter(([name]) => name.toLowerCase() === 'ms-diagnostics')).toEqual([['ms-diagnostics', DIAGNOSTICS]]);
    const leaf = parseCertificate(tls.peerChain[0] as string);
    expect(leaf.sans.dns).toEqual([WRONG_NAME]);
    const identities = sipIdentities(leaf, { domain: DOMAIN, edgeFqdn: EDGE });
    expect(identities.edge.matchedBy).toEqual([]);
    expect(identities.domain.matchedBy).toEqual([]);
    expect(identities.cnIsEdge).toBe(false);
  });

  it('the listener refusing without ms-diagnostics: a plain 403 with Kamailio\'s Server header and nothing else', async () => {
    const { response } = await exchanged(plainPort);
    expect(response.statusLine).toBe('SIP/2.0 403 Forbidden');
    expect(response.headers.map(([name]) => name)).toEqual(['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Server', 'Content-Length']);
  });

  /** What the SIP checks say of each listener, as [subject, status, messageId], sorted: from the probes or the CLI alike. */
  function expectListenerVerdicts(findingsOf: (id: string) => Finding[]): void {
    const okSubject = `${EDGE} ${ADDRESS}:${okPort}`;
    const diagSubject = `${EDGE} ${ADDRESS}:${diagPort}`;
    const plainSubject = `${EDGE} ${ADDRESS}:${plainPort}`;
    const summary = (id: string) => findingsOf(id).map((f) => [f.subject, f.status, f.messageId]).sort();
    const seen = (id: string) => withLog(server, `${id}:\n${describeFindings(findingsOf(id))}`);
    expect(summary('tls.sip-certificate-names'), seen('tls.sip-certificate-names')).toEqual(
      [
        [okSubject, 'pass', 'named'],
        [diagSubject, 'fail', 'neitherNamed'],
        [plainSubject, 'pass', 'named'],
      ].sort(),
    );
    expect(summary('sip.options-response'), seen('sip.options-response')).toEqual(
      [
        [okSubject, 'pass', 'ok'],
        [diagSubject, 'pass', 'answered'],
        [plainSubject, 'warn', 'refused'],
      ].sort(),
    );
    expect(summary('sip.ms-diagnostics'), seen('sip.ms-diagnostics')).toEqual(
      [
        [okSubject, 'pass', 'none'],
        [diagSubject, 'warn', 'warning'],
        [plainSubject, 'pass', 'none'],
      ].sort(),
    );
  }

  it('the SIP checks judge the facts Kamailio gave: names, the answer, and the decoded ms-diagnostics', async () => {
    const target = { domain: DOMAIN, input: DOMAIN, services: ['sip' as const] };
    const diagSubject = `${EDGE} ${ADDRESS}:${diagPort}`;
    const plainSubject = `${EDGE} ${ADDRESS}:${plainPort}`;
    const ids = ['tls.sip-certificate-names', 'sip.options-response', 'sip.ms-diagnostics'];
    const findings = runChecks(ids, target, await sipFacts(), { fromDomain: FROM });
    const seen = (id: string) => `${id}:\n${describeFindings(findings.get(id))}`;
    expectListenerVerdicts((id) => findings.get(id) ?? []);
    const decoded = findings.get('sip.ms-diagnostics')?.find((f) => f.subject === diagSubject);
    expect(decoded?.message).toContain('1034');
    expect(decoded?.message).toContain(`added by ${DIAGNOSTICS_SOURCE}`);
    expect(decoded?.fix?.summary, seen('sip.ms-diagnostics')).toContain(DIAGNOSTICS_SOURCE);

    // What an admin reads about the real Kamailio's plain 403: who answered, that our domain was refused, what to ask.
    const refused = findings.get('sip.options-response')?.find((f) => f.subject === plainSubject);
    expect(refused?.message, describeFindings(refused ? [refused] : [])).toMatch(/answered SIP\/2\.0 403 Forbidden \(Server: kamailio \(\d+\.\d+\.\d+ [^)]*\)\), no ms-diagnostics\)/);
    expect(refused?.message).toContain(`it refused our domain ${FROM}`);
    expect(refused?.evidence).toContainEqual(expect.stringMatching(/^  Server: kamailio \(\d+\.\d+\.\d+ /));
    expect(refused?.fix?.summary).toBe(
      `Ask the admins of ${DOMAIN} to accept SIP federation from ${FROM}: your domain and your Access Edge on their allowed list, SBC trust or federation settings`,
    );
  });

  it('fedcheck check --sip, the real CLI: the same verdict for each listener, and exit 2 for the wrong certificate', async () => {
    const { code, report, stderr } = await checkWithCli([DOMAIN, '--sip', '--from-domain', FROM], { resolver: `${DNS_ADDRESS}:${dns?.port}`, caFile: rootFile, server });
    const findings = report.domains[0]?.findings ?? [];
    expect(stderr).toBe('');
    expectListenerVerdicts((id) => findings.filter((f) => f.checkId === id));
    const diagnostics = findings.find((f) => f.checkId === 'sip.ms-diagnostics' && f.status === 'warn');
    expect(diagnostics?.message, describeFindings(findings)).toContain(`added by ${DIAGNOSTICS_SOURCE}`);
    expect(code, describeFindings(findings)).toBe(2);
  });

  /** DNS and TCP facts as a run would have gathered them (SRV to the Edge on both ports, its A record, ports open), plus the probes'. */
  async function sipFacts(): Promise<FactRecord> {
    return {
      ...facts()
        .srv(`_sipfederationtls._tcp.${DOMAIN}`, [
          [10, 1, okPort, EDGE],
          [20, 1, diagPort, EDGE],
          [30, 1, plainPort, EDGE],
        ])
        .a(EDGE, [ADDRESS])
        .tcp(ADDRESS, okPort, 'open')
        .tcp(ADDRESS, diagPort, 'open')
        .tcp(ADDRESS, plainPort, 'open')
        .build(),
      [protocolFactKey.sip(DOMAIN, EDGE, ADDRESS, okPort)]: await probe(okPort),
      [protocolFactKey.sip(DOMAIN, EDGE, ADDRESS, diagPort)]: await probe(diagPort),
      [protocolFactKey.sip(DOMAIN, EDGE, ADDRESS, plainPort)]: await probe(plainPort),
    };
  }
});

function headerMap(lines: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) map.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return map;
}

function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/** The default server domain presents the Edge certificate; the second listener has its own, for another name. */
function tlsCfg(okPort: number, diagPort: number, files: { goodCert: string; goodKey: string; wrongCert: string; wrongKey: string }): string {
  const section = (name: string, cert: string, key: string) =>
    [`[server:${name}]`, 'method = TLSv1.2+', 'verify_certificate = no', 'require_certificate = no', `certificate = ${cert}`, `private_key = ${key}`, ''].join('\n');
  return [
    `# generated by test/interop/kamailio.test.ts (listeners ${ADDRESS}:${okPort} and ${ADDRESS}:${diagPort})`,
    section('default', files.goodCert, files.goodKey),
    section(`${ADDRESS}:${diagPort}`, files.wrongCert, files.wrongKey),
  ].join('\n');
}

/**
 * Three TLS listeners, no UDP or plain TCP, no DNS lookups of its own; OPTIONS answered statelessly: 200 on the first
 * listener, 403 with an ms-diagnostics header on the second, a plain 403 on the third; anything else 405.
 */
function kamailioCfg(modules: string, tlsConfig: string, okPort: number, diagPort: number, plainPort: number): string {
  const diagnostics = DIAGNOSTICS.replace(/"/g, '\\"');
  return `#!KAMAILIO
${kamailioCoreConfig('test/interop/kamailio.test.ts')}
listen=tls:${ADDRESS}:${okPort}
listen=tls:${ADDRESS}:${diagPort}
listen=tls:${ADDRESS}:${plainPort}

mpath="${modules}/"
loadmodule "pv.so"
loadmodule "sl.so"
loadmodule "textops.so"
loadmodule "tls.so"
modparam("tls", "config", "${tlsConfig}")

request_route {
  if (is_method("OPTIONS")) {
    if ($Rp == ${diagPort}) {
      append_to_reply("ms-diagnostics: ${diagnostics}\\r\\n");
      sl_send_reply("403", "Forbidden");
      exit;
    }
    if ($Rp == ${plainPort}) {
      sl_send_reply("403", "Forbidden");
      exit;
    }
    sl_send_reply("200", "OK");
    exit;
  }
  sl_send_reply("405", "Method Not Allowed");
  exit;
}
`;
}
