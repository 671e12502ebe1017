import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const FED = [{ name: 'Global', enableFederationAccess: true, enableXmppAccess: true, enablePublicCloudAccess: true }];
const watch = (federation: Record<string, unknown>, partners: unknown[] = ['fabrikam.com']) => policyConfig({ externalAccessPolicies: FED, xmppPartners: ['fabrikam.com'], ...federation }, { partners });
const M365 = { 'fabrikam.com': { sipFederationTarget: 'sipfed.online.lync.com' } };
const LYNC_ONLINE = { hostingProviders: [{ name: 'LyncOnline', proxyFqdn: 'sipfed.online.lync.com' }] };

export default {
  valid: [
    {
      name: 'open federation and an XMPP partner',
      policy: { config: watch({}) },
      expect: [
        { status: 'pass', messageId: 'allowed', subject: 'fabrikam.com SIP', domain: 'fabrikam.com', data: { typeName: 'discovered partner domain (open enhanced federation)' } },
        { status: 'pass', messageId: 'allowed', subject: 'fabrikam.com XMPP', data: { typeName: 'XMPP federated partner' } },
      ],
    },
    {
      name: 'a hosted partner through LyncOnline',
      policy: { config: watch(LYNC_ONLINE, [{ domain: 'fabrikam.com', services: ['sip'] }]), partnerHosting: M365 },
      expect: [{ status: 'pass', messageId: 'allowed', data: { typeName: 'hosting provider' } }],
    },
    { name: 'an own domain', policy: { config: watch({}), partners: ['contoso.com'] }, expect: [{ status: 'pass', messageId: 'ownDomain' }, { status: 'pass', messageId: 'ownDomain' }] },
    {
      name: 'XMPP watched but we run no XMPP domain',
      policy: { config: policyConfig({ externalAccessPolicies: FED }, { own: { xmppDomains: [] }, partners: ['fabrikam.com'] }) },
      expect: [{ status: 'pass', messageId: 'allowed' }, { status: 'skip', messageId: 'notConfigured', subject: 'fabrikam.com XMPP' }],
    },
  ],
  invalid: [
    {
      name: 'federation disabled',
      policy: { config: watch({ mode: 'disabled' }, [{ domain: 'fabrikam.com', services: ['sip'] }]) },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'Set-CsAccessEdgeConfiguration -AllowFederatedUsers $True' }],
    },
    {
      name: 'blocked',
      policy: { config: watch({ blockedDomains: ['fabrikam.com'] }, [{ domain: 'fabrikam.com', services: ['sip'] }]) },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'Remove-CsBlockedDomain -Identity fabrikam.com' }],
    },
    {
      name: 'not on the allowed list',
      policy: { config: watch({ mode: 'allow-listed-only' }, [{ domain: 'fabrikam.com', services: ['sip'] }]) },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'New-CsAllowedDomain -Identity fabrikam.com' }],
    },
    {
      name: 'partner discovery off',
      policy: { config: watch({ partnerDiscovery: false }, [{ domain: 'fabrikam.com', services: ['sip'] }]) },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'Set-CsAccessEdgeConfiguration -EnablePartnerDiscovery $True' }],
    },
    {
      name: 'hosted on Microsoft 365 without a hosting provider',
      policy: { config: watch({}, [{ domain: 'fabrikam.com', services: ['sip'] }]), partnerHosting: M365 },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'New-CsHostingProvider -Identity LyncOnline -ProxyFqdn sipfed.online.lync.com -Enabled $True' }],
    },
    {
      name: 'hosted, the hosting provider disabled',
      policy: {
        config: watch({ hostingProviders: [{ name: 'LyncOnline', proxyFqdn: 'sipfed.online.lync.com', enabled: false }] }, [{ domain: 'fabrikam.com', services: ['sip'] }]),
        partnerHosting: M365,
      },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'Set-CsHostingProvider -Identity LyncOnline -Enabled $True' }],
    },
    {
      name: 'a public IM provider disabled',
      policy: {
        config: watch({ hostingProviders: [{ name: 'MSN', proxyFqdn: 'federation.messenger.msn.com', publicProvider: true, enabled: false, domains: ['msn.com'] }] }, [
          { domain: 'msn.com', services: ['sip'] },
        ]),
      },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'Set-CsPublicProvider -Identity MSN -Enabled $True' }],
    },
    {
      name: 'a public IM provider without public cloud access',
      policy: {
        config: policyConfig(
          { hostingProviders: [{ name: 'MSN', proxyFqdn: 'federation.messenger.msn.com', publicProvider: true, domains: ['msn.com'] }], externalAccessPolicies: [{ name: 'Global', enableFederationAccess: true }] },
          { partners: [{ domain: 'msn.com', services: ['sip'] }] },
        ),
      },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'Set-CsExternalAccessPolicy -Identity Global -EnablePublicCloudAccess $True' }],
    },
    {
      name: 'no policy enables federation access',
      policy: { config: policyConfig({ externalAccessPolicies: [{ name: 'FedPic' }] }, { partners: [{ domain: 'fabrikam.com', services: ['sip'] }] }) },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'Grant-CsExternalAccessPolicy -PolicyName FedPic' }],
    },
    {
      name: 'not an XMPP partner',
      policy: { config: policyConfig({ externalAccessPolicies: FED }, { partners: [{ domain: 'fabrikam.com', services: ['xmpp'] }] }) },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'New-CsXmppAllowedPartner -Identity fabrikam.com' }],
    },
    {
      name: 'XMPP access off',
      policy: { config: policyConfig({ xmppPartners: ['fabrikam.com'], externalAccessPolicies: [{ name: 'Global' }] }, { partners: [{ domain: 'fabrikam.com', services: ['xmpp'] }] }) },
      expect: [{ status: 'fail', messageId: 'denied', fix: 'Set-CsExternalAccessPolicy -Identity Global -EnableXmppAccess $True' }],
    },
  ],
} satisfies CheckCases;
