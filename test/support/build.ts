// Vitest global setup: builds dist/ once, as `npm run build` does, so the spawned bin/fedcheck.js runs the code under
// test: the bundle dist/fedcheck.mjs (which bin/fedcheck.js runs) and the module-for-module dist/src (which the
// egress test's lab runner and bench/ import). Types are checked apart, by `npm run typecheck`.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // The Node running the tests runs the build scripts too, so the Node 24 pass builds with Node 24.
  build(root, ['scripts/transpile.mjs'], 'node scripts/transpile.mjs');
  build(root, ['scripts/bundle.mjs'], 'node scripts/bundle.mjs');
}

function build(root: string, args: string[], what: string): void {
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    const output = `${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}` || String(error);
    throw new Error(`the build failed (${what}):\n${output}`);
  }
}
