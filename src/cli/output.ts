// Where a report goes: the chosen reporter, stdout or the --out file, and the --save-facts file.

import { accessSync, constants, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError, describeError } from '../model/errors.js';
import type { SavedFacts } from '../model/facts-file.js';
import type { Report } from '../model/report.js';
import { formatExitCode, renderReport } from '../report/index.js';
import type { RenderOptions } from '../report/reporter.js';
import { DEFAULTS } from '../util/defaults.js';
import type { OutputSettings } from './options.js';

/** Colour only for a person at a terminal who has not turned it off (https://no-color.org). */
export function shouldColor(output: OutputSettings, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return output.format === 'terminal' && output.out === undefined && output.colorWanted && stream.isTTY === true && !noColorEnv;
}

/**
 * The terminal report's width: COLUMNS when it is a number (a user's explicit choice, as ls and git honour it), else
 * the terminal's when stdout is one, else 80 (a pipe, a file, a cron mail).
 */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  const columns = Number(env.COLUMNS);
  if (env.COLUMNS !== undefined && Number.isInteger(columns) && columns > 0) return columns;
  if (stream.isTTY === true && stream.columns !== undefined && stream.columns > 0) return stream.columns;
  return DEFAULTS.terminalWidth;
}

/** The terminal report's layout options from the command line: colour, width, -v and --details. */
export function terminalOptions(output: OutputSettings, oneDomainCommand?: string): RenderOptions {
  return {
    color: shouldColor(output, process.stdout, process.env),
    // A file is read later, anywhere: the width of the terminal that wrote it means nothing there.
    width: output.out === undefined ? terminalWidth(process.stdout, process.env) : DEFAULTS.terminalWidth,
    verbose: output.verbose === true,
    details: output.details === true,
    ...(oneDomainCommand !== undefined ? { oneDomainCommand } : {}),
  };
}

/**
 * Writes the facts first: if the report cannot be written, the expensive part is still kept. `saved` is the run's
 * facts, for --save-facts; the report is rendered from the Report alone. Returns the exit code the format calls for.
 * `oneDomainCommand`: how the terminal report's closing hint shows one domain in full (`<domain>` for its name).
 */
export async function emitReport(report: Report, saved: SavedFacts, output: OutputSettings, oneDomainCommand?: string): Promise<number> {
  if (output.saveFacts !== undefined) {
    // The facts file's zod schema is loaded only when one is written.
    const { writeFactsFile } = await import('../engine/facts-io.js');
    writeFactsFile(output.saveFacts, saved);
  }
  const text = renderReport(output.format, report, terminalOptions(output, oneDomainCommand));
  if (output.out === undefined) process.stdout.write(text);
  else writeOutputFile(output.out, text, '--out');
  return formatExitCode(output.format, report);
}

/** Fails before a run that may take a minute, rather than after it, when a file cannot be written. */
export function checkOutputPaths(output: OutputSettings): void {
  for (const [path, flag] of [
    [output.out, '--out'],
    [output.saveFacts, '--save-facts'],
  ] as const) {
    if (path === undefined) continue;
    try {
      accessSync(dirname(path), constants.W_OK);
    } catch (error) {
      throw new UsageError(`cannot write ${flag} file "${path}": ${describeError(error)}`);
    }
  }
}

function writeOutputFile(path: string, text: string, flag: string): void {
  try {
    writeFileSync(path, text, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot write ${flag} file "${path}": ${describeError(error)}`);
  }
}
