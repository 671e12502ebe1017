// The options that point `fedcheck check` at a running lab, as `fedcheck lab` prints them for a person.

import type { LabFacts } from './lab.js';
import { formatServer } from '../../src/probes/resolvers.js';

/** --resolver, --allow-private and --timeout for the lab, and --ca-file for each CA file given. */
export function labArgs(lab: LabFacts, caFiles: readonly string[]): string[] {
  return [
    '--resolver',
    formatServer(lab.resolver),
    `--allow-private=${lab.allowPrivate.join(',')}`,
    '--timeout',
    String(lab.timeoutMs),
    ...caFiles.flatMap((file) => ['--ca-file', file]),
  ];
}
