// The lab every integration test file shares (started by shared-lab.ts), with its CA roots already written to files.

import { inject } from 'vitest';
import type { Lab } from '../../src/lab/lab.js';

/** What a test reads of a running lab: a shared one or one of its own. */
export type LabFacts = Omit<Lab, 'close'>;

export interface SharedLab extends LabFacts {
  /** lab-root.pem: the lab CA's root, for --ca-file. */
  caFile: string;
  /** private-root.pem: the root of the lab's second CA (private-root.test). */
  privateCaFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    lab: SharedLab;
  }
}

export function sharedLab(): SharedLab {
  return inject('lab');
}
