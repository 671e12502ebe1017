#!/usr/bin/env node
// Thin shim: the bundled CLI lives in dist/fedcheck.mjs (built by scripts/bundle.mjs, the prepare and prepack script).
// A stack trace is printed only under FEDCHECK_DEBUG=1, so only then is the source map read, to name src/*.ts lines:
// reading it costs more than a whole `fedcheck --version`.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Asked by scripts and install checks: answered from package.json, as the CLI's own --version is, without
  // loading the CLI (half of the time of a bare --version went to loading it).
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  if (process.env.FEDCHECK_DEBUG === '1') process.setSourceMapsEnabled(true);
  const { main } = await import('../dist/fedcheck.mjs');
  main(args).then((code) => {
    process.exitCode = code;
  });
}
