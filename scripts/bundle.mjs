// Bundles the CLI into dist/fedcheck.mjs, which bin/fedcheck.js runs: one file to parse instead of some 300 modules
// to resolve and read. The commands main.ts imports lazily become chunks of their own (dist/chunks/), so
// `fedcheck --version` reads only the small entry. Source maps name src/*.ts lines in stack traces.

import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

// Chunk names carry a hash: a rebuild must not leave the previous build's chunks behind.
rmSync(`${root}dist/chunks`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { fedcheck: 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Positions only: a stack trace needs the file and line, not a second copy of the sources.
  sourcemap: 'linked',
  sourcesContent: false,
  // The CommonJS dependencies (node-forge, dns2, ...) call require() for Node's own modules, which an ES module has
  // not got; each output file gets one of its own.
  banner: { js: "import { createRequire as fedcheckCreateRequire } from 'node:module';\nconst require = fedcheckCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
