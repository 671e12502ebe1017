// Temp folders for one test file, each removed after the file's tests: `npm test` leaves nothing behind.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Call at the top of a test file (or of a describe); the function it returns makes `fedcheck-<prefix>-XXXXXX` under
 * the temp directory, and every folder it made is removed after the file's (or the describe's) tests.
 */
export function tempFolders(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), `fedcheck-${prefix}-`));
    made.push(dir);
    return dir;
  };
}
