// `fedcheck serve` as an admin starts it: a child process with a config, listening on a free loopback port; the test
// reads the address from its start line, talks HTTP to it, and stops it as systemd does (SIGTERM).

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { formatServer } from '../../src/probes/resolvers.js';
import { BIN, ROOT, cleanEnv } from './fedcheck.js';
import type { SharedLab } from './lab.js';

export interface RunningServe {
  /** http://127.0.0.1:PORT */
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything printed so far on stdout (the start lines, one line per request) and stderr. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the next stdout line matching `pattern`. */
  nextLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A config for the shared lab: healthy.test our own domain, expired-cert.test a partner, `*.test` allowed. */
export function writeServeConfig(dir: string, lab: SharedLab, serve: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  const path = join(dir, 'fedcheck.yaml');
  const config = {
    own: { sipDomains: ['healthy.test'], xmppDomains: ['healthy.test'] },
    partners: ['expired-cert.test'],
    check: { resolvers: [formatServer(lab.resolver)], allowPrivate: lab.allowPrivate, caFiles: [lab.caFile], timeoutMs: 3000 },
    serve: { vantage: 'lab', targets: ['*.test'], ...serve },
    ...extra,
  };
  writeFileSync(path, stringify(config));
  return path;
}

/** `listen: false`: on the address the config or the default says, not on a free port. */
export async function startServe(args: string[], { listen = true } = {}): Promise<RunningServe> {
  const child = spawn(process.execPath, [BIN, 'serve', ...(listen ? ['--listen', '127.0.0.1:0'] : []), ...args], { cwd: ROOT, env: cleanEnv({}) });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; from: number; resolve: (line: string) => void }[] = [];
  const offer = () => {
    for (const waiter of [...waiters]) {
      const line = stdout.slice(waiter.from).split('\n').slice(0, -1).find((candidate) => waiter.pattern.test(candidate));
      if (line === undefined) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    offer();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** The first stdout line matching `pattern` printed after `from` characters. */
  const lineAfter = (pattern: RegExp, from: number, timeoutMs = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
      waiters.push({ pattern, from, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      offer();
    });
  const nextLine = (pattern: RegExp, timeoutMs?: number) => lineAfter(pattern, stdout.length, timeoutMs);
  const started = lineAfter(/listening on http:\/\//, 0);
  const failed = exited.then((code) => {
    throw new Error(`fedcheck serve exited with ${code} before listening:\n${stderr}`);
  });
  const line = await Promise.race([started, failed]);
  const url = /(http:\/\/[^ ]+)/.exec(line)?.[1] ?? '';
  return {
    url,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    nextLine,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
