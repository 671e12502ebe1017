// `fedcheck check <domain...>`: gather facts live (or load them with --replay), judge, report.

import { UsageError } from '../model/errors.js';
import type { SavedFacts } from '../model/facts-file.js';
import type { Report } from '../model/report.js';
import { gatherOnly, judgeLive, replay, startRun, unansweredResolvers } from '../engine/run.js';
import type { LiveRun } from '../engine/run.js';
import { formatServer, systemResolvers } from '../probes/resolvers.js';
import type { DnsServer } from '../probes/resolvers.js';
import { parseCheckOptions } from './options.js';
import type { CheckFlags, LiveSettings, OutputSettings, ReplaySettings } from './options.js';
import { loadClientCertificate } from './credentials.js';
import { loadCaFiles } from '../config/ca-files.js';
import { checkOutputPaths, emitReport } from './output.js';
import { progressWanted, startProgress } from './progress.js';
import { traceOutput } from './trace-output.js';
import type { TraceOutput } from './trace-output.js';

export async function runCheck(domains: string[], flags: CheckFlags): Promise<number> {
  const { run, output } = parseCheckOptions(domains, flags);
  checkOutputPaths(output);
  const trace = traceOutput(flags.trace, process.env);
  const { report, saved } = run.mode === 'replay' ? await replayFile(run) : await checkLive(run, output, trace);
  const exitCode = await emitReport(report, saved, output, oneDomainCommand(run));
  trace.print(process.stderr);
  return exitCode;
}

/** For the terminal report's closing hint: checking one domain alone shows its problems in full. */
function oneDomainCommand(run: ReturnType<typeof parseCheckOptions>['run']): string {
  if (run.mode === 'replay') return `fedcheck check --replay ${shellWord(run.file)} <domain>`;
  return 'fedcheck check <domain> (with the same options)';
}

/** A file name as a shell reads it back: quoted when it holds anything beyond the usual path characters. */
function shellWord(text: string): string {
  return /^[\w./@:+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** The report, and the facts it was judged from (for --save-facts). */
async function replayFile({ file, domains }: ReplaySettings): Promise<{ report: Report; saved: SavedFacts }> {
  // The facts file's zod schema is loaded only for a replay.
  const { readFactsFile } = await import('../engine/facts-io.js');
  const saved = readFactsFile(file);
  const heldDomains = saved.targets.map((target) => target.domain);
  const missing = domains.filter((domain) => !heldDomains.includes(domain));
  if (missing.length > 0) {
    throw new UsageError(
      `facts file "${file}" holds no facts for ${missing.join(', ')}: it holds ${heldDomains.join(', ') || 'no domain'}`,
    );
  }
  const targets = domains.length === 0 ? saved.targets : saved.targets.filter((t) => domains.includes(t.domain));
  const judged = { ...saved, targets };
  return { report: replay(judged, file), saved: judged };
}

async function checkLive(live: LiveSettings, output: OutputSettings, trace: TraceOutput): Promise<{ report: Report; saved: SavedFacts }> {
  const resolvers = live.resolvers ?? systemResolvers();
  const progress = startProgress(
    progressWanted(output.format, process.stderr, process.env),
    `asking ${resolvers.map(formatServer).join(', ')}`,
  );
  try {
    const caPem = loadCaFiles(live.caFiles);
    const clientCertificate = live.clientCert && (await loadClientCertificate(live.clientCert.cert, live.clientCert.key));
    const options = {
      targets: live.targets,
      resolvers,
      authoritativePort: live.authoritativePort,
      vantage: live.vantage,
      allowPrivate: live.allowPrivate,
      timeoutMs: live.timeoutMs,
      deadlineMs: live.deadlineMs,
      concurrency: live.concurrency,
      caPem,
      expiryWarningDays: live.expiryWarningDays,
      expiryCriticalDays: live.expiryCriticalDays,
      revocation: live.revocation,
      ...(clientCertificate ? { clientCertificate } : {}),
      ...(live.fromDomain !== undefined ? { fromDomain: live.fromDomain } : {}),
      onProgress: progress.probes,
      ...(trace.record ? { onTrace: trace.record } : {}),
    };
    const run = startRun(options);
    const saved = await gatherOnly(options, run);
    ensureResolversAnswered(run, saved, resolvers, live);
    return { report: await judgeLive(saved, run), saved };
  } finally {
    progress.stop();
  }
}

/** A resolver that answered nothing would turn every finding into an error: the run stops, naming the setting. */
function ensureResolversAnswered(run: LiveRun, saved: SavedFacts, resolvers: DnsServer[], live: LiveSettings): void {
  const unanswered = unansweredResolvers(run, saved, resolvers);
  if (unanswered === undefined) return;
  const hint = live.resolvers === undefined ? 'check /etc/resolv.conf or pass --resolver IP[:PORT]' : 'check --resolver';
  throw new UsageError(`${unanswered}: ${hint}`);
}
