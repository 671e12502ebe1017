import { domainToASCII } from 'node:url';
import { UsageError } from './errors.js';

export type Service = 'sip' | 'xmpp';

export const SERVICES: readonly Service[] = ['sip', 'xmpp'];

export interface Target {
  /** A-label, lower case, no trailing dot. */
  domain: string;
  /** What the user typed, for messages. */
  input: string;
  /** The services looked at. */
  services: Service[];
  /**
   * The services the domain must offer (config `services:`, --sip / --xmpp / --expect, our own domains, a configured
   * Edge). Without an expectation, a service the domain does not publish is one `info` line and nothing more.
   */
  expected?: Service[];
  /** A configured Edge FQDN (direct federation): probed even without SRV records. */
  edge?: string;
  /** A configured XMPP server (Set-CsXmppAllowedPartner -ProxyFqdn): probed on 5269 even without SRV records. */
  xmppEdge?: string;
  /** From a config file: one of our own domains, or a partner's. */
  role?: 'own' | 'partner';
}

/**
 * The domain our SIP and XMPP probes say they come from toward `target`, and the checks name: ours (--from-domain,
 * the config's first own domain), except toward our own domains, where no partner ever stands: a server refuses a
 * stream from a domain it hosts (Prosody 0.12 closes it: "Attempt to connect from a host we serve"), so those probes
 * go out as fedcheck.invalid.
 */
export function fromDomainToward(target: Pick<Target, 'domain' | 'role'>, fromDomain: string | undefined): string | undefined {
  return target.role === 'own' || target.domain === fromDomain ? undefined : fromDomain;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Normalizes a domain name as DNS sees it: IDN to A-label, case folded, trailing dot dropped.
 * Throws a UsageError naming the input when it is not a valid host name.
 */
export function normalizeDomain(input: string, what = 'domain'): string {
  const trimmed = input.trim();
  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  const ascii = withoutDot === '' ? '' : domainToASCII(withoutDot);
  const problem = domainProblem(ascii);
  if (problem || withoutDot.includes('..')) {
    throw new UsageError(
      `invalid ${what} "${input}": expected a DNS name such as example.com (${problem ?? 'empty label'})`,
    );
  }
  return ascii;
}

function domainProblem(ascii: string): string | undefined {
  if (ascii === '') return 'not a valid name';
  if (ascii.length > 253) return 'longer than 253 characters';
  const labels = ascii.split('.');
  if (labels.length < 2) return 'needs at least two labels';
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) return `label "${bad}" is not letters, digits and inner hyphens`;
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return 'the last label is numeric: an address, not a domain';
  return undefined;
}

/** True when `host` is `domain` or a name below it. */
export function isWithinDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
