// XMPP partners configured while no external access policy lets users use XMPP federation.

import { firstPolicyName, primaryOwnDomain, someAccessPolicyEnables } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'policy.xmpp-partner-without-access',
    area: 'policy',
    title: 'Users may reach the XMPP partners',
    failureTitle: 'XMPP partners are configured but XMPP access is off',
    description:
      'The XMPP gateway talks only to listed XMPP partners, and a user reaches them only when an external access policy ' +
      'granted to the user has EnableXmppAccess on; without it the partner list serves nobody.',
    services: ['xmpp'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.xmppFederation, REFERENCES.externalAccessPolicy, REFERENCES.xmppAllowedPartner],
    messages: {
      noPartners: 'no XMPP federated partner is configured',
      accessOn: 'an external access policy enables XMPP access for the XMPP partners (configured: {{count}})',
      accessUnknown: 'no external access policy is described, so XMPP access is not judged (XMPP partners: {{count}})',
      accessOff: 'XMPP partners are configured ({{partners}}) but no external access policy enables XMPP access',
      noXmppDomain: 'XMPP partners are configured (count: {{count}}) but the config lists no own XMPP domain to federate from',
    },
    fixes: {
      enableXmppAccess: {
        summary: 'Enable XMPP access in the external access policy {{policy}} and grant it',
        steps: [
          'Set-CsExternalAccessPolicy -Identity {{policy}} -EnableXmppAccess $True.',
          'A policy other than Global must be granted: Get-CsUser | Grant-CsExternalAccessPolicy -PolicyName {{policy}}.',
          'Then set enableXmppAccess: true for it in the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'Set-CsExternalAccessPolicy -Identity {{policy}} -EnableXmppAccess $True' }],
      },
      addXmppDomain: {
        summary: 'List our XMPP domain under own.xmppDomains, or remove the XMPP partners',
        steps: [
          'If the Edge runs the XMPP gateway, add the SIP domain it serves over XMPP to own.xmppDomains (and publish _xmpp-server._tcp for it).',
          'If it does not, remove the partners: Remove-CsXmppAllowedPartner -Identity <partner>, and from own.federation.xmppPartners.',
        ],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const { xmppPartners } = config.own.federation;
    const domain = primaryOwnDomain(config);
    const subject = 'own.federation.xmppPartners';
    const location = { policyEntry: subject };
    const count = xmppPartners.length;
    if (count === 0) return [{ domain, status: 'pass', subject, location, messageId: 'noPartners' }];
    if (config.own.xmppDomains.length === 0) return [{ domain, status: 'warn', subject, location, messageId: 'noXmppDomain', data: { count }, fixId: 'addXmppDomain' }];
    const access = someAccessPolicyEnables(config, 'enableXmppAccess');
    if (access === undefined) return [{ domain, status: 'skip', subject, location, messageId: 'accessUnknown', data: { count } }];
    if (access) return [{ domain, status: 'pass', subject, location, messageId: 'accessOn', data: { count } }];
    const partners = xmppPartners.map((partner) => partner.domain).join(', ');
    return [{ domain, status: 'fail', subject, location, messageId: 'accessOff', data: { count, partners, policy: firstPolicyName(config) }, fixId: 'enableXmppAccess' }];
  },
});
