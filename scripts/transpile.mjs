// Compiles src/ and checks/ to dist/src and dist/checks, module for module, for what imports them unbundled: the
// benchmarks and the lab runner the egress test starts inside a network namespace. esbuild only strips the types
// (tsc -p tsconfig.test.json checks them, in CI and `npm run typecheck`): a second or two, where tsc's emit took
// ten on a two-core machine, in front of every test run.

import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

function typescriptFiles(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

// A source file deleted since the last build must not linger as an importable module.
for (const dir of ['src', 'checks']) rmSync(join(root, 'dist', dir), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: [...typescriptFiles('src'), ...typescriptFiles('checks')],
  outdir: 'dist',
  outbase: '.',
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
