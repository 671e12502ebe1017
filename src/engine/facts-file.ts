// The --save-facts / --replay file: every fact of a run plus what is needed to judge it again.

import { readFileSync } from 'node:fs';
import type { CheckOptions } from './check.js';
import { UsageError, describeError } from './errors.js';
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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read facts file "${path}": ${describeError(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`facts file "${path}" is not JSON: expected a file written by --save-facts`);
  }
  const saved = parsed as Partial<SavedFacts> | null;
  if (
    saved === null ||
    typeof saved !== 'object' ||
    saved.format !== FACTS_FORMAT ||
    !Array.isArray(saved.targets) ||
    typeof saved.facts !== 'object' ||
    typeof saved.startedAt !== 'string' ||
    typeof saved.options !== 'object'
  ) {
    throw new UsageError(`facts file "${path}" is not a fedcheck facts file: expected a file written by --save-facts`);
  }
  if (saved.schemaVersion !== FACTS_SCHEMA_VERSION) {
    throw new UsageError(
      `facts file "${path}" has schemaVersion ${String(saved.schemaVersion)}: this fedcheck reads version ${FACTS_SCHEMA_VERSION}`,
    );
  }
  return saved as SavedFacts;
}
