// Where a finding applies (Location in finding.ts), built the same way by every check, so that two checks speaking
// of one endpoint or one certificate give it the same key. Pure: hashing a certificate is not I/O.

import { createHash } from 'node:crypto';
import { formatHostPort } from './facts.js';
import type { Finding, Location } from './finding.js';

/** What a draft says of its location; the engine adds the domain. */
export type DraftLocation = Omit<Location, 'domain'>;

/** A host's own DNS records (its A, AAAA or CNAME): the owner name is the host. */
export function hostLocation(host: string): DraftLocation {
  return { name: host, host };
}

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

/** The fields of a location after its domain, in the order keys and descriptions list them. */
const FIELDS = ['name', 'host', 'address', 'port', 'certificate', 'policyEntry'] as const;

/**
 * What makes a finding the same finding across reporters: its domain, check, service and location. Several findings
 * of one check may share it (two faults of one certificate); callers that need one per key keep the worst.
 * `acrossRenewals`: without the certificate, so that from one run to the next a renewed certificate's finding is
 * the same finding (a fault the renewal kept is still failing, not fixed and new).
 */
export function findingKey(finding: Pick<Finding, 'domain' | 'checkId' | 'service' | 'location'>, acrossRenewals = false): string {
  const fields = acrossRenewals ? FIELDS.filter((field) => field !== 'certificate') : FIELDS;
  return [finding.domain, finding.checkId, finding.service, ...fields.map((field) => String(finding.location[field] ?? ''))].join('\u0000');
}

/** Hex digits of a fingerprint shown in a description: 64 bits, enough to tell a domain's certificates apart. */
const FINGERPRINT_SHOWN = 16;

/**
 * A location as one line, for names that must be unique and stable (a JUnit test case): `sip.example.com
 * 203.0.113.5:5061 sha256:1a2b3c4d5e6f7a8b`, `_sipfederationtls._tcp.example.com`; the domain when nothing more applies.
 */
export function describeLocation(location: Location): string {
  const { name, host, address, port, certificate, policyEntry } = location;
  const parts = [
    name,
    host === name ? undefined : host,
    address === undefined ? undefined : port === undefined ? address : formatHostPort(address, port),
    policyEntry,
    certificate === undefined ? undefined : `sha256:${certificate.slice(0, FINGERPRINT_SHOWN)}`,
  ].filter((part): part is string => part !== undefined && part !== '');
  return parts.length > 0 ? parts.join(' ') : location.domain;
}
