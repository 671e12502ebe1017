// Where a report goes: the chosen reporter, stdout or the --out file, and the --save-facts file.

import { accessSync, constants, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError, describeError } from '../engine/errors.js';
import type { SavedFacts } from '../engine/facts-file.js';
import type { Report } from '../engine/report.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import type { OutputSettings } from './options.js';

/** Colour only for a person at a terminal who has not turned it off (https://no-color.org). */
export function shouldColor(output: OutputSettings, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return output.format === 'terminal' && output.out === undefined && output.colorWanted && stream.isTTY === true && !noColorEnv;
}

export function renderReport(report: Report, output: OutputSettings): string {
  if (output.format === 'json') return renderJson(report);
  return renderTerminal(report, { color: shouldColor(output, process.stdout, process.env) });
}

/** Writes the facts first: if the report cannot be written, the expensive part is still kept. */
export function emitReport(report: Report, saved: SavedFacts | undefined, output: OutputSettings): void {
  if (output.saveFacts !== undefined && saved !== undefined) {
    writeOutputFile(output.saveFacts, `${JSON.stringify(saved, null, 2)}\n`, '--save-facts');
  }
  const text = renderReport(report, output);
  if (output.out === undefined) process.stdout.write(text);
  else writeOutputFile(output.out, text, '--out');
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
