// Private keys on disk: written PKCS#8 with mode 0600 (encrypted when a passphrase is given), read back for bundling.
// A key is never part of an error message: callers print what went wrong, never what the file holds.

import { closeSync, constants, fchmodSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { KeyObject } from 'node:crypto';

/** Only the owner may read a key; the same for a PFX, which holds one. */
export const SECRET_FILE_MODE = 0o600;
export const PUBLIC_FILE_MODE = 0o644;

/** The key as PKCS#8 PEM, encrypted with AES-256-CBC (PBES2, as OpenSSL 3 writes it) when a passphrase is given. */
export function privateKeyPem(pkcs8: Buffer, passphrase: string | undefined): string {
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const pem =
    passphrase === undefined
      ? key.export({ type: 'pkcs8', format: 'pem' })
      : key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase });
  return pem.toString();
}

/**
 * Writes `path` with `mode` from its first byte, failing with EEXIST when it exists and `overwrite` is false.
 * The content goes to a new file beside it (O_CREAT|O_EXCL|O_NOFOLLOW: never an existing file, never through a
 * link someone planted), is flushed to disk, then takes the name: linked when nothing may be replaced (which
 * fails if anything, even a dangling link, has the name), renamed over it with --force (which replaces a link
 * itself, never the file it points to). An interrupted write leaves the old file or none, never half a key.
 */
export function writeNewFile(path: string, content: string | Uint8Array, mode: number, overwrite: boolean): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    try {
      // The umask may have taken bits away, never added any: the mode is exact whatever it is.
      fchmodSync(fd, mode);
      writeFileSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (overwrite) renameSync(temporary, path);
    else linkSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Whether a PEM private key needs a passphrase to be read. */
export function isEncryptedKeyPem(pem: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem) || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
}

/** A PEM private key (PKCS#8, PKCS#1 or SEC 1, encrypted or not); throws when it cannot be read with this passphrase. */
export function readPrivateKey(pem: string, passphrase: string | undefined): KeyObject {
  return createPrivateKey(passphrase === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase });
}

/** The key as unencrypted PKCS#8 DER, to be encrypted again inside a PFX. */
export function pkcs8Der(key: KeyObject): Buffer {
  return key.export({ type: 'pkcs8', format: 'der' });
}
