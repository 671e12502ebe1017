// Vitest global setup: builds dist/ once, as `npm run build` does, so the spawned bin/fedcheck.js runs the code under
// test: tsc's dist/src (which tests and bench import) and the bundle dist/fedcheck.mjs (which bin/fedcheck.js runs).

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // The Node running the tests runs the compiler and the bundler too, so the Node 24 pass builds with Node 24.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  build(root, [tsc, '-p', 'tsconfig.json'], 'tsc -p tsconfig.json');
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
