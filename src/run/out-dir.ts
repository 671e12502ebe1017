// The folder `fedcheck run` writes its reports to. Each file is written under a temporary name beside its
// final one, flushed to disk and renamed over it, so a reader (a web server, a Prometheus textfile
// collector, a half-finished nightly run) only ever sees the previous file or the complete new one.

import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, describeError } from '../engine/errors.js';

/** Creates the folder when missing and proves it writable before a run that may take minutes. */
export function prepareDir(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot write to ${what} "${dir}": ${describeError(error)}`);
  }
}

/** A name no finished file has: hidden, and ending in .tmp so collectors that read *.prom skip it. */
function temporaryName(name: string): string {
  return `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Synchronous on purpose: a signal handler runs on the event loop, so no SIGINT can land between the
 * write and the rename; only a crash can, and then the temporary file is what is left, never a torn one.
 */
export function writeFileAtomically(dir: string, name: string, text: string): string {
  const finalPath = join(dir, name);
  const temporaryPath = join(dir, temporaryName(name));
  try {
    const fd = openSync(temporaryPath, 'wx', 0o644);
    try {
      writeFileSync(fd, text, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporaryPath, finalPath);
    return finalPath;
  } catch (error) {
    rmSync(temporaryPath, { force: true });
    throw new UsageError(`cannot write "${finalPath}": ${describeError(error)}`);
  }
}
