// A throw-away PKI (root, intermediate, leaves with every fault the checks look for) for the lab and the tests.

import { randomBytes, webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber } from '@peculiar/asn1-x509';
import { EXTENDED_KEY_USAGE_OIDS, OID } from './oids.js';
import { toPem } from './pem.js';
import { encodeSubjectAltNames } from './subject-alt-names.js';
import { x509 } from './x509-library.js';

export interface CertSpec {
  /** Defaults to the first DNS name; with neither, the subject is empty and the SAN extension critical. */
  commonName?: string;
  dnsNames?: string[];
  uris?: string[];
  /** SRVName otherNames, such as `_xmpp-server.example.com`. */
  srvNames?: string[];
  /** XmppAddr otherNames, such as `example.com`. */
  xmppAddrs?: string[];
  /** Default both; an empty list leaves the extension out (any purpose). OCSPSigning makes a delegated OCSP responder. */
  eku?: ('serverAuth' | 'clientAuth' | 'OCSPSigning')[];
  /** Default a day ago. */
  notBefore?: Date;
  /** Default a year from now. */
  notAfter?: Date;
  /** Default rsa2048; keys are made once per type and process, so tests stay fast. */
  key?: LeafKeyType;
  /** How the issuer signs: sha256WithRSAEncryption, sha1WithRSAEncryption or RSASSA-PSS (SHA-256). Default sha256. */
  signature?: 'sha256' | 'sha1' | 'rsa-pss';
  /** Signed with its own key instead of by the test CA. */
  selfSigned?: boolean;
  /** Default intermediate. */
  issuer?: 'intermediate' | 'root';
  /** The CRL distribution point; default none. */
  crlUrl?: string | null;
  /** AIA caIssuers and OCSP URLs; default none. */
  caIssuersUrl?: string;
  ocspUrl?: string;
  /** An extension fault OpenSSL rejects: a critical extension it does not know, the SAN twice, a keyUsage of no bits. */
  extensionFault?: 'unhandled-critical' | 'duplicate-san' | 'empty-key-usage';
}

/** A private-enterprise OID (RFC 5612's example arc) no TLS stack knows. */
const UNKNOWN_EXTENSION_OID = '1.3.6.1.4.1.32473.1';
const DER_NULL = new Uint8Array([0x05, 0x00]);

export type LeafKeyType = 'rsa1024' | 'rsa2048' | 'ec-p256';

export interface IssuedCertificate {
  certPem: string;
  /** PKCS#8. */
  keyPem: string;
  /** The intermediates, without the root; empty when issued by the root or self-signed. */
  chainPem: string;
  certDer: Buffer;
  /** Certificate then intermediates, as a server sends them. */
  fullChainPem: string;
  /** Upper-case hex, as parseCertificate reports it and crlDer takes it. */
  serialNumber: string;
}

export interface TestPki {
  rootPem: string;
  rootDer: Buffer;
  intermediatePem: string;
  intermediateDer: Buffer;
  /** The intermediate's private key (PKCS#8 PEM), for the lab's OCSP responder to sign with. */
  intermediateKeyPem: string;
  /** A CRL signed by the intermediate, valid for a week, listing these serial numbers (hex) as revoked. */
  crlDer(revokedSerials?: string[]): Promise<Buffer>;
  issue(spec: CertSpec): Promise<IssuedCertificate>;
}

const DAY = 86_400_000;
// id-kp-OCSPSigning (RFC 6960 4.2.2.2) beside the purposes fedcheck checks, for delegated responder certificates.
const LEAF_EKU_OIDS = { ...EXTENDED_KEY_USAGE_OIDS, OCSPSigning: '1.3.6.1.5.5.7.3.9' } as const;
// The salt as long as the SHA-256 digest, as RFC 8017 recommends and CAs that use PSS do.
const PSS_SHA256: RsaPssParams = { name: 'RSA-PSS', saltLength: 32 };
const subtle = webcrypto.subtle;

function rsaKeyAlgorithm(modulusLength: number): RsaHashedKeyGenParams {
  return { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
}

/** How each key type is generated and, for RSA, the PKCS#1 v1.5 / SHA-256 algorithm it signs with by default. */
const KEY_ALGORITHMS: Record<LeafKeyType, RsaHashedKeyGenParams | EcKeyGenParams> = {
  rsa1024: rsaKeyAlgorithm(1024),
  rsa2048: rsaKeyAlgorithm(2048),
  'ec-p256': { name: 'ECDSA', namedCurve: 'P-256' },
};

// RSA generation dominates a test run's time; one key per type serves every leaf of the process.
const leafKeys = new Map<LeafKeyType, Promise<CryptoKeyPair>>();

function leafKey(type: LeafKeyType): Promise<CryptoKeyPair> {
  let key = leafKeys.get(type);
  if (!key) {
    key = generateKey(type);
    leafKeys.set(type, key);
  }
  return key;
}

function generateKey(type: LeafKeyType): Promise<CryptoKeyPair> {
  return subtle.generateKey(KEY_ALGORITHMS[type], true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

/** A party that signs certificates: its name and key pair. */
interface Signer {
  name: x509.Name;
  keys: CryptoKeyPair;
}

export async function createTestPki(options: { name?: string } = {}): Promise<TestPki> {
  const organization = options.name ?? 'fedcheck Test';
  const now = Date.now();
  // Each PKI gets its own CA keys, so one PKI's certificates never verify under another's CA.
  const [rootKeys, intermediateKeys] = await Promise.all([generateKey('rsa2048'), generateKey('rsa2048')]);
  const root: Signer = { name: distinguishedName(organization, `${organization} Root CA`), keys: rootKeys };
  const intermediate: Signer = {
    name: distinguishedName(organization, `${organization} Intermediate CA`),
    keys: intermediateKeys,
  };
  const caUsages = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature;
  const rootCertificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: root.name,
    issuer: root.name,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    publicKey: root.keys.publicKey,
    signingKey: root.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(caUsages, true),
      await x509.SubjectKeyIdentifierExtension.create(root.keys.publicKey),
    ],
  });
  const intermediateCertificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: intermediate.name,
    issuer: root.name,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 1825 * DAY),
    publicKey: intermediate.keys.publicKey,
    signingKey: root.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(caUsages, true),
      await x509.SubjectKeyIdentifierExtension.create(intermediate.keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.keys.publicKey),
    ],
  });
  const intermediatePem = toPem(new Uint8Array(intermediateCertificate.rawData), 'CERTIFICATE');
  const intermediateKeyPem = toPem(new Uint8Array(await subtle.exportKey('pkcs8', intermediate.keys.privateKey)), 'PRIVATE KEY');

  return {
    rootPem: toPem(new Uint8Array(rootCertificate.rawData), 'CERTIFICATE'),
    rootDer: Buffer.from(rootCertificate.rawData),
    intermediatePem,
    intermediateDer: Buffer.from(intermediateCertificate.rawData),
    intermediateKeyPem,
    crlDer: (revokedSerials = []) => makeCrl(intermediate, revokedSerials),
    issue: async (spec) => {
      const keyType = spec.key ?? 'rsa2048';
      const keys = await leafKey(keyType);
      const subjectName = leafName(spec);
      const issuer: Signer = spec.selfSigned
        ? { name: subjectName, keys }
        : spec.issuer === 'root'
          ? root
          : intermediate;
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: randomSerial(),
        subject: subjectName,
        issuer: issuer.name,
        notBefore: spec.notBefore ?? new Date(Date.now() - DAY),
        notAfter: spec.notAfter ?? new Date(Date.now() + 365 * DAY),
        publicKey: keys.publicKey,
        signingKey: await signingKey(issuer.keys.privateKey, spec.signature ?? 'sha256'),
        ...(spec.signature === 'rsa-pss' ? { signingAlgorithm: PSS_SHA256 } : {}),
        extensions: await leafExtensions(spec, keyType, keys, issuer, subjectName),
      });
      const certDer = Buffer.from(certificate.rawData);
      const certPem = toPem(certDer, 'CERTIFICATE');
      const chainPem = spec.selfSigned || spec.issuer === 'root' ? '' : intermediatePem;
      const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
      return {
        certPem,
        keyPem: toPem(new Uint8Array(pkcs8), 'PRIVATE KEY'),
        chainPem,
        certDer,
        fullChainPem: certPem + chainPem,
        serialNumber: certificate.serialNumber.toUpperCase(),
      };
    },
  };
}

async function leafExtensions(
  spec: CertSpec,
  keyType: LeafKeyType,
  keys: CryptoKeyPair,
  issuer: Signer,
  subjectName: x509.Name,
): Promise<x509.Extension[]> {
  const eku = spec.eku ?? ['serverAuth', 'clientAuth'];
  const usages =
    keyType === 'ec-p256'
      ? x509.KeyUsageFlags.digitalSignature
      : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;
  const sanSpec = { dns: spec.dnsNames, uri: spec.uris, srvName: spec.srvNames, xmppAddr: spec.xmppAddrs };
  const hasSans = Object.values(sanSpec).some((names) => names && names.length > 0);
  const aia = {
    ...(spec.caIssuersUrl ? { caIssuers: [spec.caIssuersUrl] } : {}),
    ...(spec.ocspUrl ? { ocsp: [spec.ocspUrl] } : {}),
  };
  const san = new x509.Extension(OID.subjectAltName, subjectName.toJSON().length === 0, encodeSubjectAltNames(sanSpec));
  const fault = spec.extensionFault;
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(fault === 'empty-key-usage' ? 0 : usages, true),
    ...(eku.length > 0 ? [new x509.ExtendedKeyUsageExtension(eku.map((name) => LEAF_EKU_OIDS[name]))] : []),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    // RFC 5280 4.2.1.6: with an empty subject the names live only in the SAN extension, which is then critical.
    ...(hasSans ? [san] : []),
    ...(hasSans && fault === 'duplicate-san' ? [san] : []),
    ...(spec.crlUrl ? [new x509.CRLDistributionPointsExtension([spec.crlUrl])] : []),
    ...(aia.caIssuers || aia.ocsp ? [new x509.AuthorityInfoAccessExtension(aia)] : []),
    ...(fault === 'unhandled-critical' ? [new x509.Extension(UNKNOWN_EXTENSION_OID, true, DER_NULL)] : []),
  ];
}

/**
 * The issuer's key imported for the requested signature. WebCrypto binds the hash to an RSA key, and the generator
 * writes the signature algorithm from the key, so SHA-1 and PSS each need their own import of the same key.
 */
async function signingKey(privateKey: CryptoKey, signature: NonNullable<CertSpec['signature']>): Promise<CryptoKey> {
  if (signature === 'sha256') return privateKey;
  if (privateKey.algorithm.name !== 'RSASSA-PKCS1-v1_5') {
    throw new Error(`a ${signature} signature needs an RSA issuer key, not ${privateKey.algorithm.name}`);
  }
  const algorithm =
    signature === 'sha1' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' } : { name: 'RSA-PSS', hash: 'SHA-256' };
  return subtle.importKey('pkcs8', await subtle.exportKey('pkcs8', privateKey), algorithm, false, ['sign']);
}

async function makeCrl(issuer: Signer, revokedSerials: string[]): Promise<Buffer> {
  const now = Date.now();
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.name,
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + 7 * DAY),
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' },
    entries: revokedSerials.map((serialNumber) => ({
      serialNumber,
      revocationDate: new Date(now - 60_000),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
      // RFC 5280 5.2.3: a conforming CRL carries a number; one CRL per call, so 1 serves.
      new x509.Extension(OID.crlNumber, false, AsnConvert.serialize(new CRLNumber(1))),
    ],
  });
  return Buffer.from(crl.rawData);
}

function leafName(spec: CertSpec): x509.Name {
  const commonName = spec.commonName ?? spec.dnsNames?.[0];
  return new x509.Name(commonName === undefined ? [] : [{ CN: [commonName] }]);
}

function distinguishedName(organization: string, commonName: string): x509.Name {
  return new x509.Name([{ O: [organization] }, { CN: [commonName] }]);
}

/** 16 random bytes, positive and without a leading zero byte, so its hex is the serial every tool prints. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x10;
  return bytes.toString('hex');
}
