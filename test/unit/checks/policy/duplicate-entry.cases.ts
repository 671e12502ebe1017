import { join } from 'node:path';
import { loadConfig } from '../../../../src/config/load.js';
import type { CheckCases } from '../../../support/check-tester.js';
import { ROOT } from '../../../support/fedcheck.js';
import { policyConfig } from '../../../support/policy-config.js';

export default {
  valid: [
    { name: 'the clean fixture', policy: { config: loadConfig(join(ROOT, 'fixtures', 'configs', 'policy-clean.yaml')) }, expect: [{ status: 'pass', messageId: 'unique', domain: 'contoso.com' }] },
  ],
  invalid: [
    {
      name: 'an allowed domain twice, once with an Edge',
      policy: { config: policyConfig({ allowedDomains: ['fabrikam.com', { domain: 'Fabrikam.com', proxyFqdn: 'sip.fabrikam.com' }] }) },
      expect: [{ status: 'warn', messageId: 'duplicate', domain: 'fabrikam.com', data: { list: 'own.federation.allowedDomains', count: 2, source: 'Get-CsAllowedDomain' }, fix: 'Get-CsAllowedDomain' }],
    },
    {
      name: 'two hosting providers with one ProxyFqdn, a policy and a partner twice',
      policy: {
        config: policyConfig(
          {
            hostingProviders: [
              { name: 'LyncOnline', proxyFqdn: 'sipfed.online.lync.com' },
              { name: 'Office365', proxyFqdn: 'sipfed.online.lync.com' },
            ],
            externalAccessPolicies: [{ name: 'Global' }, { name: 'Global' }],
          },
          { partners: ['fabrikam.com', { domain: 'fabrikam.com', services: ['sip'] }] },
        ),
      },
      expect: [
        { status: 'warn', messageId: 'duplicate', domain: 'contoso.com', data: { list: 'own.federation.hostingProviders (proxyFqdn)' } },
        { status: 'warn', messageId: 'duplicate', domain: 'contoso.com', data: { list: 'own.federation.externalAccessPolicies', value: 'Global' } },
        { status: 'warn', messageId: 'duplicate', domain: 'fabrikam.com', data: { list: 'partners' } },
      ],
    },
    {
      name: 'a Cisco federation domain and a static route twice',
      policy: {
        config: policyConfig({}, {
          own: { cisco: { federationDomains: ['fabrikam.com', 'fabrikam.com'], staticRoutes: [{ destinationPattern: '.com.fabrikam', nextHop: '10.0.0.21' }, { destinationPattern: '.com.fabrikam', nextHop: '10.0.0.21' }] } },
        }),
      },
      expect: [
        { status: 'warn', messageId: 'duplicate', domain: 'fabrikam.com', data: { list: 'own.cisco.federationDomains' }, fix: 'Presence > Inter-Domain Federation > SIP Federation' },
        { status: 'warn', messageId: 'duplicate', data: { list: 'own.cisco.staticRoutes', value: '.com.fabrikam → 10.0.0.21:5061' } },
      ],
    },
  ],
} satisfies CheckCases;
