// `fedcheck run` does what `check --revocation --client-cert` does, from the config alone: the lab's OCSP responder
// and CRL judge the certificates, and our certificate is presented to the lab Edge that asks for one.

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
import type { CliResult } from '../support/fedcheck.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const tempFolder = tempFolders();
const PASSPHRASE = 'correct horse staple';

let lab: SharedLab;
let pki: TestPki;
let dir: string;
beforeAll(async () => {
  lab = sharedLab();
  [pki] = await Promise.all([createTestPki({ name: 'our federation CA' })]);
  dir = tempFolder('run-tls');
  writeFileSync(join(dir, 'lab-root.pem'), lab.caPem);
});
afterAll(async () => {
});

/** A config in its own folder, with relative paths as an admin writes them; `check` holds the lines under check:. */
function writeConfig(name: string, check: string[]): string {
  const config = join(dir, `${name}.yaml`);
  const lines = [
    'own:',
    '  sipDomains: [healthy.test]',
    '  xmppDomains: [healthy.test]',
    'partners: [revoked-cert.test]',
    'check:',
    `  resolvers: ["${formatServer(lab.resolver)}"]`,
    `  allowPrivate: [${lab.allowPrivate.join(', ')}]`,
    `  timeoutMs: ${lab.timeoutMs}`,
    '  caFiles: [lab-root.pem]',
    ...check.map((line) => `  ${line}`),
  ];
  writeFileSync(config, `${lines.join('\n')}\n`);
  return config;
}

async function run(config: string, env: Record<string, string> = {}): Promise<{ result: CliResult; report: Report }> {
  const result = await fedcheck(['run', '--config', config, '--format', 'json'], env);
  expect(result.stderr).toBe('');
  return { result, report: JSON.parse(result.stdout) as Report };
}

const findingsOf = (report: Report, domain: string, checkId: string): Finding[] =>
  report.domains.find((d) => d.domain === domain)?.findings.filter((f) => f.checkId === checkId) ?? [];

/** Our Edge's certificate, from a CA the lab Edge does not know, as a partner's Edge would see it. */
async function writeClientCertificate(name: string, keyPassphrase?: string): Promise<{ certFile: string; keyFile: string }> {
  const issued = await pki.issue({ commonName: 'sip.ours.test', dnsNames: ['sip.ours.test', 'ours.test'], eku: ['serverAuth', 'clientAuth'] });
  const certFile = `${name}.pem`;
  const keyFile = `${name}.key`;
  writeFileSync(join(dir, certFile), issued.fullChainPem);
  const keyPem =
    keyPassphrase === undefined
      ? issued.keyPem
      : createPrivateKey(issued.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: keyPassphrase });
  writeFileSync(join(dir, keyFile), keyPem, { mode: 0o600 });
  return { certFile, keyFile };
}

describe('check.revocation: true', () => {
  it('asks the OCSP responder and the CRL, as check --revocation does', async () => {
    const { result, report } = await run(writeConfig('revocation', ['revocation: true']));
    expect(result.code).toBe(2);
    const revoked = findingsOf(report, 'revoked-cert.test', 'tls.certificate-revocation');
    expect(revoked.map((f) => [f.status, f.messageId])).toEqual([
      ['fail', 'revoked'],
      ['fail', 'revoked'],
    ]);
    expect(revoked[0]?.message).toMatch(/was revoked on .* \(keyCompromise\) according to the CRL http:\/\/.*\/intermediate\.crl/);
    const healthy = findingsOf(report, 'healthy.test', 'tls.certificate-revocation');
    expect(healthy.map((f) => f.status)).toEqual(['pass', 'pass']);
    expect(healthy[0]?.message).toMatch(/not revoked according to the OCSP responder http:\/\/.*\/ocsp/);
  });

  it('is not asked without it', async () => {
    const { report } = await run(writeConfig('no-revocation', []));
    expect(findingsOf(report, 'healthy.test', 'tls.certificate-revocation')).toEqual([]);
    expect(findingsOf(report, 'revoked-cert.test', 'tls.certificate-revocation')).toEqual([]);
  });
});

describe('check.clientCertificate', () => {
  it('presents our certificate to the Edge that asks for one, and lints it like a partner\'s', async () => {
    const { certFile, keyFile } = await writeClientCertificate('ours');
    const { report } = await run(writeConfig('mutual-tls', ['clientCertificate:', `  certFile: ${certFile}`, `  keyFile: ${keyFile}`]));
    const accepted = findingsOf(report, 'healthy.test', 'tls.client-certificate-accepted');
    expect(accepted.map((f) => [f.status, f.messageId]).sort()).toEqual([
      ['pass', 'sipAccepted'],
      ['pass', 'xmppExternalOffered'],
    ]);
    const ours = findingsOf(report, 'healthy.test', 'tls.certificate-key-usage').find((f) => f.messageId === 'localUsages');
    expect(ours?.status).toBe('pass');
  });

  it('without it, says the certificate was never offered', async () => {
    const { report } = await run(writeConfig('no-client-cert', []));
    const accepted = findingsOf(report, 'healthy.test', 'tls.client-certificate-accepted');
    expect(accepted.map((f) => f.status)).not.toContain('pass');
  });

  it('opens an encrypted key with the first line of passphraseFile, or the variable passphraseEnv names', async () => {
    const { certFile, keyFile } = await writeClientCertificate('encrypted', PASSPHRASE);
    writeFileSync(join(dir, 'passphrase.txt'), `${PASSPHRASE}\n`, { mode: 0o600 });
    const fromFile = writeConfig('passphrase-file', ['clientCertificate:', `  certFile: ${certFile}`, `  keyFile: ${keyFile}`, '  passphraseFile: passphrase.txt']);
    const byFile = findingsOf((await run(fromFile)).report, 'healthy.test', 'tls.client-certificate-accepted');
    expect(byFile.map((f) => f.messageId).sort()).toEqual(['sipAccepted', 'xmppExternalOffered']);

    const fromEnv = writeConfig('passphrase-env', ['clientCertificate:', `  certFile: ${certFile}`, `  keyFile: ${keyFile}`, '  passphraseEnv: EDGE_KEY_PASS']);
    const byEnv = findingsOf((await run(fromEnv, { EDGE_KEY_PASS: PASSPHRASE })).report, 'healthy.test', 'tls.client-certificate-accepted');
    expect(byEnv.map((f) => f.messageId).sort()).toEqual(['sipAccepted', 'xmppExternalOffered']);
  });

  it('refuses bad values with one line naming the config and the key, exit 3, and no secret', async () => {
    const { certFile, keyFile } = await writeClientCertificate('refused', PASSPHRASE);
    writeFileSync(join(dir, 'wrong.txt'), 'wrong staple\n', { mode: 0o600 });
    const cases: { lines: string[]; env?: Record<string, string>; says: RegExp }[] = [
      { lines: ['  certFile: absent.pem'], says: /: cannot read check\.clientCertificate\.certFile ".*absent\.pem": / },
      { lines: [`  certFile: ${certFile}`], says: /: check\.clientCertificate\.certFile ".*refused\.pem" holds no private key: give it with check\.clientCertificate\.keyFile/ },
      { lines: [`  certFile: ${certFile}`, `  keyFile: ${keyFile}`, '  passphraseFile: wrong.txt'], says: /: cannot use check\.clientCertificate\.certFile ".*refused\.pem": / },
      { lines: [`  certFile: ${certFile}`, `  keyFile: ${keyFile}`], says: /needs a passphrase: set FEDCHECK_CLIENT_PASSPHRASE/ },
      { lines: [`  certFile: ${certFile}`, `  passphrase: ${PASSPHRASE}`], says: /:\d+:\d+: check\.clientCertificate\.passphrase: a passphrase is never read from the config: give passphraseFile or passphraseEnv/ },
      { lines: [`  certFile: ${certFile}`, '  passphraseFile: wrong.txt', '  passphraseEnv: EDGE_KEY_PASS'], says: /check\.clientCertificate\.passphraseEnv: expected passphraseFile or passphraseEnv, not both/ },
      { lines: [`  certFile: ${certFile}`, '  passphraseEnv: "not a name"'], says: /check\.clientCertificate\.passphraseEnv: expected an environment variable name/ },
      { lines: [`  certFile: ${certFile}`, '  keyFile: 42'], says: /check\.clientCertificate\.keyFile: expected a file path/ },
    ];
    for (const { lines, env, says } of cases) {
      const config = writeConfig('bad', ['clientCertificate:', ...lines]);
      const result = await fedcheck(['run', '--config', config], env ?? {});
      expect(result.code, lines.join(' ')).toBe(3);
      expect(result.stdout).toBe('');
      const stderr = result.stderr.trim().split('\n');
      expect(stderr, lines.join(' ')).toHaveLength(1);
      expect(stderr[0], lines.join(' ')).toMatch(says);
      expect(stderr[0]).toContain(config);
      expect(result.stderr).not.toMatch(/PRIVATE KEY|staple|horse|\n\s+at /);
    }
  });

  it('--client-cert on the command line replaces the config\'s', async () => {
    const { certFile, keyFile } = await writeClientCertificate('flag');
    const config = writeConfig('flag-wins', ['clientCertificate:', '  certFile: absent.pem']);
    const result = await fedcheck(['run', '--config', config, '--client-cert', join(dir, certFile), '--client-key', join(dir, keyFile), '--format', 'json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Report;
    expect(findingsOf(report, 'healthy.test', 'tls.client-certificate-accepted').map((f) => f.messageId).sort()).toEqual(['sipAccepted', 'xmppExternalOffered']);
  });
});
