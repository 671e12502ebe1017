// The federation mode against the rest of the config: open mode without discovery, partners while disabled.

import { SERVICES } from '../../src/model/target.js';
import { primaryOwnDomain } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'policy.federation-mode',
    area: 'policy',
    title: 'The federation mode does what the config expects of it',
    failureTitle: 'The federation mode contradicts the rest of the config',
    description:
      'Allowing all domains except blocked ones reaches unlisted partners only with partner discovery on; a disabled ' +
      'federation reaches none of the partners the config watches.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.accessEdgeConfiguration, REFERENCES.lyncFederation, REFERENCES.externalAccessM365],
    messages: {
      open: 'all domains except blocked ones are allowed, found by partner discovery',
      listed: 'only the allowed domains are reached (allowed domains: {{count}})',
      disabled: 'federation is disabled and no partner is watched',
      openWithoutDiscovery:
        'the mode allows all domains except blocked ones, but partner discovery is off: only the allowed domains are reached (count: {{count}}), as with allow-listed-only',
      disabledWithPartners: 'federation is disabled, yet the config watches SIP partners ({{partners}}): none of them can be reached',
    },
    fixes: {
      enableDiscovery: {
        summary: 'Turn partner discovery on, or say allow-listed-only',
        steps: [
          'To reach every domain that publishes _sipfederationtls._tcp: Set-CsAccessEdgeConfiguration -EnablePartnerDiscovery $True.',
          'If only the allowed list is meant, set own.federation.mode: allow-listed-only in the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'Set-CsAccessEdgeConfiguration -AllowFederatedUsers $True -EnablePartnerDiscovery $True' }],
      },
      enableFederation: {
        summary: 'Turn federation on, or stop watching the partners',
        steps: [
          'On premises: Set-CsAccessEdgeConfiguration -AllowFederatedUsers $True.',
          'Microsoft 365: Teams admin center > Users > External access: allow external domains.',
          'If federation is off on purpose, remove the partners from the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'Set-CsAccessEdgeConfiguration -AllowFederatedUsers $True' }],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const { mode, partnerDiscovery, allowedDomains } = config.own.federation;
    const domain = primaryOwnDomain(config);
    const subject = 'own.federation.mode';
    const location = { policyEntry: subject };
    const sipPartners = config.partners.filter((partner) => (partner.services ?? SERVICES).includes('sip')).map((partner) => partner.domain);
    if (mode === 'disabled') {
      if (sipPartners.length === 0) return [{ domain, status: 'pass', subject, location, messageId: 'disabled' }];
      const data = { count: sipPartners.length, partners: sipPartners.join(', ') };
      return [{ domain, status: 'warn', subject, location, messageId: 'disabledWithPartners', data, fixId: 'enableFederation' }];
    }
    if (mode === 'allow-listed-only') return [{ domain, status: 'pass', subject, location, messageId: 'listed', data: { count: allowedDomains.length } }];
    if (partnerDiscovery) return [{ domain, status: 'pass', subject, location, messageId: 'open' }];
    return [{ domain, status: 'warn', subject, location, messageId: 'openWithoutDiscovery', data: { count: allowedDomains.length }, fixId: 'enableDiscovery' }];
  },
});
