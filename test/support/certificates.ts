// Real certificates for the TLS, SIP and XMPP check cases, from one throw-away test PKI made once per test process.
// Case files `await testCertificates()` at top level; every certificate is base64 DER, as TlsSession holds them.

import { webcrypto } from 'node:crypto';
import { parseCertificate } from '../../src/pki/certificate.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import type { CertSpec, TestPki } from '../../src/pki/test-ca.js';
import { x509 } from '../../src/pki/x509-library.js';
import { TEST_DOMAIN } from './check-tester.js';

const DAY = 86_400_000;

/** Where the leaves' AIA caIssuers points; cases put the intermediate (or the root) there with `.http()`. */
export const AIA_URL = 'http://pki.example.net/intermediate.cer';
export const CRL_URL = 'http://pki.example.net/intermediate.crl';

const EDGE_HOST = `sip.${TEST_DOMAIN}`;
const XMPP_HOST = `xmpp.${TEST_DOMAIN}`;

export interface TestCertificates {
  pki: TestPki;
  /**
   * The clock certificate cases judge at: the PKI's CA certificates are valid from a day before they were made,
   * so cases set `now: certs.now` instead of the tester's fixed TEST_NOW.
   */
  now: Date;
  root: string;
  intermediate: string;
  /** The root's subject, for expectations. */
  rootSubject: string;
  intermediateSubject: string;
  /** Leaf certificates by what is special about them (base64 DER). */
  leaves: Record<LeafName, string>;
  /** A second hierarchy whose intermediate expired three days ago. */
  expiredIntermediateChain: HandBuiltChain;
  /** A third whose intermediate the root signed with SHA-1. */
  sha1IntermediateChain: HandBuiltChain;
  /** A fourth whose intermediate expires in ten days, before its leaf. */
  soonIntermediateChain: HandBuiltChain;
}

/** Root, intermediate and an Edge leaf (sip.example.com, example.com), base64 DER, built without the test PKI. */
export interface HandBuiltChain {
  root: string;
  intermediate: string;
  leaf: string;
  intermediateSubject: string;
}

/** Every leaf the cases use, with the fault it carries. */
const LEAF_SPECS = (now: number) =>
  ({
    /** A Lync Access Edge done right: CN and first SAN the Edge FQDN, the SIP domain, a CRL, both EKUs, AIA. */
    edge: { commonName: EDGE_HOST, dnsNames: [EDGE_HOST, TEST_DOMAIN], crlUrl: CRL_URL, caIssuersUrl: AIA_URL },
    /** The SIP domain as a sip: URI only, Edge as dNSName. */
    edgeWithUri: { commonName: EDGE_HOST, dnsNames: [EDGE_HOST], uris: [`sip:${TEST_DOMAIN}`], crlUrl: CRL_URL },
    /** The domain named, the Edge FQDN not: partners that match the SRV target fail. */
    domainOnly: { commonName: TEST_DOMAIN, dnsNames: [TEST_DOMAIN], crlUrl: CRL_URL },
    /** The Edge named only as the second SAN. */
    edgeNotFirst: { commonName: EDGE_HOST, dnsNames: [TEST_DOMAIN, EDGE_HOST], crlUrl: CRL_URL },
    /** The CN is some other host; the SANs are right. */
    otherCn: { commonName: `webconf.${TEST_DOMAIN}`, dnsNames: [EDGE_HOST, TEST_DOMAIN], crlUrl: CRL_URL },
    /** `*.example.com`: names the Edge, not the domain; Lync does not accept it for the Access Edge. */
    wildcard: { commonName: `*.${TEST_DOMAIN}`, dnsNames: [`*.${TEST_DOMAIN}`], crlUrl: CRL_URL },
    /** The Edge FQDN in the CN, beside a dNSName for the domain only: RFC 6125 6.4.4 leaves the CN unread. */
    edgeCnBesideSans: { commonName: EDGE_HOST, dnsNames: [TEST_DOMAIN], crlUrl: CRL_URL },
    /** The Edge FQDN in the CN only, no SAN extension. */
    edgeCnOnly: { commonName: EDGE_HOST, crlUrl: CRL_URL },
    /** Names neither the Edge nor the domain. */
    wrongName: { commonName: 'edge.other.example.net', dnsNames: ['edge.other.example.net'], crlUrl: CRL_URL },
    /** A hosting provider's Edge (Microsoft 365), whose layout is not Lync's on-premises rule. */
    hosted: { commonName: 'sipdir.online.lync.com', dnsNames: ['sipdir.online.lync.com', 'sipfed.online.lync.com'] },
    /** XMPP done right: the domain as DNS-ID, the host too. */
    xmppDomain: { dnsNames: [TEST_DOMAIN, XMPP_HOST] },
    /** XMPP: the domain as SRV-ID only. */
    xmppSrvId: { commonName: XMPP_HOST, srvNames: [`_xmpp-server.${TEST_DOMAIN}`] },
    /** XMPP: the domain as XmppAddr only. */
    xmppAddr: { commonName: XMPP_HOST, xmppAddrs: [TEST_DOMAIN] },
    /** XMPP: the domain in the CN only. */
    xmppCnOnly: { commonName: TEST_DOMAIN },
    /** XMPP: the SRV target host, not the domain. */
    xmppHostOnly: { dnsNames: [XMPP_HOST] },
    /** XMPP: the domain in the CN, beside a DNS-ID for another name (RFC 6125 6.4.4: the CN is then not looked at). */
    xmppCnBesideSans: { commonName: TEST_DOMAIN, dnsNames: [XMPP_HOST] },
    /** A wildcard inside the left-most label (`chat*.example.com`), which RFC 6125 6.4.3 does not let match. */
    partialWildcard: { commonName: XMPP_HOST, dnsNames: [`chat*.${TEST_DOMAIN}`] },
    expired: { ...edgeSpec(), notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 3 * DAY) },
    notYetValid: { ...edgeSpec(), notBefore: new Date(now + 5 * DAY), notAfter: new Date(now + 400 * DAY) },
    expiresSoon: { ...edgeSpec(), notBefore: new Date(now - 300 * DAY), notAfter: new Date(now + 10 * DAY + 2 * 3_600_000) },
    selfSigned: { ...edgeSpec(), selfSigned: true },
    /** Issued straight by the root: the chain is the leaf alone below the root. */
    rootIssued: { ...edgeSpec(), issuer: 'root' },
    rsa1024: { ...edgeSpec(), key: 'rsa1024' },
    sha1: { ...edgeSpec(), signature: 'sha1' },
    pss: { ...edgeSpec(), signature: 'rsa-pss' },
    ecdsa: { ...edgeSpec(), key: 'ec-p256' },
    noCrl: { ...edgeSpec(), crlUrl: null },
    unhandledCritical: { ...edgeSpec(), extensionFault: 'unhandled-critical' },
    duplicateSan: { ...edgeSpec(), extensionFault: 'duplicate-san' },
    emptyKeyUsage: { ...edgeSpec(), extensionFault: 'empty-key-usage' },
    serverAuthOnly: { ...edgeSpec(), eku: ['serverAuth'] },
    clientAuthOnly: { ...edgeSpec(), eku: ['clientAuth'] },
    /** No EKU extension: any purpose (RFC 5280). */
    anyPurpose: { ...edgeSpec(), eku: [] },
    /** Our own client certificate for --client-cert, with and without clientAuth. */
    client: { commonName: 'fedcheck.example.net', dnsNames: ['fedcheck.example.net'], eku: ['serverAuth', 'clientAuth'] },
    clientServerAuthOnly: { commonName: 'fedcheck.example.net', dnsNames: ['fedcheck.example.net'], eku: ['serverAuth'] },
  }) satisfies Record<string, CertSpec>;

export type LeafName = keyof ReturnType<typeof LEAF_SPECS>;

function edgeSpec(): CertSpec {
  return { commonName: EDGE_HOST, dnsNames: [EDGE_HOST, TEST_DOMAIN], crlUrl: CRL_URL, caIssuersUrl: AIA_URL };
}

let made: Promise<TestCertificates> | undefined;

/** The test certificates, made on first use and shared by every case file of the process. */
export function testCertificates(): Promise<TestCertificates> {
  made ??= makeCertificates();
  return made;
}

async function makeCertificates(): Promise<TestCertificates> {
  const pki = await createTestPki({ name: 'fedcheck Cases' });
  const now = Date.now();
  const specs = LEAF_SPECS(now);
  const issued = await Promise.all(
    Object.entries(specs).map(async ([name, spec]) => [name, (await pki.issue(spec)).certDer.toString('base64')] as const),
  );
  const [expiredIntermediateChain, sha1IntermediateChain, soonIntermediateChain] = await Promise.all([
    handBuiltChain('Expired Intermediate', { notBefore: new Date(now - 800 * DAY), notAfter: new Date(now - 3 * DAY), hash: 'SHA-256' }),
    handBuiltChain('SHA-1 Intermediate', { notBefore: new Date(now - DAY), notAfter: new Date(now + 800 * DAY), hash: 'SHA-1' }),
    handBuiltChain('Retiring Intermediate', { notBefore: new Date(now - 800 * DAY), notAfter: new Date(now + 10 * DAY), hash: 'SHA-256' }),
  ]);
  return {
    pki,
    expiredIntermediateChain,
    sha1IntermediateChain,
    soonIntermediateChain,
    // An hour on, so "a day ago" notBefore values stay in the past whatever the test's own duration.
    now: new Date(now + 3_600_000),
    root: pki.rootDer.toString('base64'),
    intermediate: pki.intermediateDer.toString('base64'),
    rootSubject: parseCertificate(pki.rootDer).subject,
    intermediateSubject: parseCertificate(pki.intermediateDer).subject,
    leaves: Object.fromEntries(issued) as Record<LeafName, string>,
  };
}

const subtle = webcrypto.subtle;

/**
 * A hierarchy the test PKI cannot make (its intermediate is always current and SHA-256): an RSA root signing an
 * EC intermediate with the given validity and hash, which signs an Edge leaf valid now.
 */
async function handBuiltChain(
  name: string,
  intermediateSpec: { notBefore: Date; notAfter: Date; hash: 'SHA-256' | 'SHA-1' },
): Promise<HandBuiltChain> {
  const now = Date.now();
  // WebCrypto binds the hash to an RSA key, so the root's key is made for the hash it signs the intermediate with.
  const rootAlgorithm = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: intermediateSpec.hash };
  const ecAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  const [rootKeys, intermediateKeys, leafKeys] = (await Promise.all([
    subtle.generateKey(rootAlgorithm, true, ['sign', 'verify']),
    subtle.generateKey(ecAlgorithm, true, ['sign', 'verify']),
    subtle.generateKey(ecAlgorithm, true, ['sign', 'verify']),
  ])) as CryptoKeyPair[] as [CryptoKeyPair, CryptoKeyPair, CryptoKeyPair];
  const rootName = `CN=${name} Root,O=fedcheck Cases`;
  const intermediateName = `CN=${name} CA,O=fedcheck Cases`;
  const caUsages = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: rootName,
    notBefore: new Date(now - 1000 * DAY),
    notAfter: new Date(now + 3000 * DAY),
    keys: rootKeys,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: intermediateSpec.hash },
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(caUsages, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: intermediateName,
    issuer: rootName,
    notBefore: intermediateSpec.notBefore,
    notAfter: intermediateSpec.notAfter,
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: intermediateSpec.hash },
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(caUsages, true),
      await x509.SubjectKeyIdentifierExtension.create(intermediateKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '03',
    subject: `CN=${EDGE_HOST}`,
    issuer: intermediateName,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    publicKey: leafKeys.publicKey,
    signingKey: intermediateKeys.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: EDGE_HOST },
        { type: 'dns', value: TEST_DOMAIN },
      ]),
      new x509.CRLDistributionPointsExtension([CRL_URL]),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(intermediateKeys.publicKey),
    ],
  });
  const base64 = (certificate: x509.X509Certificate) => Buffer.from(certificate.rawData).toString('base64');
  return { root: base64(root), intermediate: base64(intermediate), leaf: base64(leaf), intermediateSubject: parseCertificate(base64(intermediate)).subject };
}

/** Edge leaves from a test PKI named after a public CA: the issuer DN is all the clientAuth deadline messages read. */
export interface PublicCaLeaves {
  intermediate: string;
  serverAuthOnly: string;
  bothUsages: string;
}

let publicCas: Promise<Record<'digiCert' | 'letsEncrypt', PublicCaLeaves>> | undefined;

export function publicCaLeaves(): Promise<Record<'digiCert' | 'letsEncrypt', PublicCaLeaves>> {
  publicCas ??= (async () => {
    const [digiCert, letsEncrypt] = await Promise.all([namedCaLeaves('DigiCert Inc'), namedCaLeaves("Let's Encrypt")]);
    return { digiCert, letsEncrypt };
  })();
  return publicCas;
}

async function namedCaLeaves(organization: string): Promise<PublicCaLeaves> {
  const pki = await createTestPki({ name: organization });
  const [serverAuthOnly, bothUsages] = await Promise.all([
    pki.issue({ ...edgeSpec(), eku: ['serverAuth'] }),
    pki.issue({ ...edgeSpec(), eku: ['serverAuth', 'clientAuth'] }),
  ]);
  return {
    intermediate: pki.intermediateDer.toString('base64'),
    serverAuthOnly: serverAuthOnly.certDer.toString('base64'),
    bothUsages: bothUsages.certDer.toString('base64'),
  };
}
