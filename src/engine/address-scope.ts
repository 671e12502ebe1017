// Classifies IP addresses, so a partner's DNS cannot steer a run into the internal network.

import { BlockList, isIP } from 'node:net';

export type AddressScope = 'public' | 'private' | 'loopback' | 'link-local' | 'unique-local' | 'reserved';

const RANGES: { scope: Exclude<AddressScope, 'public'>; cidr: string }[] = [
  { scope: 'loopback', cidr: '127.0.0.0/8' },
  { scope: 'loopback', cidr: '::1/128' },
  { scope: 'private', cidr: '10.0.0.0/8' },
  { scope: 'private', cidr: '172.16.0.0/12' },
  { scope: 'private', cidr: '192.168.0.0/16' },
  { scope: 'private', cidr: '100.64.0.0/10' },
  { scope: 'link-local', cidr: '169.254.0.0/16' },
  { scope: 'link-local', cidr: 'fe80::/10' },
  { scope: 'unique-local', cidr: 'fc00::/7' },
  { scope: 'reserved', cidr: '0.0.0.0/8' },
  { scope: 'reserved', cidr: '224.0.0.0/3' },
  { scope: 'reserved', cidr: '::/128' },
  { scope: 'reserved', cidr: 'ff00::/8' },
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

// IPv4-mapped IPv6 addresses are judged by their IPv4 part, for the scope and for --allow-private alike.
function unmapped(address: string): string {
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
}

export function addressScope(address: string): AddressScope {
  const plain = unmapped(address);
  return RANGES.find((range) => contains(range.cidr, plain))?.scope ?? 'public';
}

/** The networks `--allow-private` opens when given without a list. */
export const ALL_NON_PUBLIC = RANGES.map((r) => r.cidr);

/** Whether the run may connect to an address: public ones always, others only inside an allowed network. */
export function mayConnect(address: string, allowPrivate: readonly string[]): boolean {
  if (addressScope(address) === 'public') return true;
  return allowPrivate.some((cidr) => contains(cidr, unmapped(address)));
}
