// The lab's OCSP responder (RFC 6960): answers POSTed requests for the test CA's certificates, signed by the
// intermediate itself or by a delegated responder, so revocation checks run without the internet.

import { sign } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  CertStatus,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, CRLReason, CRLReasons, Certificate } from '@peculiar/asn1-x509';
import { normalizeSerial } from '../pki/crl.js';
import { issuerHashes } from '../pki/ocsp.js';
import type { PostHandler } from './http-server.js';

export type OcspAnswer =
  | { status: 'good' }
  | { status: 'revoked'; time: Date; reason?: CRLReasons }
  | { status: 'unknown' };

export interface OcspResponderOptions {
  /** The CA whose certificates are answered for (DER); requests naming another issuer get 'unknown'. */
  issuerDer: Buffer;
  /** The key that signs: the issuer's, or a delegated responder's (PKCS#8 PEM). */
  signerKeyPem: string;
  /** A delegated responder's certificate (DER), included in the response; absent when the issuer signs. */
  signerCertificateDer?: Buffer;
  /** The answer for a serial number (upper-case hex, as parseCertificate reports it). */
  statusOf(serialNumber: string): OcspAnswer;
  /** How long an answer is valid (nextUpdate - thisUpdate); default a day. */
  validityMs?: number;
  now?: () => Date;
}

const SHA1_OID = '1.3.14.3.2.26';
const SHA256_WITH_RSA_OID = '1.2.840.113549.1.1.11';

/** The DER OCSPResponse for a DER OCSPRequest: malformedRequest when the request cannot be read. */
export function answerOcspRequest(requestDer: Uint8Array, options: OcspResponderOptions): Buffer {
  let request: OCSPRequest;
  try {
    request = AsnConvert.parse(requestDer, OCSPRequest);
  } catch {
    return ocspErrorResponse(OCSPResponseStatus.malformedRequest);
  }
  const now = wholeSeconds(options.now?.() ?? new Date());
  const nextUpdate = new Date(now.getTime() + (options.validityMs ?? 86_400_000));
  const issuer = issuerHashes(options.issuerDer);
  const responses = request.tbsRequest.requestList.map(({ reqCert }) => {
    const serial = normalizeSerial(hex(reqCert.serialNumber));
    const ours =
      reqCert.hashAlgorithm.algorithm === SHA1_OID &&
      hex(reqCert.issuerNameHash.buffer) === issuer.nameHash &&
      hex(reqCert.issuerKeyHash.buffer) === issuer.keyHash;
    const answer: OcspAnswer = ours ? options.statusOf(serial) : { status: 'unknown' };
    return new SingleResponse({ certID: reqCert, certStatus: certStatus(answer), thisUpdate: now, nextUpdate });
  });
  const signerDer = options.signerCertificateDer ?? options.issuerDer;
  const tbsResponseData = new ResponseData({
    responderID: new ResponderID({ byName: AsnConvert.parse(signerDer, Certificate).tbsCertificate.subject }),
    producedAt: now,
    responses,
  });
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbsResponseData)), options.signerKeyPem);
  const basic = new BasicOCSPResponse({
    tbsResponseData,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA_OID, parameters: null }),
    signature: new Uint8Array(signature).buffer,
    ...(options.signerCertificateDer ? { certs: [AsnConvert.parse(options.signerCertificateDer, Certificate)] } : {}),
  });
  return Buffer.from(
    AsnConvert.serialize(
      new OCSPResponse({
        responseStatus: OCSPResponseStatus.successful,
        responseBytes: new ResponseBytes({
          responseType: id_pkix_ocsp_basic,
          response: new OctetString(AsnConvert.serialize(basic)),
        }),
      }),
    ),
  );
}

/** An unsuccessful OCSPResponse: a status and nothing else (RFC 6960 4.2.1). */
export function ocspErrorResponse(status: OCSPResponseStatus): Buffer {
  return Buffer.from(AsnConvert.serialize(new OCSPResponse({ responseStatus: status })));
}

function certStatus(answer: OcspAnswer): CertStatus {
  switch (answer.status) {
    case 'good':
      return new CertStatus({ good: null });
    case 'unknown':
      return new CertStatus({ unknown: null });
    case 'revoked':
      return new CertStatus({
        revoked: new RevokedInfo({
          revocationTime: wholeSeconds(answer.time),
          ...(answer.reason !== undefined ? { revocationReason: new CRLReason(answer.reason) } : {}),
        }),
      });
  }
}

function hex(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

// GeneralizedTime in DER carries no fractional seconds worth keeping; whole seconds encode the same everywhere.
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** The responder as a POST handler of the lab's HTTP server (RFC 6960 appendix A.1: POST of the DER request). */
export function ocspPostHandler(options: OcspResponderOptions): PostHandler {
  return (body) => ({ body: answerOcspRequest(body, options), contentType: 'application/ocsp-response' });
}
