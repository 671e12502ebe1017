// `fedcheck run --config F`: the nightly job. Every own and partner domain of the config, the report files,
// the history, the chat message, and an exit code a scheduler or a monitoring system can act on.

import { join } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { REPORT_FORMATS, formatExitCode, renderReport } from '../report/index.js';
import { watchInterrupts } from '../run/interrupt.js';
import type { InterruptWatch } from '../run/interrupt.js';
import { PARTIAL_DIR, preflight, renderOptions, runNightly } from '../run/nightly.js';
import type { NightlyResult } from '../run/nightly.js';
import { nightlySettings } from '../run/settings.js';
import type { NightlySettings, RunFlags } from '../run/settings.js';
import { WEBHOOK_DEFAULTS } from '../run/webhook.js';
import { DEFAULTS } from '../util/defaults.js';
import { shouldColor } from './output.js';
import { progressWanted, startProgress } from './progress.js';
import { traceOutput } from './trace-output.js';
import type { TraceOutput } from './trace-output.js';

const EXAMPLES = `
Examples:
  fedcheck run --config fedcheck.yaml                           every domain of the config, report on the terminal
  fedcheck run --config fedcheck.yaml --out-dir /var/www/fedcheck --history /var/lib/fedcheck/history
                                                                report files, and what changed since the last run
  fedcheck run --config fedcheck.yaml --format nagios           one Nagios / Icinga status line and its exit code
  fedcheck run --config fedcheck.yaml --webhook https://hooks.slack.com/services/...

Exit codes: 0 all pass, 1 the worst finding is a warning, 2 a failure or an error (--format nagios: 0 OK,
1 WARNING, 2 CRITICAL, 3 UNKNOWN), 3 fedcheck could not run, or the run was interrupted (SIGINT, SIGTERM):
the partial report is written to interrupted/ in the output folder, beside the last complete one. A webhook that cannot be reached never changes the exit code.`;

export function defineRunCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('run')
    .description('the nightly job: check every own and partner domain of a config file, write the reports, say what changed')
    .option('--config <file>', 'the config file (YAML) naming own and partner domains, the policy and the outputs (required)')
    .option('--out-dir <dir>', 'write report.json, report.html, junit.xml, fedcheck.prom and summary.md here (default: outputs.dir of the config)')
    .option('--history <dir>', "keep every run's JSON here and compare each run with the previous one (default: outputs.historyDir of the config)")
    .option('--format <format>', `print the report on stdout in this format: ${REPORT_FORMATS.join(', ')} (default: the terminal report, or a short summary with --out-dir)`)
    .option('--concurrency <n>', `most probes running at once (default: check.concurrency of the config, else ${DEFAULTS.concurrency})`)
    .option('--deadline <ms>', `time limit of the whole run, in milliseconds (default: check.deadlineMs of the config, else ${DEFAULTS.deadlineMs})`)
    .option('--timeout <ms>', `time limit of each probe, in milliseconds (default: check.timeoutMs of the config, else ${DEFAULTS.timeoutMs})`)
    .option('--webhook <url>', 'post a summary to this Slack or Microsoft Teams incoming webhook (default: outputs.webhookUrl of the config)')
    .option('--webhook-timeout <ms>', `time limit of each webhook attempt, in milliseconds (default: ${WEBHOOK_DEFAULTS.timeoutMs})`)
    .option('--resolver <ip[:port]>', 'a DNS resolver to ask instead of the config\'s check.resolvers; repeatable', collect)
    .option(
      '--allow-private [cidrs]',
      "also connect to these private networks (comma-separated), instead of the config's check.allowPrivate; without a value every non-public network",
    )
    .option('--ca-file <pem>', "trust the CA certificates in this PEM file, instead of the config's check.caFiles; repeatable", collect)
    .option('--revocation', "also check whether each certificate is revoked, by OCSP or its CRL (default: check.revocation of the config)")
    .option('--no-color', 'no colour in the terminal report')
    .option('--trace', 'after the report, print on stderr when each probe ran and how it ended, and the longest chain of probes (also FEDCHECK_TRACE=1, or =json for one line of JSON)')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: RunFlags) => finish(await run(flags)));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function run(flags: RunFlags): Promise<number> {
  // Watched from the start: a Ctrl+C while the config loads ends the run as cleanly as one while probing.
  const interrupts = watchInterrupts();
  try {
    const settings = nightlySettings(flags);
    preflight(settings);
    const trace = traceOutput(flags.trace, process.env);
    const result = await runWithProgress(settings, interrupts, trace);
    const exitCode = finish(settings, result, interrupts);
    trace.print(process.stderr);
    return exitCode;
  } finally {
    interrupts.dispose();
  }
}

async function runWithProgress(settings: NightlySettings, interrupts: InterruptWatch, trace: TraceOutput): Promise<NightlyResult> {
  const { targets } = settings.live;
  const own = targets.filter((target) => target.role === 'own').length;
  // The machine-readable formats are for scripts: no spinner even on a terminal, as for `fedcheck check`.
  const wanted = progressWanted(settings.format === undefined || settings.format === 'terminal' ? 'terminal' : 'json', process.stderr, process.env);
  const progress = startProgress(wanted, `checking ${own} own and ${targets.length - own} partner domains`);
  try {
    return await runNightly(settings, { signal: interrupts.signal, onProgress: progress.probes, ...(trace.record ? { onTrace: trace.record } : {}) });
  } finally {
    progress.stop();
  }
}

function finish(settings: NightlySettings, result: NightlyResult, interrupts: InterruptWatch): number {
  const { report } = result;
  const options = renderOptions(settings, result);
  const printed = settings.format ?? (settings.outDir === undefined ? 'terminal' : undefined);
  const interruption = interrupts.received();
  if (interruption !== undefined && report.summary.partial === true) {
    // Nagios reads UNKNOWN for a check that could not finish, whatever it had seen by then.
    if (printed === 'nagios') process.stdout.write(`FEDCHECK UNKNOWN - interrupted by ${interruption} before every probe finished\n`);
    else if (printed !== undefined) process.stdout.write(renderReport(printed, report, { ...options, color: color(settings) }));
    const where =
      settings.outDir === undefined ? '' : `: the partial report is in ${join(settings.outDir, PARTIAL_DIR)}; the last complete reports in ${settings.outDir} are kept`;
    process.stderr.write(`fedcheck: interrupted by ${interruption}${where}\n`);
    return EXIT.unusable;
  }
  warnAboutWebhook(report);
  if (printed === undefined) {
    process.stdout.write(summaryText(report, result));
    return report.summary.exitCode;
  }
  const text = renderReport(printed, report, { ...options, color: color(settings) });
  process.stdout.write(printed === 'terminal' ? text + changesText(result) : text);
  return formatExitCode(printed, report, options);
}

/** Never fatal and never the exit code: the domains' health is the answer, the chat message only a copy. */
function warnAboutWebhook(report: Report): void {
  const delivery = report.webhook;
  if (delivery === undefined || delivery.delivered) return;
  const attempts = `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`;
  process.stderr.write(`fedcheck: warning: webhook post to ${delivery.target} failed after ${attempts}: ${delivery.error ?? 'unknown error'}\n`);
}

function color(settings: NightlySettings): boolean {
  return shouldColor({ format: 'terminal', colorWanted: settings.colorWanted }, process.stdout, process.env);
}

/** With --out-dir the report is in the files: the terminal (or the cron mail) gets the gist and where to look. */
function summaryText(report: Report, result: NightlyResult): string {
  const problems = report.domains.filter((d) => d.worst === 'fail' || d.worst === 'error');
  const warnings = report.domains.filter((d) => d.worst === 'warn');
  const { counts } = report.summary;
  const lines = [
    `fedcheck run: ${problems.length} of ${report.domains.length} domains failing, ${warnings.length} with warnings` +
      ` (findings: ${counts.fail} fail, ${counts.error} error, ${counts.warn} warn, ${counts.pass} pass)`,
    ...problems.map((d) => `  ${d.worst.toUpperCase().padEnd(5)} ${d.domain}${d.role ? ` (${d.role})` : ''}`),
    ...warnings.map((d) => `  WARN  ${d.domain}${d.role ? ` (${d.role})` : ''}`),
  ];
  if (report.summary.deadlineReached) lines.push('The run deadline was reached: probes still running were cut short.');
  return `${lines.join('\n')}\n${changesText(result)}${result.written.length > 0 ? `Wrote ${result.written.join(', ')}\n` : ''}`;
}

function changesText(result: NightlyResult): string {
  const [headline, ...items] = result.changes;
  if (headline === undefined) return '';
  return `${[headline, ...items.map((item) => `  ${item}`)].join('\n')}\n`;
}
