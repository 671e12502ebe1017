// One `fedcheck check`: gather the facts of every target (or load them), judge, build the report.

import { setImmediate } from 'node:timers/promises';
import { allChecks } from '../../checks/index.js';
import type { Vantage } from '../model/check.js';
import { DEFAULT_CHECK_OPTIONS } from '../model/check.js';
import { evaluateTarget } from './evaluate.js';
import { FactView } from '../model/facts.js';
import { observeDomain } from '../judge/observations.js';
import { servicePresence } from '../judge/presence.js';
import { savedCheckOptions } from '../model/facts-file.js';
import type { SavedFacts } from '../model/facts-file.js';
import { FACTS_FORMAT, FACTS_SCHEMA_VERSION } from '../model/facts-format.js';
import { gatherTarget } from '../gather/gather.js';
import type { DomainReport, Report } from '../model/report.js';
import { REPORT_SCHEMA_VERSION, domainReport, summarize } from '../model/report.js';
import { Scheduler } from '../gather/scheduler.js';
import type { ProbeTrace, RunTrace } from '../gather/scheduler.js';
import type { Target } from '../model/target.js';
import type { Finding } from '../model/finding.js';
import { factsNeededBy } from './needs.js';
import { VERSION } from '../util/version.js';
import { pemBlocks } from '../pki/pem.js';
import { formatServer } from '../probes/resolvers.js';
import type { ClientCertificate } from '../probes/tls.js';
import { protocolFactKey } from '../model/protocol-facts.js';
import type { DnsServer } from '../probes/resolvers.js';
import { describeResolverFailure, resolverFailedEverywhere } from '../probes/resolver-check.js';

/** The limits of one run, which everything it probes shares. */
export interface RunLimits {
  timeoutMs: number;
  /** Bounds the whole run: gathering, and judging after it. */
  deadlineMs: number;
  /** When gathering must end, if before deadlineMs: the rest is kept for judging (fedcheck serve must answer in time). */
  gatherDeadlineMs?: number;
  concurrency: number;
  onProgress?: (state: { started: number; finished: number }) => void;
  /** Each probe as it ends. */
  onProbe?: (probe: ProbeTrace) => void;
  /** --trace: handed every probe's times once gathering ends. */
  onTrace?: (trace: RunTrace) => void;
  /** Aborts the run (SIGINT, SIGTERM): what was gathered is judged, and the report is marked partial. */
  signal?: AbortSignal;
}

export interface LiveRunOptions extends RunLimits {
  targets: Target[];
  resolvers: DnsServer[];
  authoritativePort: number;
  vantage: Vantage;
  allowPrivate: string[];
  /** Defaults from DEFAULT_CHECK_OPTIONS. */
  expiryWarningDays?: number;
  expiryCriticalDays?: number;
  /** --ca-file: PEM certificates trusted beside Node's roots. */
  caPem?: string[];
  /** --client-cert: presented for mutual TLS, and linted like a partner's. */
  clientCertificate?: { credentials: ClientCertificate; chain: string[]; source: string };
  fromDomain?: string;
  /** --revocation: ask each leaf's OCSP responder, else fetch its CRL. */
  revocation?: boolean;
}

/**
 * One run's probing. Every part of a command (the domains' checks, the policy's partner lookups, the Cisco next
 * hops) asks through this one scheduler, so a question two of them share is asked once, under one concurrency
 * limit and one deadline.
 */
export interface LiveRun {
  scheduler: Scheduler;
  /** When the deadline falls (epoch ms): judging, which runs without yielding to the scheduler's timer, reads it. */
  deadlineAt: number;
  onTrace?: (trace: RunTrace) => void;
}

/** The run's scheduler; whoever starts the run closes it once everything is gathered. */
export function startRun(limits: RunLimits): LiveRun {
  const scheduler = new Scheduler({
    concurrency: limits.concurrency,
    probeTimeoutMs: limits.timeoutMs,
    deadlineMs: Math.min(limits.gatherDeadlineMs ?? limits.deadlineMs, limits.deadlineMs),
    ...(limits.onProgress ? { onProgress: limits.onProgress } : {}),
    ...(limits.onProbe ? { onProbe: limits.onProbe } : {}),
    ...(limits.signal ? { signal: limits.signal } : {}),
  });
  return { scheduler, deadlineAt: Date.now() + limits.deadlineMs, ...(limits.onTrace ? { onTrace: limits.onTrace } : {}) };
}

/**
 * Why the run's resolvers answered none of its questions, or undefined when one answer came: that is a setup problem
 * of the machine running fedcheck, not the domains', so the command stops (exit 3). A run cut short by its deadline
 * or an interrupt had its questions aborted, not unanswered.
 */
export function unansweredResolvers(run: LiveRun, saved: SavedFacts, resolvers: DnsServer[]): string | undefined {
  const { deadlineReached, interrupted } = run.scheduler;
  const failure = deadlineReached || interrupted ? undefined : resolverFailedEverywhere(saved.facts);
  return failure === undefined ? undefined : describeResolverFailure(resolvers, failure, saved.targets.length);
}

/** Ends the run's probing, once everything is gathered: its timers stop, and --trace gets every probe's times. */
export function endGathering(run: LiveRun): void {
  run.scheduler.close();
  run.onTrace?.(run.scheduler.trace());
}

/** Gathers, judges and closes the run: a command with nothing else to probe. */
export async function runLive(options: LiveRunOptions): Promise<{ report: Report; saved: SavedFacts }> {
  const run = startRun(options);
  const saved = await gatherOnly(options, run);
  return { report: await judgeLive(saved, run), saved };
}

/** The targets' facts, with the run's probing ended after them: for a command that probes nothing else. */
export async function gatherOnly(options: LiveRunOptions, run: LiveRun): Promise<SavedFacts> {
  try {
    return await gatherLive(options, run);
  } finally {
    endGathering(run);
  }
}

/** Gathers the facts of every target through the run's scheduler, and what a --save-facts file holds of them. */
export async function gatherLive(options: LiveRunOptions, { scheduler }: LiveRun): Promise<SavedFacts> {
  const startedAt = new Date();
  const caPem = options.caPem ?? [];
  const extraTrustAnchors = caPem.flatMap((pem) => pemBlocks(pem, 'CERTIFICATE').map((der) => der.toString('base64')));
  const gatherOptions = {
    resolvers: options.resolvers,
    authoritativePort: options.authoritativePort,
    vantage: options.vantage,
    allowPrivate: options.allowPrivate,
    extraCaPem: caPem,
    extraTrustAnchors,
    needs: factsNeededBy(allChecks),
    ...(options.clientCertificate ? { clientCertificate: options.clientCertificate.credentials } : {}),
    ...(options.fromDomain !== undefined ? { fromDomain: options.fromDomain } : {}),
    ...(options.revocation ? { revocation: true } : {}),
  };
  if (options.clientCertificate) {
    const { chain, source } = options.clientCertificate;
    await scheduler.record(protocolFactKey.localCertificate('client'), { status: 'ok', facts: { source, chain } });
  }
  await Promise.all(options.targets.map((target) => gatherTarget(target, scheduler, gatherOptions)));
  return {
    format: FACTS_FORMAT,
    schemaVersion: FACTS_SCHEMA_VERSION,
    tool: { name: 'fedcheck', version: VERSION },
    startedAt: startedAt.toISOString(),
    targets: options.targets,
    options: {
      vantage: options.vantage,
      allowPrivate: options.allowPrivate,
      expiryWarningDays: options.expiryWarningDays ?? DEFAULT_CHECK_OPTIONS.expiryWarningDays,
      expiryCriticalDays: options.expiryCriticalDays ?? DEFAULT_CHECK_OPTIONS.expiryCriticalDays,
      extraTrustAnchors,
      ...(options.fromDomain !== undefined ? { fromDomain: options.fromDomain } : {}),
      resolvers: options.resolvers.map(formatServer),
      timeoutMs: options.timeoutMs,
    },
    facts: scheduler.facts(),
  };
}

/**
 * Judges what the run gathered, until its deadline: a domain whose turn comes after it is reported unjudged.
 * It yields between domains, so a second Ctrl+C during a long judging is heard at once.
 */
export async function judgeLive(saved: SavedFacts, { scheduler, deadlineAt }: LiveRun): Promise<Report> {
  const judging = judgingOf(saved);
  const domains: DomainReport[] = [];
  let unjudged = 0;
  for (const target of saved.targets) {
    await setImmediate();
    if (Date.now() < deadlineAt) domains.push(judging.domain(target));
    else {
      unjudged += 1;
      domains.push(domainReport(target, [notJudgedFinding(target, deadlineAt)]));
    }
  }
  const cutShort = unjudged > 0;
  return judging.report({ kind: 'live' }, domains, new Date(), scheduler.deadlineReached || cutShort, scheduler.interrupted || cutShort);
}

/** Judges saved facts again, with no network: the same findings as the run that saved them. */
export function replay(saved: SavedFacts, file: string): Report {
  const judging = judgingOf(saved);
  // A replay's report is as of the run that saved the facts.
  return judging.report({ kind: 'replay', file }, saved.targets.map(judging.domain), new Date(saved.startedAt), false, false);
}

/** Judging one run's facts: each domain's findings and observations, then the report around them. */
function judgingOf(saved: SavedFacts) {
  const now = new Date(saved.startedAt);
  const checkOptions = savedCheckOptions(saved);
  const facts = new FactView(saved.facts);
  return {
    domain: (target: Target): DomainReport => {
      const presence = servicePresence(target, facts);
      const observations = observeDomain(target, facts, presence, now, checkOptions.expiryWarningDays);
      return domainReport(target, evaluateTarget(allChecks, target, facts, checkOptions, now), presence, observations);
    },
    report: (source: Report['source'], domains: DomainReport[], finishedAt: Date, deadlineReached: boolean, partial: boolean): Report => ({
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'fedcheck', version: VERSION },
      startedAt: saved.startedAt,
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.max(0, finishedAt.getTime() - now.getTime()),
      source,
      options: {
        vantage: saved.options.vantage,
        resolvers: saved.options.resolvers,
        timeoutMs: saved.options.timeoutMs,
        allowPrivate: saved.options.allowPrivate,
        expiryWarningDays: checkOptions.expiryWarningDays,
        expiryCriticalDays: checkOptions.expiryCriticalDays,
      },
      summary: summarize(domains, deadlineReached, partial),
      domains,
    }),
  };
}

/**
 * A domain the deadline left unjudged could not be measured: an error, never a pass or a fail, filed under the
 * first check its services would have run, as an internal error is filed under its check.
 */
function notJudgedFinding(target: Target, deadlineAt: number): Finding {
  const check = allChecks.find((c) => c.meta.services.some((service) => target.services.includes(service))) ?? allChecks[0]!;
  return {
    checkId: check.meta.id,
    area: check.meta.area,
    domain: target.domain,
    service: 'none',
    status: 'error',
    subject: target.domain,
    location: { domain: target.domain },
    messageId: 'not-judged',
    message: 'the run deadline was reached before this domain was judged: none of its checks ran (a longer --deadline gives them time)',
    evidence: [`run deadline: ${new Date(deadlineAt).toISOString()}`],
    references: [],
  };
}
