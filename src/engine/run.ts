// One `fedcheck check`: gather the facts of every target (or load them), judge, build the report.

import { allChecks } from '../../checks/index.js';
import type { Vantage } from '../model/check.js';
import { DEFAULT_CHECK_OPTIONS } from '../model/check.js';
import { evaluateTarget } from './evaluate.js';
import { FactView } from '../model/facts.js';
import { observeDomain } from '../judge/observations.js';
import { servicePresence } from '../judge/presence.js';
import type { SavedFacts } from '../model/facts-file.js';
import { FACTS_FORMAT, FACTS_SCHEMA_VERSION } from '../model/facts-file.js';
import { gatherTarget } from '../gather/gather.js';
import type { Report } from '../model/report.js';
import { REPORT_SCHEMA_VERSION, domainReport, summarize } from '../model/report.js';
import { Scheduler } from '../gather/scheduler.js';
import type { Target } from '../model/target.js';
import { VERSION } from '../util/version.js';
import { pemBlocks } from '../pki/pem.js';
import { formatServer } from '../probes/resolvers.js';
import type { ClientCertificate } from '../probes/tls.js';
import { protocolFactKey } from '../model/protocol-facts.js';
import type { DnsServer } from '../probes/resolvers.js';

export interface LiveRunOptions {
  targets: Target[];
  resolvers: DnsServer[];
  authoritativePort: number;
  vantage: Vantage;
  allowPrivate: string[];
  /** Defaults from DEFAULT_CHECK_OPTIONS. */
  expiryWarningDays?: number;
  /** --ca-file: PEM certificates trusted beside Node's roots. */
  caPem?: string[];
  /** --client-cert: presented for mutual TLS, and linted like a partner's. */
  clientCertificate?: { credentials: ClientCertificate; chain: string[]; source: string };
  fromDomain?: string;
  /** --revocation: ask each leaf's OCSP responder, else fetch its CRL. */
  revocation?: boolean;
  timeoutMs: number;
  deadlineMs: number;
  concurrency: number;
  onProgress?: (state: { started: number; finished: number }) => void;
  /** Aborts the run (SIGINT, SIGTERM): what was gathered is judged, and the report is marked partial. */
  signal?: AbortSignal;
}

export async function runLive(options: LiveRunOptions): Promise<{ report: Report; saved: SavedFacts }> {
  const startedAt = new Date();
  const scheduler = new Scheduler({
    concurrency: options.concurrency,
    probeTimeoutMs: options.timeoutMs,
    deadlineMs: options.deadlineMs,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const caPem = options.caPem ?? [];
  const extraTrustAnchors = caPem.flatMap((pem) => pemBlocks(pem, 'CERTIFICATE').map((der) => der.toString('base64')));
  const gatherOptions = {
    resolvers: options.resolvers,
    authoritativePort: options.authoritativePort,
    vantage: options.vantage,
    allowPrivate: options.allowPrivate,
    extraCaPem: caPem,
    extraTrustAnchors,
    ...(options.clientCertificate ? { clientCertificate: options.clientCertificate.credentials } : {}),
    ...(options.fromDomain !== undefined ? { fromDomain: options.fromDomain } : {}),
    ...(options.revocation ? { revocation: true } : {}),
  };
  if (options.clientCertificate) {
    const { chain, source } = options.clientCertificate;
    await scheduler.record(protocolFactKey.localCertificate('client'), { status: 'ok', facts: { source, chain } });
  }
  try {
    await Promise.all(options.targets.map((target) => gatherTarget(target, scheduler, gatherOptions)));
  } finally {
    scheduler.close();
  }
  const saved: SavedFacts = {
    format: FACTS_FORMAT,
    schemaVersion: FACTS_SCHEMA_VERSION,
    tool: { name: 'fedcheck', version: VERSION },
    startedAt: startedAt.toISOString(),
    targets: options.targets,
    options: {
      vantage: options.vantage,
      allowPrivate: options.allowPrivate,
      expiryWarningDays: options.expiryWarningDays ?? DEFAULT_CHECK_OPTIONS.expiryWarningDays,
      extraTrustAnchors,
      ...(options.fromDomain !== undefined ? { fromDomain: options.fromDomain } : {}),
      resolvers: options.resolvers.map(formatServer),
      timeoutMs: options.timeoutMs,
    },
    facts: scheduler.facts(),
  };
  return { report: judge(saved, { kind: 'live' }, new Date(), scheduler.deadlineReached, scheduler.interrupted), saved };
}

/** Judges saved facts again, with no network: the same findings as the run that saved them. */
export function replay(saved: SavedFacts, file: string): Report {
  return judge(saved, { kind: 'replay', file }, new Date(saved.startedAt), false);
}

function judge(
  saved: SavedFacts,
  source: Report['source'],
  finishedAt: Date,
  deadlineReached: boolean,
  partial = false,
): Report {
  const now = new Date(saved.startedAt);
  const { resolvers: _resolvers, timeoutMs: _timeoutMs, ...checkOptions } = saved.options;
  const facts = new FactView(saved.facts);
  const domains = saved.targets.map((target) => {
    const presence = servicePresence(target, facts);
    const observations = observeDomain(target, facts, presence, now, checkOptions.expiryWarningDays);
    return domainReport(target, evaluateTarget(allChecks, target, facts, checkOptions, now), presence, observations);
  });
  return {
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
      expiryWarningDays: saved.options.expiryWarningDays,
    },
    summary: summarize(domains, deadlineReached, partial),
    domains,
  };
}
