// Cases for policy.allow-list-empty: found by file name, run by the registry test.
import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

export default {
  valid: [
    { name: 'allow-listed-only with partners listed', policy: { config: policyConfig({ mode: 'allow-listed-only', allowedDomains: ['fabrikam.com'] }) }, expect: [{ status: 'pass', messageId: 'listed', data: { count: 1 } }] },
    { name: 'open federation, nothing listed', policy: { config: policyConfig() }, expect: [{ status: 'pass', messageId: 'notListedMode', data: { mode: 'allow-all-except-blocked' } }] },
  ],
  invalid: [
    {
      name: 'allow-listed-only with an empty list',
      policy: { config: policyConfig({ mode: 'allow-listed-only', hostingProviders: [{ name: 'LyncOnline', proxyFqdn: 'sipfed.online.lync.com' }] }) },
      expect: [{ status: 'fail', messageId: 'empty', fix: 'New-CsAllowedDomain -Identity' }],
    },
  ],
} satisfies CheckCases;
