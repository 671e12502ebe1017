// An interrupted nightly run (Ctrl+C, systemd stopping the service): it stops promptly, writes what it gathered
// as a complete report marked partial in interrupted/, keeps the last complete reports and history as they were,
// and never leaves a half-written or temporary file. The next complete run clears interrupted/.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { ROOT, fedcheck } from '../support/fedcheck.js';
import { writeNightlyConfig } from '../support/nightly-config.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const OUT_FILES = ['fedcheck.prom', 'junit.xml', 'report.html', 'report.json', 'summary.md'];
/**
 * Longer than the test waits for the run (RUN_KILL_MS): the lab's silent and hostile peers hold their probes until
 * the signal comes, so a run that stopped on its probes' timeouts rather than on the signal never gets to report.
 * "Stops promptly" is shown by what the user sees (the report, the probes cut short saying so), never by a stopwatch.
 */
const PROBE_TIMEOUT_MS = 60_000;
/** After this the test kills the run with SIGKILL: a run that ignored the signal ends with no exit code and no report. */
const RUN_KILL_MS = 55_000;
/** Well within the half second an aborted probe is given to report. */
const SECOND_SIGNAL_GAP_MS = 100;

let lab: SharedLab;
/** The runs' folders, removed at the end: each holds megabytes of reports. */
const folders: string[] = [];
beforeAll(async () => {
  lab = sharedLab();
});
afterAll(async () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
  outDir: string;
  historyDir: string;
}

/** Starts `fedcheck run`, waits until it talks to the lab's Edges, sends the signals, waits for its end. */
async function interruptRun(
  signals: NodeJS.Signals[],
  edit?: (yaml: string) => string,
  seed?: (folders: { outDir: string; historyDir: string }) => void,
): Promise<Interrupted> {
  const { config, dir } = writeNightlyConfig(lab, { timeoutMs: PROBE_TIMEOUT_MS, ...(edit ? { edit } : {}) });
  folders.push(dir);
  const outDir = join(dir, 'out');
  const historyDir = join(dir, 'history');
  seed?.({ outDir, historyDir });
  const child = spawn(process.execPath, [join(ROOT, 'bin/fedcheck.js'), 'run', '--config', config, '--out-dir', outDir, '--history', historyDir], {
    cwd: ROOT,
    timeout: RUN_KILL_MS,
    // Not SIGTERM, the default: fedcheck would take that for one more interruption and answer it.
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exited = false;
  const closed = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  await waitForEdgeConnections(child.pid ?? 0, () => (exited ? `fedcheck run ended before probing: ${stderr}` : undefined));
  for (const [index, signal] of signals.entries()) {
    // The kernel merges a signal into one still pending: a second Ctrl+C comes a moment later.
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, SECOND_SIGNAL_GAP_MS));
    child.kill(signal);
  }
  const code = await closed;
  return { code, stdout, stderr, outDir, historyDir };
}

/** The first probes have started once the run has a TCP connection established to an Edge port of the lab. */
async function waitForEdgeConnections(pid: number, failure: () => string | undefined): Promise<void> {
  const [a, b] = lab.block.split('.');
  const inLab = new RegExp(`^${a}\\.${b}\\.\\d+\\.\\d+:(5061|5269)$`);
  // Generous: on a loaded CI machine starting Node and loading the config alone can take seconds.
  const until = Date.now() + 45_000;
  while (Date.now() < until) {
    const problem = failure();
    if (problem !== undefined) throw new Error(problem);
    if (establishedRemotes(pid).some((remote) => inLab.test(remote))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('fedcheck run made no connection to the lab within 45 s');
}

/**
 * Remote ends of the established IPv4 TCP connections of process `pid`, from /proc/net/tcp (little-endian hex), whose
 * socket inodes are matched with the process's file descriptors: other test files probe the same shared lab.
 */
function establishedRemotes(pid: number): string[] {
  const sockets = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const target = readlinkOrEmpty(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) sockets.add(inode);
    }
  } catch {
    return []; // the process has ended: the caller's failure() says so
  }
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '01' && sockets.has(fields[9] ?? ''))
    .map((fields) => {
      const [address = '', port = ''] = (fields[2] ?? '').split(':');
      const octets = (address.match(/../g) ?? []).reverse().map((byte) => Number.parseInt(byte, 16));
      return `${octets.join('.')}:${Number.parseInt(port, 16)}`;
    });
}

function expectNoTemporaryFiles(dir: string): void {
  for (const name of existsSync(dir) ? readdirSync(dir) : []) expect(name, `${dir}/${name}`).not.toMatch(/\.tmp$|^\./);
}

describe.skipIf(!existsSync('/proc/net/tcp'))('fedcheck run, interrupted', () => {
  it('SIGINT: stops promptly and writes a complete report marked partial, to interrupted/', async () => {
    const run = await interruptRun(['SIGINT']);
    expect(run.code).toBe(3);
    const partialDir = join(run.outDir, 'interrupted');
    expect(run.stderr).toBe(`fedcheck: interrupted by SIGINT: the partial report is in ${partialDir}; the last complete reports in ${run.outDir} are kept\n`);
    expect(readdirSync(run.outDir)).toEqual(['interrupted']);
    expect(readdirSync(partialDir).sort()).toEqual(OUT_FILES);
    const report = JSON.parse(readFileSync(join(partialDir, 'report.json'), 'utf8')) as Report;
    expect(report.summary.partial).toBe(true);
    expect(report.summary.exitCode).toBe(3);
    const findings = report.domains.flatMap((d) => d.findings);
    // What was gathered is judged; what was cut short says so.
    expect(findings.some((f) => f.status === 'pass' && f.checkId === 'dns.sip-federation-srv')).toBe(true);
    expect(findings.some((f) => /the run was interrupted/.test(f.message))).toBe(true);
    // The other files are whole too: each ends as its format ends.
    expect(readFileSync(join(partialDir, 'report.html'), 'utf8').trimEnd()).toMatch(/<\/html>$/);
    expect(readFileSync(join(partialDir, 'junit.xml'), 'utf8').trimEnd()).toMatch(/<\/testsuites>$/);
    // Half a run is not last night's state: the next full run compares with the last full one.
    expect(existsSync(run.historyDir) ? readdirSync(run.historyDir) : []).toEqual([]);
    expectNoTemporaryFiles(partialDir);

    // The next run that completes writes its reports in place and clears the partial ones away.
    const { config, dir: nextDir } = writeNightlyConfig(lab);
    folders.push(nextDir);
    const next = await fedcheck(['run', '--config', config, '--out-dir', run.outDir, '--history', run.historyDir]);
    expect(next.stderr).toBe('');
    expect(readdirSync(run.outDir).sort()).toEqual(OUT_FILES);
    expect((JSON.parse(readFileSync(join(run.outDir, 'report.json'), 'utf8')) as Report).summary.partial).toBeUndefined();
    expect(readdirSync(run.historyDir)).toHaveLength(1);
  });

  it('after earlier runs: the history and the last complete reports are untouched; the partial one says it is partial', async () => {
    const previousRun = join(ROOT, 'fixtures/facts/lab-demo-report.json');
    const previousFacts = join(ROOT, 'fixtures/facts/lab-demo.json');
    const historyFile = '2026-11-21T02-45-28.000Z.json';
    let historyText = '';
    const run = await interruptRun(['SIGINT'], undefined, ({ outDir, historyDir }) => {
      mkdirSync(outDir);
      mkdirSync(historyDir);
      for (const name of OUT_FILES) writeFileSync(join(outDir, name), `the previous ${name}\n`);
      historyText = `${JSON.stringify({ report: JSON.parse(readFileSync(previousRun, 'utf8')), facts: JSON.parse(readFileSync(previousFacts, 'utf8')) })}\n`;
      writeFileSync(join(historyDir, historyFile), historyText);
    });
    expect(run.code).toBe(3);
    // The history keeps the last full run, byte for byte, and nothing of the interrupted one.
    expect(readdirSync(run.historyDir)).toEqual([historyFile]);
    expect(readFileSync(join(run.historyDir, historyFile), 'utf8')).toBe(historyText);
    // The last complete reports stay as they were, byte for byte: the dashboard and Prometheus keep showing them.
    expect(readdirSync(run.outDir).sort()).toEqual(['interrupted', ...OUT_FILES].sort());
    for (const name of OUT_FILES) expect(readFileSync(join(run.outDir, name), 'utf8')).toBe(`the previous ${name}\n`);
    // Every partial report is whole, and says it is partial in its own way.
    const partialDir = join(run.outDir, 'interrupted');
    expect(readdirSync(partialDir).sort()).toEqual(OUT_FILES);
    expect((JSON.parse(readFileSync(join(partialDir, 'report.json'), 'utf8')) as Report).summary.partial).toBe(true);
    expect(readFileSync(join(partialDir, 'summary.md'), 'utf8')).toContain('**Partial report**: the run was interrupted before every probe finished');
    expect(readFileSync(join(partialDir, 'report.html'), 'utf8')).toContain('<strong>Partial report:</strong> the run was interrupted before every probe finished');
    expect(readFileSync(join(partialDir, 'fedcheck.prom'), 'utf8')).toMatch(/^fedcheck_run_partial 1$/m);
    expect(readFileSync(join(partialDir, 'junit.xml'), 'utf8').trimEnd()).toMatch(/<\/testsuites>$/);
    expectNoTemporaryFiles(run.outDir);
    expectNoTemporaryFiles(partialDir);
    expectNoTemporaryFiles(run.historyDir);
  });

  it('SIGTERM: the same, as systemd or a CI timeout stops the job', async () => {
    const run = await interruptRun(['SIGTERM']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('interrupted by SIGTERM');
    const report = JSON.parse(readFileSync(join(run.outDir, 'interrupted', 'report.json'), 'utf8')) as Report;
    expect(report.summary.partial).toBe(true);
    expectNoTemporaryFiles(run.outDir);
  });

  it('a second signal stops at once, without a report and without a stray file', async () => {
    // A Cisco static route to the lab's silent Edge: its next-hop probe, in the run's one scheduler, is stopped by the
    // first signal with the others; the second comes while the 35 domains are judged, which yields between domains.
    const silentEdge = lab.block.replace(/\.0\.0\/16$/, '.39.1');
    const withRoute = (yaml: string) =>
      yaml.replace(
        '  accessEdgeFqdn: sip.healthy.test\n',
        `  accessEdgeFqdn: sip.healthy.test
  cisco:
    federationDomains: [silent-edge.test]
    staticRoutes:
      - { destinationPattern: .test.silent-edge, nextHop: '${silentEdge}', nextHopPort: 5061, protocol: TLS, priority: 1 }
`,
      );
    const run = await interruptRun(['SIGINT', 'SIGINT'], withRoute);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('SIGINT again: stopped at once, without a report');
    expect(readdirSync(run.outDir)).toEqual([]);
  });
});

function readlinkOrEmpty(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return ''; // a descriptor closed between the listing and the read
  }
}
