// Hostile and wrong input files, as a user (or an attacker who can plant a file) passes them: /dev/zero, a 50 MB
// file, a FIFO and a directory as --ca-file, config, --replay, certificate and diff input; a YAML alias bomb, a
// private key and random bytes as a config; a misspelt top-level key; a facts file of the wrong shape. Each is one
// line naming the file, exit 3, with the child's peak memory bounded and no key material echoed.

import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/fedcheck.js';

/** The issue's bound: no input file may grow fedcheck past this. */
const PEAK_RSS_LIMIT_KB = 300 * 1024;
const PEAK_RSS = pathToFileURL(join(ROOT, 'test/support/peak-rss.mjs')).href;

interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  peakRssKb: number;
}

/** `fedcheck ...args` with its peak RSS reported by the preloaded peak-rss.mjs on descriptor 3. */
function measured(args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PEAK_RSS, join(ROOT, 'bin/fedcheck.js'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      timeout: 55_000,
    });
    const out = { stdout: '', stderr: '', rss: '' };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out.stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out.stderr += chunk));
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (chunk: string) => (out.rss += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: out.stdout, stderr: out.stderr, peakRssKb: Number(out.rss.trim()) }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'fedcheck-hostile-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** 50 MB that takes no disk: a sparse file, every byte zero, as large as `ls -l` says. */
function bigFile(): string {
  const path = join(dir, 'big.bin');
  const fd = openSync(path, 'w');
  closeSync(fd);
  execFileSync('truncate', ['-s', '50M', path]);
  return path;
}

function fifo(): string {
  const path = join(dir, 'fifo');
  execFileSync('mkfifo', [path]);
  return path;
}

const BIG = bigFile();
const FIFO = fifo();
const DIRECTORY = join(dir, 'a-directory');
mkdirSync(DIRECTORY);

/** Each command that reads a file, and how it names the file in its error. */
const READERS: { name: string; args: (path: string) => string[]; what: string; cap: string }[] = [
  { name: '--ca-file', args: (path) => ['cert', 'inspect', join(ROOT, 'fixtures/facts/lab-demo.json'), '--ca-file', path], what: '--ca-file', cap: '4 MiB' },
  { name: 'config', args: (path) => ['run', '--config', path], what: 'config file', cap: '1 MiB' },
  { name: '--replay', args: (path) => ['check', '--replay', path], what: 'facts file', cap: '32 MiB' },
  { name: 'certificate', args: (path) => ['cert', 'inspect', path], what: 'certificate file', cap: '1 MiB' },
  { name: 'diff input', args: (path) => ['diff', path, path], what: 'report file', cap: '32 MiB' },
  { name: 'cert bundle --cert', args: (path) => ['cert', 'bundle', '--key', path, '--cert', path, '--out', join(dir, 'never.pfx')], what: '--cert', cap: '1 MiB' },
];

const HOSTILE: { name: string; path: string; says: (what: string, path: string, cap: string) => string }[] = [
  { name: '/dev/zero', path: '/dev/zero', says: (what, path) => `fedcheck: ${what} "${path}" is a character device, not a regular file: give the path of a file\n` },
  { name: 'a 50 MB file', path: BIG, says: (what, path, cap) => `fedcheck: ${what} "${path}" is 50 MiB (52428800 bytes): the cap for this file is ${cap} (${capBytes(cap)} bytes)\n` },
  { name: 'a FIFO', path: FIFO, says: (what, path) => `fedcheck: ${what} "${path}" is a FIFO (named pipe), not a regular file: give the path of a file\n` },
  { name: 'a directory', path: DIRECTORY, says: (what, path) => `fedcheck: ${what} "${path}" is a directory, not a regular file: give the path of a file\n` },
];

function capBytes(cap: string): number {
  return Number(cap.split(' ')[0]) * 1024 * 1024;
}

describe('input files that are not what fedcheck reads', () => {
  for (const reader of READERS) {
    for (const hostile of HOSTILE) {
      it(`${hostile.name} as ${reader.name}: one line naming the file, exit 3, memory bounded`, async () => {
        const run = await measured(reader.args(hostile.path));
        expect(run.stderr).toBe(hostile.says(reader.what, hostile.path, reader.cap));
        expect(run.code).toBe(3);
        expect(run.stdout).toBe('');
        expect(run.peakRssKb).toBeGreaterThan(0);
        expect(run.peakRssKb).toBeLessThan(PEAK_RSS_LIMIT_KB);
      });
    }
  }
});

describe('a config that is not one', () => {
  it('a YAML alias bomb: one line naming the file, memory bounded', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const path = file('bomb.yaml', `${levels.join('\n')}\n`);
    const run = await measured(['policy', 'lint', '--config', path]);
    expect(run.stderr).toBe(`fedcheck: ${path}: YAML aliases expand past 100 nodes (an alias bomb?): write the values out, or use fewer aliases\n`);
    expect(run.code).toBe(3);
    expect(run.peakRssKb).toBeLessThan(PEAK_RSS_LIMIT_KB);
  });

  it('a private key: named by its PEM type, never shown', async () => {
    const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const path = file('key.yaml', keyPem);
    const run = await measured(['run', '--config', path]);
    expect(run.stderr).toBe(`fedcheck: ${path}: holds a PEM block (PRIVATE KEY), not a YAML config (its content is not shown): expected a YAML config such as fedcheck init writes\n`);
    expect(run.code).toBe(3);
    const body = keyPem.split('\n')[1] ?? '';
    expect(body.length).toBeGreaterThan(20);
    expect(run.stderr + run.stdout).not.toContain(body.slice(0, 16));
  });

  it('random bytes: one short line, nothing of the bytes echoed', async () => {
    const path = file('random.yaml', randomBytes(4096));
    const run = await measured(['run', '--config', path]);
    expect(run.stderr).toBe(`fedcheck: ${path}: is not a text file (it holds bytes that are not UTF-8 text): expected a YAML config such as fedcheck init writes\n`);
    expect(run.code).toBe(3);
  });

  it('a long value: quoted as a short excerpt, control characters escaped', async () => {
    const path = file('long.yaml', `own:\n  sipDomains: [contoso.com]\ncheck:\n  timeoutMs: "\\e[2J${'x'.repeat(5000)}"\n`);
    const run = await measured(['run', '--config', path]);
    expect(run.stderr).toBe(`fedcheck: ${path}:4:3: check.timeoutMs: expected a whole number of milliseconds, got "\\x1b[2J${'x'.repeat(36)}…" (5004 characters)\n`);
    expect(run.code).toBe(3);
  });

  it('a misspelt top-level key is named first, with the key meant', async () => {
    const path = file('typo.yaml', 'ownn:\n  sipDomains: [contoso.com]\n');
    const run = await measured(['run', '--config', path]);
    expect(run.stderr).toBe(`fedcheck: ${path}:1:1: (top level): unknown key "ownn": did you mean "own"? (and 1 more problem)\n`);
    expect(run.code).toBe(3);
  });
});

describe('--replay of a facts file of the wrong shape', () => {
  const facts = () => JSON.parse(readFileSync(join(ROOT, 'fixtures/facts/lab-demo.json'), 'utf8')) as Record<string, any>;

  it('names the path inside the file and what was expected', async () => {
    const saved = facts();
    saved.facts['dns:SRV:_sipfederationtls._tcp.healthy.test'].facts.records = 'none';
    const path = file('wrong-records.json', JSON.stringify(saved));
    const run = await measured(['check', '--replay', path]);
    expect(run.stderr).toBe(
      `fedcheck: facts file "${path}" does not hold saved facts: facts["dns:SRV:_sipfederationtls._tcp.healthy.test"].facts.records: expected array, got a string\n`,
    );
    expect(run.code).toBe(3);
  });

  it('a target without its services, an outcome with an unknown status', async () => {
    const saved = facts();
    delete saved.targets[0].services;
    saved.facts['tcp:127.77.1.1:5061'] = { status: 'maybe' };
    const path = file('wrong-target.json', JSON.stringify(saved));
    const run = await measured(['check', '--replay', path]);
    expect(run.stderr).toBe(`fedcheck: facts file "${path}" does not hold saved facts: targets[0].services: expected array, got nothing (and 1 more problem)\n`);
    expect(run.code).toBe(3);
  });

  it('still replays the recorded lab run', async () => {
    const run = await measured(['check', '--replay', join(ROOT, 'fixtures/facts/lab-demo.json'), '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).domains.length).toBeGreaterThan(30);
  });
});
