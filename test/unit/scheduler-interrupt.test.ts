// The scheduler's outside abort (SIGINT, SIGTERM in `fedcheck run`): like the deadline, but said as such.

import { describe, expect, it } from 'vitest';
import type { ProbeOutcome } from '../../src/model/facts.js';
import { Scheduler } from '../../src/gather/scheduler.js';

/** Resolves on the next turn of the event loop: a probe the scheduler was given has started by then. */
const started = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A probe that answers only when aborted, as a silent peer's probe does. */
const untilAborted = ({ signal }: { signal: AbortSignal }) =>
  new Promise<ProbeOutcome<unknown>>((resolve) =>
    signal.addEventListener('abort', () => resolve({ status: 'error', reason: 'aborted', detail: 'stopped' }), { once: true }),
  );

describe('Scheduler with an outside signal', () => {
  it('aborts running probes, skips queued ones, and says the run was interrupted', async () => {
    const controller = new AbortController();
    const s = new Scheduler({ concurrency: 1, probeTimeoutMs: 60_000, deadlineMs: 60_000, signal: controller.signal });
    const running = s.probe('tcp:a', untilAborted);
    const queued = s.probe('tcp:b', async () => ({ status: 'ok', facts: {} }));
    await started();
    controller.abort();
    expect(await running).toEqual({ status: 'error', reason: 'aborted', detail: 'stopped' });
    expect(await queued).toEqual({ status: 'skipped', because: 'the run was interrupted before this probe started' });
    expect(s.interrupted).toBe(true);
    expect(s.deadlineReached).toBe(false);
    s.close();
  });

  it('gives a probe that ignores the abort its grace period, then reports it interrupted', async () => {
    const controller = new AbortController();
    const s = new Scheduler({ concurrency: 1, probeTimeoutMs: 60_000, deadlineMs: 60_000, signal: controller.signal });
    const stuck = s.probe('tcp:c', () => new Promise<ProbeOutcome<unknown>>(() => {}));
    await started();
    controller.abort();
    expect(await stuck).toEqual({ status: 'error', reason: 'interrupted', detail: 'the run was interrupted' });
    s.close();
  });

  it('without a signal, the deadline still speaks for itself', async () => {
    const s = new Scheduler({ concurrency: 1, probeTimeoutMs: 60_000, deadlineMs: 20 });
    expect(await s.probe('tcp:d', () => new Promise<ProbeOutcome<unknown>>(() => {}))).toEqual({
      status: 'error',
      reason: 'deadline',
      detail: 'the run deadline was reached',
    });
    expect(s.interrupted).toBe(false);
    expect(s.deadlineReached).toBe(true);
    s.close();
  });
});
