import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/pki/certificate.js';
import { analyzeChain, certificateFromIssuerFetch } from '../../src/pki/chain.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../src/pki/test-ca.js';
import { x509 } from '../../src/pki/x509-library.js';

const DAY = 86_400_000;
const AIA_URL = 'http://127.0.0.1:8080/intermediate.cer';
const base64 = (der: Buffer): string => der.toString('base64');

let pki: TestPki;
let leaf: IssuedCertificate;
let workDir: string;

beforeAll(async () => {
  pki = await createTestPki({ name: 'Chain Test' });
  leaf = await pki.issue({ dnsNames: ['sip.example.com'], caIssuersUrl: AIA_URL });
  workDir = mkdtempSync(join(tmpdir(), 'fedcheck-chain-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('analyzeChain', () => {
  it('finds a chain sent as servers should send it complete when the root is a trust anchor', () => {
    const analysis = analyzeChain([base64(leaf.certDer), base64(pki.intermediateDer)], new Date(), {
      anchors: [pki.rootPem],
    });
    expect(analysis).toMatchObject({
      ordered: true,
      path: [0, 1],
      unused: [],
      end: 'anchor',
      anchor: 'CN=Chain Test Root CA,O=Chain Test',
      complete: true,
      missingIssuer: null,
      expired: [],
      notYetValid: [],
    });
    expect(analysis.links).toEqual([{ index: 0, nameMatches: true, keyIdMatches: true, signatureValid: true }]);
    expect(analysis.certificates.map((info) => info.subject)).toEqual([
      'CN=sip.example.com',
      'CN=Chain Test Intermediate CA,O=Chain Test',
    ]);
  });

  it('ends at a root that was sent', () => {
    const analysis = analyzeChain([base64(leaf.certDer), base64(pki.intermediateDer), base64(pki.rootDer)], new Date());
    expect(analysis).toMatchObject({ ordered: true, path: [0, 1, 2], end: 'root', complete: true, missingIssuer: null });
  });

  it('tells a sent root nobody here trusts (a private or unknown CA) from a sent root that is an anchor', () => {
    const chain = [base64(leaf.certDer), base64(pki.intermediateDer), base64(pki.rootDer)];
    expect(analyzeChain(chain, new Date(), { anchors: [] })).toMatchObject({ end: 'root', rootTrusted: false });
    expect(analyzeChain(chain, new Date(), { anchors: [pki.rootPem] })).toMatchObject({ end: 'root', rootTrusted: true });
    // A path that stops at an anchor, or below a missing issuer, ends at no sent root to judge.
    expect(analyzeChain(chain.slice(0, 2), new Date(), { anchors: [pki.rootPem] }).rootTrusted).toBeUndefined();
  });

  it('names the missing intermediate, its key id and where to fetch it', () => {
    const analysis = analyzeChain([base64(leaf.certDer)], new Date(), { anchors: [pki.rootPem] });
    expect(analysis.complete).toBe(false);
    expect(analysis.end).toBe('missing');
    expect(analysis.ordered).toBe(true);
    expect(analysis.missingIssuer).toEqual({
      name: 'CN=Chain Test Intermediate CA,O=Chain Test',
      authorityKeyId: parseCertificate(pki.intermediateDer).subjectKeyId,
      aiaCaIssuers: [AIA_URL],
    });
  });

  it('without trust anchors, names the root a correct chain stops below', () => {
    const analysis = analyzeChain([base64(leaf.certDer), base64(pki.intermediateDer)], new Date());
    expect(analysis.end).toBe('missing');
    expect(analysis.missingIssuer?.name).toBe('CN=Chain Test Root CA,O=Chain Test');
  });

  it('sees a chain in the wrong order and still follows the path', () => {
    const analysis = analyzeChain([base64(leaf.certDer), base64(pki.rootDer), base64(pki.intermediateDer)], new Date());
    expect(analysis.ordered).toBe(false);
    expect(analysis.links).toEqual([
      { index: 0, nameMatches: false, keyIdMatches: false, signatureValid: false },
      // The root carries no authority key id, so there is nothing to disagree with.
      { index: 1, nameMatches: false, keyIdMatches: true, signatureValid: false },
    ]);
    expect(analysis).toMatchObject({ path: [0, 2, 1], unused: [], end: 'root', complete: true });
  });

  it('lists a certificate that is not on the path and a CA from another PKI as no anchor', async () => {
    const other = await createTestPki({ name: 'Other' });
    const analysis = analyzeChain([base64(leaf.certDer), base64(other.intermediateDer)], new Date(), {
      anchors: [other.rootPem],
    });
    expect(analysis).toMatchObject({ ordered: false, path: [0], unused: [1], end: 'missing', complete: false });
    expect(analysis.links[0]).toMatchObject({ nameMatches: false, signatureValid: false });
  });

  it('stops at a trusted root instead of following a cross-signed copy of it to a retired root', async () => {
    // Let's Encrypt's long chain in miniature: the server sends the new root cross-signed by an old one it no longer
    // may rely on, while clients trust the new root itself.
    const exponent = new Uint8Array([1, 0, 1]);
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: exponent, hash: 'SHA-256' };
    const [newRoot, oldRoot] = await Promise.all([
      crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']),
      crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']),
    ]);
    const make = (subject: string, issuer: string, keys: CryptoKeyPair, signer: CryptoKey, ca: boolean) =>
      x509.X509CertificateGenerator.create({
        subject,
        issuer,
        publicKey: keys.publicKey,
        signingKey: signer,
        notBefore: new Date(Date.now() - DAY),
        extensions: [new x509.BasicConstraintsExtension(ca, undefined, true)],
      });
    const trusted = await make('CN=New Root', 'CN=New Root', newRoot, newRoot.privateKey, true);
    const crossSigned = await make('CN=New Root', 'CN=Old Root', newRoot, oldRoot.privateKey, true);
    const served = await make('CN=served.example.com', 'CN=New Root', oldRoot, newRoot.privateKey, false);
    const chain = [served, crossSigned].map((certificate) => base64(Buffer.from(certificate.rawData)));
    const analysis = analyzeChain(chain, new Date(), { anchors: [base64(Buffer.from(trusted.rawData))] });
    expect(analysis).toMatchObject({ ordered: true, path: [0], unused: [1], end: 'anchor', anchor: 'CN=New Root' });
    expect(analysis.complete).toBe(true);
  });

  it('lists expired and not yet valid elements', async () => {
    const expired = await pki.issue({
      dnsNames: ['old.example.com'],
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - 5 * DAY),
    });
    const now = new Date();
    const analysis = analyzeChain([base64(expired.certDer), base64(pki.intermediateDer)], now, { anchors: [pki.rootDer] });
    expect(analysis.complete).toBe(true);
    expect(analysis.expired).toEqual([
      {
        index: 0,
        subject: 'CN=old.example.com',
        notBefore: parseCertificate(expired.certDer).notBefore,
        notAfter: parseCertificate(expired.certDer).notAfter,
      },
    ]);
    expect(analysis.notYetValid).toEqual([]);
    const fromThePast = analyzeChain([base64(leaf.certDer)], new Date(Date.now() - 30 * DAY));
    expect(fromThePast.notYetValid.map((problem) => problem.index)).toEqual([0]);
    const inTenYears = analyzeChain([base64(leaf.certDer), base64(pki.intermediateDer)], new Date(Date.now() + 3650 * DAY));
    expect(inTenYears.expired.map((problem) => problem.index)).toEqual([0, 1]);
  });

  it('ends a self-signed certificate at itself', async () => {
    const selfSigned = await pki.issue({ dnsNames: ['self.example.com'], selfSigned: true });
    const analysis = analyzeChain([base64(selfSigned.certDer)], new Date());
    expect(analysis).toMatchObject({ path: [0], end: 'root', complete: true, missingIssuer: null });
    expect(analysis.certificates[0]?.selfSigned).toBe(true);
  });

  it('throws on an empty chain and names an element that is not a certificate', () => {
    expect(() => analyzeChain([], new Date())).toThrow('the certificate chain is empty');
    expect(() => analyzeChain([base64(leaf.certDer), 'AAAA'], new Date())).toThrow(/^chain element 1: not an X\.509/);
  });
});

describe('certificateFromIssuerFetch', () => {
  const openssl = (args: string[]): Buffer => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

  it('reads a DER certificate', () => {
    const [intermediate, ...rest] = certificateFromIssuerFetch(pki.intermediateDer, 'application/pkix-cert');
    expect(rest).toEqual([]);
    expect(intermediate?.subject).toBe('CN=Chain Test Intermediate CA,O=Chain Test');
  });

  it('reads PEM certificates', () => {
    const certificates = certificateFromIssuerFetch(Buffer.from(pki.intermediatePem + pki.rootPem));
    expect(certificates.map((info) => info.subjectCommonNames[0])).toEqual([
      'Chain Test Intermediate CA',
      'Chain Test Root CA',
    ]);
  });

  it('reads a PKCS#7 bag made by OpenSSL, in DER and in PEM, keeping each certificate byte for byte', () => {
    const bundle = join(workDir, 'bundle.pem');
    writeFileSync(bundle, pki.intermediatePem + pki.rootPem);
    const p7c = join(workDir, 'bundle.p7c');
    openssl(['crl2pkcs7', '-nocrl', '-certfile', bundle, '-outform', 'DER', '-out', p7c]);
    const fromDer = certificateFromIssuerFetch(readFileSync(p7c), 'application/pkcs7-mime');
    expect(fromDer.map((info) => info.der).sort()).toEqual([base64(pki.intermediateDer), base64(pki.rootDer)].sort());
    const fromPem = certificateFromIssuerFetch(openssl(['crl2pkcs7', '-nocrl', '-certfile', bundle]));
    expect(fromPem.map((info) => info.fingerprints.sha256)).toEqual(fromDer.map((info) => info.fingerprints.sha256));
  });

  it('completes the chain with the certificate fetched from the AIA URL', () => {
    const before = analyzeChain([base64(leaf.certDer)], new Date(), { anchors: [pki.rootPem] });
    const [fetched] = certificateFromIssuerFetch(pki.intermediateDer);
    expect(fetched?.subject).toBe(before.missingIssuer?.name);
    expect(fetched?.subjectKeyId).toBe(before.missingIssuer?.authorityKeyId);
    const after = analyzeChain([base64(leaf.certDer), fetched?.der ?? ''], new Date(), { anchors: [pki.rootPem] });
    expect(after.complete).toBe(true);
  });

  it('says what it was given when the body holds no certificate', () => {
    expect(() => certificateFromIssuerFetch(Buffer.from('<html>Not Found</html>'), 'text/html')).toThrow(
      /^the issuer download \(22 bytes, text\/html\) is not a certificate, PEM or PKCS#7 bag/,
    );
    expect(() => certificateFromIssuerFetch(Buffer.from('-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n'))).toThrow(
      /it holds no certificate/,
    );
  });
});
