// Extension faults that make OpenSSL refuse a certificate while its verify code names something else:
// Node reports an unhandled critical extension as UNSPECIFIED, and a duplicate extension or an empty keyUsage
// (OpenSSL marks the certificate invalid, so it cannot be an issuer or be verified) as an unknown issuer.

import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { DER_TAG } from './der.js';
import { OID } from './oids.js';

/**
 * The extensions OpenSSL 3 acts on when critical (X509_supported_extension in crypto/x509/v3_purp.c): any other
 * critical extension fails verification with X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION.
 */
const OPENSSL_HANDLED: Readonly<Record<string, string>> = {
  '2.16.840.1.113730.1.1': 'netscapeCertType',
  [OID.keyUsage]: 'keyUsage',
  [OID.subjectAltName]: 'subjectAltName',
  [OID.basicConstraints]: 'basicConstraints',
  '2.5.29.32': 'certificatePolicies',
  [OID.extendedKeyUsage]: 'extendedKeyUsage',
  '2.5.29.36': 'policyConstraints',
  '1.3.6.1.5.5.7.1.14': 'proxyCertInfo',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.33': 'policyMappings',
  '2.5.29.54': 'inhibitAnyPolicy',
  '1.3.6.1.5.5.7.1.7': 'ipAddrBlocks',
  '1.3.6.1.5.5.7.1.8': 'autonomousSysIds',
};

const KNOWN_NAMES: Readonly<Record<string, string>> = {
  ...OPENSSL_HANDLED,
  [OID.crlDistributionPoints]: 'cRLDistributionPoints',
  [OID.authorityInfoAccess]: 'authorityInfoAccess',
  [OID.subjectKeyIdentifier]: 'subjectKeyIdentifier',
  [OID.authorityKeyIdentifier]: 'authorityKeyIdentifier',
};

const nameOf = (oid: string): string => (KNOWN_NAMES[oid] ? `${KNOWN_NAMES[oid]} (${oid})` : oid);

/** Each defect in words, such as "a duplicate extension subjectAltName (2.5.29.17)"; [] for none or unreadable DER. */
export function extensionDefects(der: Uint8Array): string[] {
  let extensions: Certificate['tbsCertificate']['extensions'];
  try {
    extensions = AsnConvert.parse(der, Certificate).tbsCertificate.extensions;
  } catch {
    // An unreadable certificate is reported as such by the certificate reader; it has no extensions to judge.
    return [];
  }
  const defects: string[] = [];
  const seen = new Set<string>();
  for (const extension of extensions ?? []) {
    const oid = extension.extnID;
    if (seen.has(oid)) defects.push(`a duplicate extension ${nameOf(oid)}`);
    seen.add(oid);
    if (extension.critical && OPENSSL_HANDLED[oid] === undefined) defects.push(`an unhandled critical extension ${nameOf(oid)}`);
    if (oid === OID.keyUsage && keyUsageIsEmpty(extension.extnValue.buffer)) defects.push('an empty keyUsage (no usage bit set)');
  }
  return defects;
}

/** A KeyUsage BIT STRING (tag, length, unused-bit count, then the bits) with no bit set, or with no bits at all. */
function keyUsageIsEmpty(value: ArrayBuffer): boolean {
  const bytes = new Uint8Array(value);
  if (bytes[0] !== DER_TAG.bitString || bytes.length < 3 || (bytes[1] ?? 0) >= 0x80) return false;
  return bytes.subarray(3).every((byte) => byte === 0);
}
