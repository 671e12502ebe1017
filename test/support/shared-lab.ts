// Vitest global setup of the integration project: one embedded lab for the whole run, started before any test file
// and closed after the last. Starting a lab costs about 3 s of CPU (five RSA keys, some sixty certificates), which
// each of some thirty files paid on its own before. The lab is immutable once started (its scenarios are fixed zone
// files and listeners), so the files share it safely; a test that needs a lab of its own still calls startLab().

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLab } from '../../src/lab/lab.js';
import type { SharedLab } from './lab.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const lab = await startLab();
  // In the run's own temp folder (temp-dir.ts has set TMPDIR), removed here before that folder is checked for leftovers.
  const dir = mkdtempSync(join(tmpdir(), 'fedcheck-shared-lab-'));
  const caFile = join(dir, 'lab-root.pem');
  const privateCaFile = join(dir, 'private-root.pem');
  writeFileSync(caFile, lab.caPem);
  writeFileSync(privateCaFile, lab.privateCaPem);
  const { close: _close, ...facts } = lab;
  const shared: SharedLab = { ...facts, caFile, privateCaFile };
  project.provide('lab', shared);
  return async () => {
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
