// `fedcheck check` against the lab, run as an admin would, for the options the demo does not exercise.

import { createPrivateKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import type { TestPki } from '../../src/pki/test-ca.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { fedcheck } from '../support/fedcheck.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const tempFolder = tempFolders();

let lab: SharedLab;
let caFile: string;
beforeAll(async () => {
  lab = sharedLab();
  caFile = lab.caFile;
});
afterAll(async () => {
});

async function check(args: string[], allowPrivate = lab.allowPrivate.join(',')): Promise<{ code: number | null; report: Report }> {
  const result = await fedcheck([
    'check',
    ...args,
    '--resolver',
    formatServer(lab.resolver),
    '--timeout',
    String(lab.timeoutMs),
    `--allow-private=${allowPrivate}`,
    '--ca-file',
    caFile,
    '--format',
    'json',
  ]);
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

const findingsOf = (report: Report, domain: string, checkId: string): Finding[] =>
  report.domains.find((d) => d.domain === domain)?.findings.filter((f) => f.checkId === checkId) ?? [];

/** The lab's addresses are written for 127.77.x.y; a busy block moves them. */
const inLab = (address: string) => address.replace(/^127\.77\./, `${lab.block.split('.').slice(0, 2).join('.')}.`);

describe('fedcheck check against the lab', () => {
  it('from inside the Edge, checks the internal listeners: all there on healthy.test, missing on multi-edge.test', async () => {
    const { report } = await check(['healthy.test', 'multi-edge.test', '--vantage', 'internal']);
    const healthy = findingsOf(report, 'healthy.test', 'net.internal-listeners');
    expect(healthy.map((f) => f.subject).sort()).toEqual(
      [`${inLab('127.77.1.1')}:23456`, `${inLab('127.77.1.1')}:4443`, `${inLab('127.77.1.1')}:5061`].sort(),
    );
    expect(healthy.every((f) => f.status === 'pass')).toBe(true);
    const multi = findingsOf(report, 'multi-edge.test', 'net.internal-listeners');
    // multi-edge.test is SIP only: its three Edge addresses must have 5061 and 4443, not the XMPP gateway.
    expect(multi.filter((f) => f.subject.endsWith(':4443')).map((f) => f.status)).toEqual(['fail', 'fail', 'fail']);
    expect(multi.some((f) => f.subject.endsWith(':23456'))).toBe(false);
    expect(multi.find((f) => f.status === 'fail')?.fix?.summary).toBeTruthy();
  });

  it('from outside, never probes the internal ports', async () => {
    const { report } = await check(['healthy.test']);
    const internal = findingsOf(report, 'healthy.test', 'net.internal-listeners');
    // One line per service, each naming the internal ports that service would need.
    expect(internal.map((f) => `${f.status} ${f.service}`).sort()).toEqual(['skip sip', 'skip xmpp']);
    expect(internal.every((f) => f.message.includes('--vantage internal'))).toBe(true);
    // Not a check that did not run: one no run from outside can judge, which reports show as "n/a here".
    expect(internal.every((f) => f.skipReason === 'vantage')).toBe(true);
    const withReason = report.domains.flatMap((d) => d.findings).filter((f) => f.skipReason !== undefined);
    expect(withReason.map((f) => f.checkId)).toEqual(['net.internal-listeners', 'net.internal-listeners']);
  });

  it('--sip leaves the XMPP checks out', async () => {
    const { report } = await check(['healthy.test', '--sip']);
    const ids = new Set(report.domains[0]?.findings.map((f) => f.checkId));
    expect(ids.has('dns.sip-federation-srv')).toBe(true);
    expect(ids.has('dns.xmpp-server-srv')).toBe(false);
    expect(report.domains[0]?.services).toEqual(['sip']);
  });

  it('--edge probes a configured Access Edge although the domain publishes no SRV record', async () => {
    const { code, report } = await check(['no-srv.test', '--sip', '--edge', 'sip.healthy.test']);
    const srv = findingsOf(report, 'no-srv.test', 'dns.sip-federation-srv');
    expect(srv.map((f) => [f.status, f.messageId])).toEqual([['warn', 'missingWithEdge']]);
    const port = findingsOf(report, 'no-srv.test', 'net.federation-port');
    expect(port.map((f) => [f.subject, f.status])).toEqual([[`${inLab('127.77.1.1')}:5061`, 'pass']]);
    expect(code).toBe(1);
  });

  it('reports a private Edge address without connecting to it, and tells IPv4 from IPv6', async () => {
    const { report } = await check(['private-edge.test', 'dual-stack.test']);
    const scope = findingsOf(report, 'private-edge.test', 'net.address-scope');
    expect(scope.map((f) => [f.subject, f.status])).toEqual([['10.20.30.40', 'warn']]);
    const privatePort = findingsOf(report, 'private-edge.test', 'net.federation-port');
    expect(privatePort.map((f) => f.status)).toEqual(['skip']);
    const dual = findingsOf(report, 'dual-stack.test', 'net.federation-port');
    expect(dual.map((f) => [f.subject, f.status]).sort()).toEqual(
      [
        [`${inLab('127.77.9.1')}:5061`, 'pass'],
        ['[::1]:5061', 'fail'],
      ].sort(),
    );
    expect(dual.find((f) => f.status === 'fail')?.message).toContain('IPv6');
  });

  it('without --allow-private, does not connect to the lab at all: every address is reported instead', async () => {
    const { report } = await check(['healthy.test', '--sip'], '192.0.2.0/24');
    const ports = findingsOf(report, 'healthy.test', 'net.federation-port');
    expect(ports.map((f) => f.status)).toEqual(['skip']);
    expect(findingsOf(report, 'healthy.test', 'net.address-scope').map((f) => f.status)).toEqual(['warn']);
  });

  it('names the stale name server when the authoritative servers disagree', async () => {
    const { report } = await check(['ns-disagree.test', '--sip']);
    const consistency = findingsOf(report, 'ns-disagree.test', 'dns.authoritative-consistency');
    const warn = consistency.find((f) => f.status === 'warn');
    expect(warn?.message).toContain('edge-old.ns-disagree.test');
    expect(warn?.message).toContain(inLab('127.77.53.2'));
  });

  it('tells SERVFAIL and no answer apart from a missing record: could not measure, not a failure', async () => {
    const { report } = await check(['dns-broken.test']);
    const sip = findingsOf(report, 'dns-broken.test', 'dns.sip-federation-srv');
    const xmpp = findingsOf(report, 'dns-broken.test', 'dns.xmpp-server-srv');
    expect(sip.map((f) => f.status)).toEqual(['error']);
    expect(sip[0]?.message).toContain('SERVFAIL');
    expect(xmpp.map((f) => f.status)).toEqual(['error']);
    expect(xmpp[0]?.message).toContain('timeout');
  });
});

describe('hostile and silent peers in the lab', () => {
  it('turns each into an error finding for its address, within the timeout, and reports the other domains', async () => {
    const { report } = await check(['silent-edge.test', 'hostile-edge.test', 'healthy.test']);
    const errorsOf = (domain: string) =>
      report.domains.find((d) => d.domain === domain)?.findings.filter((f) => f.status === 'error') ?? [];
    const silent = errorsOf('silent-edge.test');
    // One silent peer on 5061 and one on 5269: one error each, from the check that owns the probe.
    expect(silent.map((f) => `${f.checkId} ${f.subject.split(':').pop()}`).sort()).toEqual(['tls.handshake 5061', 'xmpp.stream-negotiation 5269'].sort());
    expect(silent.find((f) => f.checkId === 'tls.handshake')?.message).toContain('timeout');
    const hostile = errorsOf('hostile-edge.test');
    // The endless SIP header hits the byte cap; the entity bomb is refused before any expansion.
    expect(hostile.find((f) => f.checkId === 'sip.options-response')?.message).toMatch(/longer than \d+ bytes/);
    expect(hostile.find((f) => f.checkId === 'xmpp.stream-negotiation')?.message).toMatch(/DOCTYPE|forbidden|entity/i);
    // The healthy domain in the same run is judged as if alone.
    expect(report.domains.find((d) => d.domain === 'healthy.test')?.worst).toBe('pass');
  });
});

describe('a partner that refuses our domain', () => {
  it('warns on a 403 without ms-diagnostics, with the headers it sent and what to ask the partner', async () => {
    const { code, report } = await check(['sip-403-plain.test', '--sip', '--from-domain', 'ours.test']);
    const [plain, ...more] = findingsOf(report, 'sip-403-plain.test', 'sip.options-response');
    expect(more).toEqual([]);
    expect(plain).toMatchObject({ status: 'warn', messageId: 'refused', subject: `sip.sip-403-plain.test ${inLab('127.77.42.1')}:5061` });
    expect(plain?.message).toContain('answered SIP/2.0 403 Forbidden (Server: kamailio (5.6.3 (x86_64/linux)), no ms-diagnostics)');
    expect(plain?.message).toContain('it refused our domain ours.test');
    expect(plain?.evidence).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^received: SIP\/2\.0 403 Forbidden after \d+ ms/),
        '  Server: kamailio (5.6.3 (x86_64/linux))',
        '  Warning: 399 sip.sip-403-plain.test "Domain not allowed"',
      ]),
    );
    expect(plain?.fix?.summary).toBe(
      'Ask the admins of sip-403-plain.test to accept SIP federation from ours.test: your domain and your Access Edge on their allowed list, SBC trust or federation settings',
    );
    expect(plain?.fix?.snippets.map((snippet) => snippet.text).join('\n')).toContain('New-CsAllowedDomain -Identity ours.test');
    expect(findingsOf(report, 'sip-403-plain.test', 'sip.ms-diagnostics').map((f) => [f.status, f.messageId])).toEqual([['pass', 'none']]);
    expect(report.domains.find((d) => d.domain === 'sip-403-plain.test')?.worst).toBe('warn');
    expect(code).toBe(1);
  });
});

describe('whether the partner asks for a client certificate', () => {
  it('is evidence on every TLS finding: the healthy Edge asks naming the lab root, another lab Edge does not', async () => {
    const { report } = await check(['healthy.test', 'expiring-soon.test']);
    const sessionLine = (domain: string, port: number) =>
      findingsOf(report, domain, 'tls.handshake').find((f) => f.subject.endsWith(`:${port}`))?.evidence[0] ?? '';
    expect(sessionLine('healthy.test', 5061)).toMatch(/TLSv1\.3 .*client certificate requested \(acceptable CAs: CN=fedcheck lab Root CA/);
    // The lab's XMPP responders ask too (for SASL EXTERNAL), naming no CA.
    expect(sessionLine('healthy.test', 5269)).toContain('client certificate requested (any CA: none named)');
    expect(sessionLine('expiring-soon.test', 5061)).toContain('no client certificate requested');
    const names = findingsOf(report, 'healthy.test', 'tls.sip-certificate-names');
    expect(names[0]?.evidence[0]).toContain('client certificate requested');
  });
});

describe('a port that answers without TLS', () => {
  it('5061 speaking plain SIP or HTTP fails tls.handshake with what it answered; a silent peer stays could-not-measure', async () => {
    const { code, report } = await check(['plain-sip.test', 'http-on-5061.test', 'silent-edge.test', '--sip']);
    const handshake = (domain: string) => findingsOf(report, domain, 'tls.handshake');
    const [plainSip] = handshake('plain-sip.test');
    expect(plainSip).toMatchObject({ status: 'fail', service: 'sip', messageId: 'answersWithoutTls' });
    expect(plainSip?.message).toBe(`sip.plain-sip.test ${inLab('127.77.46.1')}:5061: port 5061 answers without TLS (plain SIP): partners cannot federate with it`);
    // Silent after our ClientHello, it answered a SIP OPTIONS sent in clear on a second connection.
    expect(plainSip?.evidence).toContain('  SIP/2.0 200 OK');
    expect(plainSip?.evidence.some((line) => line.startsWith('answer to a SIP OPTIONS sent in plain text'))).toBe(true);
    expect(plainSip?.fix?.snippets.map((s) => s.text).join('\n')).toContain(`listen=tls:${inLab('127.77.46.1')}:5061`);

    const [http] = handshake('http-on-5061.test');
    expect(http).toMatchObject({ status: 'fail', service: 'sip', messageId: 'answersWithoutTls' });
    expect(http?.message).toContain('port 5061 answers without TLS (HTTP)');
    expect(http?.evidence).toContain('  HTTP/1.1 400 Bad Request');
    expect(http?.fix?.summary).toContain('TLS listener');

    const [silent] = handshake('silent-edge.test');
    expect(silent).toMatchObject({ status: 'error', messageId: 'incomplete' });
    // Silent to both: to the ClientHello, and to the SIP OPTIONS in plain text on a second connection.
    expect(silent?.message).toMatch(/sent nothing in answer to our TLS ClientHello within (?:the probe's )?\d+ ms; a SIP OPTIONS in plain text on a second connection: /);
    expect(code).toBe(2);
  });
});

describe('mutual TLS with --client-cert', () => {
  let dir: string;
  let pki: TestPki;
  beforeAll(async () => {
    dir = tempFolder('client');
    pki = await createTestPki({ name: 'our federation CA' });
  });

  async function writeClientCertificate(name: string, eku: ('serverAuth' | 'clientAuth')[]) {
    const issued = await pki.issue({ commonName: 'sip.ours.test', dnsNames: ['sip.ours.test', 'ours.test'], eku });
    const certFile = join(dir, `${name}.pem`);
    writeFileSync(certFile, issued.fullChainPem);
    const keyFile = join(dir, `${name}.key`);
    writeFileSync(keyFile, issued.keyPem, { mode: 0o600 });
    return { certFile, keyFile, issued };
  }

  it('reports that the partner accepted our certificate, and lints it like a partner\'s', async () => {
    const { certFile, keyFile } = await writeClientCertificate('good', ['serverAuth', 'clientAuth']);
    const { report } = await check(['healthy.test', '--client-cert', certFile, '--client-key', keyFile, '--from-domain', 'ours.test']);
    const accepted = findingsOf(report, 'healthy.test', 'tls.client-certificate-accepted');
    expect(accepted.map((f) => [f.status, f.messageId]).sort()).toEqual(
      [
        ['pass', 'sipAccepted'],
        ['pass', 'xmppExternalOffered'],
      ].sort(),
    );
    const ours = findingsOf(report, 'healthy.test', 'tls.certificate-key-usage').find((f) => f.messageId === 'localUsages');
    expect(ours?.status).toBe('pass');
  });

  it('fails our own certificate when it lacks Client Authentication', async () => {
    const { certFile, keyFile } = await writeClientCertificate('server-only', ['serverAuth']);
    const { report } = await check(['healthy.test', '--xmpp', '--client-cert', certFile, '--client-key', keyFile]);
    const ours = findingsOf(report, 'healthy.test', 'tls.certificate-key-usage').find((f) => f.messageId === 'localNoClientAuth');
    expect(ours?.status).toBe('fail');
    expect(ours?.fix?.summary).toBeTruthy();
  });

  it('refuses an unreadable certificate and a wrong passphrase with one line, exit 3, and no key material', async () => {
    const missing = await fedcheck(['check', 'healthy.test', '--client-cert', join(dir, 'nope.pem'), '--resolver', formatServer(lab.resolver)]);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('nope.pem');

    const { certFile, issued } = await writeClientCertificate('encrypted', ['serverAuth', 'clientAuth']);
    const encryptedKey = createPrivateKey(issued.keyPem).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'right horse battery',
    });
    const keyFile = join(dir, 'encrypted.key');
    writeFileSync(keyFile, encryptedKey, { mode: 0o600 });
    const wrong = await fedcheck(
      ['check', 'healthy.test', '--client-cert', certFile, '--client-key', keyFile, '--resolver', formatServer(lab.resolver)],
      { FEDCHECK_CLIENT_PASSPHRASE: 'wrong staple' },
    );
    expect(wrong.code).toBe(3);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toContain('--client-cert');
    expect(wrong.stderr).not.toMatch(/PRIVATE KEY|wrong staple/);
  });
});
