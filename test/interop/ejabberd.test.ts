// Interop: `fedcheck check` run as an admin runs it, against a real ejabberd 23.01 (s2s_use_starttls: required,
// mod_s2s_dialback) on loopback, its domains published by the lab's DNS server. Two hosts share the listener: the
// first has a certificate naming it; the second has none of its own, so ejabberd serves the first host's, a real
// wrong-name case. ejabberd runs without ejabberdctl and without Erlang distribution (INTEROP.md).

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { startLabDns, type LabDnsServer } from '../../src/lab/dns-server.js';
import { parseZoneFile } from '../../src/lab/zone-file.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import { fedcheck } from '../support/fedcheck.js';
import { makeWorkDir, removeWorkDir, requireBinary, startServer, withLog, type RunningServer } from '../support/interop.js';

/** Our lab octets (127.77.60-69.x): ejabberd's s2s listener and the DNS server that publishes it. */
const XMPP_ADDRESS = '127.77.61.1';
const DNS_ADDRESS = '127.77.61.53';
const XMPP_PORT = 5269;
const GOOD = 'good.ejabberd.test';
/** A second ejabberd host with no certificate of its own. */
const SECOND = 'second.ejabberd.test';
const FROM = 'fedcheck.interop.test';
/** Where Debian's ejabberd keeps its Erlang applications (ERL_LIBS). */
const ERL_LIBS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu'].find((dir) => fs.existsSync(path.join(dir, 'ejabberd-23.01')));

const erl = requireBinary('erl', 'ejabberd', 'ejabberd');
if (erl && !ERL_LIBS) console.warn('ejabberd-23.01 not found under /usr/lib/<arch>-linux-gnu: install the Debian package ejabberd to run the ejabberd interop test');

(erl && ERL_LIBS ? describe : describe.skip)('fedcheck check against ejabberd 23.01', () => {
  let workDir: string | undefined;
  let server: RunningServer | undefined;
  let dns: LabDnsServer | undefined;
  let caFile: string;
  /** Our certificates for --client-cert: with Client Authentication, and without it. */
  const clients: Record<'clientAuth' | 'serverAuthOnly', { cert: string; key: string }> = {
    clientAuth: { cert: '', key: '' },
    serverAuthOnly: { cert: '', key: '' },
  };
  const reports = new Map<string, Promise<{ code: number | null; report: Report; stderr: string }>>();

  beforeAll(async () => {
    workDir = makeWorkDir('ejabberd');
    const pki = await createTestPki({ name: 'fedcheck Interop' });
    const good = await pki.issue({ commonName: GOOD, dnsNames: [GOOD, `xmpp.${GOOD}`], srvNames: [`_xmpp-server.${GOOD}`], xmppAddrs: [GOOD] });
    caFile = writeFile(workDir, 'root.pem', pki.rootPem);
    for (const [name, eku] of [['clientAuth', ['serverAuth', 'clientAuth']], ['serverAuthOnly', ['serverAuth']]] as const) {
      const issued = await pki.issue({ commonName: FROM, dnsNames: [FROM], eku: [...eku] });
      clients[name] = { cert: writeFile(workDir, `${name}.pem`, issued.fullChainPem), key: writeFile(workDir, `${name}.key`, issued.keyPem) };
    }
    // ejabberd reads certificate, chain and key from one PEM file.
    const certfile = writeFile(workDir, `${GOOD}.pem`, good.fullChainPem + good.keyPem);
    const spool = path.join(workDir, 'spool');
    fs.mkdirSync(spool);

    dns = await startLabDns([{ address: DNS_ADDRESS, zones: [GOOD, SECOND].map((domain) => parseZoneFile(zoneText(domain), domain, `${domain}.zone`)) }]);
    const config = writeFile(workDir, 'ejabberd.yml', ejabberdConfig(certfile, caFile));
    // ejabberd's own resolver asks the test's DNS, never the machine's.
    const inetrc = writeFile(workDir, 'inetrc', `{lookup, [dns]}.\n{hosts_file, ""}.\n{resolv_conf, ""}.\n{nameserver, {${DNS_ADDRESS.replaceAll('.', ',')}}, ${dns.port}}.\n`);
    server = await startServer({
      name: 'ejabberd',
      command: 'env',
      args: [
        `HOME=${workDir}`,
        `ERL_LIBS=${ERL_LIBS as string}`,
        `EJABBERD_CONFIG_PATH=${config}`,
        `EJABBERD_LOG_PATH=${path.join(workDir, 'ejabberd.log')}`,
        `EJABBERD_PID_PATH=${path.join(workDir, 'ejabberd.pid')}`,
        `ERL_INETRC=${inetrc}`,
        erl as string,
        '-noinput',
        '-noshell',
        '-mnesia',
        'dir',
        JSON.stringify(spool),
        '-s',
        'ejabberd',
      ],
      cwd: workDir,
      listeners: [{ address: XMPP_ADDRESS, port: XMPP_PORT }],
      startupMs: 30000,
    });
  });

  afterAll(async () => {
    await server?.stop();
    await dns?.close();
    removeWorkDir(workDir);
  });

  /** One run of the real CLI per domain, shared by the tests that read it. */
  function check(domain: string, client?: keyof typeof clients): Promise<{ code: number | null; report: Report; stderr: string }> {
    let run = reports.get(`${domain} ${client}`);
    if (!run) {
      const certificate = client ? ['--client-cert', clients[client].cert, '--client-key', clients[client].key] : [];
      run = fedcheck([
        'check',
        domain,
        ...certificate,
        '--xmpp',
        '--resolver',
        `${DNS_ADDRESS}:${dns?.port}`,
        '--allow-private',
        '127.0.0.0/8',
        '--ca-file',
        caFile,
        '--from-domain',
        FROM,
        '--timeout',
        '10000',
        '--format',
        'json',
      ]).then((result) => {
        if (!result.stdout.startsWith('{')) throw new Error(withLog(server, `fedcheck check ${domain} exited ${result.code}: ${result.stderr}`));
        return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
      });
      reports.set(`${domain} ${client}`, run);
    }
    return run;
  }

  const xmppFindings = (report: Report): Finding[] => report.domains[0]?.findings.filter((f) => f.service === 'xmpp') ?? [];
  const describe = (findings: Finding[]) => findings.map((f) => `${f.status} ${f.checkId} ${f.messageId}: ${f.message}`).join('\n');

  it(`${GOOD}: every XMPP check passes (or does not apply): STARTTLS required, the certificate names the domain, dialback and EXTERNAL offered`, async () => {
    const { code, report, stderr } = await check(GOOD);
    expect(stderr).toBe('');
    // With --xmpp every finding is about XMPP federation, the DNS, port and TLS ones (service none) included.
    const all = report.domains[0]?.findings ?? [];
    const seen = withLog(server, describe(all));
    expect(all.filter((f) => f.status === 'fail' || f.status === 'error' || f.status === 'warn'), seen).toEqual([]);
    expect(code, seen).toBe(0);
    const findings = xmppFindings(report);
    const verdict = (checkId: string) => findings.filter((f) => f.checkId === checkId).map((f) => [f.status, f.messageId]);
    expect(verdict('xmpp.starttls'), seen).toEqual([['pass', 'required']]);
    expect(verdict('xmpp.stream-negotiation'), seen).toEqual([['pass', 'negotiated']]);
    // ejabberd lists SASL EXTERNAL after TLS to every peer, certificate or not, and judges the certificate on <auth/>.
    expect(verdict('xmpp.authentication-methods'), seen).toEqual([['pass', 'both']]);
    expect(verdict('tls.xmpp-certificate-names'), seen).toEqual([['pass', 'named']]);
    expect(findings.find((f) => f.checkId === 'tls.xmpp-certificate-names')?.message).toContain('DNS-ID (dNSName), SRV-ID (_xmpp-server), XmppAddr');
  });

  it(`${SECOND}, a host without its own certificate: ejabberd serves ${GOOD}'s, and tls.xmpp-certificate-names fails`, async () => {
    const { code, report } = await check(SECOND);
    const findings = xmppFindings(report);
    const seen = withLog(server, describe(findings));
    const names = findings.filter((f) => f.checkId === 'tls.xmpp-certificate-names');
    expect(names.map((f) => [f.status, f.messageId]), seen).toEqual([['fail', 'notNamed']]);
    expect(names[0]?.message, seen).toContain(`DNS:${GOOD}`);
    expect(names[0]?.fix?.summary, seen).toContain(`DNS:${SECOND}`);
    // The stream itself works: ejabberd hosts the domain, only the certificate is wrong.
    expect(findings.filter((f) => f.checkId === 'xmpp.stream-negotiation').map((f) => f.status), seen).toEqual(['pass']);
    expect(code).toBe(2);
  });

  it('with --client-cert: ejabberd lets our certificate authenticate by SASL EXTERNAL, and refuses one without Client Authentication', async () => {
    const accepted = await check(GOOD, 'clientAuth');
    const acceptance = accepted.report.domains[0]?.findings.filter((f) => f.checkId === 'tls.client-certificate-accepted') ?? [];
    const seenAccepted = withLog(server, describe(acceptance));
    expect(acceptance.map((f) => [f.status, f.messageId]), seenAccepted).toEqual([['pass', 'xmppExternalOffered']]);
    expect(acceptance[0]?.message, seenAccepted).toContain('and authenticating with it succeeded');

    const refused = await check(GOOD, 'serverAuthOnly');
    const refusal = refused.report.domains[0]?.findings.filter((f) => f.checkId === 'tls.client-certificate-accepted') ?? [];
    const seenRefused = withLog(server, describe(refusal));
    // Dialback is still offered, so this is a warning: EXTERNAL is refused, dialback can still authenticate us.
    expect(refusal.map((f) => [f.status, f.messageId]), seenRefused).toEqual([['warn', 'xmppExternalRefused']]);
    expect(refusal[0]?.message, seenRefused).toMatch(/unsupported certificate purpose/i);
  });
});

function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/** The domain's zone: its name server, the XMPP server-to-server SRV record and the target's address. */
function zoneText(domain: string): string {
  return `$ORIGIN ${domain}.
$TTL 3600
@                  IN SOA ns1.${domain}. hostmaster.${domain}. ( 2026120301 7200 3600 1209600 300 )
@                  IN NS  ns1.${domain}.
ns1                IN A   ${DNS_ADDRESS}
_xmpp-server._tcp  IN SRV 10 1 ${XMPP_PORT} xmpp.${domain}.
xmpp               IN A   ${XMPP_ADDRESS}
`;
}

/** Two hosts, one certificate (for the first), STARTTLS required, dialback, one s2s listener and nothing else. */
function ejabberdConfig(certfile: string, caFile: string): string {
  return `# generated by test/interop/ejabberd.test.ts
hosts:
  - "${GOOD}"
  - "${SECOND}"
loglevel: info
certfiles:
  - "${certfile}"
# The CA of the peers' certificates, for SASL EXTERNAL.
ca_file: "${caFile}"
s2s_use_starttls: required
listen:
  -
    port: ${XMPP_PORT}
    ip: "${XMPP_ADDRESS}"
    module: ejabberd_s2s_in
modules:
  mod_s2s_dialback: {}
`;
}
