// Which certificate identities name a SIP domain, an Edge FQDN or an XMPP domain (RFC 6125 / 9525, RFC 5922, RFC 6120).

import { domainToASCII } from 'node:url';
import type { CertificateInfo } from './certificate.js';

/** The parts of a certificate that carry identities; a CertificateInfo has them. */
export type PresentedIdentities = Pick<CertificateInfo, 'sans' | 'subjectCommonNames'>;

export type SipMatch = 'dns' | 'dns-wildcard' | 'uri' | 'cn';
export type XmppMatch = 'dns' | 'dns-wildcard' | 'srv-id' | 'xmppaddr' | 'cn';

/** A reference name and every kind of identity in the certificate naming it ('cn' only when it has no SAN of those kinds). */
export interface NameMatch<M extends string> {
  name: string;
  matchedBy: M[];
}

export interface SipIdentities {
  domain: NameMatch<SipMatch>;
  edge: NameMatch<SipMatch>;
  /** Lync / Skype for Business: the subject CN is the Access Edge FQDN. */
  cnIsEdge: boolean;
  /** Lync / Skype for Business: the Access Edge FQDN is the first dNSName. */
  edgeIsFirstSan: boolean;
  /** The Edge FQDN is named only by a wildcard, which the Access Edge does not support. */
  wildcardForEdge: boolean;
}

/**
 * Whether a presented DNS identity (a dNSName or CN, maybe `*.example.com`) names a host. Case-insensitive, compared
 * as A-labels; a wildcard only as the whole left-most label, matching exactly one label, never the bare domain, and
 * never directly above a public-suffix-looking name (`*.com`).
 */
export function matchDnsName(pattern: string, name: string): boolean {
  const reference = toALabels(name);
  if (reference === undefined || reference.includes('*')) return false;
  const [first, ...rest] = pattern.split('.');
  if (first !== '*') {
    const presented = toALabels(pattern);
    return presented !== undefined && !presented.includes('*') && presented === reference;
  }
  const parent = toALabels(rest.join('.'));
  if (parent === undefined || parent.includes('*') || parent.split('.').length < 2) return false;
  const referenceLabels = reference.split('.');
  return referenceLabels.length === parent.split('.').length + 1 && referenceLabels.slice(1).join('.') === parent;
}

export function sipIdentities(info: PresentedIdentities, target: { domain: string; edgeFqdn: string }): SipIdentities {
  const domain = sipNameMatch(info, target.domain);
  const edge = sipNameMatch(info, target.edgeFqdn);
  const firstDnsName = info.sans.dns[0];
  return {
    domain,
    edge,
    cnIsEdge: info.subjectCommonNames.some((cn) => sameDnsName(cn, target.edgeFqdn)),
    edgeIsFirstSan: firstDnsName !== undefined && sameDnsName(firstDnsName, target.edgeFqdn),
    wildcardForEdge: edge.matchedBy.includes('dns-wildcard') && !edge.matchedBy.includes('dns'),
  };
}

export function xmppIdentities(info: PresentedIdentities, domain: string): NameMatch<XmppMatch> {
  const matchedBy: XmppMatch[] = [...dnsMatches(info, domain)];
  const srvId = info.sans.srvName.some((srvName) => {
    const [service, ...rest] = srvName.split('.');
    // RFC 6125 6.4.3: the domain part of an SRV-ID follows the same wildcard rules as a DNS-ID.
    return service?.toLowerCase() === '_xmpp-server' && matchDnsName(rest.join('.'), domain);
  });
  if (srvId) matchedBy.push('srv-id');
  // A server's XmppAddr is a JID with only a domainpart; one with a localpart or resource names an account.
  if (info.sans.xmppAddr.some((jid) => !/[@/]/.test(jid) && sameDnsName(jid, domain))) matchedBy.push('xmppaddr');
  const presentsXmppIdentity = [info.sans.dns, info.sans.srvName, info.sans.xmppAddr, info.sans.uri].some((names) => names.length > 0);
  if (!presentsXmppIdentity && cnNames(info, domain)) matchedBy.push('cn');
  return { name: domain, matchedBy };
}

function sipNameMatch(info: PresentedIdentities, name: string): NameMatch<SipMatch> {
  const matchedBy: SipMatch[] = [...dnsMatches(info, name)];
  // RFC 5922 7.1: a SIP domain identity is a `sip:` URI with no user part.
  if (info.sans.uri.some((uri) => sameDnsName(sipUriHost(uri) ?? '', name))) matchedBy.push('uri');
  if (info.sans.dns.length === 0 && info.sans.uri.length === 0 && cnNames(info, name)) matchedBy.push('cn');
  return { name, matchedBy };
}

/**
 * RFC 6125 6.4.4: a CN is looked at only when the certificate presents no identifier of a type the protocol uses (the
 * callers check that); RFC 9525 drops even that. Prosody 0.12 does the same (test/interop/prosody.test.ts).
 */
function cnNames(info: PresentedIdentities, name: string): boolean {
  return info.subjectCommonNames.some((cn) => sameDnsName(cn, name));
}

function dnsMatches(info: PresentedIdentities, name: string): ('dns' | 'dns-wildcard')[] {
  const exact = info.sans.dns.some((dns) => !dns.startsWith('*') && matchDnsName(dns, name));
  const wildcard = info.sans.dns.some((dns) => dns.startsWith('*') && matchDnsName(dns, name));
  return [...(exact ? (['dns'] as const) : []), ...(wildcard ? (['dns-wildcard'] as const) : [])];
}

function sipUriHost(uri: string): string | undefined {
  const match = /^sip:([^@;?:]+)(?::\d+)?(?:[;?].*)?$/i.exec(uri);
  return match?.[1];
}

function sameDnsName(a: string, b: string): boolean {
  const left = toALabels(a);
  return left !== undefined && !left.includes('*') && left === toALabels(b);
}

/** The name in lower-case A-labels without a trailing dot ('*' labels kept), or undefined when it is not a DNS name. */
function toALabels(name: string): string | undefined {
  const trimmed = name.replace(/\.$/, '');
  if (trimmed.split('.').some((label) => label === '')) return undefined;
  const ascii = domainToASCII(trimmed);
  return ascii === '' ? undefined : ascii;
}
