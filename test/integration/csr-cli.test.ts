// `fedcheck csr` as an admin runs it: the files it writes, what OpenSSL reads in the request, every refusal.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fedcheck } from '../support/fedcheck.js';
import { expectNoKeyMaterial } from '../support/key-material.js';
import type { CliResult } from '../support/fedcheck.js';

let workDir: string;
let previousUmask: number;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'fedcheck-csr-'));
  // A permissive umask: the key must still come out 0600.
  previousUmask = process.umask(0);
});
afterAll(() => {
  process.umask(previousUmask);
  rmSync(workDir, { recursive: true, force: true });
});

let dirCount = 0;
function freshDir(): string {
  const dir = join(workDir, `run-${(dirCount += 1)}`);
  mkdirSync(dir);
  return dir;
}

/** The CLI with extra environment variables (the spawned process inherits this one's). */
async function withEnv(vars: Record<string, string>, run: () => Promise<CliResult>): Promise<CliResult> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function openssl(args: string[], env: Record<string, string> = {}): { status: number | null; output: string } {
  const run = spawnSync('openssl', args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: run.status, output: run.stdout + run.stderr };
}

const TWO_DOMAIN_EDGE = [
  'csr',
  '--access-edge',
  'access.contoso.com',
  '--webconf',
  'webconf.contoso.com',
  '--sip-domain',
  'contoso.com',
  '--sip-domain',
  'fabrikam.com',
  '--xmpp-domain',
  'contoso.com',
  '--org',
  'Contoso Ltd',
  '--locality',
  'Redmond',
  '--state',
  'Washington',
  '--country',
  'us',
];

describe('fedcheck csr', () => {
  it('writes a 0600 PKCS#8 key and a request OpenSSL verifies, with the names in order and both usages', async () => {
    const dir = freshDir();
    const result = await fedcheck([...TWO_DOMAIN_EDGE, '--out-dir', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const keyPath = join(dir, 'access.contoso.com.key');
    const csrPath = join(dir, 'access.contoso.com.csr');
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);

    const read = openssl(['req', '-verify', '-noout', '-text', '-in', csrPath]);
    expect(read.status).toBe(0);
    expect(read.output).toMatch(/verify OK/);
    expect(read.output).toContain('Subject: C = US, ST = Washington, L = Redmond, O = Contoso Ltd, CN = access.contoso.com');
    expect(read.output).toContain('DNS:access.contoso.com, DNS:webconf.contoso.com, DNS:sip.contoso.com, DNS:sip.fabrikam.com, DNS:contoso.com');
    expect(read.output).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(read.output).toContain('Public-Key: (2048 bit)');
    expect(read.output).toContain('Signature Algorithm: sha256WithRSAEncryption');

    // The key the request was made with is the one written.
    const requestKey = openssl(['req', '-in', csrPath, '-noout', '-pubkey']).output;
    const fileKey = openssl(['pkey', '-in', keyPath, '-pubout']).output;
    expect(requestKey).toBe(fileKey);

    expect(result.stdout).toMatch(/1\. access\.contoso\.com\s+Access Edge FQDN\n\s+2\. webconf\.contoso\.com\s+Web Conferencing Edge FQDN\n\s+3\. sip\.contoso\.com/);
    expect(result.stdout).toContain('public CAs are removing Client Authentication');
    const warning = result.stdout.replace(/\s+/g, ' ');
    expect(warning).toContain('The Chrome Root Program (a Chrome rule, not a CA/Browser Forum one)');
    expect(warning).toMatch(/DigiCert (still issues clientAuth on request until|stopped issuing clientAuth on) 2027-03-01/);
    expect(warning).toContain('Cisco Expressway needs it in its own certificate up to X15.3.2 (field notice FN74362)');
    expect(result.stdout).toContain('SASL EXTERNAL');
    expect(result.stdout).toContain(`fedcheck cert bundle --key ${keyPath}`);
    expectNoKeyMaterial(result.stdout + result.stderr, readFileSync(keyPath, 'utf8'));
  });

  it.each([
    ['rsa3072', 'Public-Key: (3072 bit)', 'sha256WithRSAEncryption'],
    ['rsa4096', 'Public-Key: (4096 bit)', 'sha256WithRSAEncryption'],
    ['ec-p256', 'NIST CURVE: P-256', 'ecdsa-with-SHA256'],
    ['ec-p384', 'NIST CURVE: P-384', 'ecdsa-with-SHA384'],
  ])('--key %s', async (key, size, signature) => {
    const dir = freshDir();
    const result = await fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--sip-domain', 'contoso.com', '--key', key, '--out-dir', dir]);
    expect(result.code).toBe(0);
    const read = openssl(['req', '-verify', '-noout', '-text', '-in', join(dir, 'sip.contoso.com.csr')]);
    expect(read.output).toMatch(/verify OK/);
    expect(read.output).toContain(size);
    expect(read.output).toContain(`Signature Algorithm: ${signature}`);
  });

  it('encrypts the key with the passphrase from FEDCHECK_KEY_PASSPHRASE, which OpenSSL needs to read it', async () => {
    const dir = freshDir();
    const passphrase = 'Fed check key 7';
    const result = await withEnv({ FEDCHECK_KEY_PASSPHRASE: passphrase }, () =>
      fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--encrypt-key', '--out-dir', dir]),
    );
    expect(result.code).toBe(0);
    const keyPath = join(dir, 'sip.contoso.com.key');
    expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(openssl(['pkey', '-in', keyPath, '-noout', '-passin', 'env:KEY_PASS'], { KEY_PASS: passphrase }).status).toBe(0);
    expect(openssl(['pkey', '-in', keyPath, '-noout', '-passin', 'pass:wrong']).status).not.toBe(0);
    expect(result.stdout).toContain('encrypted with AES-256-CBC');
    expect(result.stdout + result.stderr).not.toContain(passphrase);
  });

  it('asks for a passphrase it cannot read from a terminal: one line, exit 3, nothing written', async () => {
    const dir = freshDir();
    const result = await fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--encrypt-key', '--out-dir', dir]);
    expectOneLineError(result, /needs a passphrase: set FEDCHECK_KEY_PASSPHRASE/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('requests a name given twice once, and says so', async () => {
    const dir = freshDir();
    const result = await fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--sip-domain', 'contoso.com', '--san', 'SIP.contoso.com', '--out-dir', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(
      'sip.contoso.com was given as Access Edge FQDN and as SIP domain contoso.com and as extra name (--san): requested once.',
    );
    const read = openssl(['req', '-noout', '-text', '-in', join(dir, 'sip.contoso.com.csr')]);
    expect(read.output).toMatch(/DNS:sip\.contoso\.com\n/);
  });

  it('refuses to overwrite a key without --force, and overwrites it with --force', async () => {
    const dir = freshDir();
    const keyPath = join(dir, 'sip.contoso.com.key');
    writeFileSync(keyPath, 'the key of the certificate in use', { mode: 0o644 });
    const refused = await fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--out-dir', dir]);
    expectOneLineError(refused, /already exists: .*--force/);
    expect(readFileSync(keyPath, 'utf8')).toBe('the key of the certificate in use');
    expect(existsSync(join(dir, 'sip.contoso.com.csr'))).toBe(false);

    const forced = await fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--out-dir', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
  });

  it('--force replaces a planted link with the key, never writing through it into the file it points to', async () => {
    const dir = freshDir();
    const outside = join(freshDir(), 'world-readable.txt');
    writeFileSync(outside, 'not a key', { mode: 0o644 });
    const keyPath = join(dir, 'sip.contoso.com.key');
    symlinkSync(outside, keyPath);
    const forced = await fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--out-dir', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe('not a key');
    expect(lstatSync(keyPath).isSymbolicLink()).toBe(false);
    expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    // Nothing is left beside the key: no temporary file.
    expect(readdirSync(dir).sort()).toEqual(['sip.contoso.com.csr', 'sip.contoso.com.key']);
  });

  it('without --force, a planted link (even a dangling one) is refused and left as it is', async () => {
    const dir = freshDir();
    const target = join(freshDir(), 'not-yet-there.key');
    const keyPath = join(dir, 'sip.contoso.com.key');
    symlinkSync(target, keyPath);
    const refused = await fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--out-dir', dir]);
    expectOneLineError(refused, /"[^"]*sip\.contoso\.com\.key" already exists: move it away or give --force/);
    expect(existsSync(target)).toBe(false);
    expect(readlinkSync(keyPath)).toBe(target);
    expect(readdirSync(dir)).toEqual(['sip.contoso.com.key']);
  });

  const tooMany = Array.from({ length: 100 }, (_, index) => ['--san', `host${index}.contoso.com`]).flat();
  it.each([
    ['no --access-edge', ['csr'], /needs --access-edge/],
    ['a wildcard Access Edge', ['csr', '--access-edge', '*.contoso.com'], /--access-edge "\*\.contoso\.com" is a wildcard: Lync and Skype for Business do not support/],
    ['a malformed FQDN', ['csr', '--access-edge', 'sip..contoso.com'], /invalid --access-edge "sip\.\.contoso\.com"/],
    ['a one-label name', ['csr', '--access-edge', 'edge'], /invalid --access-edge "edge"/],
    ['a bad SIP domain', ['csr', '--access-edge', 'sip.contoso.com', '--sip-domain', 'contoso_com'], /invalid --sip-domain "contoso_com"/],
    ['a wildcard SIP domain', ['csr', '--access-edge', 'sip.contoso.com', '--sip-domain', '*.contoso.com'], /--sip-domain "\*\.contoso\.com" is a wildcard/],
    ['a three-letter country', ['csr', '--access-edge', 'sip.contoso.com', '--country', 'USA'], /invalid --country "USA": expected the two-letter/],
    ['an unknown key type', ['csr', '--access-edge', 'sip.contoso.com', '--key', 'rsa1024'], /invalid --key "rsa1024": expected rsa2048, rsa3072, rsa4096, ec-p256 or ec-p384/],
    ['over 100 names', ['csr', '--access-edge', 'sip.contoso.com', ...tooMany], /101 subject alternative names: public CAs accept at most 100/],
    ['a CN over 64 characters', ['csr', '--access-edge', `${'a'.repeat(60)}.contoso.com`], /at most 64 characters/],
  ])('refuses %s: one line, exit 3, nothing written', async (_, args, message) => {
    const dir = freshDir();
    const result = await fedcheck([...args, '--out-dir', dir]);
    expectOneLineError(result, message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('makes a missing output folder, readable only by its owner', async () => {
    const dir = join(workDir, 'new-folder', 'certs');
    const result = await fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--out-dir', dir]);
    expect(result.code).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual(['sip.contoso.com.csr', 'sip.contoso.com.key']);
  });

  it('refuses an output folder it cannot write to: one line, exit 3', async () => {
    // root writes through any mode bits; sysfs refuses file creation to everyone.
    const locked = process.getuid?.() === 0 ? '/sys' : lockedFolder();
    const unwritable = await fedcheck(['csr', '--access-edge', 'sip.contoso.com', '--out-dir', locked]);
    expectOneLineError(unwritable, /cannot write .*(EACCES|EPERM|EROFS)/);
  });
});

function lockedFolder(): string {
  const dir = freshDir();
  chmodSync(dir, 0o500);
  return dir;
}

export function expectOneLineError(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(3);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n').filter((line) => line !== '')).toHaveLength(1);
  expect(result.stderr).toMatch(/^fedcheck: /);
  expect(result.stderr).toMatch(message);
}
