// Every file a user hands fedcheck (config, facts, reports to diff, certificates, CA bundles, keys, requests, PFX)
// is read here: a regular file, no bigger than the cap for its kind, checked before a byte is read, so /dev/zero,
// a FIFO or a 50 MB file is one line and exit 3, never a process that grows until the machine kills it.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { UsageError, describeError } from '../model/errors.js';

/** The kinds of input file, each with its cap (documented in the README, "Input files"). */
export const INPUT_FILE_CAPS = {
  /** A hand-written YAML config: a few kilobytes; a thousand partners stay well under this. */
  config: 1024 * 1024,
  /** --save-facts / --replay, a JSON report or a history file: every certificate chain of a large nightly run. */
  facts: 32 * 1024 * 1024,
  /** A certificate, chain, key, request or PFX: a few kilobytes each. */
  certificate: 1024 * 1024,
  /** A CA bundle (--ca-file): the whole Mozilla root store is about 220 kB. */
  caBundle: 4 * 1024 * 1024,
} as const;

export type InputFileKind = keyof typeof INPUT_FILE_CAPS;

/**
 * The bytes of `path`; `what` names it in messages (`config file`, `--ca-file`). Opened non-blocking, so a FIFO
 * with no writer is refused instead of waiting forever; the size is checked on the open file, and the read stops
 * at the cap even if the file grows meanwhile.
 */
export function readInputFile(path: string, what: string, kind: InputFileKind): Buffer {
  const cap = INPUT_FILE_CAPS[kind];
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UsageError(`cannot read ${what} "${path}": ${describeError(error)}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UsageError(`${what} "${path}" is ${fileType(stats)}, not a regular file: give the path of a file`);
    if (stats.size > cap) throw tooBig(path, what, stats.size, cap);
    const buffer = Buffer.alloc(Math.min(stats.size, cap) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > cap) throw tooBig(path, what, length, cap, 'at least ');
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${what} "${path}": ${describeError(error)}`);
  } finally {
    closeSync(fd);
  }
}

/** The same, as UTF-8 text. */
export function readInputText(path: string, what: string, kind: InputFileKind): string {
  return readInputFile(path, what, kind).toString('utf8');
}

function tooBig(path: string, what: string, size: number, cap: number, bound = ''): UsageError {
  return new UsageError(`${what} "${path}" is ${bound}${formatBytes(size)}: the cap for this file is ${formatBytes(cap)}`);
}

/** `50 MiB (52428800 bytes)`: readable, and exact for whoever compares with `ls -l`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]} (${bytes} bytes)`;
}

function fileType(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}
