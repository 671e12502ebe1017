// Whether our own policy lets us federate with each watched partner, and by which rule (see src/policy/explain.ts).

import { SERVICES } from '../../src/model/target.js';
import type { Service } from '../../src/model/target.js';
import { FEDERATION_TYPE_NAMES, describeNeeds } from '../../src/policy/decision.js';
import type { PolicyRule, ServiceDecision } from '../../src/policy/decision.js';
import { partnerLocation } from '../../src/policy/config-views.js';
import { explainPolicy } from '../../src/policy/explain.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingData, FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

/** The fix that lifts each denying rule. */
const FIX_BY_RULE: Partial<Record<PolicyRule, string>> = {
  'federation-disabled': 'enableFederation',
  'blocked-domain': 'unblockDomain',
  'not-on-allowed-list': 'allowDomain',
  'discovery-off': 'enableDiscovery',
  'hosted-without-provider': 'addHostingProvider',
  'no-federation-access': 'grantFederationAccess',
  'no-public-cloud-access': 'grantPublicCloudAccess',
  'not-an-xmpp-partner': 'addXmppPartner',
  'no-xmpp-access': 'grantXmppAccess',
};

export default defineCheck({
  meta: {
    id: 'policy.partner-allowed',
    area: 'policy',
    title: 'Our federation policy allows the partner',
    failureTitle: 'Our federation policy denies the partner',
    description:
      'Federation needs both sides to agree: before a partner\'s DNS and Edge matter, our own Edge must allow the partner ' +
      '(mode, allowed and blocked lists, hosting providers, XMPP partners) and users need an external access policy that permits it.',
    services: ['sip', 'xmpp'],
    judgedPer: 'config',
    requires: ['policy', 'partner-hosting'],
    references: [REFERENCES.lyncFederation, REFERENCES.federationTypes, REFERENCES.xmppFederation, REFERENCES.externalAccessM365],
    messages: {
      allowed: 'our policy allows {{serviceName}} federation with {{partner}} ({{typeName}}): {{reason}}; {{needs}}',
      ownDomain: '{{reason}}',
      notConfigured: '{{reason}}',
      denied: 'our policy denies {{serviceName}} federation with {{partner}}: {{reason}}',
    },
    fixes: {
      enableFederation: {
        summary: 'Turn federation on, then allow {{partner}}',
        steps: [
          'On premises: Set-CsAccessEdgeConfiguration -AllowFederatedUsers $True (and -EnablePartnerDiscovery $True for open federation).',
          'Microsoft 365: Teams admin center > Users > External access: allow all external domains, or only the ones you list.',
          'Then set own.federation.mode in the config to what you chose.',
        ],
        snippets: [{ lang: 'powershell', text: 'Set-CsAccessEdgeConfiguration -AllowFederatedUsers $True' }],
      },
      unblockDomain: {
        summary: 'Remove {{partner}} from the blocked domains',
        steps: [
          'On premises: Remove-CsBlockedDomain -Identity {{partner}}.',
          'Microsoft 365: Teams admin center > Users > External access: remove {{partner}} from the blocked domains.',
          'Then remove it from own.federation.blockedDomains in the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'Remove-CsBlockedDomain -Identity {{partner}}' }],
      },
      allowDomain: {
        summary: 'Add {{partner}} to the allowed domains',
        steps: [
          'On premises: New-CsAllowedDomain -Identity {{partner}}; add -ProxyFqdn <their Access Edge FQDN> for direct federation when they publish no SRV record.',
          'Microsoft 365: Teams admin center > Users > External access: add {{partner}} to the allowed domains.',
          'Then add it to own.federation.allowedDomains in the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'New-CsAllowedDomain -Identity {{partner}}' }],
      },
      enableDiscovery: {
        summary: 'Turn partner discovery on, or add {{partner}} to the allowed domains',
        steps: [
          'To reach every domain that is not blocked: Set-CsAccessEdgeConfiguration -EnablePartnerDiscovery $True.',
          'To reach only this partner: New-CsAllowedDomain -Identity {{partner}}.',
        ],
        snippets: [{ lang: 'powershell', text: 'Set-CsAccessEdgeConfiguration -EnablePartnerDiscovery $True\n# or\nNew-CsAllowedDomain -Identity {{partner}}' }],
      },
      addHostingProvider: {
        summary: 'Add the hosting provider {{providerFqdn}}, or configure {{partner}} for direct federation through it',
        steps: [
          'For every partner this provider hosts: New-CsHostingProvider -Identity {{providerIdentity}} -ProxyFqdn {{providerFqdn}} -Enabled $True.',
          'For this partner only: New-CsAllowedDomain -Identity {{partner}}, then Set-CsAllowedDomain {{partner}} -ProxyFqdn {{providerFqdn}}.',
          'Then add it to own.federation.hostingProviders (or allowedDomains with proxyFqdn) in the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'New-CsHostingProvider -Identity {{providerIdentity}} -ProxyFqdn {{providerFqdn}} -Enabled $True' }],
      },
      enableHostingProvider: {
        summary: 'Enable the hosting provider {{providerIdentity}}',
        steps: ['Set-CsHostingProvider -Identity {{providerIdentity}} -Enabled $True, then set enabled: true for it in the config.'],
        snippets: [{ lang: 'powershell', text: 'Set-CsHostingProvider -Identity {{providerIdentity}} -Enabled $True' }],
      },
      enablePublicProvider: {
        summary: 'Enable the public IM provider {{providerIdentity}}',
        steps: ['Set-CsPublicProvider -Identity {{providerIdentity}} -Enabled $True, then set enabled: true for it in the config.'],
        snippets: [{ lang: 'powershell', text: 'Set-CsPublicProvider -Identity {{providerIdentity}} -Enabled $True' }],
      },
      grantFederationAccess: {
        summary: 'Let users federate: enable federation access in an external access policy and grant it',
        steps: [
          'Set-CsExternalAccessPolicy -Identity {{policy}} -EnableFederationAccess $True.',
          'A policy other than Global must be granted: Get-CsUser | Grant-CsExternalAccessPolicy -PolicyName {{policy}}.',
        ],
        snippets: [
          { lang: 'powershell', text: 'Set-CsExternalAccessPolicy -Identity {{policy}} -EnableFederationAccess $True\nGet-CsUser | Grant-CsExternalAccessPolicy -PolicyName {{policy}}' },
        ],
      },
      grantPublicCloudAccess: {
        summary: 'Let users reach public IM: enable public cloud access in an external access policy',
        steps: ['Set-CsExternalAccessPolicy -Identity {{policy}} -EnablePublicCloudAccess $True, and grant the policy to the users.'],
        snippets: [{ lang: 'powershell', text: 'Set-CsExternalAccessPolicy -Identity {{policy}} -EnablePublicCloudAccess $True' }],
      },
      addXmppPartner: {
        summary: 'Add {{partner}} as an XMPP federated partner',
        steps: [
          'New-CsXmppAllowedPartner -Identity {{partner}} (add -ProxyFqdn <their XMPP server> when they publish no _xmpp-server._tcp record).',
          'Then add it to own.federation.xmppPartners in the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'New-CsXmppAllowedPartner -Identity {{partner}}' }],
      },
      grantXmppAccess: {
        summary: 'Let users federate over XMPP: enable XMPP access in an external access policy',
        steps: ['Set-CsExternalAccessPolicy -Identity {{policy}} -EnableXmppAccess $True, and grant the policy to the users.'],
        snippets: [{ lang: 'powershell', text: 'Set-CsExternalAccessPolicy -Identity {{policy}} -EnableXmppAccess $True' }],
      },
    },
  },
  evaluate({ facts }) {
    const policy = facts.policy();
    if (policy === undefined) return [];
    const { config, partners } = policy;
    const partnerHosting = facts.partnerHosting();
    const asked: { domain: string; services: readonly Service[] }[] =
      partners?.map((domain) => ({ domain, services: SERVICES })) ??
      config.partners.map((partner) => ({ domain: partner.domain, services: partner.services ?? SERVICES }));
    return asked.flatMap(({ domain, services }) => {
      const decision = explainPolicy(config, domain, partnerHosting?.[domain]);
      const location = partnerLocation(config, domain);
      return services.map((service) => ({ ...draftFor(domain, decision[service]), location }));
    });
  },
});

function draftFor(partner: string, decision: ServiceDecision): FindingDraft {
  const serviceName = decision.service === 'sip' ? 'SIP' : 'XMPP';
  const subject = `${partner} ${serviceName}`;
  const data: FindingData = { partner, serviceName, reason: decision.reason, ...decision.details };
  const { service } = decision;
  if (decision.rule === 'own-domain') return { domain: partner, service, status: 'pass', subject, messageId: 'ownDomain', data };
  if (decision.rule === 'service-not-configured') return { domain: partner, service, status: 'skip', subject, messageId: 'notConfigured', data };
  if (decision.allowed) {
    const typeName = decision.type === undefined ? 'partner' : FEDERATION_TYPE_NAMES[decision.type];
    const needs = decision.needs === undefined ? 'nothing more is needed' : describeNeeds(decision.needs);
    return { domain: partner, service, status: 'pass', subject, messageId: 'allowed', data: { ...data, typeName, needs } };
  }
  return { domain: partner, service, status: 'fail', subject, messageId: 'denied', data, fixId: fixFor(decision) };
}

function fixFor(decision: ServiceDecision): string {
  if (decision.rule === 'provider-disabled') return decision.type === 'public-im-provider' ? 'enablePublicProvider' : 'enableHostingProvider';
  const fixId = FIX_BY_RULE[decision.rule];
  if (fixId === undefined) throw new Error(`policy.partner-allowed: no fix for the denying rule ${decision.rule}`);
  return fixId;
}
