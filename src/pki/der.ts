// Minimal DER reading and writing for what the asn1 classes leave raw: otherName values and PKCS#7 certificate bags.

/** One tag-length-value element: its tag byte and where its header and content lie in the buffer. */
export interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

export const DER_TAG = {
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  bmpString: 0x1e,
  bitString: 0x03,
  objectIdentifier: 0x06,
  sequence: 0x30,
  contextConstructed0: 0xa0,
} as const;

export function readTlv(der: Uint8Array, offset: number, limit: number = der.length): Tlv {
  if (offset + 2 > limit) throw new Error('truncated DER element');
  const tag = der[offset] as number;
  // Every structure read here uses low tag numbers; a multi-byte tag means this is not what we expect.
  if ((tag & 0x1f) === 0x1f) throw new Error('unsupported multi-byte DER tag');
  const first = der[offset + 1] as number;
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const lengthBytes = first & 0x7f;
    // Indefinite length is BER, not DER; four length bytes already exceed any certificate we would accept.
    if (lengthBytes === 0 || lengthBytes > 4) throw new Error('invalid DER length');
    if (contentStart + lengthBytes > limit) throw new Error('truncated DER length');
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + (der[contentStart + i] as number);
    contentStart += lengthBytes;
  }
  const end = contentStart + length;
  if (end > limit) throw new Error('DER element runs past its container');
  return { tag, start: offset, contentStart, end };
}

export function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(der, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function contentOf(der: Uint8Array, tlv: Tlv): Uint8Array {
  return der.subarray(tlv.contentStart, tlv.end);
}

export function encodeTlv(tag: number, content: Uint8Array): Buffer {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const lengthBytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
    header = [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  }
  return Buffer.concat([Buffer.from(header), content]);
}

/** The text of a DER UTF8String, IA5String, PrintableString or BMPString; undefined for any other type. */
export function decodeDerString(der: Uint8Array): string | undefined {
  const tlv = readTlv(der, 0);
  const content = Buffer.from(contentOf(der, tlv));
  switch (tlv.tag) {
    case DER_TAG.utf8String:
      return content.toString('utf8');
    case DER_TAG.ia5String:
    case DER_TAG.printableString:
      return content.toString('latin1');
    case DER_TAG.bmpString:
      // BMPString is UTF-16 big-endian; an odd length cannot be one.
      return content.length % 2 === 0 ? content.swap16().toString('utf16le') : undefined;
    default:
      return undefined;
  }
}
