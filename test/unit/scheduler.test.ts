import { describe, expect, it } from 'vitest';
import type { ProbeOutcome } from '../../src/model/facts.js';
import { Scheduler } from '../../src/gather/scheduler.js';

const ok = <F>(facts: F): ProbeOutcome<F> => ({ status: 'ok', facts });
const delay = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

function scheduler(overrides: Partial<ConstructorParameters<typeof Scheduler>[0]> = {}) {
  return new Scheduler({ concurrency: 4, probeTimeoutMs: 1000, deadlineMs: 10_000, ...overrides });
}

describe('Scheduler', () => {
  it('asks each question once per run and shares the answer', async () => {
    const s = scheduler();
    let calls = 0;
    const runner = async () => {
      calls += 1;
      await delay(5);
      return ok({ answer: 42 });
    };
    const [a, b] = await Promise.all([s.probe('dns:A:x', runner), s.probe('dns:A:x', runner)]);
    await s.probe('dns:A:x', runner);
    expect(calls).toBe(1);
    expect(a).toEqual(b);
    expect(s.facts()).toEqual({ 'dns:A:x': ok({ answer: 42 }) });
    s.close();
  });

  it('never runs more probes at once than the concurrency limit', async () => {
    const s = scheduler({ concurrency: 3 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.probe(`k${i}`, async () => {
          running += 1;
          peak = Math.max(peak, running);
          await delay(2);
          running -= 1;
          return ok(i);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(Object.keys(s.facts())).toHaveLength(20);
    s.close();
  });

  it('turns a probe that outlives its timeout into an error outcome, even if it ignores the signal', async () => {
    const s = scheduler({ probeTimeoutMs: 30 });
    const outcome = await s.probe('tcp:slow', () => new Promise<ProbeOutcome<number>>(() => {}));
    // On a busy machine the loop may lag past a quarter of 30 ms, and the scheduler then says it retried once.
    expect(outcome).toMatchObject({ status: 'error', reason: 'timeout' });
    expect(outcome.status === 'error' && outcome.detail).toMatch(/^no result within 30 ms(; retried once: .+)?$/);
    s.close();
  });

  it('turns a throwing probe into an error outcome with its message', async () => {
    const s = scheduler();
    const outcome = await s.probe('x', async () => {
      throw new Error('socket exploded');
    });
    expect(outcome).toEqual({ status: 'error', reason: 'probe-failed', detail: 'socket exploded' });
    s.close();
  });

  it('lets an aborted probe report how far it got', async () => {
    const s = scheduler({ probeTimeoutMs: 30 });
    const outcome = await s.probe('tcp:slow', async ({ signal }) => {
      await delay(5000, signal);
      return ok('stopped when told, with partial facts');
    });
    expect(outcome).toEqual(ok('stopped when told, with partial facts'));
    s.close();
  });

  it('stops at the run deadline: running probes end as errors, queued ones are skipped', async () => {
    const s = scheduler({ concurrency: 1, deadlineMs: 40, probeTimeoutMs: 5000 });
    const first = s.probe('first', () => new Promise<ProbeOutcome<string>>(() => {}));
    const second = s.probe('second', async () => ok('never'));
    expect(await first).toEqual({ status: 'error', reason: 'deadline', detail: 'the run deadline was reached' });
    expect(await second).toMatchObject({ status: 'skipped' });
    expect(s.deadlineReached).toBe(true);
    s.close();
  });

  it('records outcomes decided without I/O', async () => {
    const s = scheduler();
    await s.record('tcp:10.0.0.1:5061', { status: 'skipped', because: 'private' });
    expect(s.facts()['tcp:10.0.0.1:5061']).toEqual({ status: 'skipped', because: 'private' });
    s.close();
  });
});
