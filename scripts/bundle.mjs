// Bundles the CLI into dist/fedcheck.mjs, which bin/fedcheck.js runs: one file to parse instead of some 300 modules
// to resolve and read. The commands main.ts imports lazily become chunks of their own (dist/chunks/), so
// `fedcheck --version` reads only the small entry. Source maps name src/*.ts lines in stack traces. The bundle holds
// every dependency, so their licences are written beside it (dist/THIRD-PARTY-NOTICES.txt).
// This is the `prepare` and `prepack` script: it runs on `npm ci`, `npm pack`, `npm publish` and when npm or yarn
// installs fedcheck from git.

import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { thirdPartyNotices } from './third-party-notices.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// Where the dev dependencies are missing, say what to do instead of printing an import error: `npm install <folder>`
// links the folder and runs this in it as it is, and `npm install -g <git url>` does not install them (npm/cli#8440).
const { build } = await import('esbuild').catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error(
    `fedcheck: building dist/ needs the dev dependencies (esbuild), which are not installed in ${root}. ` +
      'In a clone, run `npm ci` first; to install a clone globally, pack it: ' +
      'npm ci && npm pack && npm install -g ./fedcheck-*.tgz',
  );
  process.exit(1);
});

// Chunk names carry a hash: a rebuild must not leave the previous build's chunks behind.
rmSync(`${root}dist/chunks`, { recursive: true, force: true });

const result = await build({
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
  metafile: true,
  // Fewer bytes for Node to parse at every start. Identifiers are kept: a stack trace names the functions as the
  // sources do, and the source maps name their src/*.ts lines.
  minifyWhitespace: true,
  minifySyntax: true,
});

const notices = thirdPartyNotices(root, Object.keys(result.metafile.inputs));
writeFileSync(`${root}dist/THIRD-PARTY-NOTICES.txt`, notices);
