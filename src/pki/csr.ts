// The Edge external certificate request (DOMAIN.md section 4): which names it asks for and in which order, and the
// signed PKCS#10 request with the new key pair it was made with.

import { webcrypto } from 'node:crypto';
import { EXTENDED_KEY_USAGE_OIDS } from './oids.js';
import { toPem } from './pem.js';
import { x509 } from './x509-library.js';

import type { KeyAlgorithm } from './key-algorithms.js';

export { KEY_ALGORITHMS } from './key-algorithms.js';
export type { KeyAlgorithm } from './key-algorithms.js';

/** Public CAs cap a certificate at 100 subject alternative names (DigiCert, Sectigo, GlobalSign, Let's Encrypt). */
export const MAX_SUBJECT_ALT_NAMES = 100;

/** The names an Edge certificate must carry, as the admin gave them (already validated, lower-case A-labels). */
export interface EdgeNames {
  accessEdge: string;
  webConferencing?: string;
  sipDomains: readonly string[];
  xmppDomains: readonly string[];
  extraNames: readonly string[];
}

export interface PlannedName {
  name: string;
  /** Why the name is in the request: "Access Edge FQDN", "SIP domain contoso.com"... */
  reasons: string[];
}

/**
 * The subject alternative names in the order Lync / Skype for Business expects them: the Access Edge FQDN first,
 * then the Web Conferencing Edge, `sip.<domain>` per SIP domain, the XMPP domains, the extra names. A name given
 * twice is kept at its first place, with every reason it was given for.
 */
export function planSubjectAltNames(names: EdgeNames): PlannedName[] {
  const planned: PlannedName[] = [];
  const add = (name: string, reason: string) => {
    const existing = planned.find((entry) => entry.name === name);
    if (existing) existing.reasons.push(reason);
    else planned.push({ name, reasons: [reason] });
  };
  add(names.accessEdge, 'Access Edge FQDN');
  if (names.webConferencing !== undefined) add(names.webConferencing, 'Web Conferencing Edge FQDN');
  for (const domain of names.sipDomains) add(`sip.${domain}`, `SIP domain ${domain}`);
  for (const domain of names.xmppDomains) add(domain, `XMPP domain ${domain}`);
  for (const name of names.extraNames) add(name, 'extra name (--san)');
  return planned;
}

/** The subject; every attribute but the CN is optional. */
export interface RequestSubject {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  locality?: string;
  state?: string;
  /** Two upper-case letters. */
  country?: string;
}

export interface CertificateRequestSpec {
  subject: RequestSubject;
  subjectAltNames: readonly string[];
  key: KeyAlgorithm;
}

export interface GeneratedRequest {
  csrPem: string;
  /** The new private key, PKCS#8 DER: for key-files.ts to write, never to print. */
  privateKeyPkcs8: Buffer;
}

const RSA_SIGNATURE = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

/** How each key type is generated and signs: PKCS#1 v1.5 for RSA, because Lync / Skype for Business cannot use PSS. */
const KEY_PARAMETERS: Record<KeyAlgorithm, { generate: RsaHashedKeyGenParams | EcKeyGenParams; sign: Algorithm | EcdsaParams }> = {
  rsa2048: { generate: rsaKey(2048), sign: RSA_SIGNATURE },
  rsa3072: { generate: rsaKey(3072), sign: RSA_SIGNATURE },
  rsa4096: { generate: rsaKey(4096), sign: RSA_SIGNATURE },
  'ec-p256': { generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams },
  'ec-p384': { generate: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams },
};

function rsaKey(modulusLength: number): RsaHashedKeyGenParams {
  return { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
}

/** A new key pair and the PKCS#10 request signed with it, asking for Server and Client Authentication. */
export async function generateCertificateRequest(spec: CertificateRequestSpec): Promise<GeneratedRequest> {
  const parameters = KEY_PARAMETERS[spec.key];
  // Extractable: the key is written to a file, to be bundled into the PFX every Edge of the pool imports.
  const keys = (await webcrypto.subtle.generateKey(parameters.generate, true, ['sign', 'verify'])) as CryptoKeyPair;
  const rsa = spec.key.startsWith('rsa');
  const usages = rsa ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment : x509.KeyUsageFlags.digitalSignature;
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(spec.subject),
    keys,
    signingAlgorithm: parameters.sign,
    extensions: [
      new x509.SubjectAlternativeNameExtension(spec.subjectAltNames.map((value) => ({ type: 'dns' as const, value }))),
      new x509.KeyUsagesExtension(usages, true),
      new x509.ExtendedKeyUsageExtension([EXTENDED_KEY_USAGE_OIDS.serverAuth, EXTENDED_KEY_USAGE_OIDS.clientAuth]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { csrPem: toPem(new Uint8Array(request.rawData), 'CERTIFICATE REQUEST'), privateKeyPkcs8: Buffer.from(pkcs8) };
}

/** Most general attribute first, as CAs and OpenSSL write names: C, ST, L, O, OU, CN. */
function subjectName(subject: RequestSubject): x509.Name {
  const attributes: [string, string | undefined][] = [
    ['C', subject.country],
    ['ST', subject.state],
    ['L', subject.locality],
    ['O', subject.organization],
    ['OU', subject.organizationalUnit],
    ['CN', subject.commonName],
  ];
  return new x509.Name(attributes.flatMap(([type, value]) => (value === undefined ? [] : [{ [type]: [value] }])));
}
