// Synchronous, pure reading of a certificate revocation list (RFC 5280 section 5) and checking who signed it.

import { X509Certificate as NodeCertificate, constants, verify, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, CRLReason, CRLReasons, Certificate, CertificateList, type AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { formatName } from './distinguished-name.js';
import { HASH_ALGORITHMS, OID, SIGNATURE_ALGORITHMS } from './oids.js';
import { derFrom } from './pem.js';

export interface CrlEntry {
  /** Upper-case hex, as CertificateInfo.serialNumber. */
  readonly serialNumber: string;
  /** ISO 8601. */
  readonly revocationDate: string;
  /** RFC 5280 5.3.1 reason name (keyCompromise, superseded...); absent when the entry gives none. */
  readonly reason?: string;
}

export interface CrlInfo {
  /** RFC 4514, as CertificateInfo.issuer. */
  readonly issuer: string;
  /** ISO 8601. */
  readonly thisUpdate: string;
  /** Absent only in a non-conforming CRL; RFC 5280 requires it. */
  readonly nextUpdate?: string;
  /** The CRL number, decimal, when the CRL carries one. */
  readonly crlNumber?: string;
  /** 'sha256WithRSAEncryption'..., or the OID. */
  readonly signatureAlgorithm: string;
  readonly entries: readonly CrlEntry[];
}

const CRL_REASON_OID = '2.5.29.21';

/** Parses a CRL given as DER bytes, base64 DER, or PEM (X509 CRL); throws an Error naming what is wrong. */
export function parseCrl(input: string | Uint8Array): CrlInfo {
  const der = derFrom(input, 'X509 CRL');
  let list: CertificateList;
  try {
    list = AsnConvert.parse(der, CertificateList);
  } catch (error) {
    throw new Error(`not a certificate revocation list (${der.length} bytes): ${(error as Error).message}`);
  }
  const tbs = list.tbsCertList;
  const crlNumber = tbs.crlExtensions?.find((extension) => extension.extnID === OID.crlNumber);
  return {
    issuer: formatName(tbs.issuer),
    thisUpdate: tbs.thisUpdate.getTime().toISOString(),
    ...(tbs.nextUpdate ? { nextUpdate: tbs.nextUpdate.getTime().toISOString() } : {}),
    ...(crlNumber ? { crlNumber: readCrlNumber(crlNumber.extnValue.buffer) } : {}),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[list.signatureAlgorithm.algorithm]?.name ?? list.signatureAlgorithm.algorithm,
    entries: (tbs.revokedCertificates ?? []).map((entry) => {
      const reason = entry.crlEntryExtensions?.find((extension) => extension.extnID === CRL_REASON_OID);
      return {
        serialNumber: serialHex(entry.userCertificate),
        revocationDate: entry.revocationDate.getTime().toISOString(),
        ...(reason ? { reason: reasonName(AsnConvert.parse(reason.extnValue.buffer, CRLReason).reason) } : {}),
      };
    }),
  };
}

/** The entry for a certificate serial (hex, any case, leading zeros ignored), or undefined when it is not listed. */
export function findRevoked(crl: CrlInfo, serialNumber: string): CrlEntry | undefined {
  const wanted = normalizeSerial(serialNumber);
  return crl.entries.find((entry) => normalizeSerial(entry.serialNumber) === wanted);
}

/** Whether the CRL's signature verifies with the public key of this certificate (base64 DER or PEM) and names it as issuer. */
export function crlSignedBy(crlInput: string | Uint8Array, issuerCertificate: string | Uint8Array): boolean {
  let list: CertificateList;
  let issuer: NodeCertificate;
  try {
    list = AsnConvert.parse(derFrom(crlInput, 'X509 CRL'), CertificateList);
    issuer = new NodeCertificate(derFrom(issuerCertificate, 'CERTIFICATE'));
  } catch {
    return false;
  }
  const tbs = list.tbsCertListRaw;
  if (!tbs) return false;
  // Names first: a key that happens to verify does not make another CA the CRL's issuer.
  if (!sameName(formatName(list.tbsCertList.issuer), subjectOf(issuer))) return false;
  return verifySignedData(list.signatureAlgorithm, new Uint8Array(tbs), new Uint8Array(list.signature), issuer.publicKey);
}

/**
 * Verifies an X.509-style signature (CRLs, OCSP responses): RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA, Ed25519/Ed448.
 * False for an algorithm or key OpenSSL cannot use, never a throw.
 */
export function verifySignedData(
  algorithm: AlgorithmIdentifier,
  data: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
): boolean {
  try {
    const oid = algorithm.algorithm;
    if (oid === OID.rsaSsaPss) {
      const params = algorithm.parameters ? AsnConvert.parse(algorithm.parameters, RsaSaPssParams) : new RsaSaPssParams();
      const hash = nodeHash(HASH_ALGORITHMS[params.hashAlgorithm.algorithm]);
      if (!hash) return false;
      return verify(hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
    }
    const known = SIGNATURE_ALGORITHMS[oid];
    if (!known) return false;
    // Ed25519 and Ed448 hash internally: Node takes null for them.
    return verify(known.hash === null ? null : (nodeHash(known.hash) ?? null), data, publicKey, signature);
  } catch {
    return false;
  }
}

/** Upper-case hex of whole bytes without leading zero bytes: `00A1`, `a1` and `0A1` are the same serial. */
export function normalizeSerial(serial: string): string {
  const digits = serial.toUpperCase().replace(/^0+/, '');
  if (digits === '') return '00';
  return digits.length % 2 === 1 ? `0${digits}` : digits;
}

/** RFC 4514 names compare equal after RFC 4518's case and space folding, which is what differs in practice. */
export function sameName(a: string, b: string): boolean {
  const prepare = (name: string): string => name.toLowerCase().replace(/\s+/g, ' ');
  return prepare(a) === prepare(b);
}

// Formatted by the same code as CertificateInfo.subject, so the comparison is like for like.
function subjectOf(certificate: NodeCertificate): string {
  return formatName(AsnConvert.parse(certificate.raw, Certificate).tbsCertificate.subject);
}

function serialHex(bytes: ArrayBuffer): string {
  const hex = Buffer.from(bytes).toString('hex').toUpperCase();
  return normalizeSerial(hex === '' ? '00' : hex);
}

function readCrlNumber(value: ArrayBuffer): string {
  const number = AsnConvert.parse(value, CRLNumber).value;
  return typeof number === 'number' ? String(number) : BigInt(`0x${Buffer.from(number).toString('hex') || '0'}`).toString();
}

function reasonName(reason: CRLReasons): string {
  return CRLReasons[reason] ?? `reason ${reason}`;
}

function nodeHash(hash: string | undefined): string | undefined {
  return hash === undefined ? undefined : hash.toLowerCase().replace('-', '');
}

