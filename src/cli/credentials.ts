// Reads the certificate files a check is given: --ca-file (trusted beside Node's roots) and --client-cert
// (presented for mutual TLS). Every problem is one UsageError line; no key material is ever printed.

import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { UsageError, describeError } from '../engine/errors.js';
import { pemBlocks } from '../pki/pem.js';
import { TlsSetupError, createClientContext } from '../probes/tls.js';
import type { ClientCertificate } from '../probes/tls.js';
import { readSecret } from './secret.js';

// PKCS#12 bag types (RFC 7292 section 4.2).
const OID_KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const OID_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const OID_CERT_BAG = '1.2.840.113549.1.12.10.1.3';

/** The environment variable a passphrase for --client-cert may come from (never from argv). */
export const PASSPHRASE_ENV = 'FEDCHECK_CLIENT_PASSPHRASE';

export interface LoadedClientCertificate {
  credentials: ClientCertificate;
  /** Leaf first, base64 DER: what is linted and recorded in the facts. */
  chain: string[];
  source: string;
}

function readFile(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read ${flag} "${path}": ${describeError(error)}`);
  }
}

/** Each file must hold at least one PEM certificate. */
export function loadCaFiles(paths: readonly string[]): string[] {
  return paths.map((path) => {
    const text = readFile(path, '--ca-file').toString('utf8');
    if (pemBlocks(text, 'CERTIFICATE').length === 0) {
      throw new UsageError(`--ca-file "${path}" holds no PEM certificate: expected -----BEGIN CERTIFICATE----- blocks`);
    }
    return text;
  });
}

/** PEM certificate (+ --client-key, or the key in the same file) or a PKCS#12 / PFX bundle. */
export async function loadClientCertificate(certPath: string, keyPath: string | undefined): Promise<LoadedClientCertificate> {
  const bytes = readFile(certPath, '--client-cert');
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
  const keyPem = keyPath === undefined ? certPem : readFile(keyPath, '--client-key').toString('utf8');
  if (!/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(keyPem)) {
    throw new UsageError(
      keyPath === undefined
        ? `--client-cert "${certPath}" holds no private key: give it with --client-key FILE`
        : `--client-key "${keyPath}" holds no PEM private key`,
    );
  }
  const encrypted = /ENCRYPTED/.test(keyPem);
  const passphrase = encrypted ? await passphraseFor(certPath) : undefined;
  const credentials: ClientCertificate = { certPem, keyPem, ...(passphrase !== undefined ? { passphrase } : {}) };
  validate(credentials, certPath);
  return { credentials, chain, source: certPath };
}

async function loadPfx(certPath: string, pfx: Buffer): Promise<LoadedClientCertificate> {
  // An export without a password is common; ask only when the empty one does not open the bundle.
  let passphrase = '';
  let chain = pfxCertificates(pfx, passphrase);
  if (chain === undefined) {
    passphrase = await passphraseFor(certPath);
    chain = pfxCertificates(pfx, passphrase);
  }
  if (chain === undefined) {
    throw new UsageError(`cannot open --client-cert "${certPath}": wrong passphrase, or not a PKCS#12 / PFX file`);
  }
  if (chain.length === 0) throw new UsageError(`--client-cert "${certPath}" holds no certificate`);
  const credentials: ClientCertificate = { pfx, passphrase };
  validate(credentials, certPath);
  return { credentials, chain, source: certPath };
}

/** The bundle's certificates, leaf (the one with a key) first; undefined when it does not open. */
function pfxCertificates(pfx: Buffer, passphrase: string): string[] | undefined {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(pfx.toString('binary')), passphrase);
  } catch {
    return undefined;
  }
  const bagsOf = (bagType: string): forge.pkcs12.Bag[] => p12.getBags({ bagType })[bagType] ?? [];
  const bags = bagsOf(OID_CERT_BAG);
  const keyIds = new Set(
    [...bagsOf(OID_SHROUDED_KEY_BAG), ...bagsOf(OID_KEY_BAG)].flatMap((bag) => (bag.attributes.localKeyId ?? []) as string[]),
  );
  const der = (bag: forge.pkcs12.Bag) =>
    bag.cert ? Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes(), 'binary').toString('base64') : '';
  const isLeaf = (bag: forge.pkcs12.Bag) => ((bag.attributes.localKeyId ?? []) as string[]).some((id) => keyIds.has(id));
  return [...bags.filter(isLeaf), ...bags.filter((bag) => !isLeaf(bag))].map(der).filter((b64) => b64 !== '');
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

async function passphraseFor(certPath: string): Promise<string> {
  const fromEnv = process.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new UsageError(`--client-cert "${certPath}" needs a passphrase: set ${PASSPHRASE_ENV} (it is never read from the command line)`);
  }
  return readSecret(`Passphrase for ${certPath}: `);
}
