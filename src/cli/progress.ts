// The spinner on stderr while probes run: only for a person watching a terminal, never in CI or a pipe.

import ora from 'ora';
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
  // discardStdin off: the terminal stays in its normal mode, so Ctrl+C interrupts as usual.
  const spinner = ora({ text: message, stream: process.stderr, discardStdin: false }).start();
  return {
    text: (next) => {
      spinner.text = next;
    },
    probes: ({ started, finished }) => {
      spinner.text = `probing: ${finished} of ${started} probes finished`;
    },
    stop: () => {
      spinner.stop();
    },
  };
}
