// Where a finding applies (Location in finding.ts), built the same way by every check, so that two checks speaking
// of one endpoint or one certificate give it the same key. Pure: hashing a certificate is not I/O.

import { createHash } from 'node:crypto';
import type { Location } from './finding.js';

/** What a draft says of its location; the engine adds the domain. */
export type DraftLocation = Omit<Location, 'domain'>;

/** A host's address (an A/AAAA answer, a probed address): the port is not part of what was judged. */
export function addressLocation(host: string, address: string): DraftLocation {
  return { host, address };
}

/** One address and port of a host: a listener, a TCP connection. */
export function endpointLocation(host: string, address: string, port: number): DraftLocation {
  return { host, address, port };
}

/**
 * The SHA-256 fingerprint of a certificate given as base64 DER, lowercase hex without colons: the form
 * `Location.certificate` holds (OpenSSL prints it upper case with colons; the bytes are the same).
 */
export function certificateFingerprint(der: string): string {
  return createHash('sha256').update(Buffer.from(der, 'base64')).digest('hex');
}
