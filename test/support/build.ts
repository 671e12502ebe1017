// Vitest global setup: compiles src/ to dist/ once, so the spawned bin/fedcheck.js runs the code under test.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // The Node running the tests runs the compiler too, so the Node 24 pass builds with Node 24.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
    throw new Error(`the build failed (tsc -p tsconfig.json):\n${output}`);
  }
}
