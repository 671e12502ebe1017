// Certificate files as `cert inspect` and `cert bundle` read them (PEM, DER, PKCS#7, PFX), chains put leaf first,
// and a missing issuer downloaded from its AIA URL as `fedcheck check` does. Every problem is one UsageError line.

import { UsageError, describeError } from '../model/errors.js';
import type { ProbeOutcome } from '../model/facts.js';
import { readInputFile } from '../util/input-file.js';
import type { HttpFetchFacts } from '../model/protocol-facts.js';
import { parseCertificate } from '../pki/certificate.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { analyzeChain, certificateFromIssuerFetch } from '../pki/chain.js';
import { DER_TAG, childrenOf, readTlv } from '../pki/der.js';
import { pemBlocks } from '../pki/pem.js';
import { PfxPassphraseError, looksLikePfx, openPfx } from '../pki/pfx.js';
import type { OpenedPfx } from '../pki/pfx.js';
import { resolverLookup, systemLookup } from '../probes/dns.js';
import type { Lookup } from '../probes/connector.js';
import type { DnsServer } from '../probes/resolvers.js';
import { fetchBounded } from '../probes/http.js';
import { PFX_PASSPHRASE_ENV, existingPassphrase, passphraseFromEnv } from './passphrases.js';

export type CertificateFileFormat = 'PEM' | 'DER' | 'PKCS#7 PEM' | 'PKCS#7 DER' | 'PKCS#12';

export interface CertificateFile {
  path: string;
  format: CertificateFileFormat;
  /** Leaf first: as written for PEM and DER (a server sends them so), by issuance for the PKCS#7 and PKCS#12 bags. */
  certificates: CertificateInfo[];
  /** The file also holds a private key (a PFX, or a PEM with a key block); it is never read out. */
  hasPrivateKey: boolean;
}

const PRIVATE_KEY_PEM = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;
/** An AIA download is one certificate or a small bag; more is not what the URL should serve. */
const ISSUER_DOWNLOAD_BYTES = 64 * 1024;

/** The certificates of a file; a PFX only when `pfx` allows it (its passphrase from FEDCHECK_PFX_PASSPHRASE or asked). */
export async function readCertificateFile(path: string, flag: string, options: { pfx: boolean }): Promise<CertificateFile> {
  const bytes = readInputFile(path, flag, 'certificate');
  const what = `${flag} "${path}"`;
  if (looksLikePfx(bytes)) {
    if (!options.pfx) throw new UsageError(`${what} is a PKCS#12 / PFX bundle: give the certificate as PEM, DER or PKCS#7`);
    return readPfxFile(path, bytes, what);
  }
  const text = bytes.toString('latin1');
  const pem = text.includes('-----BEGIN');
  let certificates: CertificateInfo[];
  try {
    certificates = certificateFromIssuerFetch(bytes);
  } catch {
    throw new UsageError(`${what} is not a certificate: ${notACertificate(text)}`);
  }
  const bag = pem ? pemBlocks(text, 'PKCS7').length > 0 : isDerPkcs7(bytes);
  const format: CertificateFileFormat = bag ? (pem ? 'PKCS#7 PEM' : 'PKCS#7 DER') : pem ? 'PEM' : 'DER';
  return { path, format, certificates: bag ? leafFirst(certificates, bagLeaf(certificates)) : certificates, hasPrivateKey: pem && PRIVATE_KEY_PEM.test(text) };
}

async function readPfxFile(path: string, bytes: Buffer, what: string): Promise<CertificateFile> {
  const fromEnv = passphraseFromEnv(PFX_PASSPHRASE_ENV);
  // Windows exports without a password are common: the empty one is tried before asking.
  const opened =
    fromEnv !== undefined
      ? tryPfx(bytes, fromEnv, what)
      : (tryPfx(bytes, '', what) ?? tryPfx(bytes, await existingPassphrase(PFX_PASSPHRASE_ENV, path), what));
  if (opened === undefined) throw new UsageError(`cannot open ${what}: wrong passphrase${fromEnv !== undefined ? ` in ${PFX_PASSPHRASE_ENV}` : ''}`);
  const certificates = opened.certificates.map((der) => parseCertificate(der));
  if (certificates.length === 0) throw new UsageError(`${what} holds no certificate`);
  // openPfx puts the certificate paired with the key first.
  return { path, format: 'PKCS#12', certificates: leafFirst(certificates, 0), hasPrivateKey: opened.hasKey };
}

/** The PFX opened with this passphrase, or undefined when it is the wrong one. */
function tryPfx(bytes: Buffer, passphrase: string, what: string): OpenedPfx | undefined {
  try {
    return openPfx(bytes, passphrase);
  } catch (error) {
    if (error instanceof PfxPassphraseError) return undefined;
    throw new UsageError(`${what} is not a readable PKCS#12 / PFX file: ${describeError(error)}`);
  }
}

function notACertificate(text: string): string {
  if (text.includes('CERTIFICATE REQUEST-----')) return 'it is a certificate request (CSR); give the certificate the CA issued from it';
  if (PRIVATE_KEY_PEM.test(text)) return 'it holds a private key and no certificate';
  return 'expected PEM (-----BEGIN CERTIFICATE-----), DER, PKCS#7 (.p7b) or PKCS#12 (.pfx)';
}

function isDerPkcs7(bytes: Buffer): boolean {
  // A PKCS#7 ContentInfo starts with its content type OID, a Certificate with its TBSCertificate SEQUENCE.
  const [first] = childrenOf(bytes, readTlv(bytes, 0));
  return first?.tag === DER_TAG.objectIdentifier;
}

/** In a bag, the leaf is the certificate that issued none of the others, preferring one that is not a CA. */
function bagLeaf(certificates: readonly CertificateInfo[]): number {
  const issuesAnother = (candidate: CertificateInfo) =>
    certificates.some((other) => other !== candidate && other.issuer === candidate.subject && other.der !== candidate.der);
  const leaves = certificates.map((info, index) => ({ info, index })).filter(({ info }) => !issuesAnother(info));
  return (leaves.find(({ info }) => !info.isCa) ?? leaves[0])?.index ?? 0;
}

/** The leaf, then the certificates on its issuance path, then the rest as they came. */
export function leafFirst(certificates: readonly CertificateInfo[], leafIndex: number): CertificateInfo[] {
  const leaf = certificates[leafIndex];
  if (!leaf) return [...certificates];
  const ordered = [leaf, ...certificates.filter((_, index) => index !== leafIndex)];
  const analysis = analyzeChain(ordered.map((info) => info.der), new Date());
  return [...analysis.path, ...analysis.unused].map((index) => ordered[index] as CertificateInfo);
}

/** How an issuer is downloaded: the time limit, the non-public networks --allow-private opens, the --resolver list. */
export interface IssuerDownload {
  timeoutMs: number;
  allowPrivate: readonly string[];
  /** Empty: the system's resolvers (resolv.conf), asked by fedcheck's own DNS client. */
  resolvers: readonly DnsServer[];
}

/** The name lookup of a command without a scheduler: the --resolver servers, else the system's. */
export function commandLookup(resolvers: readonly DnsServer[], timeoutMs: number): Lookup {
  return resolvers.length > 0 ? resolverLookup([...resolvers], timeoutMs) : systemLookup(timeoutMs);
}

/**
 * Downloads an issuer from an AIA caIssuers URL, bounded as the live run's download, and under the same egress
 * rule: the URL is the certificate's word, so an internal address is only fetched when --allow-private names it.
 */
export function downloadIssuer(url: string, { timeoutMs, allowPrivate, resolvers }: IssuerDownload): Promise<ProbeOutcome<HttpFetchFacts>> {
  const egress = { kind: 'partner', allowPrivate, lookup: commandLookup(resolvers, timeoutMs) } as const;
  return fetchBounded(url, { maxBytes: ISSUER_DOWNLOAD_BYTES }, { signal: AbortSignal.timeout(timeoutMs), timeoutMs, egress });
}
