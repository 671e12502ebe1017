// A coarse key for a distinguished name, read straight from its DER: two names the same by comparableName() always
// share it, so a trust store keyed by it finds every candidate issuer without parsing a certificate. Decoding a Name
// through the ASN.1 library costs about a millisecond; this costs microseconds.

import { DER_TAG, childrenOf, contentOf, decodeDerString, readTlv } from './der.js';
import { comparableName, formatNameDer } from './distinguished-name.js';
import { NAME_ATTRIBUTES } from './oids.js';

// What formatName() adds around attribute types and values (RFC 4514 syntax and escapes), and what comparableName()
// collapses: without them a formatted name and the bare types and values it was made of read the same.
const SYNTAX_AND_SPACE = /[\s\\,+=;<>"#]/g;

/** The key of a formatted name (a certificate's subject or issuer as CertificateInfo holds it). */
export function nameKey(formatted: string): string {
  return comparableName(formatted).replace(SYNTAX_AND_SPACE, '');
}

/** The key of a DER Name; equal to nameKey(formatNameDer(der)). */
export function nameKeyOfDer(der: Uint8Array): string {
  return cheapKey(der) ?? nameKey(formatNameDer(der));
}

/**
 * The key from the types and values alone, or undefined when a value is not plain ASCII text: lower-casing other text
 * depends on its neighbours (a Greek final sigma), and other string types print as the ASN.1 library decodes them.
 */
function cheapKey(der: Uint8Array): string | undefined {
  const parts: string[] = [];
  try {
    // Name: SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue), printed most specific first.
    for (const rdn of childrenOf(der, readTlv(der, 0)).reverse()) {
      for (const attribute of childrenOf(der, rdn)) {
        const [type, value] = childrenOf(der, attribute);
        if (type?.tag !== DER_TAG.objectIdentifier || value === undefined) return undefined;
        const oid = oidText(contentOf(der, type));
        const text = decodeDerString(der.subarray(value.start, value.end));
        if (oid === undefined || text === undefined || !/^[\x00-\x7f]*$/.test(text)) return undefined;
        // formatName() escapes a NUL as \00.
        parts.push(NAME_ATTRIBUTES[oid] ?? oid, text.replace(/\0/g, '00'));
      }
    }
  } catch {
    return undefined;
  }
  return parts.join('').toLowerCase().replace(SYNTAX_AND_SPACE, '');
}

/** Dotted text of an OBJECT IDENTIFIER's content, or undefined when malformed. */
function oidText(content: Uint8Array): string | undefined {
  const arcs: number[] = [];
  let arc = 0;
  for (const byte of content) {
    arc = arc * 128 + (byte & 0x7f);
    if (arc > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if ((byte & 0x80) === 0) {
      arcs.push(arc);
      arc = 0;
    }
  }
  const [first] = arcs;
  if (first === undefined || arc !== 0 || (content[content.length - 1] as number) & 0x80) return undefined;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}
