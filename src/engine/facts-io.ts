// The saved-facts file on disk: read under its size cap and parsed by the model's contract (facts-file.ts), written
// as the contract serializes it.

import { writeFileSync } from 'node:fs';
import { parseSavedFacts, serializeSavedFacts } from '../model/facts-file.js';
import type { SavedFacts } from '../model/facts-file.js';
import { UsageError, describeError } from '../model/errors.js';
import { readInputText } from '../util/input-file.js';

/** Reads and checks a --replay file: every problem is a UsageError of one line. */
export function readFactsFile(path: string): SavedFacts {
  return parseSavedFacts(readInputText(path, 'facts file', 'facts'), path);
}

/** Writes a --save-facts file (as given: `/dev/stdout` works, as for --out); `flag` names it in the one-line error. */
export function writeFactsFile(path: string, saved: SavedFacts, flag = '--save-facts'): void {
  try {
    writeFileSync(path, serializeSavedFacts(saved), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot write ${flag} file "${path}": ${describeError(error)}`);
  }
}
