// The answer to "may we federate with this partner?": per service, allowed or not, by which rule, as which
// federation type, and what that type needs from the partner (DOMAIN.md section 1).

import type { Service } from '../model/target.js';

/** The federation types of Lync / Skype for Business Server (older names in the comments), plus XMPP. */
export type FederationType =
  /** Open enhanced federation: found by its SRV record. */
  | 'discovered-partner-domain'
  /** Enhanced federation: on the allowed list, found by its SRV record. */
  | 'allowed-partner-domain'
  /** Direct federation: on the allowed list with its Edge FQDN (-ProxyFqdn). */
  | 'allowed-partner-server'
  /** Hosted by a provider (Microsoft 365): reached through the provider's ProxyFqdn. */
  | 'hosting-provider'
  | 'public-im-provider'
  | 'xmpp-partner';

export const FEDERATION_TYPE_NAMES: Record<FederationType, string> = {
  'discovered-partner-domain': 'discovered partner domain (open enhanced federation)',
  'allowed-partner-domain': 'allowed partner domain (enhanced federation)',
  'allowed-partner-server': 'allowed partner server (direct federation)',
  'hosting-provider': 'hosting provider',
  'public-im-provider': 'public IM provider',
  'xmpp-partner': 'XMPP federated partner',
};

/** The rule that decided; the first group allows, the rest deny. */
export type PolicyRule =
  | 'own-domain'
  | 'open-federation'
  | 'allowed-domain'
  | 'allowed-partner-server'
  | 'public-im-provider'
  | 'xmpp-partner'
  | 'service-not-configured'
  | 'federation-disabled'
  | 'blocked-domain'
  | 'not-on-allowed-list'
  | 'discovery-off'
  | 'hosted-without-provider'
  | 'provider-disabled'
  | 'no-federation-access'
  | 'no-public-cloud-access'
  | 'not-an-xmpp-partner'
  | 'no-xmpp-access';

/** What the federation type needs from the partner for our Edge to reach it. */
export type PartnerNeeds =
  /** Their SRV record (`_sipfederationtls._tcp.<d>` or `_xmpp-server._tcp.<d>`): our Edge finds them by it. */
  | { kind: 'srv'; record: string }
  /** Nothing in DNS: our Edge connects to the Edge FQDN configured for them. */
  | { kind: 'configured-edge'; fqdn: string }
  /** Nothing of their own: our Edge reaches them through the provider's ProxyFqdn. */
  | { kind: 'provider'; fqdn: string; provider: string };

export interface ServiceDecision {
  service: Service;
  allowed: boolean;
  rule: PolicyRule;
  /** One sentence saying why, with the names from the config. */
  reason: string;
  /** The federation type that applies, or would apply once the denying rule is lifted. */
  type?: FederationType;
  needs?: PartnerNeeds;
  /** Values the fixes need: the provider to create, the policy to change. */
  details: Record<string, string>;
}

export interface PolicyDecision {
  partner: string;
  sip: ServiceDecision;
  xmpp: ServiceDecision;
}

export function describeNeeds(needs: PartnerNeeds): string {
  switch (needs.kind) {
    case 'srv':
      return `the partner must publish the SRV record ${needs.record}: our Edge finds its server by it`;
    case 'configured-edge':
      return `no DNS record of theirs: our Edge connects to the configured Edge FQDN ${needs.fqdn}, which must resolve and answer`;
    case 'provider':
      return `nothing of their own: our Edge reaches them through ${needs.provider}'s ProxyFqdn ${needs.fqdn}`;
  }
}
