import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { policyChecks } from '../../checks/policy/index.js';
import { withPlaceholderNames } from '../../src/report/check-docs.js';
import { ROOT, fedcheck } from '../support/fedcheck.js';
import { tempFolders } from '../support/temp-folders.js';

const REFUSING_STDOUT = pathToFileURL(join(ROOT, 'test/support/refusing-stdout.mjs')).href;

const tempFolder = tempFolders();

const dir = tempFolder('cli');
const notJson = join(dir, 'not-json.txt');
writeFileSync(notJson, 'this is not JSON\n');
const missing = join(dir, 'missing.json');

// Each stops before any query, or queries only loopback (127.0.0.1:9, where nothing listens).
const badInputs: { what: string; args: string[]; names: string }[] = [
  { what: 'a malformed domain', args: ['check', 'exa mple..com'], names: 'exa mple..com' },
  { what: 'a resolver that is not an address', args: ['check', 'example.com', '--resolver', 'not-an-ip'], names: 'not-an-ip' },
  {
    what: 'a resolver that does not answer',
    args: ['check', 'example.com', '--resolver', '127.0.0.1:9', '--timeout', '500'],
    names: '127.0.0.1:9',
  },
  { what: 'an unknown check id', args: ['explain', 'no.such-check'], names: 'no.such-check' },
  { what: 'an unreadable replay file', args: ['check', '--replay', missing], names: missing },
  { what: 'a replay file that is not JSON', args: ['check', '--replay', notJson], names: notJson },
  { what: 'an unknown option', args: ['check', 'example.com', '--bogus-option'], names: '--bogus-option' },
  { what: 'an unknown format', args: ['check', 'example.com', '--format', 'xml'], names: 'xml' },
];

describe('bad input: one line naming the input, exit code 3, no stack trace', () => {
  it.each(badInputs)('$what', async ({ args, names }) => {
    const { code, stdout, stderr } = await fedcheck(args);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^fedcheck: /);
    expect(lines[0]).toContain(names);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('checks and explain', () => {
  it('lists every registered check', async () => {
    const { code, stdout } = await fedcheck(['checks']);
    expect(code).toBe(0);
    const registered = [...allChecks, ...policyChecks];
    expect(policyChecks.length).toBeGreaterThan(0);
    for (const check of registered) expect(stdout).toContain(check.meta.id);

    const json = await fedcheck(['checks', '--format', 'json']);
    const ids = (JSON.parse(json.stdout) as { id: string }[]).map((meta) => meta.id);
    expect(ids).toEqual(registered.map((check) => check.meta.id));
  });

  it('explains dns.sip-federation-srv with its fixes', async () => {
    const check = allChecks.find((c) => c.meta.id === 'dns.sip-federation-srv');
    expect(check).toBeDefined();
    const { code, stdout } = await fedcheck(['explain', 'dns.sip-federation-srv']);
    expect(code).toBe(0);
    expect(stdout).toContain(check!.meta.failureTitle);
    expect(stdout).toContain('How to fix');
    for (const fix of Object.values(check!.meta.fixes)) {
      expect(stdout.replace(/\s+/g, ' ')).toContain(withPlaceholderNames(fix.summary).replace(/\s+/g, ' '));
    }
  });

  it('suggests the closest id for a mistyped one', async () => {
    const { code, stderr } = await fedcheck(['explain', 'dns.sip-federation-sr']);
    expect(code).toBe(3);
    expect(stderr).toContain('did you mean dns.sip-federation-srv?');
  });
});

describe('version and help', () => {
  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const { code, stdout } = await fedcheck(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it('names the src/*.ts line of a forced internal error under FEDCHECK_DEBUG=1, and shows no stack without it', async () => {
    // bin/fedcheck.js runs the bundle: its source map must lead the stack back to the TypeScript that threw.
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', REFUSING_STDOUT, join(ROOT, 'bin/fedcheck.js'), 'checks'], { cwd: ROOT, env });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, stderr }));
      });
    const { FEDCHECK_DEBUG: _unset, ...env } = process.env;
    const quiet = await run(env);
    expect(quiet.code).toBe(3);
    expect(quiet.stderr).toBe('fedcheck: internal error: standard output refused by the test\n');
    const debug = await run({ ...env, FEDCHECK_DEBUG: '1' });
    expect(debug.code).toBe(3);
    expect(debug.stderr).toMatch(/^fedcheck: internal error: standard output refused by the test\nError: standard output refused by the test\n/);
    expect(debug.stderr).toMatch(/\n\s+at listChecks \(\S*\/src\/cli\/checks\.ts:\d+:\d+\)/);
  });

  it('describes every option of check', async () => {
    const { code, stdout } = await fedcheck(['check', '--help']);
    expect(code).toBe(0);
    for (const option of ['--sip', '--xmpp', '--edge', '--vantage', '--resolver', '--timeout', '--deadline',
      '--concurrency', '--allow-private', '--format', '--out', '--save-facts', '--replay', '--no-color']) {
      expect(stdout).toContain(option);
    }
  });
});

describe('a reader that stops early', () => {
  it('ends fedcheck quietly when its output pipe closes, as `fedcheck demo | head -1` does', async () => {
    // The demo's report is larger than a pipe's buffer, so the closed pipe is noticed while writing.
    const child = spawn(process.execPath, [join(ROOT, 'bin/fedcheck.js'), 'demo'], { cwd: ROOT });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|node:events|\n\s+at /);
    expect(code).toBe(0);
  });
});
