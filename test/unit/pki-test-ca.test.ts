import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/pki/certificate.js';
import { toPem } from '../../src/pki/pem.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../src/pki/test-ca.js';

const DAY = 86_400_000;

let pki: TestPki;
let workDir: string;

beforeAll(async () => {
  pki = await createTestPki({ name: 'Lab' });
  workDir = mkdtempSync(join(tmpdir(), 'fedcheck-test-ca-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs `openssl verify` on a leaf with the PKI's root as the only trust anchor; returns what it printed. */
function opensslVerify(issued: IssuedCertificate, extra: string[] = [], files: Record<string, string> = {}): string {
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries({ root: pki.rootPem, leaf: issued.certPem, chain: issued.chainPem, ...files })) {
    paths[name] = join(workDir, `${name}.pem`);
    writeFileSync(paths[name], content);
  }
  const untrusted = issued.chainPem ? ['-untrusted', paths.chain as string] : [];
  try {
    return execFileSync('openssl', ['verify', '-CAfile', paths.root as string, ...untrusted, ...extra, paths.leaf as string], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  } catch (error) {
    const failed = error as { stdout: Buffer; stderr: Buffer };
    return failed.stdout.toString() + failed.stderr.toString();
  }
}

describe('createTestPki', () => {
  it('issues a leaf that OpenSSL verifies through the intermediate to the root', async () => {
    const issued = await pki.issue({ dnsNames: ['sip.lab.example'] });
    expect(opensslVerify(issued)).toMatch(/leaf\.pem: OK/);
    expect(issued.chainPem).toBe(pki.intermediatePem);
    expect(issued.fullChainPem).toBe(issued.certPem + pki.intermediatePem);
    expect(issued.certPem).toBe(toPem(issued.certDer, 'CERTIFICATE'));
  });

  it('issues straight from the root with no intermediate in the chain', async () => {
    const issued = await pki.issue({ dnsNames: ['direct.lab.example'], issuer: 'root' });
    expect(issued.chainPem).toBe('');
    expect(issued.fullChainPem).toBe(issued.certPem);
    expect(parseCertificate(issued.certDer).issuer).toBe('CN=Lab Root CA,O=Lab');
    expect(opensslVerify(issued)).toMatch(/leaf\.pem: OK/);
  });

  it('gives the PKCS#8 key that belongs to the certificate', async () => {
    for (const key of ['rsa2048', 'rsa1024', 'ec-p256'] as const) {
      const issued = await pki.issue({ dnsNames: [`${key}.lab.example`], key });
      expect(issued.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      const fromKey = createPublicKey(createPrivateKey(issued.keyPem)).export({ type: 'spki', format: 'der' });
      const fromCertificate = new X509Certificate(issued.certDer).publicKey.export({ type: 'spki', format: 'der' });
      expect(fromKey.equals(fromCertificate)).toBe(true);
    }
  });

  it('uses the defaults: a day ago to a year ahead, both key purposes, RSA 2048 signed with SHA-256', async () => {
    const before = Date.now();
    const info = parseCertificate((await pki.issue({ dnsNames: ['defaults.lab.example'] })).certDer);
    expect(Date.parse(info.notBefore)).toBeGreaterThan(before - DAY - 2000);
    expect(Date.parse(info.notBefore)).toBeLessThanOrEqual(before - DAY + 2000);
    expect(Date.parse(info.notAfter)).toBeGreaterThan(before + 365 * DAY - 2000);
    expect(Date.parse(info.notAfter)).toBeLessThanOrEqual(Date.now() + 365 * DAY);
    expect(info.extendedKeyUsage?.names).toEqual(['serverAuth', 'clientAuth']);
    expect(info.publicKey.bits).toBe(2048);
    expect(info.signatureAlgorithm.name).toBe('sha256WithRSAEncryption');
    expect(info.subject).toBe('CN=defaults.lab.example');
  });

  it('shares leaf keys of one type but gives every PKI its own CA keys', async () => {
    const first = parseCertificate((await pki.issue({ dnsNames: ['one.lab.example'] })).certDer);
    const second = parseCertificate((await pki.issue({ dnsNames: ['two.lab.example'] })).certDer);
    expect(first.subjectKeyId).toBe(second.subjectKeyId);
    const other = await createTestPki({ name: 'Lab' });
    expect(parseCertificate(other.rootDer).subjectKeyId).not.toBe(parseCertificate(pki.rootDer).subjectKeyId);
  });

  it('makes a self-signed leaf that OpenSSL rejects as untrusted', async () => {
    const issued = await pki.issue({ dnsNames: ['self.lab.example'], selfSigned: true });
    expect(issued.chainPem).toBe('');
    expect(parseCertificate(issued.certDer)).toMatchObject({ selfSigned: true, issuer: 'CN=self.lab.example' });
    expect(opensslVerify(issued)).toMatch(/self-signed certificate/);
  });

  it('makes an expired leaf that OpenSSL rejects as expired', async () => {
    const issued = await pki.issue({
      dnsNames: ['expired.lab.example'],
      notBefore: new Date(Date.now() - 100 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    expect(opensslVerify(issued)).toMatch(/certificate has expired/);
  });

  it('refuses a SHA-1 or PSS signature by an EC key, saying why', async () => {
    await expect(pki.issue({ dnsNames: ['ec.lab.example'], key: 'ec-p256', selfSigned: true, signature: 'sha1' })).rejects.toThrow(
      'a sha1 signature needs an RSA issuer key, not ECDSA',
    );
  });
});

describe('crlDer', () => {
  it('signs a CRL with the intermediate that OpenSSL reads and applies', async () => {
    const revoked = await pki.issue({ dnsNames: ['revoked.lab.example'], crlUrl: 'http://127.0.0.1:8080/lab.crl' });
    const good = await pki.issue({ dnsNames: ['good.lab.example'], crlUrl: 'http://127.0.0.1:8080/lab.crl' });
    const crl = await pki.crlDer([revoked.serialNumber]);
    const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-noout', '-text'], { input: crl }).toString();
    expect(text).toContain('Issuer: O = Lab, CN = Lab Intermediate CA');
    expect(text).toContain(`Serial Number: ${revoked.serialNumber}`);
    expect(text).toContain('Key Compromise');
    const crlFiles = { crl: toPem(crl, 'X509 CRL') };
    const crlCheck = ['-crl_check', '-CRLfile', join(workDir, 'crl.pem')];
    expect(opensslVerify(revoked, crlCheck, crlFiles)).toMatch(/certificate revoked/);
    expect(opensslVerify(good, crlCheck, crlFiles)).toMatch(/leaf\.pem: OK/);
  });

  it('makes an empty CRL by default', async () => {
    const text = execFileSync('openssl', ['crl', '-inform', 'DER', '-noout', '-text'], { input: await pki.crlDer() }).toString();
    expect(text).toContain('No Revoked Certificates.');
  });
});
