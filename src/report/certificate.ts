// `fedcheck cert inspect`: a certificate chain with every field an Edge admin checks, for the terminal and as JSON,
// followed by the certificate checks' findings when a role was given.

import { daysUntilExpiry, validityText } from '../judge/tls-evidence.js';
import type { CertificateInfo } from '../judge/tls-evidence.js';
import type { Report } from '../model/report.js';
import { reportToJson } from '../model/report-json.js';
import { terminalText } from './sanitize.js';
import { renderTerminal } from './terminal.js';
import type { TerminalOptions } from './terminal.js';
import { hanging } from './wrap.js';

/** Bumped when a field of the inspection JSON changes meaning or disappears. */
export const INSPECTION_SCHEMA_VERSION = 1;

export type InspectionSource =
  | { kind: 'file'; path: string; format: string; hasPrivateKey: boolean }
  | {
      kind: 'tls';
      address: string;
      port: number;
      servername: string;
      starttls?: 'xmpp';
      protocol: string;
      cipher: string;
      authorized: boolean;
      authorizationError?: string;
    };

export interface CertificateInspection {
  /** ISO 8601: the clock days left and the findings were judged at. */
  inspectedAt: string;
  source: InspectionSource;
  /** Leaf first. */
  certificates: readonly CertificateInfo[];
}

const LABEL_WIDTH = 24;

export function renderInspectionJson(inspection: CertificateInspection, report: Report | undefined): string {
  const now = new Date(inspection.inspectedAt);
  const certificates = inspection.certificates.map((info) => ({ ...info, daysLeft: daysUntilExpiry(info, now) }));
  return `${JSON.stringify({ schemaVersion: INSPECTION_SCHEMA_VERSION, ...inspection, certificates, ...(report ? { report: reportToJson(report) } : {}) }, null, 2)}\n`;
}

export function renderInspectionTerminal(inspection: CertificateInspection, report: Report | undefined, options: TerminalOptions): string {
  const now = new Date(inspection.inspectedAt);
  const count = inspection.certificates.length;
  const lines = [...sourceLines(inspection.source, count)];
  inspection.certificates.forEach((info, index) => {
    lines.push('', `Certificate ${index}${index === 0 ? ' (leaf)' : info.selfSigned ? ' (root)' : ' (issuer)'}`, ...certificateLines(info, now));
  });
  // A server's certificate names whatever it likes: shown without its control characters (the judged part is already).
  const shown = lines.map(terminalText);
  if (report) {
    const judged = renderTerminal(report, options);
    // The report's header describes a network run (resolvers, vantage, timeout); the findings start after it.
    shown.push('', 'Judged by the certificate checks of fedcheck check:', judged.slice(judged.indexOf('\n\n') + 2).trimEnd());
  }
  return `${shown.join('\n')}\n`;
}

function sourceLines(source: InspectionSource, count: number): string[] {
  const certificates = `${count} certificate${count === 1 ? '' : 's'}`;
  if (source.kind === 'file') {
    return hanging('', `${source.path}: ${source.format}, ${certificates}${source.hasPrivateKey ? ', and a private key (not shown)' : ''}`);
  }
  const address = source.address.includes(':') ? `[${source.address}]:${source.port}` : `${source.address}:${source.port}`;
  const trust = source.authorized ? 'chain trusted by Node' : `chain not trusted by Node (${source.authorizationError ?? 'no reason given'})`;
  const via = source.starttls ? ' after XMPP STARTTLS' : '';
  return hanging('', `${address}${via}, SNI ${source.servername}: ${source.protocol} ${source.cipher}, ${certificates} sent, ${trust}`);
}

function certificateLines(info: CertificateInfo, now: Date): string[] {
  const field = (label: string, values: readonly string[]) =>
    (values.length > 0 ? values : ['none']).flatMap((value, index) => hanging(`  ${(index === 0 ? label : '').padEnd(LABEL_WIDTH - 2)}`, value));
  const { sans, aia } = info;
  const names = [
    ...sans.dns.map((name) => `DNS ${name}`),
    ...sans.uri.map((name) => `URI ${name}`),
    ...sans.srvName.map((name) => `SRVName ${name}`),
    ...sans.xmppAddr.map((name) => `XmppAddr ${name}`),
    ...sans.ip.map((name) => `IP ${name}`),
    ...sans.email.map((name) => `email ${name}`),
    ...sans.otherNames.map((name) => `otherName ${name.oid} ${name.value}`),
  ];
  const extendedKeyUsage = info.extendedKeyUsage === null ? ['none: any purpose (no extension)'] : [info.extendedKeyUsage.names.join(', ') || 'empty'];
  const ca = info.isCa ? `yes${info.pathLength !== undefined ? `, path length ${info.pathLength}` : ''}` : 'no';
  return [
    ...field('Subject', [info.subject || '(empty)']),
    ...field('Issuer', [info.issuer]),
    ...field('Serial number', [info.serialNumber]),
    ...field('Valid', [`${info.notBefore} to ${info.notAfter} (${validityText(info, now)})`]),
    ...field('Subject alt names', names),
    ...field('Public key', [describeKey(info)]),
    ...field('Signature', [info.signatureAlgorithm.name]),
    ...field('Key usage', info.keyUsage === null ? ['none (no extension)'] : [info.keyUsage.join(', ')]),
    ...field('Extended key usage', extendedKeyUsage),
    ...field('CA', [ca]),
    ...field('CRL distribution', info.crlDistributionPoints),
    ...field('AIA CA issuers', aia.caIssuers),
    ...field('AIA OCSP', aia.ocsp),
    ...(info.subjectKeyId ? field('Subject key id', [info.subjectKeyId]) : []),
    ...(info.authorityKeyId ? field('Authority key id', [info.authorityKeyId]) : []),
    ...field('SHA-1 fingerprint', [info.fingerprints.sha1]),
    ...field('SHA-256 fingerprint', [info.fingerprints.sha256]),
  ];
}

function describeKey(info: CertificateInfo): string {
  const { publicKey } = info;
  if (publicKey.curve) return `${publicKey.type} ${publicKey.curve}`;
  if (publicKey.type === 'unknown') return `unknown (${publicKey.oid})`;
  return publicKey.bits === undefined ? publicKey.type : `${publicKey.type} ${publicKey.bits}-bit`;
}
