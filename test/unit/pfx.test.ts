import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PfxPassphraseError, buildPfx, looksLikePfx, openPfx, pfxPassphraseProblem } from '../../src/pki/pfx.js';
import { createTestPki } from '../../src/pki/test-ca.js';
import type { IssuedCertificate, TestPki } from '../../src/pki/test-ca.js';

const PASSPHRASE = 'Edge pool 2026!';
let pki: TestPki;
let workDir: string;
const issued: Record<'rsa2048' | 'ec-p256', IssuedCertificate> = {} as never;

beforeAll(async () => {
  pki = await createTestPki({ name: 'PFX' });
  workDir = mkdtempSync(join(tmpdir(), 'fedcheck-pfx-'));
  for (const key of ['rsa2048', 'ec-p256'] as const) {
    issued[key] = await pki.issue({ commonName: 'sip.contoso.com', dnsNames: ['sip.contoso.com', 'contoso.com'], key });
  }
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function pfxOf(key: 'rsa2048' | 'ec-p256', legacy: boolean): Buffer {
  return buildPfx({
    privateKeyPkcs8: createPrivateKey(issued[key].keyPem).export({ type: 'pkcs8', format: 'der' }),
    certificates: [issued[key].certDer, pki.intermediateDer],
    passphrase: PASSPHRASE,
    friendlyName: 'Access Edge sip.contoso.com',
    legacy,
  });
}

/** What `openssl pkcs12` prints (stdout then stderr, where it reports the MAC and encryption) for the file. */
function openssl(pfx: Buffer, legacy: boolean, ...args: string[]): string {
  const path = join(workDir, `${legacy ? 'legacy' : 'modern'}-${Math.random().toString(36).slice(2)}.pfx`);
  writeFileSync(path, pfx);
  const run = spawnSync('openssl', ['pkcs12', ...(legacy ? ['-legacy'] : []), '-in', path, '-passin', 'env:PFX_TEST_PASSPHRASE', ...args], {
    env: { ...process.env, PFX_TEST_PASSPHRASE: PASSPHRASE },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout + run.stderr;
}

describe('buildPfx', () => {
  it.each(['rsa2048', 'ec-p256'] as const)('%s: AES-256-CBC and a SHA-256 MAC by default, which OpenSSL opens with the passphrase', (key) => {
    const pfx = pfxOf(key, false);
    const info = openssl(pfx, false, '-info', '-nokeys');
    expect(info).toContain('MAC: sha256');
    expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    expect(info).toContain('friendlyName: Access Edge sip.contoso.com');
    expect(info.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(info).toContain('subject=CN = sip.contoso.com');
    expect(info).toContain('subject=O = PFX, CN = PFX Intermediate CA');
    const keyPem = openssl(pfx, false, '-nocerts', '-nodes');
    expect(createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem' })).toBe(createPrivateKey(issued[key].keyPem).export({ type: 'pkcs8', format: 'pem' }));
  });

  it.each(['rsa2048', 'ec-p256'] as const)('%s: 3DES and a SHA-1 MAC with legacy, for old Windows Server', (key) => {
    const info = openssl(pfxOf(key, true), true, '-info', '-nokeys');
    expect(info).toContain('MAC: sha1');
    expect(info).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC');
  });

  it.each([false, true])('legacy %s: Node (OpenSSL) loads the key and certificate for TLS with the passphrase, not without', (legacy) => {
    const pfx = pfxOf('rsa2048', legacy);
    expect(() => tls.createSecureContext({ pfx, passphrase: PASSPHRASE })).not.toThrow();
    expect(() => tls.createSecureContext({ pfx, passphrase: 'not it' })).toThrow();
  });

  it('pairs the key and the certificate with one local key id and keeps the chain in order', () => {
    const opened = openPfx(pfxOf('ec-p256', false), PASSPHRASE);
    expect(opened.hasKey).toBe(true);
    expect(opened.certificates).toEqual([issued['ec-p256'].certDer.toString('base64'), pki.intermediateDer.toString('base64')]);
  });
});

describe('openPfx', () => {
  it('tells a wrong passphrase from a file that is no PFX', () => {
    expect(() => openPfx(pfxOf('rsa2048', false), 'wrong')).toThrow(PfxPassphraseError);
    expect(() => openPfx(pfxOf('rsa2048', true), 'wrong')).toThrow(PfxPassphraseError);
    expect(() => openPfx(Buffer.from('30030201', 'hex'), PASSPHRASE)).toThrow(/not a readable PKCS#12/);
  });

  it('recognises a PFX by its structure, not a certificate or garbage', () => {
    expect(looksLikePfx(pfxOf('rsa2048', false))).toBe(true);
    expect(looksLikePfx(issued.rsa2048.certDer)).toBe(false);
    expect(looksLikePfx(Buffer.from('not DER at all'))).toBe(false);
  });
});

describe('pfxPassphraseProblem', () => {
  it.each([
    ['', /empty/],
    ['pässwort', /printable ASCII/],
    ['tab\there', /printable ASCII/],
  ])('refuses %j', (passphrase, why) => {
    expect(pfxPassphraseProblem(passphrase)).toMatch(why);
  });

  it('accepts printable ASCII, spaces included', () => {
    expect(pfxPassphraseProblem(PASSPHRASE)).toBeUndefined();
  });
});
