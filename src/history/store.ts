// The --history directory: one JSON file per run ({report, facts}), named by the run's start time, written
// atomically so a reader (or an interrupted run) never sees half a file; only the newest nights are kept.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeNewFile } from '../util/atomic-file.js';
import { UsageError, describeError } from '../model/errors.js';
import type { SavedFacts } from '../model/facts-file.js';
import type { Report } from '../model/report.js';
import { reportToJson } from '../model/report-json.js';
import type { RunRecord } from './diff.js';
import { readRunFile } from './run-file.js';

export interface HistoryRun extends RunRecord {
  /** The file's path. */
  file: string;
}

/** `2026-11-22T02-45-29.510Z.json`: ISO 8601 with `-` for `:`, which Windows forbids in names; `-1`... on a clash. */
const RUN_FILE = /^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z)(?:-(\d+))?\.json$/;

/** Writes `<dir>/<start time>.json` (temp file, fsync, rename); creates the directory. Returns the file's path. */
export function saveRun(dir: string, report: Report, saved: SavedFacts): string {
  const stamp = report.startedAt.replace(/:/g, '-');
  if (!RUN_FILE.test(`${stamp}.json`)) throw new UsageError(`cannot name a history file after the start time "${report.startedAt}": expected an ISO 8601 UTC time`);
  try {
    mkdirSync(dir, { recursive: true });
    const taken = new Set(readdirSync(dir));
    let name = `${stamp}.json`;
    for (let n = 1; taken.has(name); n += 1) name = `${stamp}-${n}.json`;
    const file = join(dir, name);
    writeNewFile(file, `${JSON.stringify({ report: reportToJson(report), facts: saved })}\n`, 0o644, true);
    return file;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot write to the history directory "${dir}": ${describeError(error)}`);
  }
}

/**
 * The newest `n` runs, newest first. A missing directory has none; a file that cannot be read as a run (edited by
 * hand, from another version) is passed over, so one bad file does not stop every later comparison.
 */
export function latestRuns(dir: string, n: number): HistoryRun[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot read the history directory "${dir}": ${describeError(error)}`);
  }
  const runs: HistoryRun[] = [];
  for (const name of newestFirst(names)) {
    if (runs.length >= n) break;
    const file = join(dir, name);
    try {
      runs.push({ ...readRunFile(file), file });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
    }
  }
  return runs;
}

/**
 * Deletes all but the newest `keep` run files, after a run was saved (so the run just written counts as one);
 * returns the files deleted. Only fedcheck's run files go: anything else a person put in the folder stays.
 */
export function pruneRuns(dir: string, keep: number): string[] {
  try {
    const files = newestFirst(readdirSync(dir)).slice(keep).map((name) => join(dir, name));
    for (const file of files) rmSync(file, { force: true });
    return files;
  } catch (error) {
    throw new UsageError(`cannot delete old runs from the history directory "${dir}": ${describeError(error)}`);
  }
}

/** Run files by start time, then by clash number, newest first; temp files and anything else left out. */
function newestFirst(names: string[]): string[] {
  const runs = names.flatMap((name) => {
    const match = RUN_FILE.exec(name);
    return match === null ? [] : [{ name, stamp: match[1] ?? '', clash: Number(match[2] ?? 0) }];
  });
  return runs.sort((a, b) => b.stamp.localeCompare(a.stamp) || b.clash - a.clash).map((run) => run.name);
}
