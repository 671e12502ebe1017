// The folder `fedcheck run` writes its reports to. Each file is written under a temporary name beside its
// final one, flushed to disk and renamed over it, so a reader (a web server, a Prometheus textfile
// collector, a half-finished nightly run) only ever sees the previous file or the complete new one.

import { accessSync, constants, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeNewFile } from '../util/atomic-file.js';
import { UsageError, describeError } from '../model/errors.js';

/** Creates the folder when missing and proves it writable before a run that may take minutes. */
export function prepareDir(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot write to ${what} "${dir}": ${describeError(error)}`);
  }
}

/**
 * Synchronous on purpose: a signal handler runs on the event loop, so no SIGINT can land between the
 * write and the rename; only a crash can, and then the temporary file (hidden, ending in .tmp so collectors
 * that read *.prom skip it) is what is left, never a torn one.
 */
export function writeFileAtomically(dir: string, name: string, text: string): string {
  const finalPath = join(dir, name);
  try {
    writeNewFile(finalPath, text, 0o644, true);
    return finalPath;
  } catch (error) {
    throw new UsageError(`cannot write "${finalPath}": ${describeError(error)}`);
  }
}

/** Removes these files of `dir`, then `dir` itself when nothing else is left in it; a missing folder is fine. */
export function removeFiles(dir: string, names: readonly string[]): void {
  try {
    for (const name of names) rmSync(join(dir, name), { force: true });
    rmdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTEMPTY' || code === 'EEXIST') return;
    throw new UsageError(`cannot remove the partial report in "${dir}": ${describeError(error)}`);
  }
}
