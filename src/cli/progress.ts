// The spinner on stderr while probes run: only for a person watching a terminal, never in CI or a pipe.

import type { Ora } from 'ora';
import type { ReportFormat } from './options.js';

export interface Progress {
  text(message: string): void;
  probes(state: { started: number; finished: number }): void;
  stop(): void;
}

const SILENT: Progress = { text: () => {}, probes: () => {}, stop: () => {} };

export function progressWanted(
  format: ReportFormat,
  stream: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv,
): boolean {
  // A pseudo-terminal reporting 0 columns sends ora's line counting into an endless loop.
  return format === 'terminal' && stream.isTTY === true && stream.columns !== 0 && !env.CI;
}

export function startProgress(enabled: boolean, message: string): Progress {
  // Not even created when disabled: a disabled ora still prints its text as a line.
  if (!enabled) return SILENT;
  // ora is loaded only for a person at a terminal; the spinner starts once it has loaded, with the latest text.
  let text = message;
  let spinner: Ora | undefined;
  let stopped = false;
  void import('ora').then(({ default: ora }) => {
    // discardStdin off: the terminal stays in its normal mode, so Ctrl+C interrupts as usual.
    if (!stopped) spinner = ora({ text, stream: process.stderr, discardStdin: false }).start();
  });
  const show = (next: string) => {
    text = next;
    if (spinner) spinner.text = next;
  };
  return {
    text: show,
    probes: ({ started, finished }) => show(`probing: ${finished} of ${started} probes finished`),
    stop: () => {
      stopped = true;
      spinner?.stop();
    },
  };
}
