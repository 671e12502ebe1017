// Distinguished names as RFC 4514 strings (most specific RDN first, as OpenSSL's -nameopt RFC2253 prints them).

import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import type { AttributeTypeAndValue } from '@peculiar/asn1-x509';
import { NAME_ATTRIBUTES } from './oids.js';

export function formatName(name: Name): string {
  return [...name]
    .reverse()
    .map((rdn) => [...rdn].map(formatAttribute).join('+'))
    .join(',');
}

/** A DER-encoded Name (a TLS CertificateRequest lists the acceptable CAs so); throws when it is not one. */
export function formatNameDer(der: Uint8Array): string {
  return formatName(AsnConvert.parse(der, Name));
}

/** A name as RFC 5280 7.1 compares names after RFC 4518 preparation: case and runs of spaces are what differ in practice. */
export function comparableName(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ');
}

/** The values of one attribute type, in the order the name holds them (the last is the most specific). */
export function attributeValues(name: Name, oid: string): string[] {
  // Spread first: the asn1 arrays are subclasses, and map/filter on them would return asn1 objects.
  return [...name].flatMap((rdn) => [...rdn].filter((attribute) => attribute.type === oid).map(attributeText));
}

function formatAttribute(attribute: AttributeTypeAndValue): string {
  const type = NAME_ATTRIBUTES[attribute.type] ?? attribute.type;
  const text = attributeText(attribute);
  return `${type}=${attribute.value.anyValue ? text : escapeValue(text)}`;
}

function attributeText(attribute: AttributeTypeAndValue): string {
  const raw = attribute.value.anyValue;
  // RFC 4514 2.4: a value of a type that is not a string is shown as '#' and its BER in hex.
  return raw ? `#${Buffer.from(raw).toString('hex')}` : attribute.value.toString();
}

function escapeValue(value: string): string {
  const escaped = value
    .replace(/[\\",+;<>]/g, (character) => `\\${character}`)
    .replace(/\0/g, '\\00');
  // RFC 4514 2.4: a leading space or '#' and a trailing space must be escaped too.
  return escaped.replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}
