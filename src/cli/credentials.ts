// Reads the certificate files a check is given: --ca-file (trusted beside Node's roots) and --client-cert
// (presented for mutual TLS). Every problem is one UsageError line; no key material is ever printed.

import { UsageError, describeError } from '../model/errors.js';
import { readInputFile, readInputText } from '../util/input-file.js';
import { pemBlocks } from '../pki/pem.js';
import type { OpenedPfx } from '../pki/pfx.js';
import { TlsSetupError, createClientContext } from '../probes/tls.js';
import type { ClientCertificate } from '../probes/tls.js';
import { CLIENT_PASSPHRASE_ENV, existingPassphrase, passphraseFromEnv } from './passphrases.js';

export interface LoadedClientCertificate {
  credentials: ClientCertificate;
  /** Leaf first, base64 DER: what is linted and recorded in the facts. */
  chain: string[];
  source: string;
}

/** PEM certificate (+ --client-key, or the key in the same file) or a PKCS#12 / PFX bundle. */
export async function loadClientCertificate(certPath: string, keyPath: string | undefined): Promise<LoadedClientCertificate> {
  const bytes = readInputFile(certPath, '--client-cert', 'certificate');
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) return loadPem(certPath, text, keyPath);
  if (keyPath !== undefined) {
    throw new UsageError(`--client-key is only for a PEM --client-cert; "${certPath}" is not PEM (a PFX holds its own key)`);
  }
  return loadPfx(certPath, bytes);
}

async function loadPem(certPath: string, certPem: string, keyPath: string | undefined): Promise<LoadedClientCertificate> {
  const chain = pemBlocks(certPem, 'CERTIFICATE').map((der) => der.toString('base64'));
  if (chain.length === 0) {
    throw new UsageError(`--client-cert "${certPath}" holds no PEM certificate: expected a PEM certificate or a PFX file`);
  }
  const keyPem = keyPath === undefined ? certPem : readInputText(keyPath, '--client-key', 'certificate');
  if (!/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(keyPem)) {
    throw new UsageError(
      keyPath === undefined
        ? `--client-cert "${certPath}" holds no private key: give it with --client-key FILE`
        : `--client-key "${keyPath}" holds no PEM private key`,
    );
  }
  const encrypted = /ENCRYPTED/.test(keyPem);
  const passphrase = encrypted ? await existingPassphrase(CLIENT_PASSPHRASE_ENV, `--client-cert "${certPath}"`) : undefined;
  const credentials: ClientCertificate = { certPem, keyPem, ...(passphrase !== undefined ? { passphrase } : {}) };
  validate(credentials, certPath);
  return { credentials, chain, source: certPath };
}

async function loadPfx(certPath: string, pfx: Buffer): Promise<LoadedClientCertificate> {
  // An export without a password is common; ask only when the empty one does not open the bundle.
  const fromEnv = passphraseFromEnv(CLIENT_PASSPHRASE_ENV);
  let passphrase = fromEnv ?? '';
  let opened = await tryPfx(pfx, passphrase, certPath);
  if (opened === undefined && fromEnv === undefined) {
    passphrase = await existingPassphrase(CLIENT_PASSPHRASE_ENV, `--client-cert "${certPath}"`);
    opened = await tryPfx(pfx, passphrase, certPath);
  }
  if (opened === undefined) throw new UsageError(`cannot open --client-cert "${certPath}": wrong passphrase`);
  if (opened.certificates.length === 0) throw new UsageError(`--client-cert "${certPath}" holds no certificate`);
  const credentials: ClientCertificate = { pfx, passphrase };
  validate(credentials, certPath);
  return { credentials, chain: opened.certificates, source: certPath };
}

/** The bundle opened with this passphrase, or undefined when it is the wrong one. */
async function tryPfx(pfx: Buffer, passphrase: string, certPath: string): Promise<OpenedPfx | undefined> {
  // node-forge, which reads PKCS#12, is loaded only when a PFX is given.
  const { PfxPassphraseError, openPfx } = await import('../pki/pfx.js');
  try {
    return openPfx(pfx, passphrase);
  } catch (error) {
    if (error instanceof PfxPassphraseError) return undefined;
    throw new UsageError(`--client-cert "${certPath}" is not a readable PKCS#12 / PFX file: ${describeError(error)}`);
  }
}

/** Node must accept the pair as it will use it: key matching the certificate, passphrase right. */
function validate(credentials: ClientCertificate, certPath: string): void {
  try {
    createClientContext({ servername: 'fedcheck.invalid', clientCertificate: credentials });
  } catch (error) {
    const reason = error instanceof TlsSetupError ? error.message : describeError(error);
    throw new UsageError(`cannot use --client-cert "${certPath}": ${reason}`);
  }
}
