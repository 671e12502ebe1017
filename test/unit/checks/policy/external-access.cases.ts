import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const MSN = { hostingProviders: [{ name: 'MSN', proxyFqdn: 'federation.messenger.msn.com', publicProvider: true }] };

export default {
  valid: [
    {
      name: 'FedPic enables federation and public cloud access',
      policy: { config: policyConfig({ ...MSN, externalAccessPolicies: [{ name: 'Global' }, { name: 'FedPic', enableFederationAccess: true, enablePublicCloudAccess: true }] }) },
      expect: [{ status: 'pass', messageId: 'federationOn', data: { policies: 'FedPic' } }],
    },
    { name: 'federation disabled', policy: { config: policyConfig({ mode: 'disabled', externalAccessPolicies: [{ name: 'Global' }] }) }, expect: [{ status: 'pass', messageId: 'federationDisabled' }] },
    { name: 'no policy described', policy: { config: policyConfig() }, expect: [{ status: 'skip', messageId: 'notDescribed' }] },
  ],
  invalid: [
    {
      name: 'no policy enables federation access',
      policy: { config: policyConfig({ externalAccessPolicies: [{ name: 'Global' }, { name: 'Site:Redmond', enableXmppAccess: true }] }) },
      expect: [{ status: 'fail', messageId: 'federationOff', data: { policies: 'Global, Site:Redmond' }, fix: 'Set-CsExternalAccessPolicy -Identity Global -EnableFederationAccess $True' }],
    },
    {
      name: 'a public IM provider enabled without public cloud access',
      policy: { config: policyConfig({ ...MSN, externalAccessPolicies: [{ name: 'Global', enableFederationAccess: true }] }) },
      expect: [
        { status: 'pass', messageId: 'federationOn' },
        { status: 'warn', messageId: 'publicCloudOff', data: { provider: 'MSN' }, fix: 'Set-CsExternalAccessPolicy -Identity Global -EnablePublicCloudAccess $True' },
      ],
    },
  ],
} satisfies CheckCases;
