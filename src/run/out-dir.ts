// The folder `fedcheck run` writes its reports to. Each file is written under a temporary name beside its
// final one, flushed to disk and renamed over it, so a reader (a web server, a Prometheus textfile
// collector, a half-finished nightly run) only ever sees the previous file or the complete new one.

import { accessSync, constants, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stageNewFile } from '../util/atomic-file.js';
import type { StagedFile } from '../util/atomic-file.js';
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

/** A file of a set: its name, and its text in pieces, rendered only when its turn comes. */
export interface OutFile {
  name: string;
  chunks: () => Iterable<string>;
}

/**
 * Synchronous on purpose: a signal handler runs on the event loop, so no SIGINT can land between the writes and the
 * renames; only a crash can, and then temporary files (hidden, ending in .tmp so collectors that read *.prom skip
 * them) are what is left, never a torn one.
 *
 * Writes a set of files one at a time, each rendered piece by piece into its temporary file, so memory holds one
 * piece of one format rather than every format whole. Only once every file is on disk do they take their names, in
 * order (the last one's new time means the whole set is new): a renderer's failure leaves the previous set whole.
 */
export function writeFilesAtomically(dir: string, files: readonly OutFile[]): string[] {
  const staged: { path: string; file: StagedFile }[] = [];
  const io = <T>(path: string, step: () => T): T => {
    try {
      return step();
    } catch (error) {
      throw new UsageError(`cannot write "${path}": ${describeError(error)}`);
    }
  };
  try {
    for (const { name, chunks } of files) {
      const path = join(dir, name);
      const file = io(path, () => stageNewFile(path, 0o644));
      staged.push({ path, file });
      for (const chunk of chunks()) io(path, () => file.write(chunk));
    }
    for (const { path, file } of staged) io(path, () => file.commit(true));
    return staged.map(({ path }) => path);
  } finally {
    for (const { file } of staged) file.discard();
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
