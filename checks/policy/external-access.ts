// Users federate only when an external access policy lets them: federation access, and public cloud access for public IM.

import { firstPolicyName, primaryOwnDomain, someAccessPolicyEnables } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'policy.external-access',
    area: 'policy',
    title: 'An external access policy lets users federate',
    failureTitle: 'No external access policy lets users federate',
    description:
      'The Edge may allow a partner and still no user can talk to it: each user needs an external access policy with ' +
      'federation access on (and public cloud access for public IM providers), as "enabled for external access" in Microsoft 365.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.externalAccessPolicy, REFERENCES.xmppFederation, REFERENCES.externalAccessM365],
    messages: {
      federationOn: 'the external access policy {{policies}} enables federation access',
      notDescribed: 'no external access policy is described in the config: whether users may federate is not judged',
      federationDisabled: 'federation is disabled, so external access policies do not matter',
      federationOff: 'no external access policy enables federation access ({{policies}}): no user can talk to any federated partner',
      publicCloudOff: 'the public IM provider {{provider}} is enabled but no external access policy enables public cloud access',
    },
    fixes: {
      enableFederationAccess: {
        summary: 'Enable federation access in {{policy}} and grant it to the users',
        steps: [
          'Set-CsExternalAccessPolicy -Identity {{policy}} -EnableFederationAccess $True (or New-CsExternalAccessPolicy -Identity FedPic -EnableFederationAccess $True -EnablePublicCloudAccess $True).',
          'Grant a policy other than Global: Get-CsUser | Grant-CsExternalAccessPolicy -PolicyName {{policy}}.',
          'Microsoft 365: Teams admin center > Users > External access, and the users\' external access setting.',
        ],
        snippets: [
          { lang: 'powershell', text: 'Set-CsExternalAccessPolicy -Identity {{policy}} -EnableFederationAccess $True\nGet-CsUser | Grant-CsExternalAccessPolicy -PolicyName {{policy}}' },
        ],
      },
      enablePublicCloudAccess: {
        summary: 'Enable public cloud access in {{policy}}, or disable the public provider {{provider}}',
        steps: ['Set-CsExternalAccessPolicy -Identity {{policy}} -EnablePublicCloudAccess $True; or Set-CsPublicProvider -Identity {{provider}} -Enabled $False.'],
        snippets: [{ lang: 'powershell', text: 'Set-CsExternalAccessPolicy -Identity {{policy}} -EnablePublicCloudAccess $True' }],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const { federation } = config.own;
    const domain = primaryOwnDomain(config);
    const subject = 'own.federation.externalAccessPolicies';
    const location = { policyEntry: subject };
    if (federation.mode === 'disabled') return [{ domain, status: 'pass', subject, location, messageId: 'federationDisabled' }];
    const federationAccess = someAccessPolicyEnables(config, 'enableFederationAccess');
    if (federationAccess === undefined) return [{ domain, status: 'skip', subject, location, messageId: 'notDescribed' }];
    const policy = firstPolicyName(config);
    const drafts: FindingDraft[] = [];
    if (federationAccess) {
      const policies = federation.externalAccessPolicies.filter((p) => p.enableFederationAccess).map((p) => p.name).join(', ');
      drafts.push({ domain, status: 'pass', subject, location, messageId: 'federationOn', data: { policies } });
    } else {
      const policies = federation.externalAccessPolicies.map((p) => p.name).join(', ');
      drafts.push({ domain, status: 'fail', subject, location, messageId: 'federationOff', data: { policies, policy }, fixId: 'enableFederationAccess' });
    }
    const publicProvider = federation.hostingProviders.find((provider) => provider.publicProvider === true && provider.enabled);
    if (publicProvider !== undefined && someAccessPolicyEnables(config, 'enablePublicCloudAccess') === false) {
      drafts.push({ domain, status: 'warn', subject, location, messageId: 'publicCloudOff', data: { provider: publicProvider.name, policy }, fixId: 'enablePublicCloudAccess' });
    }
    return drafts;
  },
});
