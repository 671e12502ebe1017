// The --save-facts / --replay file: every fact of a run plus what is needed to judge it again.

import type { CheckOptions } from './check.js';
import { UsageError } from './errors.js';
import { savedFactsProblem } from './facts-schema.js';
import { readInputText } from './input-file.js';
import type { FactRecord } from './facts.js';
import type { Target } from './target.js';

export const FACTS_FORMAT = 'fedcheck-facts';
export const FACTS_SCHEMA_VERSION = 1;

export interface SavedFacts {
  format: typeof FACTS_FORMAT;
  schemaVersion: number;
  tool: { name: 'fedcheck'; version: string };
  /** The clock the checks judge against on replay (certificate expiry needs it). */
  startedAt: string;
  targets: Target[];
  options: CheckOptions & { resolvers: string[]; timeoutMs: number };
  facts: FactRecord;
}

export function readFactsFile(path: string): SavedFacts {
  const text = readInputText(path, 'facts file', 'facts');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`facts file "${path}" is not JSON: expected a file written by --save-facts`);
  }
  const saved = parsed as Partial<SavedFacts> | null;
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved) || saved.format !== FACTS_FORMAT) {
    throw new UsageError(`facts file "${path}" is not a fedcheck facts file: expected a file written by --save-facts`);
  }
  if (saved.schemaVersion !== FACTS_SCHEMA_VERSION) {
    throw new UsageError(
      `facts file "${path}" has schemaVersion ${typeof saved.schemaVersion === 'number' ? saved.schemaVersion : 'missing'}: this fedcheck reads version ${FACTS_SCHEMA_VERSION}`,
    );
  }
  const problem = savedFactsProblem(saved);
  if (problem !== undefined) throw new UsageError(`facts file "${path}" does not hold saved facts: ${problem}`);
  return saved as SavedFacts;
}
