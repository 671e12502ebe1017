// PKCS#12 (PFX) bundles of an Edge certificate, its chain and its key, as Windows Server imports them, and reading
// the certificates back out of one. node-forge does the PKCS#12 encryption; node:crypto the hashes.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { DER_TAG, childrenOf, readTlv } from './der.js';

const { asn1, pki } = forge;

const INTEGER_TAG = 0x02;

/** OpenSSL 3's default iteration count for the key encryption and the MAC. */
export const PFX_ITERATIONS = 2048;

export interface PfxSpec {
  privateKeyPkcs8: Buffer;
  /** The certificate first, then its issuers, DER. */
  certificates: readonly Buffer[];
  passphrase: string;
  /** The name Windows shows in the certificate store. */
  friendlyName: string;
  /** 3DES with a SHA-1 MAC, for Windows Server 2016 and older; otherwise AES-256-CBC with SHA-256, as OpenSSL 3. */
  legacy: boolean;
}

/** What a PFX holds, in the words a report uses. */
export function describePfxProtection(legacy: boolean): string {
  return legacy
    ? 'key encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC, SHA-1 MAC (legacy, for Windows Server 2016 and older)'
    : `key encrypted with AES-256-CBC (PBES2, PBKDF2 with HMAC-SHA-256, ${PFX_ITERATIONS} iterations), SHA-256 MAC`;
}

/**
 * Why a passphrase cannot protect a PFX, or undefined. OpenSSL and Windows encode anything beyond printable ASCII
 * differently in the key derivation, so such a passphrase would make a file one of them cannot open.
 */
export function pfxPassphraseProblem(passphrase: string): string | undefined {
  if (passphrase === '') return 'it is empty, which would leave the private key unprotected';
  if (!/^[\x20-\x7e]+$/.test(passphrase)) return 'it holds characters other than printable ASCII, which Windows and OpenSSL encode differently';
  return undefined;
}

export function buildPfx(spec: PfxSpec): Buffer {
  const [leaf] = spec.certificates;
  if (!leaf) throw new Error('a PFX needs the certificate');
  // The same local key id (SHA-1 of the certificate) on the certificate and the key pairs them, as OpenSSL does.
  const attributes = bagAttributes(createHash('sha1').update(leaf).digest(), spec.friendlyName);
  const certificateBags = spec.certificates.map((der, index) =>
    safeBag(pki.oids.certBag as string, certificateBag(der), index === 0 ? attributes : undefined),
  );
  const keyBag = safeBag(pki.oids.pkcs8ShroudedKeyBag as string, encryptedKey(spec), attributes);
  const authenticatedSafe = derOf(sequence([dataContentInfo(sequence(certificateBags)), dataContentInfo(sequence([keyBag]))]));
  const pfx = sequence([
    integer(3),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      oid(pki.oids.data as string),
      explicit0(octetString(authenticatedSafe)),
    ]),
    macData(authenticatedSafe, spec),
  ]);
  return Buffer.from(derOf(pfx), 'binary');
}

/** The passphrase did not open the PFX: its MAC or its key encryption does not match. */
export class PfxPassphraseError extends Error {
  override readonly name = 'PfxPassphraseError';
}

export interface OpenedPfx {
  /** Base64 DER; the certificate paired with a key first, then the others as stored. */
  certificates: string[];
  hasKey: boolean;
}

/** A PFX's certificates. Throws PfxPassphraseError for a wrong passphrase, an Error when it is not a PFX. */
export function openPfx(bytes: Buffer, passphrase: string): OpenedPfx {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(bytes.toString('binary')), passphrase);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/password|MAC could not be verified|decrypt/i.test(message)) throw new PfxPassphraseError('wrong passphrase');
    throw new Error(`not a readable PKCS#12 file: ${message}`);
  }
  const bags = pfx.safeContents.flatMap((contents) => contents.safeBags);
  const keyIds = new Set(
    bags
      .filter((bag) => bag.type === pki.oids.keyBag || bag.type === pki.oids.pkcs8ShroudedKeyBag)
      .flatMap((bag) => (bag.attributes.localKeyId ?? []) as string[]),
  );
  const certificates = bags.filter((bag) => bag.type === pki.oids.certBag);
  const paired = (bag: forge.pkcs12.Bag) => ((bag.attributes.localKeyId ?? []) as string[]).some((id) => keyIds.has(id));
  return {
    certificates: [...certificates.filter(paired), ...certificates.filter((bag) => !paired(bag))].map(certificateDer),
    hasKey: bags.some((bag) => bag.type === pki.oids.keyBag || bag.type === pki.oids.pkcs8ShroudedKeyBag),
  };
}

/** A DER PFX starts SEQUENCE { INTEGER version, SEQUENCE authSafe, ... }; a certificate or PKCS#7 does not. */
export function looksLikePfx(bytes: Buffer): boolean {
  try {
    const [version, authSafe] = childrenOf(bytes, readTlv(bytes, 0));
    return version?.tag === INTEGER_TAG && authSafe?.tag === DER_TAG.sequence;
  } catch {
    return false;
  }
}

function certificateDer(bag: forge.pkcs12.Bag): string {
  // forge parses RSA certificates only; for the others it keeps the ASN.1 as read.
  const certificate = bag.cert ? pki.certificateToAsn1(bag.cert) : bag.asn1;
  return Buffer.from(derOf(certificate), 'binary').toString('base64');
}

function encryptedKey(spec: PfxSpec): forge.asn1.Asn1 {
  const privateKeyInfo = asn1.fromDer(spec.privateKeyPkcs8.toString('binary'));
  const options: forge.pki.EncryptionOptions = spec.legacy
    ? { algorithm: '3des', count: PFX_ITERATIONS, saltSize: 8 }
    : { algorithm: 'aes256', prfAlgorithm: 'sha256', count: PFX_ITERATIONS, saltSize: 16 };
  return pki.encryptPrivateKeyInfo(privateKeyInfo, spec.passphrase, options);
}

/** RFC 7292 appendix B: the MAC key comes from the PKCS#12 KDF (id 3) with the MAC's own hash. */
function macData(authenticatedSafe: string, spec: PfxSpec): forge.asn1.Asn1 {
  const hash = spec.legacy
    ? { name: 'sha1', digest: forge.md.sha1.create(), oid: pki.oids.sha1 as string }
    : { name: 'sha256', digest: forge.md.sha256.create(), oid: pki.oids.sha256 as string };
  const salt = randomBytes(spec.legacy ? 8 : 16);
  const saltBuffer = new forge.util.ByteStringBuffer(salt.toString('binary'));
  const length = hash.digest.digestLength;
  const key = forge.pkcs12.generateKey(spec.passphrase, saltBuffer, 3, PFX_ITERATIONS, length, hash.digest);
  const mac = createHmac(hash.name, Buffer.from(key.getBytes(), 'binary')).update(Buffer.from(authenticatedSafe, 'binary')).digest();
  const algorithm = sequence([oid(hash.oid), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
  return sequence([
    sequence([algorithm, octetString(mac.toString('binary'))]),
    octetString(salt.toString('binary')),
    integer(PFX_ITERATIONS),
  ]);
}

function bagAttributes(localKeyId: Buffer, friendlyName: string): forge.asn1.Asn1 {
  const attribute = (type: string, value: forge.asn1.Asn1) => sequence([oid(type), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [value])]);
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
    attribute(pki.oids.localKeyId as string, octetString(localKeyId.toString('binary'))),
    // forge writes a BMPSTRING value as UTF-16BE from the JavaScript string.
    attribute(pki.oids.friendlyName as string, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, friendlyName)),
  ]);
}

function certificateBag(der: Buffer): forge.asn1.Asn1 {
  return sequence([oid(pki.oids.x509Certificate as string), explicit0(octetString(der.toString('binary')))]);
}

function safeBag(type: string, value: forge.asn1.Asn1, attributes: forge.asn1.Asn1 | undefined): forge.asn1.Asn1 {
  return sequence([oid(type), explicit0(value), ...(attributes ? [attributes] : [])]);
}

function dataContentInfo(safeContents: forge.asn1.Asn1): forge.asn1.Asn1 {
  return sequence([oid(pki.oids.data as string), explicit0(octetString(derOf(safeContents)))]);
}

function sequence(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

function explicit0(value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [value]);
}

function octetString(bytes: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
}

function oid(value: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
}

function integer(value: number): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
}

function derOf(value: forge.asn1.Asn1): string {
  return asn1.toDer(value).getBytes();
}
