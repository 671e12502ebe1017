// `fedcheck cert inspect <file | host:port>`: shows a certificate chain, and with --role judges it with the
// certificate checks of `fedcheck check`, as if an Edge had sent it to a partner.

import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { allChecks } from '../../checks/index.js';
import { CERTIFICATE_ROLES, ROLE_PORTS, fileChain, judgePresentedCertificate } from '../engine/certificate-facts.js';
import type { CertificateRole, PresentedCertificate } from '../engine/certificate-facts.js';
import type { CheckOptions } from '../model/check.js';
import { UsageError, describeError } from '../model/errors.js';
import type { ProbeOutcome } from '../model/facts.js';
import type { HttpFetchFacts, TlsSession } from '../model/protocol-facts.js';
import { REPORT_SCHEMA_VERSION, domainReport, summarize } from '../model/report.js';
import type { Report } from '../model/report.js';
import { normalizeDomain } from '../model/target.js';
import { describeFailure } from '../judge/tls-evidence.js';
import { sessionChain } from '../judge/presented-chains.js';
import { VERSION } from '../util/version.js';
import { parseCertificate } from '../pki/certificate.js';
import { analyzeChain } from '../pki/chain.js';
import { pemBlocks } from '../pki/pem.js';
import { trustAnchors, type TrustStore } from '../pki/trust.js';
import { destination, type Egress } from '../probes/connector.js';
import { formatServer, parseResolverSpec } from '../probes/resolvers.js';
import type { DnsServer } from '../probes/resolvers.js';
import { closeSocket, connectSocket, remainingContext, startBudget } from '../probes/socket.js';
import { TlsSetupError, tlsHandshakeWithin } from '../probes/tls.js';
import { xmppStartTlsPreamble } from '../probes/xmpp.js';
import { renderInspectionJson, renderInspectionTerminal } from '../report/certificate.js';
import type { CertificateInspection, InspectionSource } from '../report/certificate.js';
import { parseAllowPrivate, parseOutputOptions, parsePositiveInteger } from './options.js';
import { DEFAULTS } from '../util/defaults.js';
import { parseChoice } from '../util/choices.js';
import type { OutputSettings } from './options.js';
import { loadCaFiles } from '../config/ca-files.js';
import { shouldColor } from './output.js';
import { commandLookup, downloadIssuer, readCertificateFile, type IssuerDownload } from './certificate-input.js';

export interface InspectFlags {
  role?: string;
  domain?: string[];
  edge?: string;
  starttls?: string;
  servername?: string;
  caFile?: string[];
  warnDays?: string;
  timeout?: string;
  allowPrivate?: string;
  resolver?: string[];
  format?: string;
  color: boolean;
}

type Source = { kind: 'file'; path: string } | { kind: 'tls'; host: string; port: number };

interface InspectSettings {
  source: Source;
  /** With --role: what the chain is judged as, and for which domains. */
  judge?: { role: CertificateRole; domains: string[]; edge?: string };
  starttls: boolean;
  servername?: string;
  caFiles: string[];
  warnDays: number;
  timeoutMs: number;
  /** --allow-private: the non-public networks the chain's AIA URL may point into. */
  allowPrivate: string[];
  /** --resolver: asked for the host and the AIA URL's host; empty, the system's. */
  resolvers: DnsServer[];
  output: OutputSettings;
}

/** The chain as it was obtained: read from a file, or sent in a live session. */
type Obtained = { inspection: CertificateInspection } & ({ kind: 'file'; path: string } | { kind: 'tls'; address: string; port: number; session: TlsSession });

export async function runInspect(sourceArgument: string, flags: InspectFlags): Promise<number> {
  const settings = parseInspectOptions(sourceArgument, flags);
  const caPem = loadCaFiles(settings.caFiles);
  const extraTrustAnchors = caPem.flatMap((pem) => pemBlocks(pem, 'CERTIFICATE').map((der) => der.toString('base64')));
  const now = new Date();
  const obtained = settings.source.kind === 'file' ? await fromFile(settings.source.path, now) : await fromServer(settings, settings.source, caPem, now);
  const report = settings.judge ? await judge(settings, settings.judge, obtained, extraTrustAnchors, now) : undefined;
  const text =
    settings.output.format === 'json'
      ? renderInspectionJson(obtained.inspection, report)
      : renderInspectionTerminal(obtained.inspection, report, { color: shouldColor(settings.output, process.stdout, process.env) });
  process.stdout.write(text);
  return report?.summary.exitCode ?? 0;
}

function parseInspectOptions(sourceArgument: string, flags: InspectFlags): InspectSettings {
  const source = parseSource(sourceArgument);
  const settings: InspectSettings = {
    source,
    starttls: false,
    caFiles: flags.caFile ?? [],
    warnDays: parsePositiveInteger(flags.warnDays, '--warn-days', DEFAULTS.warnDays, 'days, such as 30'),
    timeoutMs: parsePositiveInteger(flags.timeout, '--timeout', DEFAULTS.timeoutMs, 'milliseconds, such as 5000'),
    allowPrivate: parseAllowPrivate(flags.allowPrivate),
    resolvers: (flags.resolver ?? []).map(parseResolverSpec),
    output: parseOutputOptions({ color: flags.color, ...(flags.format !== undefined ? { format: flags.format } : {}) }),
  };
  if (flags.starttls !== undefined) {
    parseChoice(flags.starttls, '--starttls', ['xmpp'], 'xmpp');
    settings.starttls = true;
  }
  if (source.kind === 'file' && (settings.starttls || flags.servername !== undefined)) {
    throw new UsageError(`--starttls and --servername are for a host:port; "${source.path}" is a file`);
  }
  if (flags.servername !== undefined) settings.servername = normalizeDomain(flags.servername, '--servername');
  const domains = (flags.domain ?? []).map((domain) => normalizeDomain(domain, '--domain'));
  const edge = flags.edge === undefined ? undefined : normalizeDomain(flags.edge, '--edge');
  if (flags.role === undefined) {
    if (domains.length > 0 || edge !== undefined) {
      throw new UsageError('--domain and --edge say what the certificate is judged for: give --role sip-edge or --role xmpp-server with them');
    }
  } else {
    const role = parseChoice<CertificateRole>(flags.role, '--role', CERTIFICATE_ROLES, 'sip-edge');
    if (domains.length === 0) {
      throw new UsageError(`--role ${role} needs --domain: the ${role === 'sip-edge' ? 'SIP' : 'XMPP'} domain the certificate serves (repeatable)`);
    }
    const liveName = source.kind === 'tls' && isIP(source.host) === 0 ? source.host : undefined;
    // Live, the host given is the server partners connect to: the Access Edge, or the XMPP domain's SRV target.
    const edgeFqdn = edge ?? liveName;
    if (role === 'sip-edge' && edgeFqdn === undefined) {
      throw new UsageError('--role sip-edge needs --edge FQDN: the Access Edge FQDN partners connect to (the target of your _sipfederationtls._tcp record)');
    }
    settings.judge = { role, domains: [...new Set(domains)], ...(edgeFqdn !== undefined ? { edge: edgeFqdn } : {}) };
  }
  if (settings.starttls && settings.judge?.domains[0] === undefined && settings.servername === undefined) {
    throw new UsageError('--starttls xmpp needs the XMPP domain to ask for: give --domain (with --role xmpp-server) or --servername');
  }
  return settings;
}

/** An existing file; otherwise host:port, [IPv6]:port. */
function parseSource(argument: string): Source {
  if (existsSync(argument)) return { kind: 'file', path: argument };
  const match = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(argument) ?? /^([^:\s[\]]+):(\d+)$/.exec(argument);
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`cannot inspect "${argument}": no such file, and not a host:port such as sip.contoso.com:5061`);
  }
  const host = isIP(match[1]) === 0 ? normalizeDomain(match[1], 'host') : match[1];
  return { kind: 'tls', host, port };
}

async function fromFile(path: string, now: Date): Promise<Obtained> {
  const file = await readCertificateFile(path, 'certificate file', { pfx: true });
  return {
    kind: 'file',
    path,
    inspection: {
      inspectedAt: now.toISOString(),
      source: { kind: 'file', path, format: file.format, hasPrivateKey: file.hasPrivateKey },
      certificates: file.certificates,
    },
  };
}

async function fromServer(settings: InspectSettings, source: Extract<Source, { kind: 'tls' }>, caPem: string[], now: Date): Promise<Obtained> {
  const { judge } = settings;
  // SNI as `fedcheck check` sends it: the Access Edge FQDN for SIP, the XMPP domain for XMPP.
  const servername = settings.servername ?? (judge?.role === 'sip-edge' ? judge.edge : judge?.domains[0]) ?? source.host;
  // The host typed is the admin's own choice (often an internal Edge): connected to as given, its name resolved by
  // fedcheck's DNS client, and the address found is the one connected to. The AIA URL in its chain is not the admin's.
  const egress: Egress = { kind: 'admin', lookup: commandLookup(settings.resolvers, settings.timeoutMs) };
  const budget = startBudget({ signal: AbortSignal.timeout(settings.timeoutMs), timeoutMs: settings.timeoutMs, egress });
  const where = `${source.host}:${source.port}`;
  const found = await destination(source.host, egress, budget.signal);
  if ('refused' in found) throw new UsageError(`cannot get a certificate from ${where}: ${found.refused}`);
  const connected = await connectSocket(found.address, source.port, budget);
  if ('failure' in connected) throw new UsageError(`cannot get a certificate from ${where}: ${describeFailure(connected.failure)}`);
  if (settings.starttls) {
    const failure = await xmppStartTlsPreamble(judge?.domains[0] ?? servername, 'fedcheck.invalid')(connected.socket, remainingContext(budget));
    if (failure) {
      closeSocket(connected.socket);
      throw new UsageError(`cannot get a certificate from ${where}: ${describeFailure(failure)}`);
    }
  }
  const address = connected.socket.remoteAddress ?? source.host;
  let handshake;
  try {
    handshake = await tlsHandshakeWithin(connected.socket, { servername, extraCaPem: caPem }, budget);
  } catch (error) {
    closeSocket(connected.socket);
    throw new UsageError(error instanceof TlsSetupError ? error.message : describeError(error));
  }
  if ('failure' in handshake) throw new UsageError(`cannot get a certificate from ${where}: ${describeFailure(handshake.failure)}`);
  closeSocket(handshake.socket);
  const { session } = handshake;
  if (session.peerChain.length === 0) throw new UsageError(`${where} sent no certificate`);
  const tlsSource: InspectionSource = {
    kind: 'tls',
    address,
    port: source.port,
    servername,
    ...(settings.starttls ? { starttls: 'xmpp' as const } : {}),
    protocol: session.protocol,
    cipher: session.cipher,
    authorized: session.authorized,
    ...(session.authorizationError !== undefined ? { authorizationError: session.authorizationError } : {}),
  };
  return {
    kind: 'tls',
    address,
    port: source.port,
    session,
    inspection: { inspectedAt: now.toISOString(), source: tlsSource, certificates: session.peerChain.map((der) => parseCertificate(der)) },
  };
}

async function judge(
  settings: InspectSettings,
  judged: NonNullable<InspectSettings['judge']>,
  obtained: Obtained,
  extraTrustAnchors: string[],
  now: Date,
): Promise<Report> {
  const chain = obtained.inspection.certificates.map((info) => info.der);
  const anchors = trustAnchors(extraTrustAnchors);
  const issuerDownloads = await missingIssuerDownload(chain, anchors, now, settings);
  // cert inspect has no --critical-days: a --warn-days under the default critical days lowers that too.
  const expiryCriticalDays = Math.min(DEFAULTS.criticalDays, settings.warnDays);
  const options: CheckOptions = { vantage: 'external', allowPrivate: settings.allowPrivate, expiryWarningDays: settings.warnDays, expiryCriticalDays, extraTrustAnchors };
  const domains = judged.domains.map((domain) => {
    const host = judged.edge ?? domain;
    // A file stands at the host itself, so the fixes' commands name the server to check once it is installed.
    const where =
      obtained.kind === 'tls'
        ? { address: obtained.address, port: obtained.port, chain: sessionChain(obtained.session) }
        : { address: host, port: ROLE_PORTS[judged.role], chain: fileChain(obtained.path, chain, anchors, now) };
    const presented: PresentedCertificate = { role: judged.role, domain, host, ...where, issuerDownloads };
    const { target, findings } = judgePresentedCertificate(allChecks, presented, options, now);
    return domainReport(target, findings);
  });
  const finishedAt = new Date();
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'fedcheck', version: VERSION },
    startedAt: now.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - now.getTime(),
    source: { kind: 'live' },
    options: { vantage: 'external', resolvers: settings.resolvers.map(formatServer), timeoutMs: settings.timeoutMs, allowPrivate: settings.allowPrivate },
    summary: summarize(domains, false),
    domains,
  };
}

/** As the live run does: when the chain stops short of a trusted root, the issuer named by its AIA URL is fetched. */
async function missingIssuerDownload(
  chain: string[],
  anchors: TrustStore,
  now: Date,
  download: IssuerDownload,
): Promise<Record<string, ProbeOutcome<HttpFetchFacts>>> {
  const url = analyzeChain(chain, now, { anchors }).missingIssuer?.aiaCaIssuers.find((candidate) => /^https?:\/\//i.test(candidate));
  return url === undefined ? {} : { [url]: await downloadIssuer(url, download) };
}
