// OCSP requests and responses: built and read against the test CA and the lab's responder, cross-checked with
// OpenSSL (its request bytes, its request text, and responses its own responder signs) where it is installed.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { CRLReasons } from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerOcspRequest, ocspErrorResponse } from '../../src/lab/ocsp-responder.js';
import type { OcspAnswer, OcspResponderOptions } from '../../src/lab/ocsp-responder.js';
import { ocspRequestDer, parseOcspResponse, responseFor, verifyOcspSignature } from '../../src/pki/ocsp.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import type { IssuedCertificate, TestPki } from '../../src/pki/test-ca.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

let pki: TestPki;
let otherPki: TestPki;
let leaf: IssuedCertificate;
let sibling: IssuedCertificate;
let responder: IssuedCertificate;
let notResponder: IssuedCertificate;

beforeAll(async () => {
  [pki, otherPki] = await Promise.all([createTestPki({ name: 'OCSP Test' }), createTestPki({ name: 'Other CA' })]);
  [leaf, sibling, responder, notResponder] = await Promise.all([
    pki.issue({ dnsNames: ['sip.example.com'], ocspUrl: 'http://ocsp.example.net/' }),
    pki.issue({ dnsNames: ['other.example.com'] }),
    pki.issue({ commonName: 'OCSP Test Responder', eku: ['OCSPSigning'] }),
    pki.issue({ commonName: 'Not A Responder', eku: ['serverAuth'] }),
  ]);
});

function answer(status: OcspAnswer, options: Partial<OcspResponderOptions> = {}): Buffer {
  return answerOcspRequest(ocspRequestDer(leaf.certDer, pki.intermediateDer), {
    issuerDer: pki.intermediateDer,
    signerKeyPem: pki.intermediateKeyPem,
    statusOf: () => status,
    ...options,
  });
}

describe('ocspRequestDer', () => {
  it('names the certificate by SHA-1 hashes of the issuer name and key, and the serial', () => {
    const request = ocspRequestDer(leaf.certDer.toString('base64'), pki.intermediatePem);
    expect(request.equals(ocspRequestDer(leaf.certDer, pki.intermediateDer))).toBe(true);
    // The serial's bytes sit at the end: no nonce, no signature after the single request.
    expect(request.subarray(request.length - 16).toString('hex').toUpperCase()).toBe(leaf.serialNumber);
  });

  it('throws on what is not a certificate', () => {
    expect(() => ocspRequestDer(Buffer.from('nope'), pki.intermediateDer)).toThrow(/not an X.509 certificate/);
  });
});

describe('parseOcspResponse and responseFor', () => {
  it('reads good, revoked and unknown answers for the certificate asked about', () => {
    const good = parseOcspResponse(answer({ status: 'good' }));
    expect(good.responseStatus).toBe('successful');
    expect(good.responderId).toBe('byName: CN=OCSP Test Intermediate CA,O=OCSP Test');
    expect(good.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(responseFor(good, leaf.certDer, pki.intermediateDer)).toMatchObject({
      status: 'good',
      certId: { hashAlgorithm: 'SHA-1', serialNumber: leaf.serialNumber },
      thisUpdate: expect.any(String),
      nextUpdate: expect.any(String),
    });

    const time = new Date('2026-01-02T03:04:05Z');
    const revoked = parseOcspResponse(answer({ status: 'revoked', time, reason: CRLReasons.superseded }));
    expect(responseFor(revoked, leaf.certDer, pki.intermediateDer)).toMatchObject({
      status: 'revoked',
      revocationTime: '2026-01-02T03:04:05.000Z',
      revocationReason: 'superseded',
    });

    const unknown = parseOcspResponse(answer({ status: 'unknown' }).toString('base64'));
    expect(responseFor(unknown, leaf.certDer, pki.intermediateDer)?.status).toBe('unknown');
  });

  it('finds no answer for another certificate or another issuer', () => {
    const good = parseOcspResponse(answer({ status: 'good' }));
    expect(responseFor(good, sibling.certDer, pki.intermediateDer)).toBeUndefined();
    expect(responseFor(good, leaf.certDer, otherPki.intermediateDer)).toBeUndefined();
  });

  it('reads an unsuccessful status with no answers', () => {
    expect(parseOcspResponse(ocspErrorResponse(OCSPResponseStatus.tryLater))).toEqual({ responseStatus: 'tryLater', responses: [], certificates: [] });
    expect(parseOcspResponse(ocspErrorResponse(OCSPResponseStatus.unauthorized)).responseStatus).toBe('unauthorized');
  });

  it('answers a malformed request with malformedRequest', () => {
    expect(parseOcspResponse(answerOcspRequest(Buffer.from('junk'), { issuerDer: pki.intermediateDer, signerKeyPem: pki.intermediateKeyPem, statusOf: () => ({ status: 'good' }) })).responseStatus).toBe(
      'malformedRequest',
    );
  });

  it('throws one line for what is not an OCSP response', () => {
    expect(() => parseOcspResponse(Buffer.from('<html></html>'))).toThrow(/not an OCSP response \(13 bytes\)/);
  });
});

describe('verifyOcspSignature', () => {
  it('accepts an answer signed by the issuer', () => {
    expect(verifyOcspSignature(answer({ status: 'good' }), pki.intermediateDer)).toEqual({
      valid: true,
      signer: 'issuer',
      signerSubject: 'CN=OCSP Test Intermediate CA,O=OCSP Test',
    });
  });

  it('accepts a delegated responder the issuer certified for OCSPSigning, included in the answer', () => {
    const signed = answer({ status: 'good' }, { signerKeyPem: responder.keyPem, signerCertificateDer: responder.certDer });
    expect(parseOcspResponse(signed).certificates).toEqual([responder.certDer.toString('base64')]);
    expect(verifyOcspSignature(signed, pki.intermediatePem)).toEqual({ valid: true, signer: 'delegated', signerSubject: 'CN=OCSP Test Responder' });
  });

  it('refuses a delegated certificate without OCSPSigning, another CA, a key with no certificate, a bad signature', () => {
    const noEku = verifyOcspSignature(answer({ status: 'good' }, { signerKeyPem: notResponder.keyPem, signerCertificateDer: notResponder.certDer }), pki.intermediateDer);
    expect(noEku).toMatchObject({ valid: false, problem: expect.stringMatching(/CN=Not A Responder is not allowed to sign OCSP responses/) });

    expect(verifyOcspSignature(answer({ status: 'good' }), otherPki.intermediateDer)).toMatchObject({ valid: false });

    const bare = verifyOcspSignature(answer({ status: 'good' }, { signerKeyPem: responder.keyPem }), pki.intermediateDer);
    expect(bare).toMatchObject({ valid: false, problem: expect.stringMatching(/includes no responder certificate/) });

    const altered = answer({ status: 'good' });
    altered[altered.length - 1] = (altered[altered.length - 1] as number) ^ 0x01;
    expect(verifyOcspSignature(altered, pki.intermediateDer).valid).toBe(false);
  });

  it('says why for an unsuccessful answer', () => {
    expect(verifyOcspSignature(ocspErrorResponse(OCSPResponseStatus.internalError), pki.intermediateDer)).toEqual({
      valid: false,
      problem: 'the response is not successful (internalError)',
    });
  });
});

describe.skipIf(!hasOpenssl)('agrees with OpenSSL', () => {
  const dir = tempFolder('ocsp');
  const file = (name: string) => join(dir, name);

  beforeAll(() => {
    writeFileSync(file('issuer.pem'), pki.intermediatePem);
    writeFileSync(file('issuer.key'), pki.intermediateKeyPem);
    writeFileSync(file('leaf.pem'), leaf.certPem);
    writeFileSync(file('sibling.pem'), sibling.certPem);
  });

  it('builds the request byte for byte as `openssl ocsp -no_nonce` does, which reads it back', () => {
    const ours = ocspRequestDer(leaf.certDer, pki.intermediateDer);
    writeFileSync(file('ours.der'), ours);
    const made = spawnSync('openssl', ['ocsp', '-issuer', file('issuer.pem'), '-cert', file('leaf.pem'), '-no_nonce', '-reqout', file('theirs.der')]);
    expect(made.status).toBe(0);
    expect(readFileSync(file('theirs.der')).equals(ours)).toBe(true);
    const text = spawnSync('openssl', ['ocsp', '-reqin', file('ours.der'), '-req_text'], { encoding: 'utf8' });
    expect(text.stdout).toContain('Hash Algorithm: sha1');
    expect(text.stdout).toContain(`Serial Number: ${leaf.serialNumber}`);
  });

  it('reads and verifies the answers of OpenSSL\'s own responder', () => {
    // index.txt: V for valid, R for revoked (with the revocation time and reason), one line per certificate.
    const expiry = '301231235959Z';
    writeFileSync(
      file('index.txt'),
      `R\t${expiry}\t250101000000Z,keyCompromise\t${leaf.serialNumber}\tunknown\t/CN=sip.example.com\n` +
        `V\t${expiry}\t\t${sibling.serialNumber}\tunknown\t/CN=other.example.com\n`,
    );
    for (const [certificate, expected] of [
      [leaf, 'revoked'],
      [sibling, 'good'],
    ] as const) {
      writeFileSync(file('request.der'), ocspRequestDer(certificate.certDer, pki.intermediateDer));
      const served = spawnSync('openssl', [
        'ocsp', '-index', file('index.txt'), '-CA', file('issuer.pem'), '-rsigner', file('issuer.pem'), '-rkey', file('issuer.key'),
        '-reqin', file('request.der'), '-respout', file('response.der'), '-ndays', '1',
      ]);
      expect(served.status, served.stderr.toString()).toBe(0);
      const body = readFileSync(file('response.der'));
      const single = responseFor(parseOcspResponse(body), certificate.certDer, pki.intermediateDer);
      expect(single?.status).toBe(expected);
      if (expected === 'revoked') expect(single).toMatchObject({ revocationTime: '2025-01-01T00:00:00.000Z', revocationReason: 'keyCompromise' });
      expect(verifyOcspSignature(body, pki.intermediateDer)).toMatchObject({ valid: true, signer: 'issuer' });
    }
  });

  it('answers in a form `openssl ocsp` verifies against the issuer', () => {
    writeFileSync(file('lab.der'), answer({ status: 'revoked', time: new Date('2026-01-02T03:04:05Z'), reason: CRLReasons.keyCompromise }));
    const checked = spawnSync(
      'openssl',
      ['ocsp', '-respin', file('lab.der'), '-issuer', file('issuer.pem'), '-cert', file('leaf.pem'), '-VAfile', file('issuer.pem')],
      { encoding: 'utf8' },
    );
    expect(`${checked.stdout}${checked.stderr}`).toMatch(/Response verify OK/);
    expect(checked.stdout).toMatch(/leaf\.pem: revoked/);
  });
});
