// fedcheck as a new user gets it: packed with `npm pack`, installed from the tarball into an empty prefix and run from
// there, and run with npx from the tarball. npm gets no network: it is offline, its registry is a closed loopback port
// and its cache is an empty folder, so the install can only succeed if the tarball needs nothing but itself.
//
// The project is packed from a copy of the checkout without dist/, so what ships is what `npm pack` built (prepack),
// not what the tests' global setup left, and the other test files keep running the checkout's dist/ undisturbed.

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { ROOT } from '../support/fedcheck.js';
import { runProcess } from '../support/run-process.js';
import type { ProcessResult as Result } from '../support/run-process.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Left out of the copy that is packed: what a fresh clone has not got (dist/, node_modules/) or git's own files. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'coverage', 'tmp', '.ci/node24']);

/** Every path the tarball may hold: the CLI, its bundle and licences, the lab's zone files, the README and the examples it links to. */
const SHIPPED = [
  /^package\.json$/,
  /^README\.md$/,
  /^examples\/[\w/.-]+\.ya?ml$/,
  /^LICENSE$/,
  /^bin\/fedcheck\.js$/,
  /^dist\/fedcheck\.mjs(\.map)?$/,
  /^dist\/chunks\/[\w-]+\.mjs(\.map)?$/,
  /^dist\/THIRD-PARTY-NOTICES\.txt$/,
  /^fixtures\/zones\/(ns2\/)?[\w.-]+\.zone$/,
];

let work: string;
let tarball: string;
let prefix: string;
let env: NodeJS.ProcessEnv;
/** The installed command, as the shell finds it after `npm install -g --prefix`. */
let installed: string;

function run(command: string, args: string[], cwd: string): Promise<Result> {
  return runProcess(command, args, { cwd, env, timeoutMs: 110000 });
}

async function succeeded(what: string, result: Promise<Result>): Promise<Result> {
  const done = await result;
  if (done.code !== 0) throw new Error(`${what} exited ${done.code}:\n${done.stdout}${done.stderr}`);
  return done;
}

/** A loopback port nothing listens on: any request npm tried would be refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

beforeAll(async () => {
  work = tempFolder('package');
  const source = join(work, 'source');
  cpSync(ROOT, source, {
    recursive: true,
    filter: (path) => !NOT_COPIED.has(relative(ROOT, path).split(sep).join('/')),
  });
  // The build tools, as `npm ci` put them in the checkout.
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(source, 'node_modules'));
  // A chunk an older build left behind: packing must rebuild dist/, not ship what lies there.
  mkdirSync(join(source, 'dist', 'chunks'), { recursive: true });
  writeFileSync(join(source, 'dist', 'chunks', 'stale-OLDBUILD.mjs'), 'throw new Error("stale");\n');

  env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.FEDCHECK_DEBUG;
  Object.assign(env, {
    // The installed command's `#!/usr/bin/env node` finds the Node running these tests.
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    npm_config_offline: 'true',
    npm_config_registry: `http://127.0.0.1:${await closedPort()}/`,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  });

  const packed = await succeeded('npm pack', run('npm', ['pack', '--json', '--pack-destination', work], source));
  const [pack] = JSON.parse(packed.stdout) as [{ filename: string }];
  tarball = join(work, pack.filename);
  prefix = join(work, 'prefix');
  await succeeded('npm install -g', run('npm', ['install', '--global', '--prefix', prefix, tarball], work));
  installed = join(prefix, 'bin', 'fedcheck');
});

describe('the packed tarball', () => {
  it('holds the built CLI, its licences, the README and the lab zone files, and nothing else', async () => {
    const listing = await succeeded('tar', run('tar', ['-tzf', tarball], work));
    const files = listing.stdout.trim().split('\n').map((path) => path.replace(/^package\//, ''));
    expect(files.filter((path) => !SHIPPED.some((pattern) => pattern.test(path)))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['bin/fedcheck.js', 'dist/fedcheck.mjs', 'LICENSE', 'README.md']));
    // `fedcheck demo` and `fedcheck lab` read every zone file at run time.
    const zones = filesUnder(join(ROOT, 'fixtures', 'zones')).map((path) => `fixtures/zones/${path}`);
    expect(files.filter((path) => path.startsWith('fixtures/')).sort()).toEqual(zones.sort());
    expect(files).not.toContain('dist/chunks/stale-OLDBUILD.mjs');
  });

  it('needs no dependencies: the bundle holds them, and names each with its licence', () => {
    const root = join(prefix, 'lib', 'node_modules', 'fedcheck');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(existsSync(join(root, 'node_modules'))).toBe(false);
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toContain('Copyright (c) 2026 the fedcheck authors');
    const notices = readFileSync(join(root, 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    for (const name of ['commander', 'node-forge', 'undici', 'yaml', 'zod']) {
      expect(notices).toMatch(new RegExp(`^${name}@\\d+\\.\\d+\\.\\d+, licence \\S`, 'm'));
    }
  });
});

describe('the installed fedcheck', () => {
  it('prints the version of package.json', async () => {
    const { code, stdout } = await run(installed, ['--version'], work);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });

  it('prints the usage of check', async () => {
    const { code, stdout } = await run(installed, ['check', '--help'], work);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: fedcheck check \[options\] \[domain\.\.\.\]/);
    expect(stdout).toContain('--format');
  });

  it('lists every check and explains one', async () => {
    const listed = await run(installed, ['checks'], work);
    expect(listed.code).toBe(0);
    const ids = allChecks.map((check) => check.meta.id);
    expect(ids.filter((id) => !listed.stdout.includes(id))).toEqual([]);
    const [first] = ids;
    const explained = await run(installed, ['explain', first!], work);
    expect(explained.code).toBe(0);
    expect(explained.stdout.startsWith(`${first} (`)).toBe(true);
  });

  it('runs the demo over the lab it ships', { timeout: 120000 }, async () => {
    const { code, stdout, stderr } = await run(installed, ['demo'], work);
    expect(code, stderr).toBe(0);
    // The lab's broken domains are found broken, with the exit code a real check would have given.
    expect(stdout).toContain('expired-cert.test');
    expect(stdout).toMatch(/exit code 2\b/);
    expect(stderr).toMatch(/This was the demo: \d+ fixture domains served by the embedded lab/);
  });
});

describe('npx from the tarball', () => {
  it('runs fedcheck without installing it', async () => {
    const { code, stdout, stderr } = await run('npx', ['--yes', `./${relative(work, tarball)}`, '--version'], work);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });
});
