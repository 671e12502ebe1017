// `fedcheck policy explain <partner>` and `fedcheck policy lint`: our own federation policy, from the config file.

import type { Command } from 'commander';
import { partnerAllowedFindings } from '../policy/partner-findings.js';
import { loadConfig } from '../config/load.js';
import type { FedcheckConfig } from '../model/config.js';
import { normalizeDomain } from '../model/target.js';
import { runLive } from '../engine/run.js';
import { probeCiscoNextHops } from '../policy/cisco-probes.js';
import { primaryOwnDomain } from '../policy/config-views.js';
import { renderDecision } from '../policy/decision-text.js';
import { explainPolicy } from '../policy/explain.js';
import { explainTarget } from '../policy/explain-target.js';
import { gatherPartnerHosting } from '../policy/gather.js';
import { lintPolicy } from '../policy/lint.js';
import { policyReport, withFindings } from '../policy/report.js';
import { formatServer, parseResolverSpec, systemResolvers } from '../probes/resolvers.js';
import type { DnsServer } from '../probes/resolvers.js';
import { loadCaFiles } from '../config/ca-files.js';
import { parseCheckOptions } from './options.js';
import { authoritativePortFor } from '../probes/resolvers.js';
import { parseChoice } from '../util/choices.js';
import { shouldColor } from './output.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import type { Report } from '../model/report.js';
import { reportToJson } from '../model/report-json.js';

interface PolicyFlags {
  config: string;
  resolver?: string[];
  allowPrivate?: string | true;
  timeout?: string;
  caFile?: string[];
  format?: string;
  color: boolean;
}

const EXAMPLES = `
Examples:
  fedcheck policy explain fabrikam.com --config fedcheck.yaml   may we federate with fabrikam.com, and why not
  fedcheck policy lint --config fedcheck.yaml                   contradictions and gaps in the policy, with fixes

Options the config also holds (check.resolvers, allowPrivate, timeoutMs, caFiles) come from it unless given here.`;

export function definePolicyCommands(program: Command, finish: (exitCode: number) => void): void {
  const policy = program
    .command('policy')
    .description('our own federation policy, from the config file: explain the decision for a partner, or lint the policy')
    .addHelpText('after', EXAMPLES);
  withProbeOptions(
    policy
      .command('explain')
      .description('whether our policy allows a partner and by which rule, the federation type and what it needs, then the partner\'s live checks')
      .argument('<partner>', 'the partner domain, such as fabrikam.com'),
  )
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file; repeatable (default: check.caFiles)', collect)
    .action(async (partner: string, flags: PolicyFlags) => finish(await explain(partner, flags)));
  withProbeOptions(policy.command('lint').description('contradictions and gaps in the policy, each with its fix, and the Cisco static routes\' next hops probed'))
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file for the next-hop TLS probes; repeatable (default: check.caFiles)', collect)
    .action(async (flags: PolicyFlags) => finish(await lint(flags)));
}

function withProbeOptions(command: Command): Command {
  return command
    .requiredOption('--config <file>', 'the fedcheck config file (fedcheck init writes a starter)')
    .option('--resolver <ip[:port]>', 'a DNS resolver to ask; repeatable (default: check.resolvers, else the system\'s)', collect)
    .option('--allow-private [cidrs]', 'also connect to these private networks, comma-separated; no value: every non-public one (default: check.allowPrivate)')
    .option('--timeout <ms>', 'time limit of each probe, in milliseconds (default: check.timeoutMs)')
    .option('--format <format>', 'report format: terminal or json (default: terminal)')
    .option('--no-color', 'no colour in the terminal report');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
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

async function explain(partnerInput: string, flags: PolicyFlags): Promise<number> {
  const config = loadConfig(flags.config);
  const partner = normalizeDomain(partnerInput, 'partner domain');
  const settings = probeSettings(config, flags, partner);
  const { timeoutMs } = settings;
  const { deadlineMs, concurrency } = config.check;
  const partnerHosting = await gatherPartnerHosting(config, settings.resolvers, { timeoutMs, deadlineMs, concurrency, domains: [partner] });
  const decision = explainPolicy(config, partner, partnerHosting[partner]);
  const target = explainTarget(decision);
  const { report } = await runLive({
    targets: [target],
    resolvers: settings.resolvers,
    authoritativePort: authoritativePortFor(settings.resolvers),
    vantage: config.check.vantage,
    allowPrivate: settings.allowPrivate,
    expiryWarningDays: config.thresholds.certificateWarningDays,
    caPem: settings.caPem,
    timeoutMs,
    deadlineMs,
    concurrency,
    ...(config.fromDomain !== undefined ? { fromDomain: config.fromDomain } : {}),
  });
  const judged = withFindings(report, partnerAllowedFindings(config, partner, partnerHosting));
  if (settings.format === 'json') process.stdout.write(`${JSON.stringify({ decision, report: reportToJson(judged) }, null, 2)}\n`);
  else process.stdout.write(renderDecision(decision, config.source, target) + renderTerminal(judged, { color: settings.color }));
  return judged.summary.exitCode;
}

async function lint(flags: PolicyFlags): Promise<number> {
  const startedAt = new Date();
  const config = loadConfig(flags.config);
  const settings = probeSettings(config, flags, primaryOwnDomain(config));
  const { timeoutMs, resolvers, allowPrivate } = settings;
  const { deadlineMs, concurrency } = config.check;
  const [partnerHosting, nextHops] = await Promise.all([
    gatherPartnerHosting(config, resolvers, { timeoutMs, deadlineMs, concurrency }),
    probeCiscoNextHops(config, { resolvers, timeoutMs, deadlineMs, concurrency, caPem: settings.caPem }),
  ]);
  const report = policyReport(config, lintPolicy(config, { partnerHosting, nextHops }), {
    startedAt,
    finishedAt: new Date(),
    vantage: config.check.vantage,
    resolvers: resolvers.map(formatServer),
    timeoutMs,
    allowPrivate,
    deadlineReached: false,
  });
  process.stdout.write(render(report, settings));
  return report.summary.exitCode;
}

function render(report: Report, settings: ProbeSettings): string {
  return settings.format === 'json' ? renderJson(report) : renderTerminal(report, { color: settings.color });
}
