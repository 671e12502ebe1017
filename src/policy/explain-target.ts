// What `policy explain` probes after deciding: the services the policy allows, at the Edge the type names.

import type { Target } from '../model/target.js';
import type { PolicyDecision, PolicyRule } from './decision.js';

const EXPLICIT_RULES: PolicyRule[] = ['own-domain', 'allowed-domain', 'allowed-partner-server', 'xmpp-partner'];

/**
 * The partner as a run target. Only the allowed services are checked; when none is allowed, every service we
 * run is, so the admin still sees the partner's side. A configured Edge or a provider's ProxyFqdn is probed
 * directly, without the partner's SRV record; so is an XMPP partner's configured server.
 */
export function explainTarget(decision: PolicyDecision): Target {
  const ours = [decision.sip, decision.xmpp].filter((service) => service.rule !== 'service-not-configured');
  const allowed = ours.filter((service) => service.allowed);
  const chosen = (allowed.length > 0 ? allowed : ours).map((service) => service.service);
  const own = ours.some((service) => service.rule === 'own-domain');
  const target: Target = {
    domain: decision.partner,
    input: decision.partner,
    services: chosen.length > 0 ? chosen : ['sip', 'xmpp'],
    role: own ? 'own' : 'partner',
  };
  // A partner we listed by name is one we mean to federate with: it must offer that service. Open federation expects nothing.
  const expected = allowed.filter((service) => EXPLICIT_RULES.includes(service.rule)).map((service) => service.service);
  target.expected = target.services.filter((service) => expected.includes(service));
  const { needs } = decision.sip;
  if (target.services.includes('sip') && (needs?.kind === 'configured-edge' || needs?.kind === 'provider')) target.edge = needs.fqdn;
  const xmppNeeds = decision.xmpp.needs;
  if (target.services.includes('xmpp') && xmppNeeds?.kind === 'configured-edge') target.xmppEdge = xmppNeeds.fqdn;
  return target;
}
