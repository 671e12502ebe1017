#!/usr/bin/env node
// Thin shim: the bundled CLI lives in dist/fedcheck.mjs (built by `npm run build`, which `npm ci` runs as prepare).
// A stack trace is printed only under FEDCHECK_DEBUG=1, so only then is the source map read, to name src/*.ts lines:
// reading it costs more than a whole `fedcheck --version`.
if (process.env.FEDCHECK_DEBUG === '1') process.setSourceMapsEnabled(true);

const { main } = await import('../dist/fedcheck.mjs');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
