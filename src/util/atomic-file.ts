// Files fedcheck writes whole or not at all: keys, PFX files, the reports of `fedcheck run` and its history. The
// content goes to a new file beside the target and takes the target's name only once it is complete on disk, so
// an interrupted run, a crash or a planted link never leaves half a file or writes somewhere else.

import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `path` with `mode` from its first byte, failing with EEXIST when it exists and `overwrite` is false.
 * The content goes to a new file beside it (O_CREAT|O_EXCL|O_NOFOLLOW: never an existing file, never through a
 * link someone planted), is flushed to disk, then takes the name: linked when nothing may be replaced (which
 * fails if anything, even a dangling link, has the name), renamed over it when `overwrite` (which replaces a
 * link itself, never the file it points to). An interrupted write leaves the old file or none, never half of one.
 */
export function writeNewFile(path: string, content: string | Uint8Array, mode: number, overwrite: boolean): void {
  const file = stageNewFile(path, mode);
  try {
    file.write(content);
    file.commit(overwrite);
  } finally {
    file.discard();
  }
}

/** A file being written beside its final name (see writeNewFile), piece by piece, until it takes the name or is dropped. */
export interface StagedFile {
  write(content: string | Uint8Array): void;
  /** Flushes it to disk and gives it the final name (renamed over an existing file when `overwrite`). */
  commit(overwrite: boolean): void;
  /** Removes what is left under the temporary name; harmless after commit. */
  discard(): void;
}

export function stageNewFile(path: string, mode: number): StagedFile {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  const close = () => {
    if (fd === undefined) return;
    const open = fd;
    fd = undefined;
    closeSync(open);
  };
  try {
    // A secret's mode is exact whatever the umask (it can only have taken bits away); a file meant for others
    // (a report) keeps what the umask left of its mode, as any file the user's shell writes.
    if ((mode & 0o077) === 0) fchmodSync(fd, mode);
  } catch (error) {
    close();
    rmSync(temporary, { force: true });
    throw error;
  }
  return {
    write(content) {
      if (fd === undefined) throw new Error(`${temporary} is closed`);
      writeFileSync(fd, content);
    },
    commit(overwrite) {
      if (fd === undefined) throw new Error(`${temporary} is closed`);
      fsyncSync(fd);
      close();
      if (overwrite) renameSync(temporary, path);
      else linkSync(temporary, path);
    },
    discard() {
      close();
      rmSync(temporary, { force: true });
    },
  };
}
