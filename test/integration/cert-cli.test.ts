// `fedcheck cert inspect` and `fedcheck cert bundle` as an admin runs them: every file format, the same findings as
// the live check for the lab's certificates, the PFX OpenSSL reads, every refusal, and no key material printed.

import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainVerdict } from '../../src/engine/certificate-facts.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { SCENARIOS } from '../../src/lab/scenarios.js';
import type { CertificateInfo } from '../../src/pki/certificate.js';
import { buildPfx } from '../../src/pki/pfx.js';
import { toPem } from '../../src/pki/pem.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import type { CertSpec, IssuedCertificate, TestPki } from '../../src/pki/test-ca.js';
import { trustAnchors } from '../../src/pki/trust.js';
import { tlsHandshake } from '../../src/probes/tls.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { createCsrCa } from '../support/csr-ca.js';
import type { CsrCa } from '../support/csr-ca.js';
import { fedcheck } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { expectNoKeyMaterial } from '../support/key-material.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const PFX_PASSPHRASE = 'Inspect me 2026';
const KEY_PASSPHRASE = 'Bundle key pass';

let workDir: string;
const printed: string[] = [];

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'fedcheck-cert-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The CLI with these environment variables set, its output kept for the key-material scan. */
async function run(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    const result = await fedcheck(args);
    printed.push(result.stdout + result.stderr);
    return result;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function file(name: string, content: string | Buffer): string {
  const path = join(workDir, name);
  writeFileSync(path, content);
  return path;
}

function expectOneLineError(result: CliResult, message: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(3);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n').filter((line) => line !== '')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
}

interface Inspection {
  source: { kind: string; format?: string; hasPrivateKey?: boolean; authorized?: boolean; authorizationError?: string };
  certificates: (CertificateInfo & { daysLeft: number })[];
  report?: Report;
}

describe('fedcheck cert inspect: files', () => {
  let pki: TestPki;
  let edge: IssuedCertificate;

  beforeAll(async () => {
    pki = await createTestPki({ name: 'Inspect' });
    edge = await pki.issue({
      commonName: 'sip.contoso.com',
      dnsNames: ['sip.contoso.com', 'contoso.com'],
      uris: ['sip:contoso.com'],
      srvNames: ['_xmpp-server.contoso.com'],
      xmppAddrs: ['contoso.com'],
      crlUrl: 'http://pki.contoso.example/issuing.crl',
      caIssuersUrl: 'http://pki.contoso.example/issuing.cer',
      ocspUrl: 'http://ocsp.contoso.example',
      key: 'ec-p256',
    });
  });

  type Format = 'PEM' | 'DER' | 'PKCS#7 DER' | 'PKCS#7 PEM' | 'PKCS#12' | 'PKCS#12 without a password';
  function formats(): Record<Format, { path: string; env?: Record<string, string> }> {
    const pem = file('edge.pem', edge.fullChainPem);
    const der = file('edge.cer', edge.certDer);
    // A bag in the order Windows often exports it: root, intermediate, leaf.
    const bagSource = file('bag-source.pem', pki.rootPem + pki.intermediatePem + edge.certPem);
    const p7bDer = join(workDir, 'edge.p7b');
    const p7bPem = join(workDir, 'edge-pem.p7b');
    expect(spawnSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', bagSource, '-outform', 'DER', '-out', p7bDer]).status).toBe(0);
    expect(spawnSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', bagSource, '-out', p7bPem]).status).toBe(0);
    const keyDer = spawnSync('openssl', ['pkey', '-outform', 'DER'], { input: edge.keyPem }).stdout;
    const pfx = file(
      'edge.pfx',
      buildPfx({ privateKeyPkcs8: keyDer, certificates: [edge.certDer, pki.intermediateDer], passphrase: PFX_PASSPHRASE, friendlyName: 'edge', legacy: false }),
    );
    // Windows exports without a password are common: fedcheck tries the empty one before asking.
    const openPfx = join(workDir, 'no-password.pfx');
    const exported = spawnSync('openssl', ['pkcs12', '-export', '-in', file('key-and-cert.pem', edge.certPem + edge.keyPem), '-passout', 'pass:', '-out', openPfx]);
    expect(exported.status, exported.stderr.toString()).toBe(0);
    return {
      PEM: { path: pem },
      DER: { path: der },
      'PKCS#7 DER': { path: p7bDer },
      'PKCS#7 PEM': { path: p7bPem },
      'PKCS#12': { path: pfx, env: { FEDCHECK_PFX_PASSPHRASE: PFX_PASSPHRASE } },
      'PKCS#12 without a password': { path: openPfx },
    };
  }

  it('reads every format, leaf first, with every field of the certificate', async () => {
    for (const [format, { path, env }] of Object.entries(formats())) {
      const result = await run(['cert', 'inspect', path, '--format', 'json'], env);
      expect(result.stderr, format).toBe('');
      expect(result.code, format).toBe(0);
      const inspection = JSON.parse(result.stdout) as Inspection;
      const [leaf] = inspection.certificates;
      expect(leaf?.fingerprints.sha256, format).toBe(parseLeafFingerprint(edge));
      expect(leaf?.sans).toMatchObject({
        dns: ['sip.contoso.com', 'contoso.com'],
        uri: ['sip:contoso.com'],
        srvName: ['_xmpp-server.contoso.com'],
        xmppAddr: ['contoso.com'],
      });
      expect(leaf?.publicKey).toMatchObject({ type: 'EC', curve: 'P-256', bits: 256 });
      expect(leaf?.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
      expect(leaf?.keyUsage).toEqual(['digitalSignature']);
      expect(leaf?.extendedKeyUsage?.names).toEqual(['serverAuth', 'clientAuth']);
      expect(leaf?.crlDistributionPoints).toEqual(['http://pki.contoso.example/issuing.crl']);
      expect(leaf?.aia).toEqual({ caIssuers: ['http://pki.contoso.example/issuing.cer'], ocsp: ['http://ocsp.contoso.example'] });
      expect(leaf?.daysLeft).toBeGreaterThan(360);
      expect(inspection.source.hasPrivateKey, format).toBe(format.startsWith('PKCS#12'));
      if (format.startsWith('PKCS#7')) expect(inspection.certificates.map((info) => info.subject)).toEqual(['CN=sip.contoso.com', 'CN=Inspect Intermediate CA,O=Inspect', 'CN=Inspect Root CA,O=Inspect']);
    }
  });

  it('shows them on the terminal, key usages, validity, CRL, AIA and fingerprints included', async () => {
    const result = await run(['cert', 'inspect', formats().PEM.path]);
    expect(result.code).toBe(0);
    for (const line of [
      /Subject +CN=sip\.contoso\.com/,
      /Subject alt names +DNS sip\.contoso\.com\n +DNS contoso\.com\n +URI sip:contoso\.com\n +SRVName _xmpp-server\.contoso\.com\n +XmppAddr contoso\.com/,
      /Public key +EC P-256/,
      /Signature +sha256WithRSAEncryption/,
      /Key usage +digitalSignature/,
      /Extended key usage +serverAuth, clientAuth/,
      /Valid +\S+ to \S+ \(36\d days left\)/,
      /CRL distribution +http:\/\/pki\.contoso\.example\/issuing\.crl/,
      /AIA CA issuers +http:\/\/pki\.contoso\.example\/issuing\.cer/,
      /AIA OCSP +http:\/\/ocsp\.contoso\.example/,
      /SHA-256 fingerprint +([0-9A-F]{2}:){31}[0-9A-F]{2}/,
      /Certificate 1 \(issuer\)/,
    ]) {
      expect(result.stdout).toMatch(line);
    }
  });

  it('refuses what it cannot read: one line, exit 3', async () => {
    const pfx = formats()['PKCS#12'].path;
    expectOneLineError(await run(['cert', 'inspect', file('garbage.cer', Buffer.from('this is not a certificate'))]), /is not a certificate: expected PEM/);
    expectOneLineError(await run(['cert', 'inspect', file('request.csr', '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n')]), /is a certificate request/);
    expectOneLineError(await run(['cert', 'inspect', pfx], { FEDCHECK_PFX_PASSPHRASE: 'not the passphrase' }), /cannot open .*edge\.pfx": wrong passphrase in FEDCHECK_PFX_PASSPHRASE/);
    expectOneLineError(await run(['cert', 'inspect', pfx]), /needs a passphrase: set FEDCHECK_PFX_PASSPHRASE/);
    expectOneLineError(await run(['cert', 'inspect', join(workDir, 'missing.pem')]), /no such file, and not a host:port/);
    expectOneLineError(await run(['cert', 'inspect', formats().PEM.path, '--role', 'sip-edge', '--domain', 'contoso.com']), /--role sip-edge needs --edge FQDN/);
    expectOneLineError(await run(['cert', 'inspect', formats().PEM.path, '--role', 'sip-edge', '--edge', 'sip.contoso.com']), /needs --domain/);
    expectOneLineError(await run(['cert', 'inspect', formats().PEM.path, '--role', 'partner']), /invalid --role "partner": expected sip-edge or xmpp-server/);
    expectOneLineError(await run(['cert', 'inspect', formats().PEM.path, '--domain', 'contoso.com']), /give --role/);
  });

  function parseLeafFingerprint(issued: IssuedCertificate): string {
    const text = spawnSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], { input: issued.certPem }).stdout.toString();
    return text.trim().replace(/^.*=/, '');
  }
});

describe("a file's chain is verified as Node verifies it in a handshake", () => {
  const DAY = 86_400_000;
  const specs: Record<string, CertSpec> = {
    good: { dnsNames: ['sip.contoso.com'] },
    clientAuthOnly: { dnsNames: ['sip.contoso.com'], eku: ['clientAuth'] },
    anyPurpose: { dnsNames: ['sip.contoso.com'], eku: [] },
    rootIssued: { dnsNames: ['sip.contoso.com'], issuer: 'root' },
    selfSigned: { dnsNames: ['sip.contoso.com'], selfSigned: true },
    expired: { dnsNames: ['sip.contoso.com'], notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) },
    notYetValid: { dnsNames: ['sip.contoso.com'], notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 400 * DAY) },
  };

  it.each(Object.keys(specs))('%s, with and without the root sent and trusted', async (name) => {
    const pki = await createTestPki({ name: 'Verdict' });
    const issued = await pki.issue(specs[name] as CertSpec);
    for (const sendRoot of [false, true]) {
      for (const trustRoot of [false, true]) {
        const server = tls.createServer({ cert: issued.fullChainPem + (sendRoot ? pki.rootPem : ''), key: issued.keyPem }, (socket) => socket.end());
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address() as AddressInfo;
        const context = { signal: AbortSignal.timeout(5000), timeoutMs: 5000, egress: LOOPBACK_EGRESS };
        const handshake = await tlsHandshake({ address: '127.0.0.1', port }, { servername: 'sip.contoso.com', extraCaPem: trustRoot ? [pki.rootPem] : [] }, context);
        server.close();
        if ('failure' in handshake) throw new Error(handshake.failure.detail);
        handshake.socket.destroy();
        const { session } = handshake;
        const anchors = trustAnchors(trustRoot ? [pki.rootDer.toString('base64')] : []);
        expect(chainVerdict(session.peerChain, anchors, new Date()), `root sent ${sendRoot}, trusted ${trustRoot}`).toEqual({
          authorized: session.authorized,
          ...(session.authorizationError !== undefined ? { authorizationError: session.authorizationError } : {}),
        });
      }
    }
  });
});

describe('fedcheck cert inspect --role: the same findings as the live check', () => {
  let lab: SharedLab;
  let caFile: string;
  const SIP_SCENARIOS = [
    'healthy.test',
    'no-clientauth.test',
    'expired-cert.test',
    'expiring-soon.test',
    'self-signed.test',
    'missing-intermediate.test',
    'wildcard-cert.test',
    'wrong-name.test',
    'cn-only.test',
    'weak-key.test',
    'sha1-cert.test',
    'pss-cert.test',
    'no-crl.test',
  ];
  const CERTIFICATE_CHECKS = ['tls.certificate-chain', 'tls.certificate-expiry', 'tls.sip-certificate-names', 'tls.xmpp-certificate-names', 'tls.certificate-key-usage', 'tls.certificate-key-strength'];
  let live: Report;
  // Generous: the lab answers in milliseconds, but a loaded machine must not turn a handshake into a timeout.
  const TIMEOUT = '15000';

  beforeAll(async () => {
    lab = sharedLab();
    caFile = file('lab-root.pem', lab.caPem);
    const checked = await run([
      'check',
      ...SIP_SCENARIOS,
      '--sip',
      '--resolver',
      formatServer(lab.resolver),
      '--timeout',
      TIMEOUT,
      `--allow-private=${lab.allowPrivate.join(',')}`,
      '--ca-file',
      caFile,
      '--format',
      'json',
    ]);
    live = JSON.parse(checked.stdout) as Report;
  });
  afterAll(async () => {
  });

  const edgeAddress = (domain: string): string => {
    const address = SCENARIOS.find((scenario) => scenario.domain === domain)?.edges[0]?.address ?? '';
    return address.replace(/^127\.77\./, `${lab.block.split('.').slice(0, 2).join('.')}.`);
  };
  const certificateFindings = (findings: readonly Finding[]) =>
    findings
      .filter((finding) => CERTIFICATE_CHECKS.includes(finding.checkId))
      .map(({ checkId, status, subject, messageId, message, fix }) => ({ checkId, status, subject, messageId, message, fix }));
  const outcomes = (findings: readonly Finding[]) =>
    certificateFindings(findings)
      .map(({ checkId, status, messageId }) => `${checkId} ${status} ${messageId}`)
      .sort();
  const liveFindings = (domain: string) => live.domains.find((entry) => entry.domain === domain)?.findings ?? [];

  it.each(SIP_SCENARIOS)('%s: inspecting host:port gives the findings of fedcheck check, word for word', async (domain) => {
    const result = await run([
      'cert',
      'inspect',
      `${edgeAddress(domain)}:5061`,
      '--role',
      'sip-edge',
      '--domain',
      domain,
      '--edge',
      `sip.${domain}`,
      '--ca-file',
      caFile,
      '--timeout',
      TIMEOUT,
      // As the live check ran: the lab's AIA URL is on loopback.
      '--allow-private',
      '127.0.0.0/8,::1/128',
      '--format',
      'json',
    ]);
    expect(result.stderr).toBe('');
    const inspection = JSON.parse(result.stdout) as Inspection;
    const findings = inspection.report?.domains[0]?.findings ?? [];
    // The live run must have judged a certificate, or there is nothing to compare with.
    expect(certificateFindings(liveFindings(domain)).filter((finding) => finding.status === 'skip' || finding.status === 'error')).toEqual([]);
    expect(certificateFindings(findings)).toEqual(certificateFindings(liveFindings(domain)));
    expect(findings.length).toBeGreaterThan(0);
    expect(result.code).toBe(inspection.report?.summary.exitCode);

    // The chain saved to a file and inspected gives the same outcomes (the subject is then the Edge FQDN, not its address).
    const chainFile = file(`${domain}.pem`, inspection.certificates.map((info) => toPem(Buffer.from(info.der, 'base64'), 'CERTIFICATE')).join(''));
    const fromFile = await run(['cert', 'inspect', chainFile, '--role', 'sip-edge', '--domain', domain, '--edge', `sip.${domain}`, '--ca-file', caFile, '--allow-private', '127.0.0.0/8', '--format', 'json']);
    const fileReport = (JSON.parse(fromFile.stdout) as Inspection).report;
    expect(outcomes(fileReport?.domains[0]?.findings ?? [])).toEqual(outcomes(liveFindings(domain)));
    expect(fromFile.code).toBe(result.code);
    // Each finding says the chain was read from the file, with the verdict Node gave the same chain live, and tells of
    // no handshake, cipher or SNI: there was none.
    const count = inspection.certificates.length;
    const trust = inspection.source.authorized ? 'trust' : `not trust (${inspection.source.authorizationError ?? ''})`;
    const source = `sip.${domain} sip.${domain}:5061 via _sipfederationtls._tcp.${domain}: certificate read from ${chainFile}, ${count} certificate${count === 1 ? '' : 's'}, chain Node would ${trust}`;
    const fileFindings = (fileReport?.domains[0]?.findings ?? []).filter((finding) => CERTIFICATE_CHECKS.includes(finding.checkId));
    expect(fileFindings.map((finding) => `${finding.checkId}: ${finding.evidence[0] ?? ''}`)).toEqual(fileFindings.map((finding) => `${finding.checkId}: ${source}`));
  });

  it('an XMPP server after STARTTLS on 5269 gives the findings of fedcheck check --xmpp', async () => {
    const domain = 'no-clientauth.test';
    const checked = await run(['check', domain, '--xmpp', '--resolver', formatServer(lab.resolver), '--timeout', TIMEOUT, `--allow-private=${lab.allowPrivate.join(',')}`, '--ca-file', caFile, '--format', 'json']);
    const xmppLive = (JSON.parse(checked.stdout) as Report).domains[0]?.findings ?? [];
    const result = await run(['cert', 'inspect', `${edgeAddress(domain)}:5269`, '--starttls', 'xmpp', '--role', 'xmpp-server', '--domain', domain, '--edge', `sip.${domain}`, '--ca-file', caFile, '--timeout', TIMEOUT, '--format', 'json']);
    expect(result.stderr).toBe('');
    const findings = (JSON.parse(result.stdout) as Inspection).report?.domains[0]?.findings ?? [];
    expect(certificateFindings(findings)).toEqual(certificateFindings(xmppLive));
    expect(findings.find((finding) => finding.checkId === 'tls.certificate-key-usage')?.messageId).toBe('noClientAuthXmpp');
    expect(result.code).toBe(1);
  });

  it('--resolver: a file\'s AIA host is resolved by the resolver named, and refused when it is internal', async () => {
    const pki = await createTestPki({ name: 'named aia' });
    const issued = await pki.issue({ commonName: 'sip.named-aia.test', dnsNames: ['sip.named-aia.test'], caIssuersUrl: 'http://ocsp.egress-aia.test/issuer.cer' });
    const result = await run(['cert', 'inspect', file('named-aia.pem', issued.certPem), '--role', 'sip-edge', '--domain', 'named-aia.test', '--edge', 'sip.named-aia.test', '--resolver', formatServer(lab.resolver), '--format', 'json']);
    const inspection = JSON.parse(result.stdout) as Inspection;
    const chain = inspection.report?.domains[0]?.findings.find((finding) => finding.checkId === 'tls.certificate-chain');
    expect(chain?.message).toMatch(/ocsp\.egress-aia\.test resolves to 10\.0\.0\.2, a private address; not connected to without --allow-private/);
    expect(inspection.report?.options.resolvers).toEqual([formatServer(lab.resolver)]);
  });

  it('cannot get a certificate from a port nobody answers TLS on: one line, exit 3', async () => {
    expectOneLineError(await run(['cert', 'inspect', `${edgeAddress('healthy.test')}:5999`, '--timeout', '1000']), /cannot get a certificate from .*:5999: connecting: refused/);
  });
});

describe('fedcheck cert bundle', () => {
  /** Only its DNS is used: a name for the AIA server's address. */
  let lab: SharedLab;
  let ca: CsrCa;
  let aiaServer: Server;
  let aiaUrl: string;
  let caFile: string;
  let keyFile: string;
  let csrFile: string;
  let encryptedKeyFile: string;

  beforeAll(async () => {
    lab = sharedLab();
    ca = await createCsrCa('Bundle Test CA');
    caFile = file('bundle-root.pem', ca.rootPem);
    aiaServer = createServer((request, response) => {
      response.writeHead(request.url === '/issuing.cer' ? 200 : 404, { 'content-type': 'application/pkix-cert' });
      response.end(request.url === '/issuing.cer' ? ca.intermediateDer : '');
    });
    await new Promise<void>((resolve) => aiaServer.listen(0, '127.0.0.1', resolve));
    const address = aiaServer.address();
    aiaUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/issuing.cer`;

    const dir = join(workDir, 'request');
    const made = await run(['csr', '--access-edge', 'sip.contoso.com', '--sip-domain', 'fabrikam.com', '--xmpp-domain', 'contoso.com', '--out-dir', dir]);
    expect(made.code).toBe(0);
    keyFile = join(dir, 'sip.contoso.com.key');
    csrFile = join(dir, 'sip.contoso.com.csr');
    const encryptedDir = join(workDir, 'encrypted');
    const encrypted = await run(['csr', '--access-edge', 'sip.contoso.com', '--out-dir', encryptedDir], { FEDCHECK_KEY_PASSPHRASE: KEY_PASSPHRASE });
    expect(encrypted.code).toBe(0);
    encryptedKeyFile = join(encryptedDir, 'sip.contoso.com.key');
  });
  afterAll(async () => {
    await new Promise((resolve) => aiaServer.close(resolve));
    // Every output of this file, inspections included, is free of the keys made here.
    const all = printed.join('\n');
    expectNoKeyMaterial(all, readFileSync(keyFile, 'utf8'));
    expectNoKeyMaterial(all, readFileSync(encryptedKeyFile, 'utf8'), KEY_PASSPHRASE);
    expect(all).not.toContain(PFX_PASSPHRASE);
    expect(all).not.toContain(KEY_PASSPHRASE);
  });

  let outCount = 0;
  const outPath = () => join(workDir, `bundle-${(outCount += 1)}.pfx`);
  const pfxEnv = { FEDCHECK_PFX_PASSPHRASE: PFX_PASSPHRASE };

  function opensslPkcs12(pfx: string, ...args: string[]): { status: number | null; output: string } {
    const read = spawnSync('openssl', ['pkcs12', '-in', pfx, '-passin', 'env:PFX_PASS', ...args], { env: { ...process.env, PFX_PASS: PFX_PASSPHRASE }, encoding: 'utf8' });
    return { status: read.status, output: read.stdout + read.stderr };
  }

  it('downloads the missing intermediate from the AIA URL and writes a PFX OpenSSL opens, with the key and the chain', async () => {
    const cert = file('aia-issued.pem', await ca.sign(readFileSync(csrFile, 'utf8'), { caIssuersUrl: aiaUrl }));
    const out = outPath();
    const refused = await run(['cert', 'bundle', '--key', keyFile, '--cert', cert, '--csr', csrFile, '--out', out, '--ca-file', caFile], pfxEnv);
    // The AIA URL is the certificate's word: a loopback one is not fetched unless --allow-private names it.
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`${aiaUrl}: 127.0.0.1 is a loopback address; not connected to without --allow-private`);
    const result = await run(['cert', 'bundle', '--key', keyFile, '--cert', cert, '--csr', csrFile, '--out', out, '--ca-file', caFile, '--allow-private', '127.0.0.0/8'], pfxEnv);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(`Downloaded O=Bundle Test CA,CN=Bundle Test CA Issuing CA from ${aiaUrl}`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const info = opensslPkcs12(out, '-info', '-nokeys');
    expect(info.status).toBe(0);
    expect(info.output).toContain('MAC: sha256');
    expect(info.output).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC');
    expect(info.output).toContain('subject=CN = sip.contoso.com');
    expect(info.output).toContain('subject=CN = Bundle Test CA Issuing CA, O = Bundle Test CA');
    const key = opensslPkcs12(out, '-nocerts', '-nodes');
    const keyOut = spawnSync('openssl', ['pkey', '-pubout'], { input: key.output }).stdout.toString();
    expect(keyOut).toBe(spawnSync('openssl', ['pkey', '-in', keyFile, '-pubout']).stdout.toString());
  });

  it('--resolver: the AIA URL\'s host is resolved by the resolver named, not the system\'s', async () => {
    // loopback.lab.test is a name only the lab's DNS knows; it points at the AIA server's 127.0.0.1.
    const namedUrl = aiaUrl.replace('127.0.0.1', 'loopback.lab.test');
    const cert = file('named-aia-issued.pem', await ca.sign(readFileSync(csrFile, 'utf8'), { caIssuersUrl: namedUrl }));
    const out = outPath();
    const args = ['cert', 'bundle', '--key', keyFile, '--cert', cert, '--out', out, '--ca-file', caFile, '--resolver', formatServer(lab.resolver)];
    const refused = await run(args, pfxEnv);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('loopback.lab.test resolves to 127.0.0.1, a loopback address; not connected to without --allow-private');
    const result = await run([...args, '--allow-private', '127.0.0.0/8'], pfxEnv);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(`Downloaded O=Bundle Test CA,CN=Bundle Test CA Issuing CA from ${namedUrl}`);
  });

  it('--legacy writes 3DES with a SHA-1 MAC, which OpenSSL 3 opens with -legacy; an encrypted key is opened with its passphrase', async () => {
    const request = readFileSync(join(workDir, 'encrypted', 'sip.contoso.com.csr'), 'utf8');
    const cert = file('legacy-issued.pem', (await ca.sign(request)) + ca.intermediatePem);
    const out = outPath();
    const result = await run(['cert', 'bundle', '--key', encryptedKeyFile, '--cert', cert, '--out', out, '--legacy', '--ca-file', caFile], {
      ...pfxEnv,
      FEDCHECK_KEY_PASSPHRASE: KEY_PASSPHRASE,
    });
    expect(result.code, result.stderr).toBe(0);
    const info = opensslPkcs12(out, '-legacy', '-info', '-nokeys');
    expect(info.status).toBe(0);
    expect(info.output).toContain('MAC: sha1');
    expect(info.output).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
  });

  it('bundles the leaf and its intermediates in order, leaf first, and the root only with --include-root', async () => {
    // Given root first and leaf last, as some CAs' downloads come.
    const issued = await ca.sign(readFileSync(csrFile, 'utf8'));
    const cert = file('root-first.pem', ca.rootPem + ca.intermediatePem + issued);
    const subjects = (pfx: string) => [...opensslPkcs12(pfx, '-nokeys').output.matchAll(/^subject=(.*)$/gm)].map((match) => match[1]);
    const withoutRoot = outPath();
    const plain = await run(['cert', 'bundle', '--key', keyFile, '--cert', cert, '--out', withoutRoot, '--ca-file', caFile], pfxEnv);
    expect(plain.code, plain.stderr).toBe(0);
    expect(subjects(withoutRoot)).toEqual(['CN = sip.contoso.com', 'CN = Bundle Test CA Issuing CA, O = Bundle Test CA']);
    expect(plain.stdout.replace(/\s+/g, ' ')).toContain('Left out the root O=Bundle Test CA,CN=Bundle Test CA Root: partners trust it from their own store (--include-root puts it in the PFX).');
    const withRoot = outPath();
    const included = await run(['cert', 'bundle', '--key', keyFile, '--cert', cert, '--out', withRoot, '--ca-file', caFile, '--include-root'], pfxEnv);
    expect(included.code, included.stderr).toBe(0);
    expect(subjects(withRoot)).toEqual(['CN = sip.contoso.com', 'CN = Bundle Test CA Issuing CA, O = Bundle Test CA', 'CN = Bundle Test CA Root, O = Bundle Test CA']);
  });

  it('refuses a key that is the intermediate\'s, not the issued certificate\'s: one line, exit 3, nothing written', async () => {
    const cert = file('with-intermediate.pem', (await ca.sign(readFileSync(csrFile, 'utf8'))) + ca.intermediatePem);
    const wrongKey = file('intermediate.key', ca.intermediateKeyPem);
    const out = outPath();
    const result = await run(['cert', 'bundle', '--key', wrongKey, '--cert', cert, '--out', out, '--ca-file', caFile], pfxEnv);
    expectOneLineError(
      result,
      /--key ".*intermediate\.key" is the key of the CA certificate O=Bundle Test CA,CN=Bundle Test CA Issuing CA, not of the issued certificate CN=sip\.contoso\.com: give the key made with the request/,
    );
    expect(existsSync(out)).toBe(false);
    expectNoKeyMaterial(result.stdout + result.stderr, ca.intermediateKeyPem);
    // Only CA certificates: nothing the key could be the Edge's.
    const onlyCa = await run(['cert', 'bundle', '--key', wrongKey, '--cert', file('intermediate-only.pem', ca.intermediatePem), '--out', out, '--ca-file', caFile], pfxEnv);
    expectOneLineError(onlyCa, /--cert ".*intermediate-only\.pem" holds only CA certificates: give the certificate the CA issued for the Edge/);
    expect(existsSync(out)).toBe(false);
  });

  it('writes the PFX but warns, exit 1, when the CA dropped Client Authentication', async () => {
    const cert = file('server-only.pem', (await ca.sign(readFileSync(csrFile, 'utf8'), { eku: ['serverAuth'] })) + ca.intermediatePem);
    const out = outPath();
    const result = await run(['cert', 'bundle', '--key', keyFile, '--cert', cert, '--out', out, '--ca-file', caFile], pfxEnv);
    expect(result.code).toBe(1);
    expect(existsSync(out)).toBe(true);
    expect(result.stdout).toMatch(/Warnings\n\s+- The CA dropped Client Authentication/);
    const warning = result.stdout.replace(/\s+/g, ' ');
    // The test CA is none fedcheck knows, so Chrome's dates; their tense follows the clock, so only the rule is asserted.
    expect(warning).toContain('The Chrome Root Program (a Chrome rule, not a CA/Browser Forum one)');
    expect(warning).toContain('xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On');
    expect(warning).toContain('X15.5 has separate client certificates (CSCwr73373)');
  });

  it('refuses, writing nothing: one line, exit 3', async () => {
    const issued = await ca.sign(readFileSync(csrFile, 'utf8'));
    const withAia = await ca.sign(readFileSync(csrFile, 'utf8'), { caIssuersUrl: aiaUrl });
    const good = file('good.pem', issued + ca.intermediatePem);
    const otherDir = join(workDir, 'other');
    expect((await run(['csr', '--access-edge', 'other.contoso.com', '--out-dir', otherDir])).code).toBe(0);
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['--key', join(otherDir, 'other.contoso.com.key'), '--cert', good], /--key ".*other\.contoso\.com\.key" does not match --cert ".*good\.pem"/],
      [['--key', encryptedKeyFile, '--cert', good], /cannot decrypt --key ".*": wrong passphrase/, { FEDCHECK_KEY_PASSPHRASE: 'wrong' }],
      [['--key', keyFile, '--cert', csrFile], /--cert ".*\.csr" is not a certificate: it is a certificate request/],
      [['--key', keyFile, '--cert', file('leaf-only.pem', issued)], /the chain is incomplete: the issuer O=Bundle Test CA,CN=Bundle Test CA Issuing CA of CN=sip\.contoso\.com is missing/],
      // With --chain given, nothing is downloaded, although the certificate names its issuer's URL.
      [['--key', keyFile, '--cert', file('leaf-with-aia.pem', withAia), '--chain', file('root-only.pem', ca.rootPem)], /the chain is incomplete: .* \(its AIA URL: http:\/\/127\.0\.0\.1:\d+\/issuing\.cer\); give/],
      [['--key', keyFile, '--cert', file('dropped.pem', (await ca.sign(readFileSync(csrFile, 'utf8'), { dropNames: ['contoso.com'] })) + ca.intermediatePem), '--csr', csrFile], /the CA left out 1 of the 3 names .*: contoso\.com/],
      [['--key', keyFile, '--cert', good], /--out ".*" already exists/],
      [['--key', keyFile, '--cert', good, '--out', join(process.getuid?.() === 0 ? '/sys' : lockedFolder(), 'edge.pfx')], /cannot write --out/],
      [['--key', keyFile], /needs --cert, --out/],
    ];
    const existing = file('existing.pfx', 'keep me');
    for (const [args, message, env] of cases) {
      const out = args.includes('--out') || args.length < 3 ? [] : ['--out', message.source.includes('already exists') ? existing : outPath()];
      const result = await run(['cert', 'bundle', ...args, ...out, '--ca-file', caFile], { ...pfxEnv, ...env });
      expectOneLineError(result, message);
      if (out[1] && out[1] !== existing) expect(existsSync(out[1])).toBe(false);
    }
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
  });

  function lockedFolder(): string {
    const dir = join(workDir, 'locked');
    mkdirSync(dir, { mode: 0o500 });
    return dir;
  }
});
