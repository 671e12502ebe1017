// CRL parsing and signature checks, on CRLs from the test CA, cross-checked with OpenSSL where it is installed.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crlSignedBy, findRevoked, normalizeSerial, parseCrl } from '../../src/pki/crl.js';
import { toPem } from '../../src/pki/pem.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import type { IssuedCertificate, TestPki } from '../../src/pki/test-ca.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

let pki: TestPki;
let otherPki: TestPki;
let revoked: IssuedCertificate;
let kept: IssuedCertificate;
let crl: Buffer;

beforeAll(async () => {
  [pki, otherPki] = await Promise.all([createTestPki({ name: 'CRL Test' }), createTestPki({ name: 'Other CA' })]);
  [revoked, kept] = await Promise.all([pki.issue({ dnsNames: ['revoked.example'] }), pki.issue({ dnsNames: ['kept.example'] })]);
  crl = await pki.crlDer([revoked.serialNumber]);
});

describe('parseCrl', () => {
  it('reads the issuer, dates, number and entries of a CRL', () => {
    const info = parseCrl(crl);
    expect(info.issuer).toBe('CN=CRL Test Intermediate CA,O=CRL Test');
    expect(info.crlNumber).toBe('1');
    expect(info.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(Date.parse(info.nextUpdate ?? '') - Date.parse(info.thisUpdate)).toBeGreaterThan(6 * 86_400_000);
    expect(info.entries).toEqual([{ serialNumber: revoked.serialNumber, revocationDate: expect.any(String), reason: 'keyCompromise' }]);
  });

  it('takes DER bytes, base64 and PEM alike', () => {
    const fromDer = parseCrl(crl);
    expect(parseCrl(crl.toString('base64'))).toEqual(fromDer);
    expect(parseCrl(toPem(crl, 'X509 CRL'))).toEqual(fromDer);
  });

  it('reads an empty CRL', async () => {
    expect(parseCrl(await pki.crlDer([])).entries).toEqual([]);
  });

  it('throws one line naming the problem for what is not a CRL', () => {
    expect(() => parseCrl(Buffer.from('<html>not here</html>'))).toThrow(/not a certificate revocation list \(21 bytes\)/);
    expect(() => parseCrl('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(/no X509 CRL block/);
  });
});

describe('findRevoked', () => {
  it('finds the entry of a listed serial, whatever its case or sign byte', () => {
    const info = parseCrl(crl);
    expect(findRevoked(info, revoked.serialNumber)?.reason).toBe('keyCompromise');
    expect(findRevoked(info, `00${revoked.serialNumber.toLowerCase()}`)).toBeDefined();
    expect(findRevoked(info, kept.serialNumber)).toBeUndefined();
  });

  it('normalizes serials to whole upper-case bytes without leading zero bytes', () => {
    expect(normalizeSerial('00a1')).toBe('A1');
    expect(normalizeSerial('a1')).toBe('A1');
    expect(normalizeSerial('0A1')).toBe('A1');
    expect(normalizeSerial('123')).toBe('0123');
    expect(normalizeSerial('0')).toBe('00');
  });
});

describe('crlSignedBy', () => {
  it('is true for the issuing intermediate only', () => {
    expect(crlSignedBy(crl, pki.intermediateDer.toString('base64'))).toBe(true);
    expect(crlSignedBy(crl, pki.intermediatePem)).toBe(true);
    expect(crlSignedBy(crl, pki.rootDer.toString('base64'))).toBe(false);
    expect(crlSignedBy(crl, otherPki.intermediateDer.toString('base64'))).toBe(false);
  });

  it('is false for a CRL whose signature was altered, and for garbage', () => {
    const altered = Buffer.from(crl);
    altered[altered.length - 1] = (altered[altered.length - 1] as number) ^ 0x01;
    expect(crlSignedBy(altered, pki.intermediateDer.toString('base64'))).toBe(false);
    expect(crlSignedBy(Buffer.from('garbage'), pki.intermediateDer.toString('base64'))).toBe(false);
    expect(crlSignedBy(crl, 'not a certificate')).toBe(false);
  });
});

describe.skipIf(!hasOpenssl)('parseCrl agrees with OpenSSL', () => {
  it('lists the same revoked serial and issuer as `openssl crl -text`', () => {
    const dir = tempFolder('crl');
    writeFileSync(join(dir, 'x.crl'), crl);
    writeFileSync(join(dir, 'ca.pem'), pki.intermediatePem);
    const text = spawnSync('openssl', ['crl', '-in', join(dir, 'x.crl'), '-inform', 'DER', '-text', '-noout'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`Serial Number: ${revoked.serialNumber}`);
    expect(text.stdout).toContain('Key Compromise');
    expect(text.stdout).not.toContain(kept.serialNumber);
    const verified = spawnSync('openssl', ['crl', '-in', join(dir, 'x.crl'), '-inform', 'DER', '-CAfile', join(dir, 'ca.pem'), '-noout'], {
      encoding: 'utf8',
    });
    expect(`${verified.stdout}${verified.stderr}`).toMatch(/verify OK/);
  });
});
