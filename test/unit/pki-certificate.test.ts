import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowsPurpose, daysUntilExpiry, parseCertificate } from '../../src/pki/certificate.js';
import { MAX_SUBJECT_ALT_NAMES } from '../../src/pki/subject-alt-names.js';
import { subjectAltNameList } from '../../src/judge/tls-evidence.js';
import { createTestPki, type TestPki } from '../../src/pki/test-ca.js';

const DAY = 86_400_000;
const openssl = (args: string[], input?: string | Buffer): string =>
  execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();

let pki: TestPki;
let workDir: string;

beforeAll(async () => {
  pki = await createTestPki();
  workDir = mkdtempSync(join(tmpdir(), 'fedcheck-pki-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A certificate OpenSSL makes itself, for the kinds the test CA does not: IP and email SANs, odd otherNames, MD5. */
function opensslCertificate(
  name: string,
  options: { subject: string; key: string[]; digest?: string[]; extensions?: string[] },
): Buffer {
  const config = join(workDir, `${name}.cnf`);
  writeFileSync(
    config,
    ['[req]', 'distinguished_name=dn', '[dn]', '[ext]', 'basicConstraints=critical,CA:FALSE', ...(options.extensions ?? [])].join('\n'),
  );
  const certificate = join(workDir, `${name}.der`);
  openssl([
    'req', '-x509', ...options.key, ...(options.digest ?? []), '-nodes', '-keyout', join(workDir, `${name}.key`),
    '-subj', options.subject, '-days', '30', '-config', config, '-extensions', 'ext', '-outform', 'DER', '-out', certificate,
  ]);
  return readFileSync(certificate);
}

describe('parseCertificate on a test-CA certificate with every field', () => {
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * DAY);
  const notAfter = new Date(notBefore.getTime() + 90 * DAY);
  let issued: Awaited<ReturnType<TestPki['issue']>>;

  beforeAll(async () => {
    issued = await pki.issue({
      commonName: 'access.example.com',
      dnsNames: ['access.example.com', 'sip.example.com', '*.conf.example.com'],
      uris: ['sip:example.com'],
      srvNames: ['_xmpp-server.example.com'],
      xmppAddrs: ['example.com'],
      notBefore,
      notAfter,
      crlUrl: 'http://127.0.0.1:8080/intermediate.crl',
      caIssuersUrl: 'http://127.0.0.1:8080/intermediate.cer',
      ocspUrl: 'http://127.0.0.1:8080/ocsp',
    });
  });

  it('reads names, validity and identity fields', () => {
    const info = parseCertificate(issued.certDer.toString('base64'));
    expect(info.version).toBe(3);
    expect(info.subject).toBe('CN=access.example.com');
    expect(info.subjectCommonNames).toEqual(['access.example.com']);
    expect(info.issuer).toBe('CN=fedcheck Test Intermediate CA,O=fedcheck Test');
    expect(info.serialNumber).toBe(issued.serialNumber);
    expect(info.notBefore).toBe(notBefore.toISOString());
    expect(info.notAfter).toBe(notAfter.toISOString());
    expect(info.selfIssued).toBe(false);
    expect(info.selfSigned).toBe(false);
    expect(info.der).toBe(issued.certDer.toString('base64'));
  });

  it('reads every kind of subject alternative name, otherNames included', () => {
    expect(parseCertificate(issued.certDer).sans).toEqual({
      dns: ['access.example.com', 'sip.example.com', '*.conf.example.com'],
      uri: ['sip:example.com'],
      ip: [],
      email: [],
      srvName: ['_xmpp-server.example.com'],
      xmppAddr: ['example.com'],
      otherNames: [],
    });
  });

  it('agrees with OpenSSL on the SRVName and XmppAddr otherNames', () => {
    const text = openssl(['x509', '-noout', '-ext', 'subjectAltName'], issued.certPem);
    expect(text).toContain('othername: SRVName::_xmpp-server.example.com');
    expect(text).toContain('othername: XmppAddr::example.com');
    expect(text).toContain('URI:sip:example.com');
  });

  it('reads usages, constraints, key, signature, CRL distribution point, AIA and key identifiers', () => {
    const info = parseCertificate(issued.certPem);
    const intermediate = parseCertificate(pki.intermediateDer);
    expect(info.extendedKeyUsage).toEqual({
      oids: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
      names: ['serverAuth', 'clientAuth'],
    });
    expect(info.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(info.isCa).toBe(false);
    expect(info.pathLength).toBeUndefined();
    expect(info.publicKey).toEqual({ type: 'RSA', oid: '1.2.840.113549.1.1.1', bits: 2048 });
    expect(info.signatureAlgorithm).toEqual({
      name: 'sha256WithRSAEncryption',
      oid: '1.2.840.113549.1.1.11',
      hash: 'SHA-256',
      pss: false,
    });
    expect(info.crlDistributionPoints).toEqual(['http://127.0.0.1:8080/intermediate.crl']);
    expect(info.aia).toEqual({ caIssuers: ['http://127.0.0.1:8080/intermediate.cer'], ocsp: ['http://127.0.0.1:8080/ocsp'] });
    expect(info.subjectKeyId).toMatch(/^[0-9A-F]{40}$/);
    expect(info.authorityKeyId).toBe(intermediate.subjectKeyId);
  });

  it('gives the fingerprints OpenSSL gives', () => {
    const info = parseCertificate(issued.certDer);
    expect(`sha256 Fingerprint=${info.fingerprints.sha256}\n`).toBe(
      openssl(['x509', '-noout', '-fingerprint', '-sha256'], issued.certPem),
    );
    expect(info.fingerprints.sha1).toBe(new X509Certificate(issued.certDer).fingerprint);
  });

  it('counts whole days to expiry, negative once expired', () => {
    const info = parseCertificate(issued.certDer);
    expect(daysUntilExpiry(info, new Date(notAfter.getTime() - 10 * DAY - 3_600_000))).toBe(10);
    expect(daysUntilExpiry(info, new Date(notAfter.getTime() + 2 * DAY))).toBe(-2);
  });
});

describe('parseCertificate on CA certificates', () => {
  it('reads the root as a self-signed CA and the intermediate as a CA with a path length of 0', () => {
    const root = parseCertificate(pki.rootPem);
    expect(root).toMatchObject({ isCa: true, selfIssued: true, selfSigned: true, extendedKeyUsage: null });
    expect(root.keyUsage).toEqual(['digitalSignature', 'keyCertSign', 'cRLSign']);
    expect(root.authorityKeyId).toBeUndefined();
    const intermediate = parseCertificate(pki.intermediatePem);
    expect(intermediate).toMatchObject({ isCa: true, pathLength: 0, selfIssued: false, selfSigned: false });
    expect(intermediate.authorityKeyId).toBe(root.subjectKeyId);
  });
});

describe('parseCertificate on keys and signatures', () => {
  it('reads a 1024-bit RSA key, as OpenSSL does', async () => {
    const issued = await pki.issue({ dnsNames: ['weak.example.com'], key: 'rsa1024' });
    expect(parseCertificate(issued.certDer).publicKey).toEqual({ type: 'RSA', oid: '1.2.840.113549.1.1.1', bits: 1024 });
    expect(openssl(['x509', '-noout', '-text'], issued.certPem)).toContain('Public-Key: (1024 bit)');
  });

  it('reads an EC P-256 key', async () => {
    const issued = await pki.issue({ dnsNames: ['ec.example.com'], key: 'ec-p256' });
    const info = parseCertificate(issued.certDer);
    expect(info.publicKey).toEqual({ type: 'EC', oid: '1.2.840.10045.2.1', curve: 'P-256', bits: 256 });
    expect(info.keyUsage).toEqual(['digitalSignature']);
  });

  it('reads a SHA-1 signature, as OpenSSL does', async () => {
    const issued = await pki.issue({ dnsNames: ['sha1.example.com'], signature: 'sha1' });
    expect(parseCertificate(issued.certDer).signatureAlgorithm).toEqual({
      name: 'sha1WithRSAEncryption',
      oid: '1.2.840.113549.1.1.5',
      hash: 'SHA-1',
      pss: false,
    });
    expect(openssl(['x509', '-noout', '-text'], issued.certPem)).toMatch(/Signature Algorithm: sha1WithRSAEncryption/);
  });

  it('reads an RSASSA-PSS signature and its hash, as OpenSSL does', async () => {
    const issued = await pki.issue({ dnsNames: ['pss.example.com'], signature: 'rsa-pss' });
    expect(parseCertificate(issued.certDer).signatureAlgorithm).toEqual({
      name: 'RSASSA-PSS',
      oid: '1.2.840.113549.1.1.10',
      hash: 'SHA-256',
      pss: true,
    });
    const text = openssl(['x509', '-noout', '-text'], issued.certPem);
    expect(text).toMatch(/Signature Algorithm: rsassaPss\s+Hash Algorithm: sha256/);
    // OpenSSL checks the PSS signature itself against the issuer.
    writeFileSync(join(workDir, 'pss-root.pem'), pki.rootPem);
    writeFileSync(join(workDir, 'pss-chain.pem'), pki.intermediatePem);
    expect(
      openssl(['verify', '-CAfile', join(workDir, 'pss-root.pem'), '-untrusted', join(workDir, 'pss-chain.pem')], issued.certPem),
    ).toContain('OK');
  });

  it('reads the PSS hash from the parameters (SHA-384) and MD5 and Ed25519 signatures made by OpenSSL', () => {
    const pss = opensslCertificate('pss384', {
      subject: '/CN=pss384.example.com',
      key: ['-newkey', 'rsa:2048'],
      digest: ['-sha384', '-sigopt', 'rsa_padding_mode:pss'],
    });
    expect(parseCertificate(pss).signatureAlgorithm).toMatchObject({ name: 'RSASSA-PSS', hash: 'SHA-384', pss: true });
    const md5 = opensslCertificate('md5', { subject: '/CN=md5.example.com', key: ['-newkey', 'rsa:1024'], digest: ['-md5'] });
    expect(parseCertificate(md5).signatureAlgorithm).toEqual({
      name: 'md5WithRSAEncryption',
      oid: '1.2.840.113549.1.1.4',
      hash: 'MD5',
      pss: false,
    });
    const ed = parseCertificate(opensslCertificate('ed25519', { subject: '/CN=ed.example.com', key: ['-newkey', 'ed25519'] }));
    expect(ed.publicKey).toEqual({ type: 'Ed25519', oid: '1.3.101.112' });
    expect(ed.signatureAlgorithm).toEqual({ name: 'Ed25519', oid: '1.3.101.112', hash: null, pss: false });
    expect(ed.selfSigned).toBe(true);
  });
});

describe('parseCertificate on names the test CA does not make', () => {
  it('reads IP and email SANs, unknown otherNames and a multi-attribute subject with escaping', () => {
    const sans = [
      'DNS:edge.example.com',
      'IP:192.0.2.7',
      'IP:2001:db8::7',
      'email:admin@example.com',
      'otherName:1.3.6.1.4.1.311.20.2.3;UTF8:host@example.com',
      'otherName:1.2.3.4;INTEGER:42',
    ];
    const der = opensslCertificate('kinds', {
      subject: '/C=US/O=Example, Inc./OU=Unified Communications/CN=edge.example.com',
      key: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
      extensions: [`subjectAltName=${sans.join(',')}`],
    });
    const info = parseCertificate(der);
    expect(info.subject).toBe('CN=edge.example.com,OU=Unified Communications,O=Example\\, Inc.,C=US');
    expect(info.subjectCommonNames).toEqual(['edge.example.com']);
    expect(info.sans.ip).toEqual(['192.0.2.7', '2001:db8::7']);
    expect(info.sans.email).toEqual(['admin@example.com']);
    expect(info.sans.otherNames).toEqual([
      { oid: '1.3.6.1.4.1.311.20.2.3', value: 'host@example.com' },
      { oid: '1.2.3.4', value: '#02012a' },
    ]);
    expect(info.publicKey).toEqual({ type: 'EC', oid: '1.2.840.10045.2.1', curve: 'P-384', bits: 384 });
    expect(info.extendedKeyUsage).toBeNull();
    expect(info.keyUsage).toBeNull();
    expect(info.crlDistributionPoints).toEqual([]);
    expect(info.aia).toEqual({ caIssuers: [], ocsp: [] });
  });

  it('reads a certificate with no SAN extension and one with an empty subject', async () => {
    const cnOnly = parseCertificate((await pki.issue({ commonName: 'example.com' })).certDer);
    expect(cnOnly.subjectCommonNames).toEqual(['example.com']);
    expect(cnOnly.sans.dns).toEqual([]);
    const issued = await pki.issue({ commonName: undefined, srvNames: ['_xmpp-server.example.com'] });
    const sanOnly = parseCertificate(issued.certDer);
    expect(sanOnly.subject).toBe('');
    expect(sanOnly.subjectCommonNames).toEqual([]);
    expect(openssl(['x509', '-noout', '-text'], issued.certPem)).toContain('X509v3 Subject Alternative Name: critical');
  });

  it('reads at most MAX_SUBJECT_ALT_NAMES names and says how many more the certificate holds', async () => {
    const total = MAX_SUBJECT_ALT_NAMES + 500;
    const dnsNames = Array.from({ length: total }, (_, i) => `host${i}.example.com`);
    const info = parseCertificate((await pki.issue({ commonName: 'host0.example.com', dnsNames })).certDer);
    expect(info.sans.dns).toHaveLength(MAX_SUBJECT_ALT_NAMES);
    expect(info.sans.unread).toBe(500);
    expect(subjectAltNameList(info)).toMatch(/DNS:host999\.example\.com \(and 500 more not read: fedcheck reads at most 1000 names per certificate\)$/);
    expect(parseCertificate((await pki.issue({ dnsNames: ['one.example.com'] })).certDer).sans.unread).toBeUndefined();
  });
});

describe('extended key usages', () => {
  it('names the purposes and tells which a certificate allows', async () => {
    const serverOnly = parseCertificate((await pki.issue({ dnsNames: ['a.example.com'], eku: ['serverAuth'] })).certDer);
    expect(serverOnly.extendedKeyUsage?.names).toEqual(['serverAuth']);
    expect(allowsPurpose(serverOnly, 'serverAuth')).toBe(true);
    expect(allowsPurpose(serverOnly, 'clientAuth')).toBe(false);
    const anyPurpose = parseCertificate((await pki.issue({ dnsNames: ['b.example.com'], eku: [] })).certDer);
    expect(anyPurpose.extendedKeyUsage).toBeNull();
    expect(allowsPurpose(anyPurpose, 'clientAuth')).toBe(true);
  });
});

describe('parseCertificate input handling', () => {
  it('caches by fingerprint and hands out frozen results', async () => {
    const issued = await pki.issue({ dnsNames: ['cache.example.com'] });
    const first = parseCertificate(issued.certDer);
    expect(parseCertificate(issued.certPem)).toBe(first);
    expect(Object.isFrozen(first.sans.dns)).toBe(true);
  });

  it('throws a clear error on anything that is not a certificate', () => {
    expect(() => parseCertificate('bm90IGEgY2VydGlmaWNhdGU=')).toThrow(/^not an X\.509 certificate \(17 bytes\)/);
    expect(() => parseCertificate(Buffer.alloc(0))).toThrow(/not an X\.509 certificate/);
    expect(() => parseCertificate('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')).toThrow(
      'not a certificate: the PEM text holds no CERTIFICATE block',
    );
    // A well-formed certificate whose subjectAltName holds an OCTET STRING instead of a SEQUENCE.
    const malformed = opensslCertificate('malformed-san', {
      subject: '/CN=bad.example.com',
      key: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      extensions: ['2.5.29.17=DER:0401ff'],
    });
    expect(() => parseCertificate(malformed)).toThrow(/^not an X\.509 certificate \(\d+ bytes\): .+/);
  });
});
