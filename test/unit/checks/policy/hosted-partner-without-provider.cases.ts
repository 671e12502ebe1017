import type { CheckCases } from '../../../support/check-tester.js';
import { policyConfig } from '../../../support/policy-config.js';

const LYNC_ONLINE = (enabled: boolean) => ({ hostingProviders: [{ name: 'LyncOnline', proxyFqdn: 'sipfed.online.lync.com', enabled }] });
const hosted = { 'fabrikam.com': { sipFederationTarget: 'sipfed.online.lync.com' }, 'litware.com': { sipFederationTarget: 'sip.litware.com' } };
const partners = { partners: ['fabrikam.com', 'litware.com'] };

export default {
  valid: [
    {
      name: 'a Microsoft 365 partner with LyncOnline enabled; an on-premises one needs nothing',
      policy: { config: policyConfig(LYNC_ONLINE(true), partners), partnerHosting: hosted },
      expect: [{ status: 'pass', messageId: 'covered', domain: 'fabrikam.com', data: { identity: 'LyncOnline' } }],
    },
    {
      name: 'direct federation through sipfed.online.lync.com instead of a provider',
      policy: { config: policyConfig({ allowedDomains: [{ domain: 'fabrikam.com', proxyFqdn: 'sipfed.online.lync.com' }] }, partners), partnerHosting: hosted },
      expect: [{ status: 'pass', messageId: 'direct' }],
    },
    { name: 'no partner hosted', policy: { config: policyConfig({}, partners), partnerHosting: { 'litware.com': { sipFederationTarget: 'sip.litware.com' } } }, expect: [{ status: 'pass', messageId: 'noneHosted', data: { count: 2 } }] },
    {
      name: 'a blocked hosted partner is out on purpose',
      policy: { config: policyConfig({ blockedDomains: ['fabrikam.com'] }, partners), partnerHosting: hosted },
      expect: [{ status: 'pass', messageId: 'noneHosted', data: { count: 1 } }],
    },
    {
      name: 'a direct federation partner whose lookup failed does not matter',
      policy: { config: policyConfig({ allowedDomains: [{ domain: 'fabrikam.com', proxyFqdn: 'sip.fabrikam.com' }] }), partnerHosting: { 'fabrikam.com': { lookupError: 'REFUSED' } } },
      expect: [{ status: 'pass', messageId: 'noneHosted', data: { count: 1 } }],
    },
    { name: 'DNS not looked up', policy: { config: policyConfig({}, partners) }, expect: [{ status: 'skip', messageId: 'notLookedUp' }] },
  ],
  invalid: [
    {
      name: 'a Microsoft 365 partner and no hosting provider',
      policy: { config: policyConfig({}, partners), partnerHosting: hosted },
      expect: [{ status: 'fail', messageId: 'missing', domain: 'fabrikam.com', fix: 'New-CsHostingProvider -Identity LyncOnline -ProxyFqdn sipfed.online.lync.com -Enabled $True' }],
    },
    {
      name: 'an allowed domain hosted on a government cloud',
      policy: { config: policyConfig({ allowedDomains: ['fabrikam.com'] }), partnerHosting: { 'fabrikam.com': { sipFederationTarget: 'sipfed.online.gov.skypeforbusiness.us' } } },
      expect: [{ status: 'fail', messageId: 'missing', data: { fqdn: 'sipfed.online.gov.skypeforbusiness.us', identity: 'LyncOnline' } }],
    },
    {
      name: 'the hosting provider is disabled',
      policy: { config: policyConfig(LYNC_ONLINE(false), partners), partnerHosting: hosted },
      expect: [{ status: 'fail', messageId: 'disabled', fix: 'Set-CsHostingProvider -Identity LyncOnline -Enabled $True' }],
    },
    {
      name: 'the lookup failed',
      policy: { config: policyConfig({}, partners), partnerHosting: { 'fabrikam.com': { lookupError: '_sipfederationtls._tcp.fabrikam.com SRV: the resolver answered SERVFAIL' } } },
      expect: [{ status: 'error', messageId: 'lookupFailed', domain: 'fabrikam.com' }],
    },
  ],
} satisfies CheckCases;
