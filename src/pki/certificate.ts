// Synchronous, pure parsing of one X.509 certificate into the plain facts the checks and `cert inspect` read.

import { X509Certificate as NodeCertificate, createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  SubjectKeyIdentifier,
  type AlgorithmIdentifier,
} from '@peculiar/asn1-x509';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { attributeValues, formatName } from './distinguished-name.js';
import {
  CURVE_NAMES,
  EXTENDED_KEY_USAGES,
  EXTENDED_KEY_USAGE_OIDS,
  HASH_ALGORITHMS,
  OID,
  SIGNATURE_ALGORITHMS,
  type HashName,
} from './oids.js';
import { pemBlocks } from './pem.js';
import { NO_SUBJECT_ALT_NAMES, readSubjectAltNames, type SubjectAltNames } from './subject-alt-names.js';

export type { SubjectAltNames } from './subject-alt-names.js';

export interface PublicKeyInfo {
  readonly type: 'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown';
  /** The SubjectPublicKeyInfo algorithm OID, for a type fedcheck does not name. */
  readonly oid: string;
  /** RSA and DSA: the modulus size; EC: the curve size. */
  readonly bits?: number;
  /** EC: 'P-256', 'P-384', 'P-521' or OpenSSL's name for another curve. */
  readonly curve?: string;
}

export interface SignatureAlgorithmInfo {
  /** 'sha256WithRSAEncryption', 'sha1WithRSAEncryption', 'RSASSA-PSS', 'ecdsa-with-SHA256'...; the OID when unknown. */
  readonly name: string;
  readonly oid: string;
  /** The digest signed; null for Ed25519/Ed448 and unknown algorithms. */
  readonly hash: HashName | null;
  readonly pss: boolean;
}

export interface ExtendedKeyUsageInfo {
  readonly oids: readonly string[];
  /** Parallel to oids: 'serverAuth', 'clientAuth'..., or the OID when fedcheck has no name for it. */
  readonly names: readonly string[];
}

export interface CertificateInfo {
  readonly version: number;
  /** RFC 4514, most specific first: `CN=sip.example.com,O=Example,C=US`. */
  readonly subject: string;
  readonly subjectCommonNames: readonly string[];
  readonly issuer: string;
  /** Upper-case hex, as Windows and Node print it. */
  readonly serialNumber: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Subject and issuer names are the same. */
  readonly selfIssued: boolean;
  /** The signature verifies with the certificate's own key. */
  readonly selfSigned: boolean;
  readonly sans: SubjectAltNames;
  /** null when the extension is absent, which RFC 5280 reads as "any purpose". */
  readonly extendedKeyUsage: ExtendedKeyUsageInfo | null;
  /** 'digitalSignature', 'keyEncipherment', 'keyCertSign', 'cRLSign'...; null when the extension is absent. */
  readonly keyUsage: readonly string[] | null;
  readonly isCa: boolean;
  readonly pathLength?: number;
  readonly publicKey: PublicKeyInfo;
  readonly signatureAlgorithm: SignatureAlgorithmInfo;
  /** The URIs of every distribution point (http and ldap). */
  readonly crlDistributionPoints: readonly string[];
  readonly aia: { readonly caIssuers: readonly string[]; readonly ocsp: readonly string[] };
  /** Upper-case hex. */
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  /** Upper-case colon-separated hex, as OpenSSL and Windows print them. */
  readonly fingerprints: { readonly sha1: string; readonly sha256: string };
  /** The certificate itself, base64 DER. */
  readonly der: string;
}

// Bounded so a long nightly run over many partners cannot grow it without limit.
const CACHE_LIMIT = 1000;
const cache = new Map<string, CertificateInfo>();

/** Parses a certificate given as base64 DER, a DER buffer, or PEM text; throws an Error naming what is wrong. */
export function parseCertificate(input: string | Uint8Array): CertificateInfo {
  const der = toDer(input);
  const key = createHash('sha256').update(der).digest('hex');
  const cached = cache.get(key);
  if (cached) return cached;
  let info: CertificateInfo;
  try {
    info = deepFreeze(readCertificate(der));
  } catch (error) {
    // Garbage and a certificate with a malformed extension alike: one line naming what was wrong.
    throw new Error(`not an X.509 certificate (${der.length} bytes): ${(error as Error).message}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, info);
  return info;
}

/** Whole days from `now` until the certificate expires; negative once it has. */
export function daysUntilExpiry(info: CertificateInfo, now: Date): number {
  return Math.floor((Date.parse(info.notAfter) - now.getTime()) / 86_400_000);
}

/** Whether the certificate may be used for a purpose: no EKU extension, the purpose listed, or anyExtendedKeyUsage. */
export function allowsPurpose(info: CertificateInfo, purpose: keyof typeof EXTENDED_KEY_USAGE_OIDS): boolean {
  const eku = info.extendedKeyUsage;
  return eku === null || eku.names.includes(purpose) || eku.names.includes('anyExtendedKeyUsage');
}

function toDer(input: string | Uint8Array): Buffer {
  if (typeof input !== 'string') return Buffer.from(input);
  if (input.includes('-----BEGIN')) {
    const [first] = pemBlocks(input, 'CERTIFICATE');
    if (!first) throw new Error('not a certificate: the PEM text holds no CERTIFICATE block');
    return first;
  }
  return Buffer.from(input, 'base64');
}

function readCertificate(der: Buffer): CertificateInfo {
  const asn = AsnConvert.parse(der, Certificate);
  const node = new NodeCertificate(der);
  const tbs = asn.tbsCertificate;
  const extensions = [...(tbs.extensions ?? [])];
  const extensionValue = (oid: string): ArrayBuffer | undefined =>
    extensions.find((extension) => extension.extnID === oid)?.extnValue.buffer;

  const subject = formatName(tbs.subject);
  const issuer = formatName(tbs.issuer);
  const sanValue = extensionValue(OID.subjectAltName);
  const basicConstraints = parseExtension(extensionValue(OID.basicConstraints), BasicConstraints);
  const subjectKeyId = parseExtension(extensionValue(OID.subjectKeyIdentifier), SubjectKeyIdentifier);
  const authorityKeyId = parseExtension(extensionValue(OID.authorityKeyIdentifier), AuthorityKeyIdentifier)
    ?.keyIdentifier;

  return {
    version: tbs.version + 1,
    subject,
    subjectCommonNames: attributeValues(tbs.subject, OID.commonName),
    issuer,
    serialNumber: node.serialNumber.toUpperCase(),
    notBefore: tbs.validity.notBefore.getTime().toISOString(),
    notAfter: tbs.validity.notAfter.getTime().toISOString(),
    selfIssued: subject === issuer,
    selfSigned: verifiesWithOwnKey(node),
    sans: sanValue ? readSubjectAltNames(sanValue) : NO_SUBJECT_ALT_NAMES,
    extendedKeyUsage: readExtendedKeyUsage(extensionValue(OID.extendedKeyUsage)),
    keyUsage: readKeyUsage(extensionValue(OID.keyUsage)),
    isCa: basicConstraints?.cA ?? false,
    ...(basicConstraints?.pathLenConstraint !== undefined ? { pathLength: basicConstraints.pathLenConstraint } : {}),
    publicKey: readPublicKey(node, tbs.subjectPublicKeyInfo.algorithm.algorithm),
    signatureAlgorithm: readSignatureAlgorithm(asn.signatureAlgorithm),
    crlDistributionPoints: readCrlDistributionPoints(extensionValue(OID.crlDistributionPoints)),
    aia: readAuthorityInfoAccess(extensionValue(OID.authorityInfoAccess)),
    ...(subjectKeyId ? { subjectKeyId: hex(subjectKeyId.buffer) } : {}),
    ...(authorityKeyId ? { authorityKeyId: hex(authorityKeyId.buffer) } : {}),
    fingerprints: { sha1: node.fingerprint, sha256: node.fingerprint256 },
    der: der.toString('base64'),
  };
}

function parseExtension<T>(value: ArrayBuffer | undefined, type: new () => T): T | undefined {
  return value ? AsnConvert.parse(value, type) : undefined;
}

function verifiesWithOwnKey(node: NodeCertificate): boolean {
  try {
    return node.verify(node.publicKey);
  } catch {
    // A key or signature algorithm OpenSSL cannot use cannot be shown to be self-signed.
    return false;
  }
}

function readExtendedKeyUsage(value: ArrayBuffer | undefined): ExtendedKeyUsageInfo | null {
  if (!value) return null;
  const oids = [...AsnConvert.parse(value, ExtendedKeyUsage)];
  return { oids, names: oids.map((oid) => EXTENDED_KEY_USAGES[oid] ?? oid) };
}

function readKeyUsage(value: ArrayBuffer | undefined): string[] | null {
  if (!value) return null;
  const bits = AsnConvert.parse(value, KeyUsage).toNumber();
  return Object.entries(KeyUsageFlags)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && (bits & entry[1]) !== 0)
    .map(([name]) => name);
}

const KEY_TYPES: Readonly<Record<string, PublicKeyInfo['type']>> = {
  '1.2.840.113549.1.1.1': 'RSA',
  [OID.rsaSsaPss]: 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
};

function readPublicKey(node: NodeCertificate, oid: string): PublicKeyInfo {
  const type = KEY_TYPES[oid] ?? 'unknown';
  let details: { modulusLength?: number; namedCurve?: string } = {};
  try {
    details = node.publicKey.asymmetricKeyDetails ?? {};
  } catch {
    // OpenSSL cannot load every key type; the type from the OID is still worth reporting.
  }
  if (details.namedCurve) {
    const curve = CURVE_NAMES[details.namedCurve] ?? details.namedCurve;
    const bits = Number(/\d+/.exec(curve)?.[0]);
    return { type, oid, curve, ...(Number.isFinite(bits) ? { bits } : {}) };
  }
  return { type, oid, ...(details.modulusLength ? { bits: details.modulusLength } : {}) };
}

function readSignatureAlgorithm(algorithm: AlgorithmIdentifier): SignatureAlgorithmInfo {
  const oid = algorithm.algorithm;
  const known = SIGNATURE_ALGORITHMS[oid];
  if (oid === OID.rsaSsaPss) {
    const params = algorithm.parameters ? AsnConvert.parse(algorithm.parameters, RsaSaPssParams) : new RsaSaPssParams();
    return { name: 'RSASSA-PSS', oid, hash: HASH_ALGORITHMS[params.hashAlgorithm.algorithm] ?? null, pss: true };
  }
  return { name: known?.name ?? oid, oid, hash: known?.hash ?? null, pss: false };
}

function readCrlDistributionPoints(value: ArrayBuffer | undefined): string[] {
  if (!value) return [];
  return [...AsnConvert.parse(value, CRLDistributionPoints)].flatMap((point) =>
    (point.distributionPoint?.fullName ?? []).flatMap((name) => name.uniformResourceIdentifier ?? []),
  );
}

function readAuthorityInfoAccess(value: ArrayBuffer | undefined): CertificateInfo['aia'] {
  const access = value ? [...AsnConvert.parse(value, AuthorityInfoAccessSyntax)] : [];
  const urls = (method: string): string[] =>
    access
      .filter((description) => description.accessMethod === method)
      .flatMap((description) => description.accessLocation.uniformResourceIdentifier ?? []);
  return { caIssuers: urls(OID.caIssuers), ocsp: urls(OID.ocsp) };
}

function hex(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
