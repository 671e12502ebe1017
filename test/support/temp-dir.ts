// Vitest global setup: the run gets a temp folder of its own, as TMPDIR, which os.tmpdir() reads in every test worker
// and every server or CLI a test starts. At the end, whatever a test left there under a fedcheck- name fails the run
// with its name (each test removes what it creates, in afterAll or a finally); then the folder goes, whatever it holds.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const runDir = mkdtempSync(join(tmpdir(), 'fedcheck-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = runDir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const leftovers = readdirSync(runDir).filter((name) => name.startsWith('fedcheck-')).sort();
    rmSync(runDir, { recursive: true, force: true });
    if (leftovers.length > 0) {
      // Vitest reports an error thrown here but exits 0 for it: the exit code is set as well.
      process.exitCode = 1;
      throw new Error(`the tests left ${leftovers.length} folder(s) or file(s) in the temp directory; remove each in afterAll or a finally: ${leftovers.join(', ')}`);
    }
  };
}
