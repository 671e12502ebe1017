// State one run's gathering shares across its targets, kept beside the run's scheduler (the scheduler is the run).

import type { Scheduler } from './scheduler.js';

/** A getter of the run's one `T`, made by `make` the first time the run asks for it. */
export function perRun<T extends object>(make: () => T): (scheduler: Scheduler) => T {
  const byScheduler = new WeakMap<Scheduler, T>();
  return (scheduler) => {
    let state = byScheduler.get(scheduler);
    if (state === undefined) {
      state = make();
      byScheduler.set(scheduler, state);
    }
    return state;
  };
}
