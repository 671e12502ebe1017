// Helpers for the interop tests: find a real server's binary, give it a loopback port, run it in the foreground as
// a child of the test with its output kept for failure messages, wait until it accepts connections, stop it.

import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { allChecks } from '../../checks/index.js';
import { DEFAULT_CHECK_OPTIONS, renderFinding, type CheckOptions } from '../../src/model/check.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import { FactView, type FactRecord } from '../../src/model/facts.js';
import { servicePresence } from '../../src/judge/presence.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import type { NetContext } from '../../src/probes/connector.js';
import { LOOPBACK_EGRESS } from './egress.js';
import { fedcheck } from './fedcheck.js';
import type { Target } from '../../src/model/target.js';

/** Where Debian puts server binaries that may not be on a test runner's PATH. */
const EXTRA_BIN_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
const LOG_KEEP_CHARS = 16000;

/** The first executable `name` on PATH, then in /usr/sbin and /usr/bin; undefined when there is none. */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_BIN_DIRS];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The binary, or undefined after printing why the interop test that needs it is skipped: a skipped test says so
 * in the output instead of passing silently.
 */
export function requireBinary(name: string, debianPackage: string, what: string): string | undefined {
  const found = findBinary(name);
  if (!found) console.warn(`${name} not found: install the Debian package ${debianPackage} to run the ${what} interop test`);
  return found;
}

/** A TCP port free on `address` right now: bound, read and released for the server to take. */
export async function freePort(address: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `count` distinct free ports on `address`. */
export async function freePorts(address: string, count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort(address));
  return [...ports];
}

/** A port free for both TCP and UDP on `address`, as a DNS server needs: found by binding both, then released. */
export async function freeDnsPort(address: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await freePort(address);
    const udp = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, address, () => resolve(true));
    });
    if (udpFree) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      return port;
    }
  }
  throw new Error(`no port free for both TCP and UDP on ${address}`);
}

/** Where Debian's kamailio and kamailio-tls-modules put the modules (INTEROP.md). */
const KAMAILIO_MODULE_DIRS = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/aarch64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules'];

/**
 * The folder holding every one of Kamailio's `modules` (names without `.so`), or undefined after printing why the
 * interop test that needs them is skipped.
 */
export function requireKamailioModules(modules: string[], what: string): string | undefined {
  const found = KAMAILIO_MODULE_DIRS.find((dir) => modules.every((name) => fs.existsSync(path.join(dir, `${name}.so`))));
  if (!found) {
    console.warn(
      `kamailio's ${modules.join(', ')} modules not found in ${KAMAILIO_MODULE_DIRS.join(', ')}: install the Debian package kamailio-tls-modules to run the ${what} interop test`,
    );
  }
  return found;
}

/**
 * The head every interop test's kamailio.cfg starts with: logs on stderr, no DNS of its own (the tests give
 * addresses), TLS on. Four TCP workers: with two, a run's burst of parallel TLS connections (a session and four
 * version probes per listener) now and then saw Kamailio reset a connection before its answer.
 * The test adds its listen lines, modules and routes after it.
 */
export function kamailioCoreConfig(generatedBy: string): string {
  return [
    `# generated by ${generatedBy}`,
    'debug=2',
    'log_stderror=yes',
    'fork=yes',
    'children=1',
    'tcp_children=4',
    'auto_aliases=no',
    'dns=no',
    'rev_dns=no',
    'dns_try_naptr=no',
    'use_dns_cache=off',
    'enable_tls=yes',
  ].join('\n');
}

/** Lua string literal for a path or name, as a Prosody config writes them. */
export function lua(value: string): string {
  return JSON.stringify(value);
}

/**
 * The lines of a prosody.cfg.lua that make one s2s listener on address:port and nothing else (no c2s, no HTTP),
 * STARTTLS required, with the pid file, data and certificates in `dir`.
 */
export function prosodyListenerConfig(dir: string, address: string, port: number): string {
  return [
    `pidfile = ${lua(path.join(dir, 'prosody.pid'))}`,
    `data_path = ${lua(dir)}`,
    `certificates = ${lua(dir)}`,
    `interfaces = { ${lua(address)} }`,
    `local_interfaces = { ${lua(address)} }`,
    `s2s_interfaces = { ${lua(address)} }`,
    `s2s_ports = { ${port} }`,
    's2s_direct_tls_ports = { }',
    `c2s_interfaces = { ${lua(address)} }`,
    'c2s_ports = { }',
    'c2s_direct_tls_ports = { }',
    'legacy_ssl_ports = { }',
    'http_ports = { }',
    'https_ports = { }',
    's2s_require_encryption = true',
    's2s_secure_auth = false',
  ].join('\n');
}

/** A fresh folder under the system's temp folder, for a server's config, certificates, pid file and data. */
export function makeWorkDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `fedcheck-${prefix}-`));
}

export function removeWorkDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/** A probe context with its own deadline. */
export function probeContext(timeoutMs = 5000): NetContext {
  return { signal: AbortSignal.timeout(timeoutMs + 1000), timeoutMs, egress: LOOPBACK_EGRESS };
}

/** A server running as a child of the test. */
export interface RunningServer {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last few thousand characters the server wrote to stdout and stderr. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** How the server is named in failure messages. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  /** The listeners that must accept TCP connections before the server counts as started. */
  listeners: { address: string; port: number }[];
  startupMs?: number;
}

/**
 * Spawns the server in the foreground and waits until every listener accepts a connection. Throws with the
 * server's output when it exits or does not listen in time, after stopping it.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const startupMs = options.startupMs ?? 15000;
  const child = spawn(options.command, options.args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-LOG_KEEP_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  // Should the test process end without afterAll (an interrupted run), the server must not outlive it. SIGTERM, not
  // SIGKILL: Kamailio's main process stops its forked workers on SIGTERM, a killed one would leave them listening.
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  const stop = async () => {
    await stopChild(child);
    process.off('exit', onExit);
  };
  const server: RunningServer = { name: options.name, child, log: () => output, stop };

  const commandLine = [options.command, ...options.args].join(' ');
  const startedAt = Date.now();
  try {
    for (const listener of options.listeners) {
      for (;;) {
        if (spawnError) throw new Error(`${options.name} could not be started (${commandLine}): ${spawnError.message}`);
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${options.name} exited (${child.exitCode ?? child.signalCode}) before listening on ${listener.address}:${listener.port}`);
        }
        if (await accepts(listener.address, listener.port)) break;
        if (Date.now() - startedAt > startupMs) {
          throw new Error(`${options.name} did not listen on ${listener.address}:${listener.port} within ${startupMs} ms`);
        }
        await delay(100);
      }
    }
  } catch (error) {
    await server.stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\ncommand: ${commandLine}\n--- ${options.name} output ---\n${output || '(none)'}\n--- end ---`);
  }
  return server;
}

/** Whether a TCP connection to the address is accepted (and then closed at once). */
export function accepts(address: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(forced);
}

/** The server's output, indented, for an assertion message. */
export function withLog(server: RunningServer | undefined, what: string): string {
  const log = server?.log().trim();
  return `${what}\n--- ${server?.name ?? 'server'} output ---\n${log || '(none)'}\n--- end ---`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs registered checks (by id) on facts the test assembled, as the engine would: evaluate, then render every
 * finding so template errors surface. Throws when a check id is not in the registry.
 */
export function runChecks(ids: string[], target: Target, facts: FactRecord, options: Partial<CheckOptions> = {}): Map<string, Finding[]> {
  const view = new FactView(facts);
  const results = new Map<string, Finding[]>();
  for (const id of ids) {
    const check = allChecks.find((candidate) => candidate.meta.id === id);
    if (!check) throw new Error(`the check ${id} is not in checks/index.ts`);
    // As the engine judges: with the domain's presence, once per service for a check of both.
    const drafts = evaluateCheck(check, { target, presence: servicePresence(target, view), facts: view, options: { ...DEFAULT_CHECK_OPTIONS, ...options }, now: new Date() });
    results.set(id, drafts.map((draft) => renderFinding(check, target.domain, draft)));
  }
  return results;
}

/** Findings as `status messageId (subject): message` lines, for assertion messages. */
export function describeFindings(findings: Finding[] | undefined): string {
  if (!findings || findings.length === 0) return 'no findings';
  return findings.map((f) => `${f.status} ${f.messageId} (${f.subject}): ${f.message}`).join('\n');
}

/** A zone the test's DNS serves: SOA and NS at ns1.<domain> (answering at `nsAddress`), then `records`, relative to the apex. */
export function zoneText(domain: string, nsAddress: string, records: string[]): string {
  return [
    `$ORIGIN ${domain}.`,
    '$TTL 3600',
    `@    IN SOA ns1.${domain}. hostmaster.${domain}. ( 2026120301 7200 3600 1209600 300 )`,
    `@    IN NS  ns1.${domain}.`,
    `ns1  IN A   ${nsAddress}`,
    ...records,
    '',
  ].join('\n');
}

export interface CliCheck {
  code: number | null;
  report: Report;
  stderr: string;
}

/**
 * `fedcheck check <args> --format json` as an admin runs it against the test's DNS and servers (loopback allowed, the
 * test CA trusted): its exit code, report and standard error. A run that printed no report throws, with the server's log.
 */
export async function checkWithCli(args: string[], options: { resolver: string; caFile: string; server?: RunningServer }): Promise<CliCheck> {
  const result = await fedcheck(['check', ...args, '--resolver', options.resolver, '--allow-private', '127.0.0.0/8', '--ca-file', options.caFile, '--timeout', '10000', '--format', 'json']);
  if (!result.stdout.startsWith('{')) throw new Error(withLog(options.server, `fedcheck check ${args.join(' ')} exited ${result.code}: ${result.stderr}`));
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}
