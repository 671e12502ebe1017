// Two ways an SRV target is written wrong in a zone file, recognised from the name the server hands out.
// RFC 1035 section 5.1: a name without its final dot is relative, and the server appends the origin (Knot does:
// test/interop/knot.test.ts), so `xmpp.example.com` in the zone of example.com is served as xmpp.example.com.example.com.

import { isIP } from 'node:net';

/** `xmpp.example.com.example.com`: the target was written `xmpp.example.com`, without its final dot. */
export interface DoubledOrigin {
  /** The origin appended a second time: the zone's apex, the domain or one of its parents. */
  origin: string;
  /** The host the admin meant: the name as written, read as absolute. */
  intended: string;
}

/** An address written where a host name belongs, with or without its final dot. */
export interface AddressTarget {
  address: string;
  family: 4 | 6;
  /** The origin the server appended when the address was written without its final dot. */
  appendedOrigin?: string;
}

/**
 * The origin appended to a name that already ended with it. Only the domain or a parent of it with two labels or
 * more can be the zone's origin: `sip.test.test` in `foo.test` is not doubled, `test` being no one's zone.
 */
export function doubledOrigin(host: string, domain: string): DoubledOrigin | undefined {
  const labels = host.split('.');
  for (let count = Math.floor(labels.length / 2); count >= 2; count -= 1) {
    const origin = labels.slice(-count).join('.');
    const before = labels.slice(-2 * count, -count).join('.');
    if (before === origin && isOriginOf(origin, domain)) return { origin, intended: labels.slice(0, -count).join('.') };
  }
  return undefined;
}

/** The address an SRV target holds instead of a host name (`192.0.2.10`, or `192.0.2.10.example.com` from a missing dot). */
export function addressTarget(host: string, domain: string): AddressTarget | undefined {
  const family = isIP(host);
  if (family === 4 || family === 6) return { address: host, family };
  const labels = host.split('.');
  const address = labels.slice(0, 4).join('.');
  const origin = labels.slice(4).join('.');
  if (labels.length > 4 && isIP(address) === 4 && isOriginOf(origin, domain)) return { address, family: 4, appendedOrigin: origin };
  return undefined;
}

function isOriginOf(origin: string, domain: string): boolean {
  return origin.split('.').length >= 2 && (domain === origin || domain.endsWith(`.${origin}`));
}
