// P3, start-up and one check: `fedcheck --version` (median of 20, target <= 150 ms); `fedcheck check healthy.test`
// against the lab (no delay) side by side with check_ssl_cert (monitoring-plugins-contrib) checking the certificate
// of one of that domain's endpoints, median of several runs each, interleaved: fedcheck's wall <= 1/3 of
// check_ssl_cert's, and fedcheck's own CPU <= 250 ms.
// Run after `npm run build`: node bench/p3-startup.mjs [runs]   (FEDCHECK_BIN=... to test another build)

import { spawn } from 'node:child_process';
import { formatServer } from '../dist/src/probes/resolvers.js';
import { startLab } from '../dist/src/lab/lab.js';
import { header, median, runFedcheck, scratch, target, writeCa } from './lib.mjs';

const CHECK_SSL_CERT = '/usr/lib/nagios/plugins/check_ssl_cert';
const VERSION_RUNS = 20;
const runs = Number(process.argv[2] ?? 5);

header(`P3, start-up and one check: --version × ${VERSION_RUNS}, check vs check_ssl_cert × ${runs}`);
const version = [];
for (let run = 0; run < VERSION_RUNS; run += 1) version.push(await runFedcheck(['--version']));
console.log(`fedcheck --version: "${version[0].stdout.trim()}", median wall ${median(version.map((r) => r.wallMs)).toFixed(0)} ms, ` +
  `median CPU ${median(version.map((r) => r.cpuMs)).toFixed(0)} ms, min wall ${Math.min(...version.map((r) => r.wallMs)).toFixed(0)} ms`);

const lab = await startLab();
const { dir, remove } = scratch('p3');
try {
  const caFile = writeCa(dir, lab.caPem);
  const edge = lab.block.replace(/\.0\.0\/16$/, '.1.1');
  const fedcheckArgs = [
    'check', 'healthy.test', '--resolver', formatServer(lab.resolver), '--allow-private', lab.allowPrivate.join(','),
    '--timeout', String(lab.timeoutMs), '--ca-file', caFile,
  ];
  // The Access Edge's SIP TLS listener, by address (no DNS), its name for SNI and the name match, the lab CA as the
  // root; OCSP and SCT checks off, as the lab certificates have no SCTs and the check must stay on loopback.
  const sslArgs = ['-H', edge, '-p', '5061', '--sni', 'sip.healthy.test', '-n', 'sip.healthy.test', '--rootcert-file', caFile,
    '--ignore-ocsp', '--ignore-sct', '--no-proxy', '-t', '30'];
  const checks = [];
  const plugin = [];
  for (let run = 0; run < runs; run += 1) {
    checks.push(await runFedcheck(fedcheckArgs));
    plugin.push(await timed(CHECK_SSL_CERT, sslArgs));
  }
  console.log(`fedcheck check healthy.test: exit ${checks[0].code}, "${checks[0].stdout.trim().split('\n').at(-1)}"`);
  console.log(`check_ssl_cert ${sslArgs.join(' ')}:\n  exit ${plugin[0].code}, "${plugin[0].stdout.trim().split('\n')[0].slice(0, 160)}"`);
  const checkWall = median(checks.map((r) => r.wallMs));
  const checkCpu = median(checks.map((r) => r.cpuMs));
  const pluginWall = median(plugin.map((r) => r.wallMs));
  console.log(`fedcheck check: median wall ${checkWall.toFixed(0)} ms, median CPU ${checkCpu.toFixed(0)} ms, peak RSS ${median(checks.map((r) => r.rssMb)).toFixed(0)} MB`);
  console.log(`check_ssl_cert: median wall ${pluginWall.toFixed(0)} ms\n`);
  target('fedcheck --version wall (median)', median(version.map((r) => r.wallMs)), 150, ' ms');
  target('fedcheck check wall / check_ssl_cert wall', checkWall / pluginWall, 1 / 3);
  target('fedcheck check CPU (median)', checkCpu, 250, ' ms');
} finally {
  await lab.close();
  remove();
}

function timed(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, wallMs: performance.now() - started, stdout: Buffer.concat(out).toString('utf8') }));
  });
}
