// Runs probes as a dependency graph: a probe starts as soon as the facts it depends on are known,
// every question is asked once per run (the run's DNS cache), at most `concurrency` at a time,
// each within its timeout and all within the run's deadline. Our own load is told from the peers':
// while the event loop is saturated fewer probes are admitted, and a timeout it may have caused is
// retried once. Each probe's queued, started and ended times are kept for the trace.

import { FactView } from '../model/facts.js';
import type { FactRecord, ProbeContext, ProbeOutcome } from '../model/facts.js';
import { describeError } from '../model/errors.js';
import { LoopDelaySampler } from './loop-delay.js';
import { delayedTooLong, endedInTimeout, notRetriedNote, retriedNote, withRetryNote } from './timeout-retry.js';

/** How long a probe may take, after its signal aborted, to return the facts it has. */
const ABORT_GRACE_MS = 500;
/** A tick this late (two ticks missed) means the loop is saturated: admit half as many probes. */
const SATURATED_LATE_MS = 100;
/** A tick this punctual means the loop has recovered: admit more again. */
const CALM_LATE_MS = 10;
/**
 * Admission never drops below an eighth of the limit, and comes back an eighth a calm tick: a probe's CPU
 * share is small, so an eighth of 256 keeps the loop within a tick or two, while admitting one at a time
 * would serialise a run behind its slow peers.
 */
const ADMISSION_FRACTION = 8;

export type ProbeRunner<F> = (context: ProbeContext) => Promise<ProbeOutcome<F>>;

export interface SchedulerOptions {
  concurrency: number;
  probeTimeoutMs: number;
  /** Milliseconds from start after which nothing new starts and running probes are aborted. */
  deadlineMs: number;
  /** Called when a probe starts and ends, for progress display. */
  onProgress?: (state: { started: number; finished: number }) => void;
  /** Called with each probe as it ends (fedcheck serve's page shows them as they come). */
  onProbe?: (probe: ProbeTrace) => void;
  /** Aborted from outside (SIGINT, SIGTERM): like the deadline, nothing new starts and running probes are aborted. */
  signal?: AbortSignal;
}

/** One probe as the scheduler ran it, for the trace: milliseconds from the scheduler's start. */
export interface ProbeTrace {
  key: string;
  /** When gathering asked for it, its inputs being known; from then until `startedMs` it waited for a slot. */
  queuedMs: number;
  startedMs: number;
  endedMs: number;
  status: ProbeOutcome<unknown>['status'];
  /** An error's reason. */
  reason?: string;
  /** The probe gave up waiting for its peer (an error or recorded facts saying timeout). */
  timedOut: boolean;
  /** 2 when a timeout under a saturated event loop was retried. */
  attempts: number;
  /** How late this process's event loop ran while the probe ran, every attempt included. */
  loopDelayMs: number;
}

/** Every probe of a run, in the order they ended, the run's wall time so far and how late its event loop ran in all. */
export interface RunTrace {
  wallMs: number;
  loopDelayMs: number;
  probes: ProbeTrace[];
}

export class Scheduler {
  private readonly outcomes: FactRecord = {};
  private readonly pending = new Map<string, Promise<ProbeOutcome<unknown>>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  /** How many may run at once now: the concurrency limit, less while the event loop is saturated. */
  private admitting: number;
  private started = 0;
  private finished = 0;
  private readonly deadline = new AbortController();
  private readonly deadlineTimer: NodeJS.Timeout;
  /** The deadline or the outside signal, whichever comes first. */
  private readonly stop: AbortSignal;
  private readonly startedAt = performance.now();
  private readonly loop: LoopDelaySampler;
  private readonly traces: ProbeTrace[] = [];

  constructor(private readonly options: SchedulerOptions) {
    this.deadlineTimer = setTimeout(() => this.deadline.abort(new Error('run deadline reached')), options.deadlineMs);
    this.deadlineTimer.unref();
    this.stop = options.signal ? AbortSignal.any([this.deadline.signal, options.signal]) : this.deadline.signal;
    this.admitting = options.concurrency;
    this.loop = new LoopDelaySampler((lateMs) => this.adjustAdmission(lateMs));
  }

  /** The outcome for `key`, running `runner` only the first time the key is asked for. */
  probe<F>(key: string, runner: ProbeRunner<F>): Promise<ProbeOutcome<F>> {
    let outcome = this.pending.get(key);
    if (!outcome) {
      outcome = this.run(key, runner as ProbeRunner<unknown>);
      this.pending.set(key, outcome);
    }
    return outcome as Promise<ProbeOutcome<F>>;
  }

  /** Records an outcome decided without I/O (a probe deliberately not run). */
  record<F>(key: string, outcome: ProbeOutcome<F>): Promise<ProbeOutcome<F>> {
    if (!this.pending.has(key)) {
      this.outcomes[key] = outcome;
      this.pending.set(key, Promise.resolve(outcome));
    }
    return this.pending.get(key) as Promise<ProbeOutcome<F>>;
  }

  /** The outcomes so far, read live: gathering consults them after every step, so no copy is made. */
  view(): FactView {
    return new FactView(this.outcomes);
  }

  /** A copy of every outcome so far, to save. */
  facts(): FactRecord {
    return { ...this.outcomes };
  }

  /** Every probe run so far, with its times: what `--trace` prints. */
  trace(): RunTrace {
    return { wallMs: this.sinceStart(), loopDelayMs: Math.round(this.loop.stalled()), probes: [...this.traces] };
  }

  /** How many probes may run at once now (below the limit while the event loop is saturated). */
  get admitted(): number {
    return this.admitting;
  }

  get deadlineReached(): boolean {
    return this.deadline.signal.aborted;
  }

  get interrupted(): boolean {
    return this.options.signal?.aborted === true;
  }

  close(): void {
    clearTimeout(this.deadlineTimer);
    this.loop.stop();
  }

  private async run(key: string, runner: ProbeRunner<unknown>): Promise<ProbeOutcome<unknown>> {
    const queuedMs = this.sinceStart();
    await this.slot();
    const startedMs = this.sinceStart();
    const stalledBefore = this.loop.stalled();
    let ran: { outcome: ProbeOutcome<unknown>; attempts: number };
    try {
      ran = this.stop.aborted
        ? { outcome: { status: 'skipped', because: `${this.stopCause()} before this probe started` }, attempts: 0 }
        : await this.runAttempts(runner);
    } finally {
      this.release();
    }
    const { outcome, attempts } = ran;
    this.outcomes[key] = outcome;
    const trace: ProbeTrace = {
      key,
      queuedMs,
      startedMs,
      endedMs: this.sinceStart(),
      status: outcome.status,
      ...(outcome.status === 'error' ? { reason: outcome.reason } : {}),
      timedOut: endedInTimeout(outcome),
      attempts,
      loopDelayMs: Math.round(this.loop.stalled() - stalledBefore),
    };
    this.traces.push(trace);
    this.options.onProbe?.(trace);
    return outcome;
  }

  /** The probe, and once more when it timed out while our own event loop was too delayed to blame the peer. */
  private async runAttempts(runner: ProbeRunner<unknown>): Promise<{ outcome: ProbeOutcome<unknown>; attempts: number }> {
    const { probeTimeoutMs } = this.options;
    this.started += 1;
    this.options.onProgress?.({ started: this.started, finished: this.finished });
    try {
      const stalledBefore = this.loop.stalled();
      const first = await this.runBounded(runner);
      const loopDelayMs = this.loop.stalled() - stalledBefore;
      if (!endedInTimeout(first) || !delayedTooLong(loopDelayMs, probeTimeoutMs) || this.stop.aborted) return { outcome: first, attempts: 1 };
      // A retry the deadline would cut short ends as "deadline", hiding the timeout: keep the timeout, say why.
      if (this.options.deadlineMs - this.sinceStart() < probeTimeoutMs) return { outcome: withRetryNote(first, notRetriedNote(loopDelayMs)), attempts: 1 };
      return { outcome: withRetryNote(await this.runBounded(runner), retriedNote(loopDelayMs)), attempts: 2 };
    } finally {
      this.finished += 1;
      this.options.onProgress?.({ started: this.started, finished: this.finished });
    }
  }

  private async runBounded(runner: ProbeRunner<unknown>): Promise<ProbeOutcome<unknown>> {
    const { probeTimeoutMs } = this.options;
    const timeout = AbortSignal.timeout(probeTimeoutMs);
    const signal = AbortSignal.any([timeout, this.stop]);
    try {
      // The abort tells a probe to stop and report how far it got; a probe that ignores it must still
      // not hold the run, so it loses the race once the grace period after the abort is over.
      return await new Promise<ProbeOutcome<unknown>>((resolve, reject) => {
        let hardStop: NodeJS.Timeout | undefined;
        const onAbort = () => {
          hardStop = setTimeout(
            () =>
              resolve(
                timeout.aborted
                  ? { status: 'error', reason: 'timeout', detail: `no result within ${probeTimeoutMs} ms` }
                  : { status: 'error', reason: this.interrupted ? 'interrupted' : 'deadline', detail: this.stopCause() },
              ),
            ABORT_GRACE_MS,
          );
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
        runner({ signal, timeoutMs: probeTimeoutMs })
          .then(resolve, reject)
          .finally(() => {
            signal.removeEventListener('abort', onAbort);
            clearTimeout(hardStop);
          });
      });
    } catch (error) {
      return { status: 'error', reason: 'probe-failed', detail: describeError(error) };
    }
  }

  private stopCause(): string {
    return this.interrupted ? 'the run was interrupted' : 'the run deadline was reached';
  }

  private sinceStart(): number {
    return performance.now() - this.startedAt;
  }

  private slot(): Promise<void> {
    if (this.running < this.admitting) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    this.running -= 1;
    this.admitWaiting();
  }

  private admitWaiting(): void {
    while (this.running < this.admitting) {
      const next = this.waiting.shift();
      if (next === undefined) return;
      this.running += 1;
      next();
    }
  }

  /** Halves admission while the loop is saturated, and widens it again, an eighth at a time, once it is calm. */
  private adjustAdmission(lateMs: number): void {
    const { concurrency } = this.options;
    const step = Math.ceil(concurrency / ADMISSION_FRACTION);
    if (lateMs >= SATURATED_LATE_MS) this.admitting = Math.max(step, Math.floor(this.admitting / 2));
    else if (lateMs <= CALM_LATE_MS && this.admitting < concurrency) {
      this.admitting = Math.min(concurrency, this.admitting + step);
      this.admitWaiting();
    }
  }
}
