// What the benchmarks share: the fedcheck under test as a child process (FEDCHECK_BIN, default this checkout's
// bin/fedcheck.js), measured by GNU time (its CPU and peak RSS), and the figures printed against their targets.
// The lab and the servers always come from this checkout's dist/ (npm run build first).

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHECKOUT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FEDCHECK_BIN = resolve(process.env.FEDCHECK_BIN ?? join(CHECKOUT, 'bin', 'fedcheck.js'));
const GNU_TIME = '/usr/bin/time';

/** A scratch folder, removed by the returned function. */
export function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `fedcheck-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes the lab CA to `dir` and returns its path. */
export function writeCa(dir, pem) {
  const file = join(dir, 'lab-root.pem');
  writeFileSync(file, pem);
  return file;
}

/**
 * Runs `node FEDCHECK_BIN ...args` under GNU time: wall (ms, measured here), CPU user+sys (ms) and peak RSS (MB) of
 * the child, its exit code, stdout and stderr. The parent keeps serving the lab meanwhile (spawn, not spawnSync).
 */
export function runFedcheck(args, { env = {}, bin = FEDCHECK_BIN } = {}) {
  const timing = join(tmpdir(), `fedcheck-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(GNU_TIME, ['-f', '%U %S %M', '-o', timing, process.execPath, bin, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      let text = '';
      try {
        text = readFileSync(timing, 'utf8');
        rmSync(timing, { force: true });
      } catch {
        // GNU time writes nothing when it could not start the command; the exit code says so.
      }
      // A child that printed to stderr before dying leaves GNU time's "Command exited" line first.
      const last = text.trim().split('\n').at(-1) ?? '';
      const [user = NaN, sys = NaN, rssKb = NaN] = last.split(' ').map(Number);
      resolvePromise({
        code,
        wallMs,
        cpuMs: (user + sys) * 1000,
        rssMb: rssKb / 1024,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The machine as the figures were taken: it is shared, so every figure goes with its load. */
export function machine() {
  const [one, five, fifteen] = loadavg();
  return `${cpus().length} cores, load average ${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)}`;
}

export function header(title) {
  console.log(`${title}\n  fedcheck under test: ${FEDCHECK_BIN}\n  lab and servers from: ${CHECKOUT}/dist\n  machine: ${machine()}\n`);
}

/** One line per figure: the value, the target and whether it is met. */
export function target(name, value, limit, unit = '') {
  const met = value <= limit;
  const shown = (number) => (Number.isInteger(number) ? String(number) : number.toFixed(number < 10 ? 2 : 0));
  console.log(`  ${met ? 'MET    ' : 'NOT MET'}  ${name}: ${shown(value)}${unit} (target <= ${shown(limit)}${unit})`);
  return met;
}
