// Questions the policy asks of the config, answered once for explain and the lint checks alike.

import { SERVICES } from '../model/target.js';
import type { ExternalAccessPolicy, FedcheckConfig, HostingProvider } from '../model/config.js';
import { hostingProvider } from '../judge/services.js';
import type { PartnerDns } from '../model/policy-facts.js';

/** The domain our own findings are filed under: the `from` domain, else the first own domain. */
export function primaryOwnDomain(config: FedcheckConfig): string {
  return config.fromDomain ?? config.own.sipDomains[0] ?? config.own.xmppDomains[0] ?? config.source;
}

export interface Hosting {
  /** The provider's ProxyFqdn the partner's SRV record points at (or the configured one). */
  fqdn: string;
  /** The provider's name as known: the configured -Identity, else Microsoft's cloud name. */
  name: string;
  /** The matching provider entry of our config; absent when we have none for it. */
  provider?: HostingProvider;
  /** The -Identity a new provider entry gets (LyncOnline for Microsoft 365). */
  suggestedIdentity: string;
}

/**
 * Whether a partner is hosted by a provider: its SIP federation SRV record points at a provider's ProxyFqdn
 * (one of ours, or a known Microsoft 365 cloud), or one of our providers lists the domain.
 */
export function hostedBy(config: FedcheckConfig, partner: string, dns: PartnerDns | undefined): Hosting | undefined {
  const providers = config.own.federation.hostingProviders;
  const target = dns?.sipFederationTarget;
  if (target !== undefined) {
    const configured = providers.find((provider) => provider.proxyFqdn === target);
    const known = hostingProvider(target);
    if (configured !== undefined) return { fqdn: target, name: configured.name, provider: configured, suggestedIdentity: configured.name };
    // Microsoft's own examples call the Microsoft 365 provider LyncOnline, whichever cloud it is.
    if (known !== undefined) return { fqdn: target, name: known.name, suggestedIdentity: 'LyncOnline' };
  }
  const listing = providers.find((provider) => provider.domains?.includes(partner));
  if (listing !== undefined) return { fqdn: listing.proxyFqdn, name: listing.name, provider: listing, suggestedIdentity: listing.name };
  return undefined;
}

export type AccessSwitch = 'enableFederationAccess' | 'enablePublicCloudAccess' | 'enableXmppAccess';

/**
 * Whether some external access policy turns the switch on. Unknown (undefined) when the config lists no
 * policy: then the question is not judged rather than guessed.
 */
export function someAccessPolicyEnables(config: FedcheckConfig, key: AccessSwitch): boolean | undefined {
  const policies: ExternalAccessPolicy[] = config.own.federation.externalAccessPolicies;
  if (policies.length === 0) return undefined;
  return policies.some((policy) => policy[key]);
}

/** The policy to change in a fix: the first one listed (usually Global). */
export function firstPolicyName(config: FedcheckConfig): string {
  return config.own.federation.externalAccessPolicies[0]?.name ?? 'Global';
}

/** Every partner domain the config names for SIP: the watched partners and the allowed list, not our own. */
export function sipPartnerDomains(config: FedcheckConfig): string[] {
  const own = new Set([...config.own.sipDomains, ...config.own.xmppDomains]);
  const named = [
    ...config.partners.filter((partner) => (partner.services ?? SERVICES).includes('sip')).map((partner) => partner.domain),
    ...config.own.federation.allowedDomains.map((entry) => entry.domain),
  ];
  return [...new Set(named)].filter((domain) => !own.has(domain));
}

/** The config path of a list entry, as a policy finding's location names it: `own.federation.allowedDomains[2]`. */
export function entryPath(list: string, index: number): string {
  return `${list}[${index}]`;
}

/**
 * Where the config names a partner, as a finding's location: its `partners` entry, else its allowed-domain entry,
 * else its XMPP partner entry; no entry for a domain the config does not name (`policy explain` of any domain).
 */
export function partnerLocation(config: FedcheckConfig, partner: string): { policyEntry?: string } {
  const { federation } = config.own;
  const lists: [string, string[]][] = [
    ['partners', config.partners.map((entry) => entry.domain)],
    ['own.federation.allowedDomains', federation.allowedDomains.map((entry) => entry.domain)],
    ['own.federation.xmppPartners', federation.xmppPartners.map((entry) => entry.domain)],
  ];
  for (const [list, domains] of lists) {
    const index = domains.indexOf(partner);
    if (index >= 0) return { policyEntry: entryPath(list, index) };
  }
  return {};
}
