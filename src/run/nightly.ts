// One nightly `fedcheck run`: every own and partner domain of the config probed and judged, the policy lint
// added, the comparison with the previous run, the chat message, the report files and the history entry.
// An interrupted run still judges and writes what it gathered, marked partial, but neither posts it, nor keeps
// it in the history, nor puts it in place of the last complete reports: half a run would read as every
// unfinished probe having broken overnight, on the dashboard and in Prometheus alike. It goes to interrupted/.

import { join } from 'node:path';
import { UsageError } from '../model/errors.js';
import type { SavedFacts } from '../model/facts-file.js';
import type { Finding } from '../model/finding.js';
import { domainReport, summarize } from '../model/report.js';
import type { Report } from '../model/report.js';
import type { FedcheckConfig } from '../model/config.js';
import { endGathering, gatherLive, judgeLive, startRun, unansweredResolvers } from '../engine/run.js';
import type { LiveRun } from '../engine/run.js';
import type { RunTrace } from '../gather/scheduler.js';
import { diffReports } from '../history/diff.js';
import type { ReportDiff } from '../history/diff.js';
import { latestRuns, pruneRuns, saveRun } from '../history/store.js';
import { probeCiscoNextHops } from '../policy/cisco-probes.js';
import { gatherPartnerHosting } from '../policy/gather.js';
import { lintPolicy } from '../policy/lint.js';
import { aboutJudgedServices, withFindings } from '../policy/report.js';
import { outFiles, renderReportChunks } from '../report/index.js';
import { changeLines } from './changes.js';
import { prepareDir, removeFiles, writeFilesAtomically } from './out-dir.js';
import type { NightlySettings } from './settings.js';
import { postWebhook } from './webhook.js';
import { webhookMessage } from './webhook-message.js';

/** Where in --out-dir an interrupted run's partial reports go; a later complete run removes it. */
export const PARTIAL_DIR = 'interrupted';

/** The files of --out-dir and their formats, from the reporter registry. */
const OUT_FILES = outFiles();

export interface NightlyResult {
  report: Report;
  saved: SavedFacts;
  /** Absent on the first run of a history folder, without one, and for a partial run. */
  diff?: ReportDiff;
  /** What changed, in a few lines (changeLines); empty without a diff. */
  changes: string[];
  /** The files written to the output folder. */
  written: string[];
}

export interface NightlyHooks {
  /** Aborted by SIGINT / SIGTERM. */
  signal: AbortSignal;
  onProgress?: (state: { started: number; finished: number }) => void;
  /** --trace: handed every probe's times once gathering ends. */
  onTrace?: (trace: RunTrace) => void;
}

/**
 * Before a run that may take minutes: folders that cannot be written. Instant, with no network: a resolver that
 * does not answer is told from the run's own first questions (ensureResolversAnswered).
 */
export function preflight(settings: NightlySettings): void {
  if (settings.outDir !== undefined) prepareDir(settings.outDir, 'the output folder');
  if (settings.historyDir !== undefined) prepareDir(settings.historyDir, 'the history folder');
}

export async function runNightly(settings: NightlySettings, hooks: NightlyHooks): Promise<NightlyResult> {
  const { config, live } = settings;
  // Read first: the comparison is with the run before this one, whatever this one writes.
  const previous = settings.historyDir === undefined ? undefined : latestRuns(settings.historyDir, 1)[0];
  const run = startRun({ ...live, signal: hooks.signal, ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    ...(hooks.onTrace ? { onTrace: hooks.onTrace } : {}),
  });
  const { saved, partnerHosting, nextHops } = await gatherAll(settings, run);
  ensureResolversAnswered(settings, run, saved);
  const judged = await judgeLive(saved, run);
  const partial = judged.summary.partial === true;
  let report = withPartnerNotes(withPolicyFindings(judged, aboutJudgedServices(judged, lintPolicy(config, { partnerHosting, nextHops }))), config);
  const diff = previous === undefined || partial ? undefined : diffReports(previous, { report, facts: saved });
  const changes = diff === undefined ? [] : changeLines(diff);
  if (settings.webhook !== undefined && !partial) {
    const { url, post } = settings.webhook;
    report = { ...report, webhook: await postWebhook(url, webhookMessage(report, changes), { ...post, signal: hooks.signal }) };
  }
  const result: NightlyResult = { report, saved, changes, written: [] };
  if (diff !== undefined) result.diff = diff;
  if (settings.outDir !== undefined) result.written = writeOutFiles(settings.outDir, settings, result);
  if (settings.historyDir !== undefined && !partial) {
    saveRun(settings.historyDir, report, saved);
    // Only once this run is saved: a failed or interrupted run never costs an older night.
    pruneRuns(settings.historyDir, config.history.keep);
  }
  return result;
}

/** The domains' facts and the policy's, gathered at once through the run's one scheduler. */
async function gatherAll({ config, live }: NightlySettings, run: LiveRun) {
  try {
    const [domainFacts, partnerHosting, nextHops] = await Promise.all([
      gatherLive(live, run),
      gatherPartnerHosting(config, live.resolvers, run.scheduler),
      probeCiscoNextHops(config, { resolvers: live.resolvers, caPem: live.caPem ?? [] }, run.scheduler),
    ]);
    // Every fact of the run, the policy's included: the domains' gathering may end before the policy's does.
    const saved: SavedFacts = { ...domainFacts, facts: run.scheduler.facts() };
    return { saved, partnerHosting, nextHops };
  } finally {
    endGathering(run);
  }
}

/** The render options every output shares: the comparison, and the config's certificate thresholds. */
export function renderOptions(settings: NightlySettings, result: Pick<NightlyResult, 'diff'>) {
  const { certificateWarningDays: warnDays, certificateCriticalDays: critDays } = settings.config.thresholds;
  return { warnDays, critDays, ...(result.diff !== undefined ? { diff: result.diff } : {}) };
}

function writeOutFiles(outDir: string, settings: NightlySettings, result: NightlyResult): string[] {
  const options = renderOptions(settings, result);
  // One format at a time, each streamed to its file; none takes its name before all are written (out-dir.ts).
  const files = OUT_FILES.map(({ name, format }) => ({ name, chunks: () => renderReportChunks(format, result.report, options) }));
  const partialDir = join(outDir, PARTIAL_DIR);
  if (result.report.summary.partial === true) {
    prepareDir(partialDir, 'the folder for the partial report');
    return writeFilesAtomically(partialDir, files);
  }
  const written = writeFilesAtomically(outDir, files);
  // The partial reports of an earlier interrupted run are older than these: only fedcheck's own files go.
  removeFiles(partialDir, OUT_FILES.map(({ name }) => name));
  return written;
}

/**
 * Policy findings join the domain they are about; one about a domain the config does not watch (a domain
 * both allowed and blocked, say) gets an entry of its own, with no services probed.
 */
function withPolicyFindings(report: Report, findings: Finding[]): Report {
  const merged = withFindings(report, findings);
  const watched = new Set(report.domains.map((domain) => domain.domain));
  const unwatched = [...new Set(findings.map((f) => f.domain))].filter((domain) => !watched.has(domain));
  const domains = [
    ...merged.domains,
    ...unwatched.map((domain) => domainReport({ domain, input: domain, services: [] }, findings.filter((f) => f.domain === domain))),
  ];
  return { ...merged, domains, summary: summarize(domains, report.summary.deadlineReached, report.summary.partial === true) };
}

/**
 * Each partner's `note:`, on its domain, as one line (a YAML block scalar's line breaks would break a status line);
 * a partner listed twice keeps both notes, in the config's order.
 */
function withPartnerNotes(report: Report, config: FedcheckConfig): Report {
  const notes = new Map<string, string[]>();
  for (const { domain, note } of config.partners) {
    const line = note?.replace(/\s+/g, ' ').trim() ?? '';
    if (line !== '') notes.set(domain, [...(notes.get(domain) ?? []), line]);
  }
  if (notes.size === 0) return report;
  const domains = report.domains.map((domain) => {
    const note = notes.get(domain.domain);
    return note === undefined ? domain : { ...domain, note: note.join('; ') };
  });
  return { ...report, domains };
}

/**
 * A resolver that answered nothing would turn every domain into an error overnight: the monitoring host's problem,
 * so the run stops (exit 3). One partner whose DNS fails is that partner's error finding, in a run that goes on.
 */
function ensureResolversAnswered({ config, live }: NightlySettings, run: LiveRun, saved: SavedFacts): void {
  const unanswered = unansweredResolvers(run, saved, live.resolvers);
  if (unanswered === undefined) return;
  throw new UsageError(`${unanswered}: check check.resolvers in ${config.source} or pass --resolver IP[:PORT]`);
}
