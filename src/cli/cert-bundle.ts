// `fedcheck cert bundle`: the issued certificate, its chain and its key in one PKCS#12 file for every Edge of the
// pool, after checking that they belong together, that the chain is whole and that the CA kept what was asked for.

import { X509Certificate, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { clientAuthOutlook } from '../judge/client-auth-outlook.js';
import { UsageError, describeError } from '../model/errors.js';
import { EXIT } from '../model/finding.js';
import { readInputFile, readInputText } from '../util/input-file.js';
import { describeFailure, validityText } from '../judge/tls-evidence.js';
import { allowsPurpose } from '../pki/certificate.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { analyzeChain, certificateFromIssuerFetch } from '../pki/chain.js';
import type { ChainAnalysis } from '../pki/chain.js';
import { SECRET_FILE_MODE, isEncryptedKeyPem, pkcs8Der, readPrivateKey } from '../pki/key-files.js';
import { writeNewFile } from '../util/atomic-file.js';
import { CURVE_NAMES, OID } from '../pki/oids.js';
import { pemBlocks } from '../pki/pem.js';
import { buildPfx, describePfxProtection, pfxPassphraseProblem } from '../pki/pfx.js';
import { readSubjectAltNames } from '../pki/subject-alt-names.js';
import { trustAnchors, type TrustStore } from '../pki/trust.js';
import { x509 } from '../pki/x509-library.js';
import { parseResolverSpec } from '../probes/resolvers.js';
import { terminalText } from '../report/sanitize.js';
import { hanging } from '../report/wrap.js';
import { parseAllowPrivate, parsePositiveInteger } from './options.js';
import { DEFAULTS } from '../util/defaults.js';
import { loadCaFiles } from '../config/ca-files.js';
import { downloadIssuer, readCertificateFile, type IssuerDownload } from './certificate-input.js';
import { KEY_PASSPHRASE_ENV, PFX_PASSPHRASE_ENV, existingPassphrase, newPassphrase } from './passphrases.js';

export interface BundleFlags {
  key?: string;
  cert?: string;
  chain?: string;
  csr?: string;
  out?: string;
  legacy?: boolean;
  friendlyName?: string;
  caFile?: string[];
  timeout?: string;
  allowPrivate?: string;
  resolver?: string[];
  force?: boolean;
  includeRoot?: boolean;
}

/** An intermediate, its own issuer, a cross-signed root: more downloads than this means a loop or a bad URL. */
const MAX_ISSUER_DOWNLOADS = 4;
const LABEL_WIDTH = 22;

interface Remarks {
  /** Said, changes nothing. */
  notes: string[];
  /** The PFX is written, but something will hurt: exit code 1. */
  warnings: string[];
}

export async function runBundle(flags: BundleFlags): Promise<number> {
  const { key: keyPath, cert: certPath, out } = requireFlags(flags);
  checkOutputFile(out, flags.force === true);
  const remarks: Remarks = { notes: [], warnings: [] };
  const now = new Date();
  const certFile = await readCertificateFile(certPath, '--cert', { pfx: false });
  const key = await readKey(keyPath);
  const leafIndex = issuedCertificate(certFile.certificates, createPublicKey(key), keyPath, certPath);
  const leaf = certFile.certificates[leafIndex] as CertificateInfo;
  if (flags.csr !== undefined) compareWithRequest(flags.csr, leaf, remarks);
  const extraTrustAnchors = loadCaFiles(flags.caFile ?? []).flatMap((pem) => pemBlocks(pem, 'CERTIFICATE').map((der) => der.toString('base64')));
  const given = [
    ...certFile.certificates.filter((_, index) => index !== leafIndex),
    ...(flags.chain !== undefined ? (await readCertificateFile(flags.chain, '--chain', { pfx: false })).certificates : []),
  ];
  const download: IssuerDownload = {
    timeoutMs: parsePositiveInteger(flags.timeout, '--timeout', DEFAULTS.timeoutMs, 'milliseconds, such as 5000'),
    allowPrivate: parseAllowPrivate(flags.allowPrivate),
    resolvers: (flags.resolver ?? []).map(parseResolverSpec),
  };
  const path = await completeChain(leaf, given, flags.chain === undefined, trustAnchors(extraTrustAnchors), now, download, remarks);
  const chain = withoutRoot(path, flags.includeRoot === true, remarks);
  judgeUsages(leaf, now, remarks);
  const passphrase = await newPassphrase(PFX_PASSPHRASE_ENV, `the PFX ${out}`, pfxPassphraseProblem);
  const friendlyName = flags.friendlyName ?? `${leaf.subjectCommonNames[0] ?? leaf.sans.dns[0] ?? 'Edge'} (until ${leaf.notAfter.slice(0, 10)})`;
  const pfx = buildPfx({
    privateKeyPkcs8: pkcs8Der(key),
    certificates: chain.map((info) => Buffer.from(info.der, 'base64')),
    passphrase,
    friendlyName,
    legacy: flags.legacy === true,
  });
  try {
    writeNewFile(out, pfx, SECRET_FILE_MODE, flags.force === true);
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw new UsageError(exists ? `--out "${out}" already exists: move it away or give --force` : `cannot write --out "${out}": ${describeError(error)}`);
  }
  process.stdout.write(bundleSummary({ out, chain, key, friendlyName, legacy: flags.legacy === true, now, remarks }));
  return remarks.warnings.length > 0 ? EXIT.warning : EXIT.ok;
}

function requireFlags(flags: BundleFlags): { key: string; cert: string; out: string } {
  const missing = (['key', 'cert', 'out'] as const).filter((name) => flags[name] === undefined).map((name) => `--${name}`);
  if (missing.length > 0) throw new UsageError(`fedcheck cert bundle needs ${missing.join(', ')}: the key, the issued certificate and the PFX to write`);
  return { key: flags.key as string, cert: flags.cert as string, out: flags.out as string };
}

/** Before any passphrase is asked or anything computed: the PFX can be written, and nothing is overwritten by surprise. */
function checkOutputFile(out: string, force: boolean): void {
  if (!force && existsSync(out)) throw new UsageError(`--out "${out}" already exists: move it away or give --force`);
  try {
    accessSync(dirname(out), constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot write --out "${out}": ${describeError(error)}`);
  }
}

async function readKey(path: string): Promise<KeyObject> {
  const pem = readInputText(path, '--key', 'certificate');
  if (!/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    throw new UsageError(`--key "${path}" holds no PEM private key: expected the .key file fedcheck csr wrote (-----BEGIN PRIVATE KEY-----)`);
  }
  const passphrase = isEncryptedKeyPem(pem) ? await existingPassphrase(KEY_PASSPHRASE_ENV, path) : undefined;
  try {
    return readPrivateKey(pem, passphrase);
  } catch {
    // OpenSSL's reason would say no more than this, and a key is never worth echoing.
    throw new UsageError(passphrase === undefined ? `cannot read --key "${path}": not a valid private key` : `cannot decrypt --key "${path}": wrong passphrase`);
  }
}

/**
 * The index of the certificate the key belongs to, which must be the issued one: not a CA. A key that opens an
 * intermediate (or a root) would make a PFX that no Edge can present.
 */
function issuedCertificate(certificates: readonly CertificateInfo[], publicKey: KeyObject, keyPath: string, certPath: string): number {
  const matching = certificates.findIndex((info) => publicKeyOf(info).equals(publicKey));
  const issued = certificates.find((info) => !info.isCa);
  if (issued === undefined) {
    throw new UsageError(`--cert "${certPath}" holds only CA certificates: give the certificate the CA issued for the Edge (its names are the ones requested)`);
  }
  const paired = certificates[matching];
  if (paired === undefined) {
    throw new UsageError(`--key "${keyPath}" does not match --cert "${certPath}": the key is not the one of ${issued.subject} (was it made with another request?)`);
  }
  if (paired.isCa) {
    throw new UsageError(
      `--key "${keyPath}" is the key of the CA certificate ${paired.subject}, not of the issued certificate ${issued.subject}: give the key made with the request (fedcheck csr's .key)`,
    );
  }
  return matching;
}

/** Partners and Windows have the root in their own store: sending it changes nothing but the size, unless asked. */
function withoutRoot(path: CertificateInfo[], includeRoot: boolean, remarks: Remarks): CertificateInfo[] {
  const top = path[path.length - 1];
  if (includeRoot || path.length < 2 || top === undefined || !top.selfSigned) return path;
  remarks.notes.push(`Left out the root ${top.subject}: partners trust it from their own store (--include-root puts it in the PFX).`);
  return path.slice(0, -1);
}

function publicKeyOf(info: CertificateInfo): KeyObject {
  return new X509Certificate(Buffer.from(info.der, 'base64')).publicKey;
}

/** The issued certificate must be the one requested: same key, every requested name. */
function compareWithRequest(path: string, leaf: CertificateInfo, remarks: Remarks): void {
  const bytes = readInputFile(path, '--csr', 'certificate');
  const text = bytes.toString('latin1');
  const [der] = text.includes('-----BEGIN') ? [...pemBlocks(text, 'CERTIFICATE REQUEST'), ...pemBlocks(text, 'NEW CERTIFICATE REQUEST')] : [bytes];
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(new Uint8Array(der ?? []));
  } catch {
    throw new UsageError(`--csr "${path}" is not a certificate request: expected the .csr file fedcheck csr wrote (PEM or DER PKCS#10)`);
  }
  const requestKey = createPublicKey({ key: Buffer.from(request.publicKey.rawData), format: 'der', type: 'spki' });
  if (!requestKey.equals(publicKeyOf(leaf))) {
    throw new UsageError(`--cert was not issued from --csr "${path}": the certificate's public key is not the request's`);
  }
  const san = request.extensions.find((extension) => extension.type === OID.subjectAltName);
  const requested = san ? readSubjectAltNames(san.value).dns.map((name) => name.toLowerCase()) : [];
  const issued = leaf.sans.dns.map((name) => name.toLowerCase());
  const missing = requested.filter((name) => !issued.includes(name));
  if (missing.length > 0) {
    throw new UsageError(
      `the CA left out ${missing.length} of the ${requested.length} names --csr "${path}" asked for: ${missing.join(', ')}; have the certificate reissued with every name`,
    );
  }
  const added = issued.filter((name) => !requested.includes(name));
  if (added.length > 0) remarks.notes.push(`The CA added names the request did not ask for: ${added.join(', ')}.`);
}

/**
 * The leaf and its issuers in order, up to a trusted root or a root sent along. Without --chain, missing issuers
 * are downloaded from the AIA URLs, as partners' clients do not; an incomplete chain is refused.
 */
async function completeChain(
  leaf: CertificateInfo,
  given: CertificateInfo[],
  mayDownload: boolean,
  anchors: TrustStore,
  now: Date,
  download: IssuerDownload,
  remarks: Remarks,
): Promise<CertificateInfo[]> {
  const candidates = [leaf, ...given];
  let analysis = analyzeChain(candidates.map((info) => info.der), now, { anchors });
  const failedDownloads: string[] = [];
  for (let downloads = 0; !analysis.complete && mayDownload && downloads < MAX_ISSUER_DOWNLOADS; downloads += 1) {
    const url = analysis.missingIssuer?.aiaCaIssuers.find((candidate) => /^https?:\/\//i.test(candidate));
    if (url === undefined) break;
    const fetched = await issuerFrom(url, download);
    if (typeof fetched === 'string') {
      failedDownloads.push(fetched);
      break;
    }
    candidates.push(...fetched);
    remarks.notes.push(`Downloaded ${fetched.map((info) => info.subject).join(', ')} from ${url} (the certificate's AIA URL).`);
    analysis = analyzeChain(candidates.map((info) => info.der), now, { anchors });
  }
  if (!analysis.complete) throw new UsageError(incompleteMessage(analysis, mayDownload, failedDownloads));
  if (!analysis.ordered) remarks.notes.push('The certificates were not in issuing order: the PFX holds them in order.');
  const path = analysis.path.map((index) => candidates[index] as CertificateInfo);
  const unused = analysis.unused.map((index) => candidates[index] as CertificateInfo);
  if (unused.length > 0) remarks.notes.push(`Left out, not on the certificate's chain: ${unused.map((info) => info.subject).join('; ')}.`);
  const top = path[path.length - 1];
  if (analysis.end === 'root' && top && !anchors.holds(top.der)) {
    remarks.warnings.push(
      `The chain ends at the root ${top.subject}, which is not a public root Node trusts (nor in --ca-file): partners will not trust it unless they agreed to trust this CA.`,
    );
  }
  for (const problem of analysis.expired.filter((entry) => entry.index !== 0)) {
    remarks.warnings.push(`The CA certificate ${problem.subject} expired on ${problem.notAfter}: get the CA's current one.`);
  }
  return path;
}

async function issuerFrom(url: string, download: IssuerDownload): Promise<CertificateInfo[] | string> {
  const outcome = await downloadIssuer(url, download);
  if (outcome.status !== 'ok') return `${url}: ${outcome.status === 'error' ? outcome.detail : outcome.because}`;
  const { facts } = outcome;
  if (facts.failure) return `${url}: ${describeFailure(facts.failure)}`;
  if (facts.status !== 200) return `${url} answered HTTP ${facts.status}`;
  try {
    return certificateFromIssuerFetch(Buffer.from(facts.body, 'base64'), facts.contentType);
  } catch (error) {
    return describeError(error);
  }
}

function incompleteMessage(analysis: ChainAnalysis, downloaded: boolean, failures: string[]): string {
  const missing = analysis.missingIssuer;
  const top = analysis.certificates[analysis.path[analysis.path.length - 1] ?? 0];
  const where = missing?.aiaCaIssuers[0] ? ` (its AIA URL: ${missing.aiaCaIssuers[0]})` : '';
  const tried = downloaded ? (failures.length > 0 ? `; downloading it failed: ${failures.join('; ')}` : '') : '';
  return (
    `the chain is incomplete: the issuer ${missing?.name ?? 'of the certificate'} of ${top?.subject ?? 'the certificate'} is missing${where}${tried}; ` +
    'give the CA\'s intermediate certificates with --chain FILE (and a private root with --ca-file)'
  );
}

function judgeUsages(leaf: CertificateInfo, now: Date, remarks: Remarks): void {
  if (!allowsPurpose(leaf, 'serverAuth')) {
    remarks.warnings.push('The certificate does not allow Server Authentication: partners refuse it as the Edge\'s certificate; ask the CA for a TLS server certificate.');
  }
  if (!allowsPurpose(leaf, 'clientAuth')) {
    const outlook = clientAuthOutlook(leaf.issuer, now).text;
    remarks.warnings.push(
      'The CA dropped Client Authentication, as public CAs now do: the Edge presents this certificate as the TLS client of its ' +
        'outbound federation (mutual TLS), so partners that demand a client certificate will refuse it, and XMPP peers refuse ' +
        `SASL EXTERNAL (ejabberd: "unsupported certificate purpose"; only dialback still works). ${outlook.charAt(0).toUpperCase()}` +
        `${outlook.slice(1)}. Or use a private CA your partners agree to trust. Cisco Expressway needs Client Authentication in its ` +
        'own certificate up to X15.3.2 (field notice FN74362); X15.4 can only upload a serverAuth-only certificate ' +
        '(xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On); X15.5 has separate client certificates (CSCwr73373).',
    );
  }
  if (Date.parse(leaf.notAfter) < now.getTime() || Date.parse(leaf.notBefore) > now.getTime()) {
    remarks.warnings.push(`The certificate is not valid now (${validityText(leaf, now)}).`);
  }
}

interface Summary {
  out: string;
  chain: CertificateInfo[];
  key: KeyObject;
  friendlyName: string;
  legacy: boolean;
  now: Date;
  remarks: Remarks;
}

function bundleSummary({ out, chain, key, friendlyName, legacy, now, remarks }: Summary): string {
  const [leaf] = chain;
  if (!leaf) return '';
  const field = (label: string, text: string) => hanging(`  ${label.padEnd(LABEL_WIDTH - 2)}`, text);
  const thumbprint = leaf.fingerprints.sha1.replaceAll(':', '');
  const details = key.asymmetricKeyDetails;
  const curve = details?.namedCurve;
  const keyWords = curve !== undefined ? `EC ${CURVE_NAMES[curve] ?? curve}` : `${(key.asymmetricKeyType ?? '').toUpperCase()} ${details?.modulusLength ?? ''}-bit`;
  const lines = [
    `Wrote ${out} (mode 0600)`,
    '',
    ...field('Certificate', `${leaf.subject}, valid until ${leaf.notAfter} (${validityText(leaf, now)})`),
    ...field('Names', leaf.sans.dns.join(', ') || 'none'),
    ...field('Extended key usage', leaf.extendedKeyUsage === null ? 'any purpose' : leaf.extendedKeyUsage.names.join(', ')),
    ...field('Chain', chain.map((info) => info.subject).join(' <- ')),
    ...field('Private key', `${keyWords.trim()}, matches the certificate`),
    ...field('Protection', describePfxProtection(legacy)),
    ...field('Friendly name', friendlyName),
    ...field('Thumbprint', `${thumbprint} (SHA-1, as Windows shows it)`),
  ];
  if (remarks.notes.length > 0) lines.push('', 'Notes', ...remarks.notes.flatMap((note) => hanging('  - ', note)));
  if (remarks.warnings.length > 0) lines.push('', 'Warnings', ...remarks.warnings.flatMap((warning) => hanging('  - ', warning)));
  lines.push(
    '',
    'Import it on every Edge server of the pool (PowerShell as an administrator; the key stays exportable, as an Edge pool needs):',
    `  Import-PfxCertificate -FilePath C:\\${basename(out)} -CertStoreLocation Cert:\\LocalMachine\\My -Exportable -Password (Read-Host -AsSecureString 'PFX passphrase')`,
    `  Set-CsCertificate -Type AccessEdgeExternal -Thumbprint ${thumbprint}`,
    'Check it as partners will see it:',
    `  fedcheck cert inspect ${out} --role sip-edge --edge ${leaf.subjectCommonNames[0] ?? '<Access Edge FQDN>'} ${sipDomainFlags(leaf)}`,
  );
  // The subjects come from the files given, which a CA or anyone else wrote: no control character reaches the terminal.
  return `${lines.map(terminalText).join('\n')}\n`;
}

/** The SIP domains an Edge certificate names, read back from its sip.<domain> names, as --domain flags. */
function sipDomainFlags(leaf: CertificateInfo): string {
  const domains = leaf.sans.dns.filter((name) => name.startsWith('sip.')).map((name) => name.slice('sip.'.length));
  return domains.length > 0 ? domains.map((domain) => `--domain ${domain}`).join(' ') : '--domain <SIP domain>';
}
