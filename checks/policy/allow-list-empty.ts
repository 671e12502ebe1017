// "Allow only listed domains" with nothing listed: federation is on in name only.

import { primaryOwnDomain } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'policy.allow-list-empty',
    area: 'policy',
    title: 'The allowed list names partners when only listed domains are allowed',
    failureTitle: 'Only listed domains are allowed, and none is listed',
    description:
      'With "block all domains except those I allow" (allow-listed-only) an empty allowed list reaches no partner at all, ' +
      'hosted ones included: hosting providers obey the allowed list too since Lync Server 2010.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.lyncFederation, REFERENCES.allowedDomain, REFERENCES.externalAccessM365],
    messages: {
      listed: 'only listed domains are allowed (allowed domains: {{count}})',
      notListedMode: 'the mode is {{mode}}: the allowed list is not the only way in',
      empty: 'only listed domains are allowed and the allowed list is empty: no partner can be reached',
    },
    fixes: {
      listPartners: {
        summary: 'Add the partners to the allowed domains, or allow all domains except blocked ones',
        steps: [
          'On premises: New-CsAllowedDomain -Identity <partner domain> for each partner (with -ProxyFqdn <their Access Edge> for direct federation).',
          'Microsoft 365: Teams admin center > Users > External access: add each partner domain to the allowed list.',
          'Then list them under own.federation.allowedDomains in the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'New-CsAllowedDomain -Identity fabrikam.com' }],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const { mode, allowedDomains } = config.own.federation;
    const domain = primaryOwnDomain(config);
    const subject = 'own.federation.allowedDomains';
    const location = { policyEntry: subject };
    if (mode !== 'allow-listed-only') return [{ domain, status: 'pass', subject, location, messageId: 'notListedMode', data: { mode } }];
    if (allowedDomains.length > 0) return [{ domain, status: 'pass', subject, location, messageId: 'listed', data: { count: allowedDomains.length } }];
    return [{ domain, status: 'fail', subject, location, messageId: 'empty', fixId: 'listPartners' }];
  },
});
