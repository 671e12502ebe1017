// `fedcheck run --config F`: the nightly job. Every own and partner domain of the config, the report files,
// the history, the chat message, and an exit code a scheduler or a monitoring system can act on.

import { join } from 'node:path';
import { EXIT } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { formatExitCode, renderReport } from '../report/index.js';
import { watchInterrupts } from '../run/interrupt.js';
import type { InterruptWatch } from '../run/interrupt.js';
import { PARTIAL_DIR, preflight, renderOptions, runNightly } from '../run/nightly.js';
import type { NightlyResult } from '../run/nightly.js';
import { nightlySettings } from '../run/settings.js';
import type { NightlySettings, RunFlags } from '../run/settings.js';
import type { RenderOptions } from '../report/reporter.js';
import { shouldColor, terminalWidth } from './output.js';
import { runClientCertificate } from './run-credentials.js';
import { progressWanted, startProgress } from './progress.js';
import { traceOutput } from './trace-output.js';
import type { TraceOutput } from './trace-output.js';

/** The terminal report's own options, beside the nightly settings. */
export interface TerminalFlags {
  verbose?: boolean;
  details?: boolean;
}

export async function run(flags: RunFlags & TerminalFlags): Promise<number> {
  // Watched from the start: a Ctrl+C while the config loads ends the run as cleanly as one while probing.
  const interrupts = watchInterrupts();
  try {
    const settings = nightlySettings(flags);
    const clientCertificate = await runClientCertificate(flags, settings.config);
    if (clientCertificate !== undefined) settings.live.clientCertificate = clientCertificate;
    preflight(settings);
    const trace = traceOutput(flags.trace, process.env);
    const result = await runWithProgress(settings, interrupts, trace);
    const exitCode = finish(settings, result, interrupts, { verbose: flags.verbose === true, details: flags.details === true });
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

function finish(settings: NightlySettings, result: NightlyResult, interrupts: InterruptWatch, layout: RenderOptions): number {
  const { report } = result;
  const options: RenderOptions = { ...renderOptions(settings, result), ...layout, width: terminalWidth(process.stdout, process.env) };
  const printed = settings.format ?? (settings.outDir === undefined ? 'terminal' : undefined);
  const interruption = interrupts.received();
  if (interruption !== undefined && report.summary.partial === true) {
    // Nagios reads UNKNOWN for a check that could not finish, whatever it had seen by then.
    if (printed === 'nagios') process.stdout.write(`FEDCHECK UNKNOWN: interrupted by ${interruption} before every probe finished\n`);
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
