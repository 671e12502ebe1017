// The subjectAltName extension, read and written with its otherNames (SRVName, XmppAddr), which @peculiar/x509 rejects.

import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, OtherName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import { DER_TAG, decodeDerString, encodeTlv } from './der.js';
import { OID } from './oids.js';

export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly uri: readonly string[];
  readonly ip: readonly string[];
  readonly email: readonly string[];
  /** SRVName otherNames (RFC 4985), such as `_xmpp-server.example.com`. */
  readonly srvName: readonly string[];
  /** XmppAddr otherNames (RFC 6120), such as `example.com`. */
  readonly xmppAddr: readonly string[];
  /** Every other otherName; a value that is not a string is shown as '#' and its DER in hex. */
  readonly otherNames: readonly { readonly oid: string; readonly value: string }[];
  /** Names past MAX_SUBJECT_ALT_NAMES, counted but not read; absent when every name was read. */
  readonly unread?: number;
}

/** Names read per certificate: public CAs issue at most a few hundred; tens of thousands is a hostile certificate. */
export const MAX_SUBJECT_ALT_NAMES = 1000;

export const NO_SUBJECT_ALT_NAMES: SubjectAltNames = {
  dns: [],
  uri: [],
  ip: [],
  email: [],
  srvName: [],
  xmppAddr: [],
  otherNames: [],
};

export function readSubjectAltNames(extensionValue: ArrayBuffer | Uint8Array): SubjectAltNames {
  const names = {
    dns: [] as string[],
    uri: [] as string[],
    ip: [] as string[],
    email: [] as string[],
    srvName: [] as string[],
    xmppAddr: [] as string[],
    otherNames: [] as { oid: string; value: string }[],
  };
  const all = AsnConvert.parse(extensionValue, SubjectAlternativeName);
  for (const name of all.slice(0, MAX_SUBJECT_ALT_NAMES)) {
    if (name.dNSName !== undefined) names.dns.push(name.dNSName);
    else if (name.uniformResourceIdentifier !== undefined) names.uri.push(name.uniformResourceIdentifier);
    else if (name.iPAddress !== undefined) names.ip.push(name.iPAddress);
    else if (name.rfc822Name !== undefined) names.email.push(name.rfc822Name);
    else if (name.otherName) {
      const { typeId, value } = name.otherName;
      const bytes = new Uint8Array(value);
      const text = decodeDerString(bytes);
      if (text !== undefined && typeId === OID.srvName) names.srvName.push(text);
      else if (text !== undefined && typeId === OID.xmppAddr) names.xmppAddr.push(text);
      else names.otherNames.push({ oid: typeId, value: text ?? `#${Buffer.from(bytes).toString('hex')}` });
    }
  }
  return all.length > MAX_SUBJECT_ALT_NAMES ? { ...names, unread: all.length - MAX_SUBJECT_ALT_NAMES } : names;
}

export interface SubjectAltNameSpec {
  dns?: readonly string[];
  uri?: readonly string[];
  srvName?: readonly string[];
  xmppAddr?: readonly string[];
}

/** The DER value of a subjectAltName extension, names in the order dNSName, URI, SRVName, XmppAddr. */
export function encodeSubjectAltNames(spec: SubjectAltNameSpec): ArrayBuffer {
  const otherName = (typeId: string, tag: number, text: string): GeneralName =>
    new GeneralName({ otherName: new OtherName({ typeId, value: bufferOf(encodeTlv(tag, Buffer.from(text))) }) });
  const names = [
    ...(spec.dns ?? []).map((dNSName) => new GeneralName({ dNSName })),
    ...(spec.uri ?? []).map((uniformResourceIdentifier) => new GeneralName({ uniformResourceIdentifier })),
    ...(spec.srvName ?? []).map((text) => otherName(OID.srvName, DER_TAG.ia5String, text)),
    ...(spec.xmppAddr ?? []).map((text) => otherName(OID.xmppAddr, DER_TAG.utf8String, text)),
  ];
  return AsnConvert.serialize(new SubjectAlternativeName(names));
}

function bufferOf(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
