// SIGINT (Ctrl+C) and SIGTERM (systemd, cron's kill, a CI timeout) during `fedcheck run`: the first one stops
// the probes, and what was gathered is still judged and written as a partial report; a second one gives up
// at once, for a run that does not wind down.

import { EXIT } from '../model/finding.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Interruption = (typeof SIGNALS)[number];

export interface InterruptWatch {
  /** Aborted by the first signal. */
  signal: AbortSignal;
  /** The signal received, if any. */
  received(): Interruption | undefined;
  /** Gives the signals back their default meaning. */
  dispose(): void;
}

export function watchInterrupts(): InterruptWatch {
  const controller = new AbortController();
  let received: Interruption | undefined;
  const onSignal = (name: Interruption) => {
    if (received === undefined) {
      received = name;
      controller.abort(new Error(`interrupted by ${name}`));
      return;
    }
    process.stderr.write(`fedcheck: ${name} again: stopped at once, without a report\n`);
    process.exit(EXIT.unusable);
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      for (const name of SIGNALS) process.off(name, onSignal);
    },
  };
}
