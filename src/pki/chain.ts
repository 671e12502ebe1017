// Pure analysis of a presented certificate chain, and reading an issuer certificate downloaded from an AIA URL.

import { X509Certificate as NodeCertificate } from 'node:crypto';
import { parseCertificate, type CertificateInfo } from './certificate.js';
import { DER_TAG, childrenOf, contentOf, readTlv } from './der.js';
import { comparableName } from './distinguished-name.js';
import { pemBlocks } from './pem.js';
import { trustStoreOf, type TrustStore } from './trust.js';

/** How one sent certificate relates to the one sent after it. */
export interface ChainLink {
  index: number;
  /** The issuer DN of `index` is the subject DN of `index + 1`. */
  nameMatches: boolean;
  /** The authority key id of `index` is the subject key id of `index + 1`, or one of them is absent. */
  keyIdMatches: boolean;
  /** The signature of `index` verifies with the key of `index + 1`. */
  signatureValid: boolean;
}

export interface ChainValidityProblem {
  index: number;
  subject: string;
  notBefore: string;
  notAfter: string;
}

/** The certificate that should have been sent after the last one on the leaf's path. */
export interface MissingIssuer {
  name: string;
  authorityKeyId?: string;
  aiaCaIssuers: readonly string[];
}

export interface ChainAnalysis {
  certificates: CertificateInfo[];
  /** Between each sent certificate and the next; n - 1 of them. */
  links: ChainLink[];
  /** Each certificate is issued by the one sent after it. */
  ordered: boolean;
  /** Indexes from the leaf up, each issued by the next, found among the sent certificates in any order. */
  path: number[];
  /** Sent certificates that are not on the leaf's path. */
  unused: number[];
  /**
   * How the path ends: at a self-signed certificate that was sent ('root'), at the first certificate issued by one of
   * the given trust anchors ('anchor'), or at a certificate whose issuer is nowhere to be found ('missing').
   */
  end: 'root' | 'anchor' | 'missing';
  /** The subject of the trust anchor the path ends at, for 'anchor'. */
  anchor?: string;
  /**
   * For 'root': whether that self-signed root is one of the trust anchors. A root sent by the peer and not trusted is a
   * private or unknown CA, which no intermediate would fix.
   */
  rootTrusted?: boolean;
  complete: boolean;
  missingIssuer: MissingIssuer | null;
  expired: ChainValidityProblem[];
  notYetValid: ChainValidityProblem[];
}

export interface ChainOptions {
  /**
   * Trust anchors: without them a chain that rightly stops below its root, as servers send it, ends 'missing'. Pass
   * `trustAnchors()` (Node's roots and any --ca-file, indexed once per process), or certificates (base64 DER, PEM, DER).
   */
  anchors?: TrustStore | readonly (string | Uint8Array)[];
}

/** Analyses a chain as a peer sent it, leaf first, base64 DER. Throws when an element is not a certificate. */
export function analyzeChain(peerChainBase64: readonly string[], now: Date, options: ChainOptions = {}): ChainAnalysis {
  const elements = peerChainBase64.map((der, index) => {
    try {
      return element(parseCertificate(der));
    } catch (error) {
      throw new Error(`chain element ${index}: ${(error as Error).message}`);
    }
  });
  const [leaf] = elements;
  if (!leaf) throw new Error('the certificate chain is empty');
  const links = elements.slice(1).map((issuer, index) => ({ index, ...relation(elements[index] as Element, issuer) }));

  const anchors = storeOf(options.anchors ?? []);
  const path = [0];
  for (let current = leaf; !current.info.selfSigned; ) {
    const issuedCurrent = (candidate: Element, index: number): boolean =>
      !path.includes(index) && isIssued(relation(current, candidate));
    const next = elements.findIndex(issuedCurrent);
    if (next === -1) break;
    path.push(next);
    current = elements[next] as Element;
  }
  const infoAt = (index: number | undefined): CertificateInfo => (elements[index as number] as Element).info;
  let anchor: CertificateInfo | undefined;
  if (!infoAt(path[path.length - 1]).selfSigned) {
    // Trusted first, as OpenSSL searches: the path stops at the first certificate an anchor issued, so a cross-signed
    // root sent after it (whose own issuer may be long retired) does not make the chain incomplete.
    for (const [position, index] of path.entries()) {
      anchor = findAnchor(elements[index] as Element, anchors);
      if (anchor) {
        path.splice(position + 1);
        break;
      }
    }
  }
  const top = infoAt(path[path.length - 1]);
  const end = top.selfSigned ? 'root' : anchor ? 'anchor' : 'missing';

  const certificates = elements.map(({ info }) => info);
  const problems = (failing: (info: CertificateInfo) => boolean): ChainValidityProblem[] =>
    certificates.flatMap((info, index) =>
      failing(info) ? [{ index, subject: info.subject, notBefore: info.notBefore, notAfter: info.notAfter }] : [],
    );
  return {
    certificates,
    links,
    ordered: links.every(isIssued),
    path,
    unused: certificates.map((_, index) => index).filter((index) => !path.includes(index)),
    end,
    ...(anchor ? { anchor: anchor.subject } : {}),
    ...(end === 'root' ? { rootTrusted: findAnchor(elements[path[path.length - 1] as number] as Element, anchors) !== undefined } : {}),
    complete: end !== 'missing',
    missingIssuer:
      end === 'missing'
        ? {
            name: top.issuer,
            ...(top.authorityKeyId ? { authorityKeyId: top.authorityKeyId } : {}),
            aiaCaIssuers: top.aia.caIssuers,
          }
        : null,
    expired: problems((info) => Date.parse(info.notAfter) < now.getTime()),
    notYetValid: problems((info) => Date.parse(info.notBefore) > now.getTime()),
  };
}

/**
 * The certificates in the body of an AIA caIssuers download: one DER certificate (application/pkix-cert), PEM, or a
 * degenerate PKCS#7 bag (.p7c, application/pkcs7-mime). Throws when the body holds none.
 */
export function certificateFromIssuerFetch(body: Buffer, contentType?: string): CertificateInfo[] {
  const what = `the issuer download (${body.length} bytes${contentType ? `, ${contentType}` : ''})`;
  try {
    const certificates = readIssuerBody(body);
    if (certificates.length === 0) throw new Error('it holds no certificate');
    return certificates;
  } catch (error) {
    throw new Error(`${what} is not a certificate, PEM or PKCS#7 bag: ${(error as Error).message}`);
  }
}

function readIssuerBody(body: Buffer): CertificateInfo[] {
  const text = body.toString('latin1');
  if (text.includes('-----BEGIN')) {
    return [
      ...pemBlocks(text, 'CERTIFICATE').map((der) => parseCertificate(der)),
      ...pemBlocks(text, 'PKCS7').flatMap(certificatesInPkcs7),
    ];
  }
  // A Certificate starts with its TBSCertificate SEQUENCE; a PKCS#7 ContentInfo starts with its content type OID.
  const outer = readTlv(body, 0);
  const [first] = childrenOf(body, outer);
  return first?.tag === DER_TAG.objectIdentifier ? certificatesInPkcs7(body) : [parseCertificate(body)];
}

// DER content of the OID 1.2.840.113549.1.7.2, id-signedData.
const SIGNED_DATA_OID = Buffer.from('2a864886f70d010702', 'hex');

/** The certificates of a PKCS#7 SignedData, each as the exact bytes it was sent with. */
function certificatesInPkcs7(der: Buffer): CertificateInfo[] {
  const [contentType, explicitContent] = childrenOf(der, readTlv(der, 0));
  if (!contentType || !Buffer.from(contentOf(der, contentType)).equals(SIGNED_DATA_OID) || !explicitContent) {
    throw new Error('the PKCS#7 content is not SignedData');
  }
  const [signedData] = childrenOf(der, explicitContent);
  if (!signedData || signedData.tag !== DER_TAG.sequence) throw new Error('malformed PKCS#7 SignedData');
  // SignedData: version, digestAlgorithms, encapContentInfo, then `certificates [0] IMPLICIT` when present.
  const bag = childrenOf(der, signedData).find((child) => child.tag === DER_TAG.contextConstructed0);
  return (bag ? childrenOf(der, bag) : [])
    .filter((choice) => choice.tag === DER_TAG.sequence)
    .map((certificate) => parseCertificate(der.subarray(certificate.start, certificate.end)));
}

/** A parsed certificate with Node's object for signature checks. */
interface Element {
  info: CertificateInfo;
  node: NodeCertificate;
}

function element(info: CertificateInfo): Element {
  return { info, node: new NodeCertificate(Buffer.from(info.der, 'base64')) };
}

function relation(subject: Element, issuer: Element): Omit<ChainLink, 'index'> {
  const { authorityKeyId } = subject.info;
  const { subjectKeyId } = issuer.info;
  return {
    nameMatches: sameName(subject.info.issuer, issuer.info.subject),
    keyIdMatches: authorityKeyId === undefined || subjectKeyId === undefined || authorityKeyId === subjectKeyId,
    signatureValid: verifies(subject.node, issuer.node),
  };
}

function isIssued(relation: Omit<ChainLink, 'index'>): boolean {
  return relation.nameMatches && relation.keyIdMatches && relation.signatureValid;
}

function storeOf(anchors: TrustStore | readonly (string | Uint8Array)[]): TrustStore {
  return 'withSubject' in anchors ? anchors : trustStoreOf(anchors);
}

/** The first anchor that issued `top`: only those named as its issuer are candidates, and their key ids must agree. */
function findAnchor(top: Element, anchors: TrustStore): CertificateInfo | undefined {
  const { authorityKeyId } = top.info;
  for (const anchor of anchors.withSubject(top.info.issuer)) {
    const { subjectKeyId } = anchor.info;
    const keyIdMatches = authorityKeyId === undefined || subjectKeyId === undefined || authorityKeyId === subjectKeyId;
    // The key ids are compared first so a cross-signed name with several keys costs one signature check, not several.
    if (keyIdMatches && verifies(top.node, anchor.node)) return anchor.info;
  }
  return undefined;
}

function verifies(subject: NodeCertificate, issuer: NodeCertificate): boolean {
  try {
    return subject.verify(issuer.publicKey);
  } catch {
    // A key OpenSSL cannot load, or a signature of a different algorithm, does not verify.
    return false;
  }
}

function sameName(a: string, b: string): boolean {
  return comparableName(a) === comparableName(b);
}
