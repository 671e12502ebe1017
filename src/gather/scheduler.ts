// Runs probes as a dependency graph: a probe starts as soon as the facts it depends on are known,
// every question is asked once per run (the run's DNS cache), at most `concurrency` at a time,
// each within its timeout and all within the run's deadline.

import { FactView } from '../model/facts.js';
import type { FactRecord, ProbeContext, ProbeOutcome } from '../model/facts.js';
import { describeError } from '../model/errors.js';

/** How long a probe may take, after its signal aborted, to return the facts it has. */
const ABORT_GRACE_MS = 500;

export type ProbeRunner<F> = (context: ProbeContext) => Promise<ProbeOutcome<F>>;

export interface SchedulerOptions {
  concurrency: number;
  probeTimeoutMs: number;
  /** Milliseconds from start after which nothing new starts and running probes are aborted. */
  deadlineMs: number;
  /** Called when a probe starts and ends, for progress display. */
  onProgress?: (state: { started: number; finished: number }) => void;
  /** Aborted from outside (SIGINT, SIGTERM): like the deadline, nothing new starts and running probes are aborted. */
  signal?: AbortSignal;
}

export class Scheduler {
  private readonly outcomes: FactRecord = {};
  private readonly pending = new Map<string, Promise<ProbeOutcome<unknown>>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private started = 0;
  private finished = 0;
  private readonly deadline = new AbortController();
  private readonly deadlineTimer: NodeJS.Timeout;
  /** The deadline or the outside signal, whichever comes first. */
  private readonly stop: AbortSignal;

  constructor(private readonly options: SchedulerOptions) {
    this.deadlineTimer = setTimeout(() => this.deadline.abort(new Error('run deadline reached')), options.deadlineMs);
    this.deadlineTimer.unref();
    this.stop = options.signal ? AbortSignal.any([this.deadline.signal, options.signal]) : this.deadline.signal;
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

  /** Every outcome so far, including those of probes cut short by the deadline. */
  /** The outcomes so far, read live: gathering consults them after every step, so no copy is made. */
  view(): FactView {
    return new FactView(this.outcomes);
  }

  /** A copy of every outcome so far, to save. */
  facts(): FactRecord {
    return { ...this.outcomes };
  }

  get deadlineReached(): boolean {
    return this.deadline.signal.aborted;
  }

  get interrupted(): boolean {
    return this.options.signal?.aborted === true;
  }

  close(): void {
    clearTimeout(this.deadlineTimer);
  }

  private async run(key: string, runner: ProbeRunner<unknown>): Promise<ProbeOutcome<unknown>> {
    await this.slot();
    let outcome: ProbeOutcome<unknown>;
    try {
      outcome = this.stop.aborted
        ? { status: 'skipped', because: `${this.stopCause()} before this probe started` }
        : await this.runBounded(runner);
    } finally {
      this.release();
    }
    this.outcomes[key] = outcome;
    return outcome;
  }

  private async runBounded(runner: ProbeRunner<unknown>): Promise<ProbeOutcome<unknown>> {
    const { probeTimeoutMs } = this.options;
    const timeout = AbortSignal.timeout(probeTimeoutMs);
    const signal = AbortSignal.any([timeout, this.stop]);
    this.started += 1;
    this.options.onProgress?.({ started: this.started, finished: this.finished });
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
    } finally {
      this.finished += 1;
      this.options.onProgress?.({ started: this.started, finished: this.finished });
    }
  }

  private stopCause(): string {
    return this.interrupted ? 'the run was interrupted' : 'the run deadline was reached';
  }

  private slot(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
