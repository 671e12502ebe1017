// Synchronous, pure OCSP (RFC 6960): the request for one certificate, and reading and verifying the answer.

import { X509Certificate as NodeCertificate, createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_pkix_ocsp_basic,
  type SingleResponse,
} from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, CRLReasons } from '@peculiar/asn1-x509';
import { parseCertificate, type CertificateInfo } from './certificate.js';
import { normalizeSerial, sameName, verifySignedData } from './crl.js';
import { childrenOf, contentOf, readTlv } from './der.js';
import { formatName } from './distinguished-name.js';
import { HASH_ALGORITHMS, SIGNATURE_ALGORITHMS } from './oids.js';
import { derFrom } from './pem.js';

const SHA1_OID = '1.3.14.3.2.26';
const OCSP_SIGNING_OID = '1.3.6.1.5.5.7.3.9';

export type OcspResponseStatusName =
  | 'successful'
  | 'malformedRequest'
  | 'internalError'
  | 'tryLater'
  | 'sigRequired'
  | 'unauthorized'
  | `status ${number}`;

/** The certificate a single response is about, as the responder named it. */
export interface OcspCertId {
  /** 'SHA-1', 'SHA-256'... or the OID. */
  readonly hashAlgorithm: string;
  /** Upper-case hex. */
  readonly issuerNameHash: string;
  readonly issuerKeyHash: string;
  /** Upper-case hex, as CertificateInfo.serialNumber. */
  readonly serialNumber: string;
}

export interface OcspSingleResponse {
  readonly certId: OcspCertId;
  readonly status: 'good' | 'revoked' | 'unknown';
  /** ISO 8601, for revoked. */
  readonly revocationTime?: string;
  /** RFC 5280 reason name, for revoked when the responder gives one. */
  readonly revocationReason?: string;
  readonly thisUpdate: string;
  readonly nextUpdate?: string;
}

export interface OcspResponseInfo {
  readonly responseStatus: OcspResponseStatusName;
  /** The rest is present only for a successful basic response. */
  readonly producedAt?: string;
  /** `byName: <RFC 4514>` or `byKey: <hex>`. */
  readonly responderId?: string;
  readonly signatureAlgorithm?: string;
  readonly responses: readonly OcspSingleResponse[];
  /** Certificates included to verify the signature (a delegated responder's), base64 DER. */
  readonly certificates: readonly string[];
}

/** Who signed a response, and whether the signature holds. */
export type OcspSignatureCheck =
  | { readonly valid: true; readonly signer: 'issuer' | 'delegated'; readonly signerSubject: string }
  | { readonly valid: false; readonly problem: string };

/**
 * The DER OCSPRequest for `leaf`, issued by `issuer` (each base64 DER, PEM or DER bytes): one SHA-1 CertID, as every
 * responder accepts, no nonce (responders that pre-sign answers ignore or refuse one), unsigned.
 */
export function ocspRequestDer(leaf: string | Uint8Array, issuer: string | Uint8Array): Buffer {
  const issuerParts = certificateParts(derFrom(issuer, 'CERTIFICATE'));
  const leafParts = certificateParts(derFrom(leaf, 'CERTIFICATE'));
  const certId = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1_OID, parameters: null }),
    issuerNameHash: new OctetString(digest('SHA-1', issuerParts.subject)),
    issuerKeyHash: new OctetString(digest('SHA-1', issuerParts.publicKey)),
    serialNumber: arrayBuffer(leafParts.serial),
  });
  const request = new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }) });
  return Buffer.from(AsnConvert.serialize(request));
}

/** Reads an OCSPResponse (DER bytes or base64); throws an Error naming what is wrong. */
export function parseOcspResponse(input: string | Uint8Array): OcspResponseInfo {
  return readResponse(input).info;
}

/** The single response about `leaf` from `issuer`, matched by serial and the issuer's name and key hashes. */
export function responseFor(
  info: OcspResponseInfo,
  leaf: string | Uint8Array,
  issuer: string | Uint8Array,
): OcspSingleResponse | undefined {
  const serial = normalizeSerial(Buffer.from(certificateParts(derFrom(leaf, 'CERTIFICATE')).serial).toString('hex'));
  return info.responses.find((single) => {
    const hash = hashName(single.certId.hashAlgorithm);
    if (!hash || normalizeSerial(single.certId.serialNumber) !== serial) return false;
    const expected = issuerHashes(issuer, hash);
    return single.certId.issuerNameHash === expected.nameHash && single.certId.issuerKeyHash === expected.keyHash;
  });
}

/** A CertID's issuer hashes (upper-case hex): of the issuer's subject DER and of its public key bits. */
export function issuerHashes(issuer: string | Uint8Array, hash = 'SHA-1'): { nameHash: string; keyHash: string } {
  const parts = certificateParts(derFrom(issuer, 'CERTIFICATE'));
  return {
    nameHash: digest(hash, parts.subject).toString('hex').toUpperCase(),
    keyHash: digest(hash, parts.publicKey).toString('hex').toUpperCase(),
  };
}

/**
 * Verifies the response's signature (RFC 6960 4.2.2.2): by the issuer itself, or by a delegated responder whose
 * certificate is included, issued by the issuer and allowed OCSPSigning.
 */
export function verifyOcspSignature(input: string | Uint8Array, issuer: string | Uint8Array): OcspSignatureCheck {
  let read: ReturnType<typeof readResponse>;
  try {
    read = readResponse(input);
  } catch (error) {
    return { valid: false, problem: (error as Error).message };
  }
  const { basic } = read;
  if (!basic || !basic.tbsResponseDataRaw) return { valid: false, problem: `the response is not successful (${read.info.responseStatus})` };
  const data = new Uint8Array(basic.tbsResponseDataRaw);
  const signature = new Uint8Array(basic.signature);
  const issuerDer = derFrom(issuer, 'CERTIFICATE');
  const issuerNode = new NodeCertificate(issuerDer);
  const issuerInfo = parseCertificate(issuerDer);
  if (verifySignedData(basic.signatureAlgorithm, data, signature, issuerNode.publicKey)) {
    return { valid: true, signer: 'issuer', signerSubject: issuerInfo.subject };
  }
  const problems: string[] = [];
  for (const der of read.info.certificates) {
    const responder = delegatedResponder(der, issuerNode, issuerInfo);
    if ('problem' in responder) {
      problems.push(responder.problem);
      continue;
    }
    if (verifySignedData(basic.signatureAlgorithm, data, signature, responder.node.publicKey)) {
      return { valid: true, signer: 'delegated', signerSubject: responder.info.subject };
    }
    problems.push(`the signature does not verify with the key of ${responder.info.subject}`);
  }
  const tried = problems.length > 0 ? `; included certificates: ${problems.join('; ')}` : '; the response includes no responder certificate';
  return { valid: false, problem: `the signature does not verify with the key of the issuer ${issuerInfo.subject}${tried}` };
}

/** A response status code's RFC 6960 name. */
export function responseStatusName(status: number): OcspResponseStatusName {
  const name = OCSPResponseStatus[status];
  return name === undefined ? `status ${status}` : (name as OcspResponseStatusName);
}

function delegatedResponder(
  der: string,
  issuerNode: NodeCertificate,
  issuerInfo: CertificateInfo,
): { node: NodeCertificate; info: CertificateInfo } | { problem: string } {
  let info: CertificateInfo;
  let node: NodeCertificate;
  try {
    info = parseCertificate(der);
    node = new NodeCertificate(Buffer.from(der, 'base64'));
  } catch (error) {
    return { problem: `an unreadable certificate (${(error as Error).message})` };
  }
  // RFC 6960 4.2.2.2: the responder must be issued directly by the CA that issued the certificate in question.
  if (!sameName(info.issuer, issuerInfo.subject) || !safeVerify(node, issuerNode)) {
    return { problem: `${info.subject} is not issued by ${issuerInfo.subject}` };
  }
  if (!info.extendedKeyUsage?.oids.includes(OCSP_SIGNING_OID)) {
    return { problem: `${info.subject} is not allowed to sign OCSP responses (no OCSPSigning extended key usage)` };
  }
  return { node, info };
}

function safeVerify(subject: NodeCertificate, issuer: NodeCertificate): boolean {
  try {
    return subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function readResponse(input: string | Uint8Array): { info: OcspResponseInfo; basic?: BasicOCSPResponse } {
  const der = typeof input === 'string' ? Buffer.from(input, 'base64') : Buffer.from(input);
  let response: OCSPResponse;
  try {
    response = AsnConvert.parse(der, OCSPResponse);
  } catch (error) {
    throw new Error(`not an OCSP response (${der.length} bytes): ${(error as Error).message}`);
  }
  const responseStatus = responseStatusName(response.responseStatus);
  if (response.responseStatus !== OCSPResponseStatus.successful) return { info: { responseStatus, responses: [], certificates: [] } };
  const bytes = response.responseBytes;
  if (!bytes) throw new Error('a successful OCSP response without responseBytes');
  if (bytes.responseType !== id_pkix_ocsp_basic) throw new Error(`an OCSP response of the unsupported type ${bytes.responseType}`);
  let basic: BasicOCSPResponse;
  try {
    basic = AsnConvert.parse(bytes.response.buffer, BasicOCSPResponse);
  } catch (error) {
    throw new Error(`a malformed basic OCSP response: ${(error as Error).message}`);
  }
  const data = basic.tbsResponseData;
  const responder = data.responderID;
  const statuses = basic.tbsResponseDataRaw ? certStatusTags(new Uint8Array(basic.tbsResponseDataRaw)) : [];
  const info: OcspResponseInfo = {
    responseStatus,
    producedAt: data.producedAt.toISOString(),
    ...(responder.byName
      ? { responderId: `byName: ${formatName(responder.byName)}` }
      : responder.byKey
        ? { responderId: `byKey: ${hex(responder.byKey.buffer)}` }
        : {}),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[basic.signatureAlgorithm.algorithm]?.name ?? basic.signatureAlgorithm.algorithm,
    responses: data.responses.map((single, index) => readSingle(single, statuses[index])),
    certificates: (basic.certs ?? []).map((certificate) => Buffer.from(AsnConvert.serialize(certificate)).toString('base64')),
  };
  return { info, basic };
}

function readSingle(single: SingleResponse, tag: number | undefined): OcspSingleResponse {
  const { certID, certStatus } = single;
  const hashOid = certID.hashAlgorithm.algorithm;
  // good and unknown are both NULL: the CHOICE's tag ([0], [1], [2]) is what tells them apart.
  const status = tag === 0x80 ? 'good' : tag === 0xa1 || certStatus.revoked ? 'revoked' : tag === 0x82 ? 'unknown' : undefined;
  if (status === undefined) throw new Error('a single OCSP response with an unreadable certificate status');
  const revoked = certStatus.revoked;
  return {
    certId: {
      hashAlgorithm: HASH_ALGORITHMS[hashOid] ?? hashOid,
      issuerNameHash: hex(certID.issuerNameHash.buffer),
      issuerKeyHash: hex(certID.issuerKeyHash.buffer),
      serialNumber: normalizeSerial(hex(certID.serialNumber)),
    },
    status,
    ...(status === 'revoked' && revoked ? { revocationTime: revoked.revocationTime.toISOString() } : {}),
    ...(status === 'revoked' && revoked?.revocationReason
      ? { revocationReason: CRLReasons[revoked.revocationReason.reason] ?? `reason ${revoked.revocationReason.reason}` }
      : {}),
    thisUpdate: single.thisUpdate.toISOString(),
    ...(single.nextUpdate ? { nextUpdate: single.nextUpdate.toISOString() } : {}),
  };
}

/** The tag of each SingleResponse's certStatus, in order, read from the ResponseData DER. */
function certStatusTags(der: Uint8Array): number[] {
  // ResponseData: [0] version?, responderID, producedAt, responses SEQUENCE OF SingleResponse, [1] extensions?
  const fields = childrenOf(der, readTlv(der, 0));
  const responses = fields.find((field, index) => index > 0 && field.tag === 0x30 && fields[index - 1]?.tag === 0x18);
  if (!responses) return [];
  // SingleResponse: certID SEQUENCE, certStatus CHOICE, thisUpdate...
  return childrenOf(der, responses).map((single) => childrenOf(der, single)[1]?.tag ?? -1);
}

/** The exact DER of the subject Name, the public key's BIT STRING contents, and the serial's INTEGER contents. */
function certificateParts(der: Buffer): { subject: Uint8Array; publicKey: Uint8Array; serial: Uint8Array } {
  try {
    const [tbs] = childrenOf(der, readTlv(der, 0));
    if (!tbs) throw new Error('no TBSCertificate');
    const fields = childrenOf(der, tbs);
    // An explicit [0] version comes first in v2 and v3 certificates.
    const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
    const serial = fields[offset];
    const subject = fields[offset + 4];
    const spki = fields[offset + 5];
    if (!serial || !subject || !spki) throw new Error('a TBSCertificate with missing fields');
    const bitString = childrenOf(der, spki)[1];
    if (!bitString || bitString.tag !== 0x03) throw new Error('no subject public key');
    return {
      serial: contentOf(der, serial),
      subject: der.subarray(subject.start, subject.end),
      // The first content byte of a BIT STRING counts unused bits; the key hash covers the bits that follow it.
      publicKey: contentOf(der, bitString).subarray(1),
    };
  } catch (error) {
    throw new Error(`not an X.509 certificate (${der.length} bytes): ${(error as Error).message}`);
  }
}

function hashName(name: string): string | undefined {
  return /^SHA-(1|224|256|384|512)$/.test(name) ? name : undefined;
}

function digest(hash: string, data: Uint8Array): Buffer {
  return createHash(hash.toLowerCase().replace('-', '')).update(data).digest();
}

function hex(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

