// `fedcheck policy explain <partner>` and `fedcheck policy lint`: our own federation policy, from the config file.

import { partnerAllowedFindings } from '../policy/partner-findings.js';
import { loadConfig } from '../config/load.js';
import type { FedcheckConfig } from '../model/config.js';
import { normalizeDomain } from '../model/target.js';
import { gatherLive, judgeLive, startRun } from '../engine/run.js';
import { probeCiscoNextHops } from '../policy/cisco-probes.js';
import { primaryOwnDomain } from '../policy/config-views.js';
import { renderDecision } from '../policy/decision-text.js';
import { explainPolicy } from '../policy/explain.js';
import { explainTarget } from '../policy/explain-target.js';
import { gatherPartnerHosting } from '../policy/gather.js';
import { lintPolicy } from '../policy/lint.js';
import type { LintFacts } from '../policy/lint.js';
import { policyReport, withFindings } from '../policy/report.js';
import { formatServer, parseResolverSpec, systemResolvers } from '../probes/resolvers.js';
import type { DnsServer } from '../probes/resolvers.js';
import { loadCaFiles } from '../config/ca-files.js';
import { parseCheckOptions } from './options.js';
import { authoritativePortFor } from '../probes/resolvers.js';
import { parseChoice } from '../util/choices.js';
import { shouldColor, terminalWidth } from './output.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import type { TerminalOptions } from '../report/terminal.js';
import type { Report } from '../model/report.js';
import { reportToJson } from '../model/report-json.js';

export interface PolicyFlags {
  config: string;
  resolver?: string[];
  allowPrivate?: string | true;
  timeout?: string;
  caFile?: string[];
  format?: string;
  color: boolean;
}

interface ProbeSettings {
  resolvers: DnsServer[];
  allowPrivate: string[];
  timeoutMs: number;
  caPem: string[];
  format: PolicyFormat;
  color: boolean;
}

const POLICY_FORMATS = ['terminal', 'json'] as const;
type PolicyFormat = (typeof POLICY_FORMATS)[number];

/** The command line wins over the config; both are validated as `fedcheck check` validates its flags. */
function probeSettings(config: FedcheckConfig, flags: PolicyFlags, domain: string): ProbeSettings {
  const parsed = parseCheckOptions([domain], {
    color: flags.color,
    ...(flags.resolver !== undefined ? { resolver: flags.resolver } : {}),
    ...(flags.allowPrivate !== undefined ? { allowPrivate: flags.allowPrivate } : {}),
    ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
    ...(flags.caFile !== undefined ? { caFile: flags.caFile } : {}),
  });
  if (parsed.run.mode !== 'live') throw new Error('policy commands always run live');
  const live = parsed.run;
  const configured = config.check.resolvers.map(parseResolverSpec);
  const format = parseChoice(flags.format, '--format', POLICY_FORMATS, 'terminal');
  return {
    resolvers: live.resolvers ?? (configured.length > 0 ? configured : systemResolvers()),
    allowPrivate: flags.allowPrivate !== undefined ? live.allowPrivate : config.check.allowPrivate,
    timeoutMs: flags.timeout !== undefined ? live.timeoutMs : config.check.timeoutMs,
    caPem: loadCaFiles(flags.caFile !== undefined ? live.caFiles : config.check.caFiles),
    format,
    color: shouldColor({ format, colorWanted: flags.color }, process.stdout, process.env),
  };
}

export async function explain(partnerInput: string, flags: PolicyFlags): Promise<number> {
  const config = loadConfig(flags.config);
  const partner = normalizeDomain(partnerInput, 'partner domain');
  const settings = probeSettings(config, flags, partner);
  const { decision, target, partnerHosting, report } = await explainLive(config, partner, settings);
  const judged = withFindings(report, partnerAllowedFindings(config, partner, partnerHosting));
  if (settings.format === 'json') process.stdout.write(`${JSON.stringify({ decision, report: reportToJson(judged) }, null, 2)}\n`);
  else process.stdout.write(renderDecision(decision, config.source, target) + renderTerminal(judged, policyLayout(settings)));
  return judged.summary.exitCode;
}

/** The policy's lookup and the partner's checks, through one scheduler: the partner's SRV record is asked once. */
async function explainLive(config: FedcheckConfig, partner: string, settings: ProbeSettings) {
  const { timeoutMs } = settings;
  const { deadlineMs, concurrency } = config.check;
  const run = startRun({ timeoutMs, deadlineMs, concurrency });
  try {
    const partnerHosting = await gatherPartnerHosting(config, settings.resolvers, run.scheduler, [partner]);
    const decision = explainPolicy(config, partner, partnerHosting[partner]);
    const target = explainTarget(decision);
    const saved = await gatherLive(
      {
        targets: [target],
        resolvers: settings.resolvers,
        authoritativePort: authoritativePortFor(settings.resolvers),
        vantage: config.check.vantage,
        allowPrivate: settings.allowPrivate,
        expiryWarningDays: config.thresholds.certificateWarningDays,
        expiryCriticalDays: config.thresholds.certificateCriticalDays,
        caPem: settings.caPem,
        timeoutMs,
        deadlineMs,
        concurrency,
        ...(config.fromDomain !== undefined ? { fromDomain: config.fromDomain } : {}),
      },
      run,
    );
    return { decision, target, partnerHosting, report: await judgeLive(saved, run) };
  } finally {
    run.scheduler.close();
  }
}

export async function lint(flags: PolicyFlags): Promise<number> {
  const startedAt = new Date();
  const config = loadConfig(flags.config);
  const settings = probeSettings(config, flags, primaryOwnDomain(config));
  const { timeoutMs, resolvers, allowPrivate } = settings;
  const { deadlineReached, ...lintFacts } = await gatherLintFacts(config, settings);
  const report = policyReport(config, lintPolicy(config, lintFacts), {
    startedAt,
    finishedAt: new Date(),
    vantage: config.check.vantage,
    resolvers: resolvers.map(formatServer),
    timeoutMs,
    allowPrivate,
    deadlineReached,
  });
  process.stdout.write(render(report, settings));
  return report.summary.exitCode;
}

/** The partners' hosting and the Cisco next hops, through one scheduler. */
async function gatherLintFacts(config: FedcheckConfig, settings: ProbeSettings): Promise<LintFacts & { deadlineReached: boolean }> {
  const { timeoutMs, resolvers } = settings;
  const { deadlineMs, concurrency } = config.check;
  const run = startRun({ timeoutMs, deadlineMs, concurrency });
  try {
    const [partnerHosting, nextHops] = await Promise.all([
      gatherPartnerHosting(config, resolvers, run.scheduler),
      probeCiscoNextHops(config, { resolvers, caPem: settings.caPem }, run.scheduler),
    ]);
    return { partnerHosting, nextHops, deadlineReached: run.scheduler.deadlineReached };
  } finally {
    run.scheduler.close();
  }
}

function render(report: Report, settings: ProbeSettings): string {
  return settings.format === 'json' ? renderJson(report) : renderTerminal(report, policyLayout(settings));
}

/** A policy finding's fix is an edit of the config or a cmdlet to paste: always shown in full, whatever the domains. */
function policyLayout(settings: ProbeSettings): TerminalOptions {
  return { color: settings.color, details: true, width: terminalWidth(process.stdout, process.env) };
}
