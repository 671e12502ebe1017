import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

export default {
  valid: [
    { name: 'no XMPP partner', policy: { config: policyConfig() }, expect: [{ status: 'pass', messageId: 'noPartners' }] },
    {
      name: 'XMPP access on',
      policy: { config: policyConfig({ xmppPartners: ['fabrikam.com'], externalAccessPolicies: [{ name: 'FedPic', enableXmppAccess: true }] }) },
      expect: [{ status: 'pass', messageId: 'accessOn', data: { count: 1 } }],
    },
    { name: 'no policy described', policy: { config: policyConfig({ xmppPartners: ['fabrikam.com'] }) }, expect: [{ status: 'skip', messageId: 'accessUnknown' }] },
  ],
  invalid: [
    {
      name: 'XMPP partners while XMPP access is off',
      policy: { config: policyConfig({ xmppPartners: ['fabrikam.com', 'jabber.example.org'], externalAccessPolicies: [{ name: 'Global', enableFederationAccess: true }] }) },
      expect: [{ status: 'fail', messageId: 'accessOff', data: { partners: 'fabrikam.com, jabber.example.org' }, fix: 'Set-CsExternalAccessPolicy -Identity Global -EnableXmppAccess $True' }],
    },
    {
      name: 'XMPP partners and no own XMPP domain',
      policy: { config: policyConfig({ xmppPartners: ['fabrikam.com'] }, { own: { xmppDomains: [] } }) },
      expect: [{ status: 'warn', messageId: 'noXmppDomain', fix: 'Remove-CsXmppAllowedPartner' }],
    },
  ],
} satisfies CheckCases;
