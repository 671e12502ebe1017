// Private keys on disk: written PKCS#8 with mode 0600 (through writeNewFile, util/atomic-file.ts) (encrypted when a passphrase is given), read back for bundling.
// A key is never part of an error message: callers print what went wrong, never what the file holds.

import { createPrivateKey } from 'node:crypto';
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
