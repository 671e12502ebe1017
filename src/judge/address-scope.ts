// The egress rule: whether an address may be contacted, so a partner's DNS or certificate cannot steer a run into
// the internal network. Every IPv6 form that carries an IPv4 address (mapped, compatible, NAT64, 6to4) is judged
// by the IPv4 address it reaches, for the scope and for --allow-private alike.

import { BlockList, isIP } from 'node:net';

export type AddressScope =
  | 'public'
  | 'private'
  | 'shared'
  | 'loopback'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'documentation'
  | 'reserved';

// RFC 6890 and the IANA special-purpose registries: everything a partner has no business pointing us at.
const RANGES: { scope: Exclude<AddressScope, 'public'>; cidr: string }[] = [
  { scope: 'loopback', cidr: '127.0.0.0/8' },
  { scope: 'loopback', cidr: '::1/128' },
  { scope: 'private', cidr: '10.0.0.0/8' },
  { scope: 'private', cidr: '172.16.0.0/12' },
  { scope: 'private', cidr: '192.168.0.0/16' },
  // Carrier-grade NAT (RFC 6598): the ISP's side of the customer's NAT.
  { scope: 'shared', cidr: '100.64.0.0/10' },
  // Includes 169.254.169.254, the cloud instance metadata service.
  { scope: 'link-local', cidr: '169.254.0.0/16' },
  { scope: 'link-local', cidr: 'fe80::/10' },
  { scope: 'unique-local', cidr: 'fc00::/7' },
  { scope: 'multicast', cidr: '224.0.0.0/4' },
  { scope: 'multicast', cidr: 'ff00::/8' },
  { scope: 'documentation', cidr: '192.0.2.0/24' },
  { scope: 'documentation', cidr: '198.51.100.0/24' },
  { scope: 'documentation', cidr: '203.0.113.0/24' },
  { scope: 'documentation', cidr: '2001:db8::/32' },
  { scope: 'documentation', cidr: '3fff::/20' },
  { scope: 'reserved', cidr: '0.0.0.0/8' },
  { scope: 'reserved', cidr: '192.0.0.0/24' },
  { scope: 'reserved', cidr: '198.18.0.0/15' },
  // 240.0.0.0/4 ends with the limited broadcast address 255.255.255.255.
  { scope: 'reserved', cidr: '240.0.0.0/4' },
  { scope: 'reserved', cidr: '::/128' },
  // The discard prefix, and Teredo, whose IPv4 server and client are hidden (obfuscated) in the address.
  { scope: 'reserved', cidr: '100::/64' },
  { scope: 'reserved', cidr: '2001::/32' },
  { scope: 'reserved', cidr: '2001:2::/48' },
];

function parseCidr(cidr: string): { network: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const parts = cidr.split('/');
  if (parts.length > 2) return undefined;
  const [network = '', prefixText] = parts;
  const version = isIP(network);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || !/^\d+$/.test(prefixText ?? String(max))) return undefined;
  return { network, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export function isValidCidr(cidr: string): boolean {
  return parseCidr(cidr) !== undefined;
}

function contains(cidr: string, address: string): boolean {
  const parsed = parseCidr(cidr);
  const version = isIP(address);
  if (!parsed || version === 0 || (version === 4) !== (parsed.family === 'ipv4')) return false;
  const list = new BlockList();
  list.addSubnet(parsed.network, parsed.prefix, parsed.family);
  return list.check(address, parsed.family);
}

/** The 16 bytes of an IPv6 address in any textual form (compressed, with a dotted IPv4 tail, with a zone). */
function ipv6Bytes(text: string): Buffer | undefined {
  const address = text.replace(/%.*$/, '');
  if (isIP(address) !== 6) return undefined;
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined): number[] => {
    if (part === undefined || part === '') return [];
    return part.split(':').flatMap((group) => {
      if (group.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
        return [(a << 8) | b, (c << 8) | d];
      }
      return [parseInt(group, 16)];
    });
  };
  const before = groups(head);
  const after = groups(tail);
  const words = tail === undefined ? before : [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  const bytes = Buffer.alloc(16);
  words.forEach((word, index) => bytes.writeUInt16BE(word, index * 2));
  return bytes;
}

const dotted = (bytes: Buffer, at: number): string => [...bytes.subarray(at, at + 4)].join('.');
const zero = (bytes: Buffer, from: number, to: number): boolean => bytes.subarray(from, to).every((byte) => byte === 0);

/**
 * The IPv4 addresses an IPv6 address reaches, by the forms that embed one: IPv4-mapped (::ffff:0:0/96),
 * IPv4-compatible (::/96, deprecated), the NAT64 well-known prefix (64:ff9b::/96, RFC 6052), the NAT64 local-use
 * prefix (64:ff9b:1::/48, RFC 8215, at every prefix length RFC 6052 allows inside it) and 6to4 (2002::/16, RFC 3056).
 */
export function embeddedIpv4(address: string): { form: string; ipv4: string[] } | undefined {
  const bytes = ipv6Bytes(address);
  if (!bytes) return undefined;
  const word = (index: number) => bytes.readUInt16BE(index * 2);
  if (zero(bytes, 0, 10) && word(5) === 0xffff) return { form: 'IPv4-mapped', ipv4: [dotted(bytes, 12)] };
  // IPv4-translated (::ffff:0:0:0/96, RFC 2765), as SIIT writes it.
  if (zero(bytes, 0, 8) && word(4) === 0xffff && word(5) === 0) return { form: 'IPv4-translated', ipv4: [dotted(bytes, 12)] };
  // :: and ::1 are IPv6's own unspecified and loopback addresses, judged as such.
  if (zero(bytes, 0, 12) && !(zero(bytes, 12, 15) && bytes[15]! <= 1)) return { form: 'IPv4-compatible', ipv4: [dotted(bytes, 12)] };
  if (word(0) === 0x64 && word(1) === 0xff9b && zero(bytes, 4, 12)) return { form: 'NAT64', ipv4: [dotted(bytes, 12)] };
  if (word(0) === 0x64 && word(1) === 0xff9b && word(2) === 1) {
    // RFC 6052 section 2.2: the IPv4 bits skip bits 64-71, and which prefix length the operator chose is unknown,
    // so every reading counts; /96, the usual one, first.
    const at = (indexes: number[]) => indexes.map((i) => bytes[i]!).join('.');
    return { form: 'NAT64 local-use', ipv4: [dotted(bytes, 12), at([6, 7, 9, 10]), at([7, 9, 10, 11]), at([9, 10, 11, 12])] };
  }
  if (word(0) === 0x2002) return { form: '6to4', ipv4: [dotted(bytes, 2)] };
  return undefined;
}

/** The addresses a connection to `address` ends at: the address itself, or the IPv4 addresses its IPv6 form carries. */
function reached(address: string): string[] {
  return embeddedIpv4(address)?.ipv4 ?? [address.replace(/%.*$/, '')];
}

/** The first IPv4 address an IPv6 form reaches that is not public, and the form; undefined when there is none. */
export function nonPublicEmbedded(address: string): { form: string; ipv4: string } | undefined {
  const embedded = embeddedIpv4(address);
  const ipv4 = embedded?.ipv4.find((plain) => scopeOf(plain) !== 'public');
  return embedded && ipv4 !== undefined ? { form: embedded.form, ipv4 } : undefined;
}

function scopeOf(plain: string): AddressScope {
  return RANGES.find((range) => contains(range.cidr, plain))?.scope ?? 'public';
}

/** The scope of an address; for an IPv6 form embedding IPv4, the first non-public scope among what it reaches. */
export function addressScope(address: string): AddressScope {
  return reached(address).map(scopeOf).find((scope) => scope !== 'public') ?? 'public';
}

/** The networks `--allow-private` opens when given without a list. */
export const ALL_NON_PUBLIC = RANGES.map((r) => r.cidr);

/**
 * The egress rule: whether the run may connect to an address. Public ones always; others only when every address
 * the connection reaches is public or inside a network --allow-private names.
 */
export function mayConnect(address: string, allowPrivate: readonly string[]): boolean {
  if (isIP(address.replace(/%.*$/, '')) === 0) return false;
  return reached(address).every((plain) => scopeOf(plain) === 'public' || allowPrivate.some((cidr) => contains(cidr, plain)));
}
