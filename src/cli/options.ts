// Turns the command line's raw option strings into validated settings; every mistake is one UsageError line.

import { ALL_NON_PUBLIC, isValidCidr } from '../judge/address-scope.js';
import type { Vantage } from '../model/check.js';
import { UsageError } from '../model/errors.js';
import { DEFAULTS } from '../util/defaults.js';
import { parseChoice } from '../util/choices.js';
import type { Service, Target } from '../model/target.js';
import { normalizeDomain } from '../model/target.js';
import { authoritativePortFor, parseResolverSpec } from '../probes/resolvers.js';
import type { DnsServer } from '../probes/resolvers.js';
import { REPORT_FORMATS } from '../report/index.js';
import type { ReportFormat } from '../report/index.js';

export type { ReportFormat } from '../report/index.js';

/** The options as commander hands them over: strings, booleans, absent when not given. */
export interface OutputFlags {
  format?: string;
  out?: string;
  saveFacts?: string;
  /** False with --no-color. */
  color: boolean;
  /** -v, --verbose: the terminal report lists the passes too. */
  verbose?: boolean;
  /** --details: the terminal report shows every problem's evidence and fix, however many domains. */
  details?: boolean;
}

export interface CheckFlags extends OutputFlags {
  sip?: boolean;
  xmpp?: boolean;
  expect?: string;
  edge?: string;
  vantage?: string;
  resolver?: string[];
  timeout?: string;
  deadline?: string;
  concurrency?: string;
  /** True when given without a list. */
  allowPrivate?: string | true;
  replay?: string;
  caFile?: string[];
  clientCert?: string;
  clientKey?: string;
  fromDomain?: string;
  warningDays?: string;
  /** The older name of --warning-days, still accepted. */
  warnDays?: string;
  criticalDays?: string;
  revocation?: boolean;
  /** --trace: the per-probe timeline on stderr. */
  trace?: boolean;
}

export interface OutputSettings {
  format: ReportFormat;
  out?: string;
  saveFacts?: string;
  /** The user did not turn colour off; a TTY and NO_COLOR decide the rest. */
  colorWanted: boolean;
  verbose?: boolean;
  details?: boolean;
}

export interface LiveSettings {
  mode: 'live';
  targets: Target[];
  /** Undefined: the system's resolvers, read when the run starts. */
  resolvers?: DnsServer[];
  authoritativePort: number;
  vantage: Vantage;
  timeoutMs: number;
  deadlineMs: number;
  concurrency: number;
  allowPrivate: string[];
  caFiles: string[];
  clientCert?: { cert: string; key?: string };
  fromDomain?: string;
  expiryWarningDays: number;
  expiryCriticalDays: number;
  /** --revocation: check each certificate's OCSP status or CRL. */
  revocation: boolean;
}

export interface ReplaySettings {
  mode: 'replay';
  file: string;
  /** Normalized; empty means every target of the file. */
  domains: string[];
}

export interface CheckSettings {
  run: LiveSettings | ReplaySettings;
  output: OutputSettings;
}

/** Options fixed when the facts were gathered, so a replay cannot honour them. */
const LIVE_ONLY: { key: keyof CheckFlags; flag: string }[] = [
  { key: 'sip', flag: '--sip' },
  { key: 'xmpp', flag: '--xmpp' },
  { key: 'expect', flag: '--expect' },
  { key: 'edge', flag: '--edge' },
  { key: 'vantage', flag: '--vantage' },
  { key: 'resolver', flag: '--resolver' },
  { key: 'timeout', flag: '--timeout' },
  { key: 'deadline', flag: '--deadline' },
  { key: 'concurrency', flag: '--concurrency' },
  { key: 'allowPrivate', flag: '--allow-private' },
  { key: 'saveFacts', flag: '--save-facts' },
  { key: 'caFile', flag: '--ca-file' },
  { key: 'clientCert', flag: '--client-cert' },
  { key: 'clientKey', flag: '--client-key' },
  { key: 'fromDomain', flag: '--from-domain' },
  { key: 'warningDays', flag: '--warning-days' },
  { key: 'warnDays', flag: '--warn-days' },
  { key: 'criticalDays', flag: '--critical-days' },
  { key: 'revocation', flag: '--revocation' },
];

export function parseCheckOptions(domainArgs: string[], flags: CheckFlags): CheckSettings {
  const output = parseOutputOptions(flags);
  const named = domainArgs.map((input) => ({ input, domain: normalizeDomain(input) }));
  const domains = unique(named.map(({ domain }) => domain));
  if (flags.replay !== undefined) {
    const conflicting = LIVE_ONLY.filter(({ key }) => flags[key] !== undefined).map(({ flag }) => flag);
    if (conflicting.length > 0) {
      throw new UsageError(
        `--replay judges saved facts again, so ${conflicting.join(', ')} cannot be combined with it: they were fixed when the facts were gathered`,
      );
    }
    return { run: { mode: 'replay', file: flags.replay, domains }, output };
  }
  // Before the domain count: `--allow-private contoso.com` swallows the domain as its value, and says so.
  const allowPrivate = parseAllowPrivate(flags.allowPrivate);
  if (domains.length === 0) {
    throw new UsageError('no domain given: expected fedcheck check <domain...>, such as fedcheck check contoso.com');
  }
  const services = parseServices(flags);
  const edge = parseEdge(flags.edge, domains, services);
  const expected = parseExpected(flags, services, edge);
  const resolvers = flags.resolver?.map(parseResolverSpec);
  const live: LiveSettings = {
    mode: 'live',
    targets: targetsFor(named, services, expected, edge),
    authoritativePort: authoritativePortFor(resolvers ?? []),
    vantage: parseVantage(flags.vantage),
    timeoutMs: parsePositiveInteger(flags.timeout, '--timeout', DEFAULTS.timeoutMs, 'milliseconds, such as 5000'),
    deadlineMs: parsePositiveInteger(flags.deadline, '--deadline', DEFAULTS.deadlineMs, 'milliseconds, such as 60000'),
    concurrency: parsePositiveInteger(flags.concurrency, '--concurrency', DEFAULTS.concurrency, 'probes, such as 32'),
    allowPrivate,
    caFiles: (flags.caFile ?? []).map((path) => nonEmptyPath(path, '--ca-file')),
    ...parseExpiryThresholds(flags),
    revocation: flags.revocation === true,
  };
  if (resolvers !== undefined) live.resolvers = resolvers;
  if (flags.clientKey !== undefined && flags.clientCert === undefined) {
    throw new UsageError('--client-key needs --client-cert: the key belongs to a certificate');
  }
  if (flags.clientCert !== undefined) {
    live.clientCert = { cert: nonEmptyPath(flags.clientCert, '--client-cert') };
    if (flags.clientKey !== undefined) live.clientCert.key = nonEmptyPath(flags.clientKey, '--client-key');
  }
  if (flags.fromDomain !== undefined) live.fromDomain = normalizeDomain(flags.fromDomain, '--from-domain');
  return { run: live, output };
}

export function parseOutputOptions(flags: OutputFlags): OutputSettings {
  const output: OutputSettings = {
    format: parseChoice(flags.format, '--format', REPORT_FORMATS, DEFAULTS.format),
    colorWanted: flags.color,
  };
  if (flags.verbose === true) output.verbose = true;
  if (flags.details === true) output.details = true;
  if (flags.out !== undefined) output.out = nonEmptyPath(flags.out, '--out');
  if (flags.saveFacts !== undefined) output.saveFacts = nonEmptyPath(flags.saveFacts, '--save-facts');
  return output;
}

/** Neither flag means both services: the usual question is "is this domain federated at all?". */
function parseServices(flags: Pick<CheckFlags, 'sip' | 'xmpp'>): Service[] {
  if (flags.sip === true && flags.xmpp !== true) return ['sip'];
  if (flags.xmpp === true && flags.sip !== true) return ['xmpp'];
  return ['sip', 'xmpp'];
}

/**
 * The services the domain must offer: those named by --sip / --xmpp (asking for a service expects it), by
 * --expect, and SIP when an Access Edge is configured. Without any, an unpublished service is only reported.
 */
function parseExpected(flags: Pick<CheckFlags, 'sip' | 'xmpp' | 'expect'>, services: Service[], edge: string | undefined): Service[] {
  const expected = new Set<Service>();
  if (flags.sip === true) expected.add('sip');
  if (flags.xmpp === true) expected.add('xmpp');
  if (edge !== undefined) expected.add('sip');
  if (flags.expect !== undefined) {
    const names = flags.expect.split(',').map((name) => name.trim().toLowerCase());
    const unknown = names.find((name) => name !== 'sip' && name !== 'xmpp');
    if (unknown !== undefined || names.length === 0) {
      throw new UsageError(`invalid --expect "${flags.expect}": expected sip, xmpp or sip,xmpp`);
    }
    for (const name of names as Service[]) {
      if (!services.includes(name)) {
        throw new UsageError(`--expect ${name} names a service that is not checked: drop --${services[0]} or --expect ${name}`);
      }
      expected.add(name);
    }
  }
  return services.filter((service) => expected.has(service));
}

/**
 * The lab serves every zone on one port, so a lone resolver on a non-standard port means the
 * domains' own name servers listen there too; otherwise they are asked on port 53.
 */

/** No list: every non-public network; a comma list: only those networks. */
export function parseAllowPrivate(value: string | true | undefined): string[] {
  if (value === undefined) return [];
  if (value === true) return [...ALL_NON_PUBLIC];
  const networks = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const invalid = networks.find((network) => !isValidCidr(network));
  if (networks.length === 0 || invalid !== undefined) {
    throw new UsageError(
      `invalid --allow-private "${value}": expected a comma-separated list of networks such as 127.0.0.0/8,::1/128` +
        ' (to allow every non-public network, give --allow-private without a value after the domains)',
    );
  }
  return unique(networks);
}

/** --warning-days and --critical-days: a certificate expiring in fewer days is a warning, in fewer still a failure. */
function parseExpiryThresholds(flags: Pick<CheckFlags, 'warningDays' | 'warnDays' | 'criticalDays'>): Pick<LiveSettings, 'expiryWarningDays' | 'expiryCriticalDays'> {
  if (flags.warningDays !== undefined && flags.warnDays !== undefined) {
    throw new UsageError('--warn-days is the former name of --warning-days: give only one of them');
  }
  const warningFlag = flags.warnDays !== undefined ? '--warn-days' : '--warning-days';
  const warning = parsePositiveInteger(flags.warningDays ?? flags.warnDays, warningFlag, DEFAULTS.warnDays, 'days, such as 30');
  const critical = parsePositiveInteger(flags.criticalDays, '--critical-days', DEFAULTS.criticalDays, 'days, such as 7');
  if (critical >= warning) {
    throw new UsageError(`--critical-days ${critical} must be fewer than ${warningFlag} ${warning}: a certificate is a warning first, then critical`);
  }
  return { expiryWarningDays: warning, expiryCriticalDays: critical };
}

export function parsePositiveInteger(value: string | undefined, flag: string, fallback: number, unit: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`invalid ${flag} "${value}": expected a whole number of ${unit}`);
  }
  return number;
}

function parseVantage(value: string | undefined): Vantage {
  return parseChoice<Vantage>(value, '--vantage', ['external', 'internal'], DEFAULTS.vantage);
}

function parseEdge(value: string | undefined, domains: string[], services: Service[]): string | undefined {
  if (value === undefined) return undefined;
  const edge = normalizeDomain(value, '--edge FQDN');
  if (domains.length !== 1) {
    throw new UsageError(`--edge ${edge} names the Access Edge of one domain: give exactly one domain with it`);
  }
  if (!services.includes('sip')) {
    throw new UsageError(`--edge ${edge} is a SIP Access Edge, but only --xmpp was asked for: drop --xmpp or add --sip`);
  }
  return edge;
}

/** One target per distinct domain, keeping the first spelling the user typed. */
function targetsFor(
  named: { input: string; domain: string }[],
  services: Service[],
  expected: Service[],
  edge: string | undefined,
): Target[] {
  const targets = new Map<string, Target>();
  for (const { input, domain } of named) {
    if (targets.has(domain)) continue;
    const target: Target = { domain, input, services, expected };
    if (edge !== undefined) target.edge = edge;
    targets.set(domain, target);
  }
  return [...targets.values()];
}

function nonEmptyPath(value: string, flag: string): string {
  if (value.trim() === '') throw new UsageError(`invalid ${flag} "": expected a file path`);
  return value;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

