// Decides whether our federation policy lets us talk to a partner, the way the Edge and Microsoft 365 decide:
// disabled, then blocked, then public providers, then the allowed list, discovery and hosting providers,
// and last the external access policies users need. Pure: the partner's DNS comes in as an argument.

import type { FedcheckConfig } from '../model/config.js';
import { srvName } from '../judge/services.js';
import type { Service } from '../model/target.js';
import { firstPolicyName, hostedBy, someAccessPolicyEnables } from './config-views.js';
import type { Hosting } from './config-views.js';
import type { FederationType, PartnerNeeds, PolicyDecision, PolicyRule, ServiceDecision } from './decision.js';
import type { PartnerDns } from '../model/policy-facts.js';

export function explainPolicy(config: FedcheckConfig, partnerDomain: string, partnerDns?: PartnerDns): PolicyDecision {
  return {
    partner: partnerDomain,
    sip: decideSip(config, partnerDomain, partnerDns),
    xmpp: decideXmpp(config, partnerDomain),
  };
}

interface Verdict {
  rule: PolicyRule;
  reason: string;
  type?: FederationType;
  needs?: PartnerNeeds;
  details?: Record<string, string>;
}

const ALLOWING: readonly PolicyRule[] = ['own-domain', 'open-federation', 'allowed-domain', 'allowed-partner-server', 'public-im-provider', 'xmpp-partner'];

function decision(service: Service, verdict: Verdict): ServiceDecision {
  const { rule, reason, type, needs, details } = verdict;
  return {
    service,
    allowed: ALLOWING.includes(rule),
    rule,
    reason,
    ...(type !== undefined ? { type } : {}),
    ...(needs !== undefined ? { needs } : {}),
    details: details ?? {},
  };
}

function decideSip(config: FedcheckConfig, partner: string, dns: PartnerDns | undefined): ServiceDecision {
  const { own } = config;
  const { federation } = own;
  const sip = (verdict: Verdict) => decision('sip', verdict);
  if (own.sipDomains.includes(partner)) {
    return sip({ rule: 'own-domain', reason: `${partner} is one of our own SIP domains: no federation is involved` });
  }
  if (own.sipDomains.length === 0) {
    return sip({ rule: 'service-not-configured', reason: 'the config lists no own SIP domain, so we do not federate over SIP' });
  }
  if (federation.mode === 'disabled') {
    return sip({ rule: 'federation-disabled', reason: 'federation is disabled: no partner domain is reached' });
  }
  if (federation.blockedDomains.includes(partner)) {
    return sip({ rule: 'blocked-domain', reason: `${partner} is on the blocked domains list, which wins over every other rule` });
  }

  const hosting = hostedBy(config, partner, dns);
  if (hosting?.provider?.publicProvider === true) return sip(publicProviderVerdict(config, partner, hosting));

  const listed = federation.allowedDomains.find((entry) => entry.domain === partner);
  if (listed?.proxyFqdn !== undefined) {
    const needs: PartnerNeeds = { kind: 'configured-edge', fqdn: listed.proxyFqdn };
    const verdict: Verdict = {
      rule: 'allowed-partner-server',
      reason: `${partner} is on the allowed list with the Edge FQDN ${listed.proxyFqdn} (direct federation)`,
      type: 'allowed-partner-server',
      needs,
    };
    return sip(federationAccess(config, verdict));
  }

  const type: FederationType = hosting !== undefined ? 'hosting-provider' : listed !== undefined ? 'allowed-partner-domain' : 'discovered-partner-domain';
  const needs: PartnerNeeds =
    hosting !== undefined
      ? { kind: 'provider', fqdn: hosting.fqdn, provider: hosting.name }
      : { kind: 'srv', record: srvName('sipFederation', partner) };
  const hostedNote = hosting !== undefined ? `; it is hosted by ${hosting.name} (${hosting.fqdn}), and hosting providers obey the allowed list too` : '';
  if (listed === undefined && federation.mode === 'allow-listed-only') {
    return sip({ rule: 'not-on-allowed-list', reason: `only allowed domains are reached and ${partner} is not on the allowed list${hostedNote}`, type, needs });
  }
  if (listed === undefined && !federation.partnerDiscovery) {
    return sip({
      rule: 'discovery-off',
      reason: `partner discovery is off, so only allowed domains are reached, and ${partner} is not on the allowed list${hostedNote}`,
      type,
      needs,
    });
  }
  if (hosting !== undefined) {
    const details = { providerFqdn: hosting.fqdn, providerIdentity: hosting.suggestedIdentity };
    if (hosting.provider === undefined) {
      return sip({
        rule: 'hosted-without-provider',
        reason: `${partner} is hosted by ${hosting.name}: its SRV record points at ${hosting.fqdn}, and no hosting provider has that ProxyFqdn`,
        type,
        needs,
        details,
      });
    }
    if (!hosting.provider.enabled) {
      return sip({
        rule: 'provider-disabled',
        reason: `${partner} is hosted by ${hosting.name} (${hosting.fqdn}), and that hosting provider is disabled`,
        type,
        needs,
        details,
      });
    }
  }
  const admitted: Verdict =
    listed !== undefined
      ? { rule: 'allowed-domain', reason: `${partner} is on the allowed list${hostedThrough(hosting)}`, type, needs }
      : { rule: 'open-federation', reason: `all domains except blocked ones are allowed, with partner discovery${hostedThrough(hosting)}`, type, needs };
  return sip(federationAccess(config, admitted));
}

function hostedThrough(hosting: Hosting | undefined): string {
  return hosting === undefined ? '' : `, reached through the hosting provider ${hosting.name} (${hosting.fqdn})`;
}

/** Public IM providers have their own switch and access right, and do not obey the allowed list. */
function publicProviderVerdict(config: FedcheckConfig, partner: string, hosting: Hosting): Verdict {
  const needs: PartnerNeeds = { kind: 'provider', fqdn: hosting.fqdn, provider: hosting.name };
  const type: FederationType = 'public-im-provider';
  const details = { providerFqdn: hosting.fqdn, providerIdentity: hosting.suggestedIdentity, policy: firstPolicyName(config) };
  if (hosting.provider?.enabled === false) {
    return { rule: 'provider-disabled', reason: `${partner} is served by the public IM provider ${hosting.name}, which is disabled`, type, needs, details };
  }
  if (someAccessPolicyEnables(config, 'enablePublicCloudAccess') === false) {
    return {
      rule: 'no-public-cloud-access',
      reason: `${partner} is served by the public IM provider ${hosting.name}, but no external access policy enables public cloud access`,
      type,
      needs,
      details,
    };
  }
  return { rule: 'public-im-provider', reason: `${partner} is served by the public IM provider ${hosting.name}`, type, needs };
}

/** Users reach an admitted partner only if some external access policy enables federation. */
function federationAccess(config: FedcheckConfig, admitted: Verdict): Verdict {
  if (someAccessPolicyEnables(config, 'enableFederationAccess') !== false) return admitted;
  return {
    ...admitted,
    rule: 'no-federation-access',
    reason: `${admitted.reason}, but no external access policy enables federation access, so no user may use it`,
    details: { policy: firstPolicyName(config) },
  };
}

function decideXmpp(config: FedcheckConfig, partner: string): ServiceDecision {
  const { own } = config;
  const xmpp = (verdict: Verdict) => decision('xmpp', verdict);
  if (own.xmppDomains.includes(partner)) {
    return xmpp({ rule: 'own-domain', reason: `${partner} is one of our own XMPP domains: no federation is involved` });
  }
  if (own.xmppDomains.length === 0) {
    return xmpp({ rule: 'service-not-configured', reason: 'the config lists no own XMPP domain, so we do not federate over XMPP' });
  }
  const type: FederationType = 'xmpp-partner';
  const entry = own.federation.xmppPartners.find((candidate) => candidate.domain === partner);
  const needs: PartnerNeeds =
    entry?.proxyFqdn !== undefined ? { kind: 'configured-edge', fqdn: entry.proxyFqdn } : { kind: 'srv', record: srvName('xmppServer', partner) };
  if (entry === undefined) {
    return xmpp({ rule: 'not-an-xmpp-partner', reason: `${partner} is not an XMPP federated partner: the XMPP gateway talks only to listed partners`, type, needs });
  }
  if (someAccessPolicyEnables(config, 'enableXmppAccess') === false) {
    return xmpp({
      rule: 'no-xmpp-access',
      reason: `${partner} is an XMPP federated partner, but no external access policy enables XMPP access`,
      type,
      needs,
      details: { policy: firstPolicyName(config) },
    });
  }
  const via = entry.proxyFqdn !== undefined ? ` with the ProxyFqdn ${entry.proxyFqdn}` : '';
  return xmpp({ rule: 'xmpp-partner', reason: `${partner} is an XMPP federated partner${via}`, type, needs });
}
