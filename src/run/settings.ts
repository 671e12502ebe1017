// What one `fedcheck run` does: the config file's settings with the command line's overrides on top.
// A value given on the command line replaces the config's, lists included (--resolver, --ca-file,
// --allow-private), so one rule says where every setting came from.

import { ALL_NON_PUBLIC, isValidCidr } from '../judge/address-scope.js';
import { UsageError } from '../model/errors.js';
import type { LiveRunOptions } from '../engine/run.js';
import { configTargets, loadConfig } from '../config/load.js';
import type { FedcheckConfig } from '../model/config.js';
import { parseChoice } from '../util/choices.js';
import { loadCaFiles } from '../config/ca-files.js';
import { authoritativePortFor, parseResolverSpec, systemResolvers } from '../probes/resolvers.js';
import { REPORT_FORMATS } from '../report/index.js';
import type { ReportFormat } from '../report/index.js';
import { WEBHOOK_DEFAULTS, parseWebhookUrl } from './webhook.js';
import type { PostOptions } from './webhook.js';


/** The options as commander hands them over. */
export interface RunFlags {
  config?: string;
  outDir?: string;
  history?: string;
  format?: string;
  concurrency?: string;
  deadline?: string;
  timeout?: string;
  webhook?: string;
  webhookTimeout?: string;
  resolver?: string[];
  /** True when given without a list. */
  allowPrivate?: string | true;
  caFile?: string[];
  revocation?: boolean;
  /** Read by the command (src/cli/run-credentials.ts), which asks for a passphrase when it must. */
  clientCert?: string;
  clientKey?: string;
  /** False with --no-color. */
  color: boolean;
  /** --trace: the per-probe timeline on stderr. */
  trace?: boolean;
}

export interface NightlySettings {
  config: FedcheckConfig;
  live: Omit<LiveRunOptions, 'onProgress' | 'signal'>;
  /** Set when the command line or the config names a folder. */
  outDir?: string;
  historyDir?: string;
  webhook?: { url: URL; post: Omit<PostOptions, 'signal'> };
  /** --format; absent, the terminal report is printed, or only a summary when there is an output folder. */
  format?: ReportFormat;
  colorWanted: boolean;
}

export function nightlySettings(flags: RunFlags): NightlySettings {
  if (flags.config === undefined || flags.config.trim() === '') {
    throw new UsageError('no config given: expected fedcheck run --config FILE (fedcheck init writes a starter config)');
  }
  // Options first: a typo on the command line is reported before the config file is even read.
  const format = flags.format === undefined ? undefined : parseChoice(flags.format, '--format', REPORT_FORMATS, 'terminal');
  const overrides = {
    timeoutMs: optionalInteger(flags.timeout, '--timeout', 'milliseconds, such as 5000'),
    deadlineMs: optionalInteger(flags.deadline, '--deadline', 'milliseconds, such as 600000'),
    concurrency: optionalInteger(flags.concurrency, '--concurrency', 'probes, such as 32'),
    webhookTimeoutMs: optionalInteger(flags.webhookTimeout, '--webhook-timeout', 'milliseconds, such as 10000'),
    allowPrivate: flags.allowPrivate === undefined ? undefined : parseAllowPrivate(flags.allowPrivate),
  };
  // An empty --webhook is a CI secret left unset: no webhook, the config's included, rather than a bad URL.
  const webhookOff = flags.webhook?.trim() === '';
  const webhookFromFlag = flags.webhook === undefined || webhookOff ? undefined : parseWebhookUrl(flags.webhook, '--webhook');
  const config = loadConfig(flags.config);
  const { check } = config;
  const resolvers = (flags.resolver ?? check.resolvers).map(parseResolverSpec);
  const chosenResolvers = resolvers.length > 0 ? resolvers : systemResolvers();
  const webhookUrl = webhookOff ? undefined : (webhookFromFlag ?? optionalUrl(config.outputs.webhookUrl, `${config.source}: outputs.webhookUrl`));
  const settings: NightlySettings = {
    config,
    live: {
      targets: configTargets(config),
      resolvers: chosenResolvers,
      authoritativePort: authoritativePortFor(chosenResolvers),
      vantage: check.vantage,
      allowPrivate: overrides.allowPrivate ?? check.allowPrivate,
      expiryWarningDays: config.thresholds.certificateWarningDays,
      expiryCriticalDays: config.thresholds.certificateCriticalDays,
      caPem: loadCaFiles(flags.caFile ?? check.caFiles),
      timeoutMs: overrides.timeoutMs ?? check.timeoutMs,
      deadlineMs: overrides.deadlineMs ?? check.deadlineMs,
      concurrency: overrides.concurrency ?? check.concurrency,
      revocation: flags.revocation === true || check.revocation,
      ...(config.fromDomain !== undefined ? { fromDomain: config.fromDomain } : {}),
    },
    colorWanted: flags.color,
  };
  const outDir = flags.outDir ?? config.outputs.dir;
  const historyDir = flags.history ?? config.outputs.historyDir;
  if (outDir !== undefined) settings.outDir = nonEmptyPath(outDir, '--out-dir');
  if (historyDir !== undefined) settings.historyDir = nonEmptyPath(historyDir, '--history');
  if (format !== undefined) settings.format = format;
  if (webhookUrl !== undefined) {
    settings.webhook = {
      url: webhookUrl,
      post: { ...WEBHOOK_DEFAULTS, timeoutMs: overrides.webhookTimeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs },
    };
  }
  return settings;
}

function optionalUrl(value: string | undefined, what: string): URL | undefined {
  return value === undefined ? undefined : parseWebhookUrl(value, what);
}

function optionalInteger(value: string | undefined, flag: string, unit: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`invalid ${flag} "${value}": expected a whole number of ${unit}`);
  }
  return number;
}

/** No list: every non-public network; a comma list: only those networks (as for `fedcheck check`). */
function parseAllowPrivate(value: string | true): string[] {
  if (value === true) return [...ALL_NON_PUBLIC];
  const networks = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const invalid = networks.find((network) => !isValidCidr(network));
  if (networks.length === 0 || invalid !== undefined) {
    throw new UsageError(
      `invalid --allow-private "${value}": expected a comma-separated list of networks such as 127.0.0.0/8,::1/128`,
    );
  }
  return [...new Set(networks)];
}

function nonEmptyPath(value: string, flag: string): string {
  if (value.trim() === '') throw new UsageError(`invalid ${flag} "": expected a folder path`);
  return value;
}
