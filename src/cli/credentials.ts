// Reads our client certificate, presented for mutual TLS: --client-cert of `check` and `run`, or
// check.clientCertificate of a config. Every problem is one UsageError line; no key material is ever printed.

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

/** How the files are named in messages, and where a passphrase comes from. */
export interface CredentialNames {
  cert: string;
  key: string;
  /** The variable a passphrase is read from when none is given; else the terminal asks. */
  passphraseEnv: string;
  /** Already read (a config's passphraseFile): neither the variable nor the terminal is asked. */
  passphrase?: string;
}

const COMMAND_LINE: CredentialNames = { cert: '--client-cert', key: '--client-key', passphraseEnv: CLIENT_PASSPHRASE_ENV };

/** PEM certificate (+ --client-key, or the key in the same file) or a PKCS#12 / PFX bundle. */
export async function loadClientCertificate(
  certPath: string,
  keyPath: string | undefined,
  names: CredentialNames = COMMAND_LINE,
): Promise<LoadedClientCertificate> {
  const bytes = readInputFile(certPath, names.cert, 'certificate');
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) return loadPem(certPath, text, keyPath, names);
  if (keyPath !== undefined) {
    throw new UsageError(`${names.key} is only for a PEM ${names.cert}; "${certPath}" is not PEM (a PFX holds its own key)`);
  }
  return loadPfx(certPath, bytes, names);
}

async function loadPem(certPath: string, certPem: string, keyPath: string | undefined, names: CredentialNames): Promise<LoadedClientCertificate> {
  const chain = pemBlocks(certPem, 'CERTIFICATE').map((der) => der.toString('base64'));
  if (chain.length === 0) {
    throw new UsageError(`${names.cert} "${certPath}" holds no PEM certificate: expected a PEM certificate or a PFX file`);
  }
  const keyPem = keyPath === undefined ? certPem : readInputText(keyPath, names.key, 'certificate');
  if (!/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(keyPem)) {
    throw new UsageError(
      keyPath === undefined
        ? `${names.cert} "${certPath}" holds no private key: give it with ${names.key}`
        : `${names.key} "${keyPath}" holds no PEM private key`,
    );
  }
  const encrypted = /ENCRYPTED/.test(keyPem);
  const passphrase = encrypted ? (names.passphrase ?? (await existingPassphrase(names.passphraseEnv, `${names.cert} "${certPath}"`))) : undefined;
  const credentials: ClientCertificate = { certPem, keyPem, ...(passphrase !== undefined ? { passphrase } : {}) };
  validate(credentials, certPath, names);
  return { credentials, chain, source: certPath };
}

async function loadPfx(certPath: string, pfx: Buffer, names: CredentialNames): Promise<LoadedClientCertificate> {
  // An export without a password is common; ask only when the empty one does not open the bundle.
  const given = names.passphrase ?? passphraseFromEnv(names.passphraseEnv);
  let passphrase = given ?? '';
  let opened = await tryPfx(pfx, passphrase, certPath, names);
  if (opened === undefined && given === undefined) {
    passphrase = await existingPassphrase(names.passphraseEnv, `${names.cert} "${certPath}"`);
    opened = await tryPfx(pfx, passphrase, certPath, names);
  }
  if (opened === undefined) throw new UsageError(`cannot open ${names.cert} "${certPath}": wrong passphrase`);
  if (opened.certificates.length === 0) throw new UsageError(`${names.cert} "${certPath}" holds no certificate`);
  const credentials: ClientCertificate = { pfx, passphrase };
  validate(credentials, certPath, names);
  return { credentials, chain: opened.certificates, source: certPath };
}

/** The bundle opened with this passphrase, or undefined when it is the wrong one. */
async function tryPfx(pfx: Buffer, passphrase: string, certPath: string, names: CredentialNames): Promise<OpenedPfx | undefined> {
  // node-forge, which reads PKCS#12, is loaded only when a PFX is given.
  const { PfxPassphraseError, openPfx } = await import('../pki/pfx.js');
  try {
    return openPfx(pfx, passphrase);
  } catch (error) {
    if (error instanceof PfxPassphraseError) return undefined;
    throw new UsageError(`${names.cert} "${certPath}" is not a readable PKCS#12 / PFX file: ${describeError(error)}`);
  }
}

/** Node must accept the pair as it will use it: key matching the certificate, passphrase right. */
function validate(credentials: ClientCertificate, certPath: string, names: CredentialNames): void {
  try {
    createClientContext({ servername: 'fedcheck.invalid', clientCertificate: credentials });
  } catch (error) {
    const reason = error instanceof TlsSetupError ? error.message : describeError(error);
    throw new UsageError(`cannot use ${names.cert} "${certPath}": ${reason}`);
  }
}
