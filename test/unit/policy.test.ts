// Policy decisions as tables: every mode × list membership × hosting provider × access policy, XMPP, and
// every federation-policy and static-route rule the admin guides (shared/seeds) state.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { FedcheckConfig } from '../../src/model/config.js';
import type { Status } from '../../src/model/finding.js';
import { explainPolicy } from '../../src/policy/explain.js';
import { explainTarget } from '../../src/policy/explain-target.js';
import type { PolicyRule } from '../../src/policy/decision.js';
import type { PartnerDns } from '../../src/model/policy-facts.js';
import { lintPolicy } from '../../src/policy/lint.js';
import { ROOT } from '../support/fedcheck.js';
import { policyConfig } from '../support/policy-config.js';

const PARTNER = 'fabrikam.com';
const M365: PartnerDns = { sipFederationTarget: 'sipfed.online.lync.com' };
const ON_PREMISES: PartnerDns = { sipFederationTarget: 'sip.fabrikam.com' };
const FEDERATION_ON = [{ name: 'Global', enableFederationAccess: true, enableXmppAccess: true }];

type Mode = 'allow-all-except-blocked' | 'allow-listed-only' | 'disabled';
type Membership = 'unlisted' | 'listed' | 'listed-with-edge' | 'blocked';
type Provider = 'enabled' | 'disabled' | 'missing';

function membership(kind: Membership): Record<string, unknown> {
  switch (kind) {
    case 'unlisted':
      return {};
    case 'listed':
      return { allowedDomains: [PARTNER] };
    case 'listed-with-edge':
      return { allowedDomains: [{ domain: PARTNER, proxyFqdn: 'sip.fabrikam.com' }] };
    case 'blocked':
      return { blockedDomains: [PARTNER] };
  }
}

function provider(kind: Provider): Record<string, unknown> {
  if (kind === 'missing') return {};
  return { hostingProviders: [{ name: 'LyncOnline', proxyFqdn: 'sipfed.online.lync.com', enabled: kind === 'enabled' }] };
}

function config(mode: Mode, member: Membership, extra: Record<string, unknown> = {}): FedcheckConfig {
  return policyConfig({ mode, externalAccessPolicies: FEDERATION_ON, ...membership(member), ...extra });
}

function sipRule(cfg: FedcheckConfig, dns?: PartnerDns): PolicyRule {
  return explainPolicy(cfg, PARTNER, dns).sip.rule;
}

describe('SIP: mode × list membership (partner on premises, access policy allows federation)', () => {
  const table: Record<Mode, Record<Membership, PolicyRule>> = {
    'allow-all-except-blocked': { unlisted: 'open-federation', listed: 'allowed-domain', 'listed-with-edge': 'allowed-partner-server', blocked: 'blocked-domain' },
    'allow-listed-only': { unlisted: 'not-on-allowed-list', listed: 'allowed-domain', 'listed-with-edge': 'allowed-partner-server', blocked: 'blocked-domain' },
    disabled: { unlisted: 'federation-disabled', listed: 'federation-disabled', 'listed-with-edge': 'federation-disabled', blocked: 'federation-disabled' },
  };
  for (const [mode, row] of Object.entries(table) as [Mode, Record<Membership, PolicyRule>][]) {
    for (const [member, rule] of Object.entries(row) as [Membership, PolicyRule][]) {
      it(`${mode}, ${member} → ${rule}`, () => {
        expect(sipRule(config(mode, member), ON_PREMISES)).toBe(rule);
      });
    }
  }

  it('open mode without partner discovery reaches only the allowed list', () => {
    const rules = (['unlisted', 'listed', 'listed-with-edge', 'blocked'] as const).map((member) =>
      sipRule(config('allow-all-except-blocked', member, { partnerDiscovery: false }), ON_PREMISES),
    );
    expect(rules).toEqual(['discovery-off', 'allowed-domain', 'allowed-partner-server', 'blocked-domain']);
  });

  it('a domain both allowed and blocked is blocked: the block wins', () => {
    expect(sipRule(config('allow-all-except-blocked', 'listed', { blockedDomains: [PARTNER] }))).toBe('blocked-domain');
  });
});

describe('SIP: partner hosted on Microsoft 365 × mode × list membership × hosting provider', () => {
  const table: Record<Mode, Record<Membership, Record<Provider, PolicyRule>>> = {
    'allow-all-except-blocked': {
      unlisted: { enabled: 'open-federation', disabled: 'provider-disabled', missing: 'hosted-without-provider' },
      listed: { enabled: 'allowed-domain', disabled: 'provider-disabled', missing: 'hosted-without-provider' },
      // Lync Online federation 101: an allowed domain with -ProxyFqdn sipfed.online.lync.com needs no provider.
      'listed-with-edge': { enabled: 'allowed-partner-server', disabled: 'allowed-partner-server', missing: 'allowed-partner-server' },
      blocked: { enabled: 'blocked-domain', disabled: 'blocked-domain', missing: 'blocked-domain' },
    },
    'allow-listed-only': {
      // Since Lync Server 2010, hosting providers obey the allowed list.
      unlisted: { enabled: 'not-on-allowed-list', disabled: 'not-on-allowed-list', missing: 'not-on-allowed-list' },
      listed: { enabled: 'allowed-domain', disabled: 'provider-disabled', missing: 'hosted-without-provider' },
      'listed-with-edge': { enabled: 'allowed-partner-server', disabled: 'allowed-partner-server', missing: 'allowed-partner-server' },
      blocked: { enabled: 'blocked-domain', disabled: 'blocked-domain', missing: 'blocked-domain' },
    },
    disabled: {
      unlisted: { enabled: 'federation-disabled', disabled: 'federation-disabled', missing: 'federation-disabled' },
      listed: { enabled: 'federation-disabled', disabled: 'federation-disabled', missing: 'federation-disabled' },
      'listed-with-edge': { enabled: 'federation-disabled', disabled: 'federation-disabled', missing: 'federation-disabled' },
      blocked: { enabled: 'federation-disabled', disabled: 'federation-disabled', missing: 'federation-disabled' },
    },
  };
  for (const [mode, rows] of Object.entries(table) as [Mode, Record<Membership, Record<Provider, PolicyRule>>][]) {
    for (const [member, row] of Object.entries(rows) as [Membership, Record<Provider, PolicyRule>][]) {
      for (const [state, rule] of Object.entries(row) as [Provider, PolicyRule][]) {
        it(`${mode}, ${member}, provider ${state} → ${rule}`, () => {
          expect(sipRule(config(mode, member, provider(state)), M365)).toBe(rule);
        });
      }
    }
  }

  it('finds the hosting provider by the domains it lists when the partner\'s DNS was not looked up', () => {
    const cfg = config('allow-all-except-blocked', 'unlisted', {
      hostingProviders: [{ name: 'Hoster', proxyFqdn: 'edge.hoster-example.test', domains: [PARTNER] }],
    });
    const decision = explainPolicy(cfg, PARTNER).sip;
    expect(decision).toMatchObject({ rule: 'open-federation', type: 'hosting-provider', needs: { kind: 'provider', fqdn: 'edge.hoster-example.test', provider: 'Hoster' } });
  });

  it('names the provider to create after Microsoft\'s example, LyncOnline', () => {
    expect(explainPolicy(config('allow-all-except-blocked', 'unlisted'), PARTNER, M365).sip.details).toEqual({
      providerFqdn: 'sipfed.online.lync.com',
      providerIdentity: 'LyncOnline',
    });
  });

  it('knows the government clouds too', () => {
    expect(sipRule(config('allow-all-except-blocked', 'unlisted'), { sipFederationTarget: 'sipfed.online.gov.skypeforbusiness.us' })).toBe('hosted-without-provider');
  });
});

describe('SIP: external access policies', () => {
  const policies = {
    'none described': [],
    'federation on': [{ name: 'Global', enableFederationAccess: true }],
    'federation off everywhere': [{ name: 'Global', enableFederationAccess: false }, { name: 'FedPic', enablePublicCloudAccess: true }],
  };
  const table: Record<keyof typeof policies, Record<Membership, PolicyRule>> = {
    'none described': { unlisted: 'open-federation', listed: 'allowed-domain', 'listed-with-edge': 'allowed-partner-server', blocked: 'blocked-domain' },
    'federation on': { unlisted: 'open-federation', listed: 'allowed-domain', 'listed-with-edge': 'allowed-partner-server', blocked: 'blocked-domain' },
    'federation off everywhere': { unlisted: 'no-federation-access', listed: 'no-federation-access', 'listed-with-edge': 'no-federation-access', blocked: 'blocked-domain' },
  };
  for (const [name, row] of Object.entries(table) as [keyof typeof policies, Record<Membership, PolicyRule>][]) {
    for (const [member, rule] of Object.entries(row) as [Membership, PolicyRule][]) {
      it(`${name}, ${member} → ${rule}`, () => {
        const cfg = policyConfig({ ...membership(member), externalAccessPolicies: policies[name] });
        expect(sipRule(cfg, ON_PREMISES)).toBe(rule);
      });
    }
  }

  it('names the policy to change in the fix', () => {
    const cfg = policyConfig({ externalAccessPolicies: [{ name: 'Site:Redmond' }] });
    expect(explainPolicy(cfg, PARTNER, ON_PREMISES).sip.details).toEqual({ policy: 'Site:Redmond' });
  });
});

describe('SIP: public IM providers (their own switch; not subject to the allowed list)', () => {
  const msn = (enabled: boolean) => ({ hostingProviders: [{ name: 'MSN', proxyFqdn: 'federation.messenger.msn.com', publicProvider: true, enabled, domains: ['msn.com'] }] });
  const cases: { name: string; federation: Record<string, unknown>; rule: PolicyRule }[] = [
    { name: 'enabled, public cloud access on', federation: { ...msn(true), externalAccessPolicies: [{ name: 'Global', enablePublicCloudAccess: true }] }, rule: 'public-im-provider' },
    { name: 'enabled, only listed domains allowed', federation: { ...msn(true), mode: 'allow-listed-only' }, rule: 'public-im-provider' },
    { name: 'enabled, public cloud access off', federation: { ...msn(true), externalAccessPolicies: [{ name: 'Global', enableFederationAccess: true }] }, rule: 'no-public-cloud-access' },
    { name: 'disabled', federation: msn(false), rule: 'provider-disabled' },
    { name: 'blocked', federation: { ...msn(true), blockedDomains: ['msn.com'] }, rule: 'blocked-domain' },
    { name: 'federation disabled', federation: { ...msn(true), mode: 'disabled' }, rule: 'federation-disabled' },
  ];
  for (const { name, federation, rule } of cases) {
    it(`${name} → ${rule}`, () => {
      const decision = explainPolicy(policyConfig(federation), 'msn.com').sip;
      expect(decision.rule).toBe(rule);
      expect(decision.type).toBe(rule === 'blocked-domain' || rule === 'federation-disabled' ? undefined : 'public-im-provider');
    });
  }
});

describe('XMPP', () => {
  const cases: { name: string; own?: Record<string, unknown>; federation: Record<string, unknown>; rule: PolicyRule; allowed: boolean }[] = [
    { name: 'a listed partner, XMPP access on', federation: { xmppPartners: [PARTNER], externalAccessPolicies: FEDERATION_ON }, rule: 'xmpp-partner', allowed: true },
    { name: 'a listed partner, no policy described', federation: { xmppPartners: [PARTNER] }, rule: 'xmpp-partner', allowed: true },
    { name: 'a listed partner, XMPP access off', federation: { xmppPartners: [PARTNER], externalAccessPolicies: [{ name: 'Global', enableFederationAccess: true }] }, rule: 'no-xmpp-access', allowed: false },
    { name: 'not a listed partner', federation: { externalAccessPolicies: FEDERATION_ON }, rule: 'not-an-xmpp-partner', allowed: false },
    { name: 'no own XMPP domain', own: { xmppDomains: [] }, federation: { xmppPartners: [PARTNER] }, rule: 'service-not-configured', allowed: false },
    // The XMPP gateway keeps its own partner list: the SIP mode and lists do not apply.
    { name: 'SIP federation disabled', federation: { mode: 'disabled', xmppPartners: [PARTNER] }, rule: 'xmpp-partner', allowed: true },
  ];
  for (const { name, own, federation, rule, allowed } of cases) {
    it(`${name} → ${rule}`, () => {
      const decision = explainPolicy(policyConfig(federation, own ? { own } : {}), PARTNER).xmpp;
      expect({ rule: decision.rule, allowed: decision.allowed }).toEqual({ rule, allowed });
    });
  }

  it('needs the partner\'s _xmpp-server._tcp record, or nothing with a configured ProxyFqdn', () => {
    expect(explainPolicy(policyConfig({ xmppPartners: [PARTNER] }), PARTNER).xmpp.needs).toEqual({ kind: 'srv', record: '_xmpp-server._tcp.fabrikam.com' });
    const withProxy = policyConfig({ xmppPartners: [{ domain: PARTNER, proxyFqdn: 'xmpp.fabrikam.com' }] });
    expect(explainPolicy(withProxy, PARTNER).xmpp.needs).toEqual({ kind: 'configured-edge', fqdn: 'xmpp.fabrikam.com' });
  });
});

describe('own domains and services we do not run', () => {
  it('an own domain is no federation at all', () => {
    const decision = explainPolicy(policyConfig({ mode: 'disabled' }), 'contoso.com');
    expect([decision.sip.rule, decision.xmpp.rule]).toEqual(['own-domain', 'own-domain']);
    expect(decision.sip.allowed).toBe(true);
  });

  it('no own SIP domain: SIP is not configured', () => {
    const cfg = policyConfig({}, { own: { sipDomains: [], xmppDomains: ['contoso.com'] } });
    expect(explainPolicy(cfg, PARTNER).sip.rule).toBe('service-not-configured');
  });
});

describe('federation types and what each needs from the partner (DOMAIN.md section 1)', () => {
  const cases: { type: string; cfg: FedcheckConfig; dns?: PartnerDns; needs: unknown }[] = [
    { type: 'discovered-partner-domain', cfg: config('allow-all-except-blocked', 'unlisted'), dns: ON_PREMISES, needs: { kind: 'srv', record: '_sipfederationtls._tcp.fabrikam.com' } },
    { type: 'allowed-partner-domain', cfg: config('allow-listed-only', 'listed'), needs: { kind: 'srv', record: '_sipfederationtls._tcp.fabrikam.com' } },
    { type: 'allowed-partner-server', cfg: config('allow-listed-only', 'listed-with-edge'), needs: { kind: 'configured-edge', fqdn: 'sip.fabrikam.com' } },
    {
      type: 'hosting-provider',
      cfg: config('allow-all-except-blocked', 'unlisted', provider('enabled')),
      dns: M365,
      needs: { kind: 'provider', fqdn: 'sipfed.online.lync.com', provider: 'LyncOnline' },
    },
  ];
  for (const { type, cfg, dns, needs } of cases) {
    it(type, () => {
      const decision = explainPolicy(cfg, PARTNER, dns).sip;
      expect({ type: decision.type, needs: decision.needs, allowed: decision.allowed }).toEqual({ type, needs, allowed: true });
    });
  }
});

describe('explainTarget: what policy explain probes', () => {
  it('probes the configured Edge of an allowed partner server, SIP only when XMPP is denied', () => {
    const target = explainTarget(explainPolicy(config('allow-listed-only', 'listed-with-edge'), PARTNER));
    // Listed by name with its Edge: SIP is required of it.
    expect(target).toEqual({ domain: PARTNER, input: PARTNER, services: ['sip'], expected: ['sip'], role: 'partner', edge: 'sip.fabrikam.com' });
  });

  it('probes the provider\'s ProxyFqdn for a hosted partner', () => {
    const target = explainTarget(explainPolicy(config('allow-all-except-blocked', 'unlisted', provider('enabled')), PARTNER, M365));
    expect(target.edge).toBe('sipfed.online.lync.com');
  });

  it('checks every service we run when the policy denies them all, with no Edge to assume', () => {
    const target = explainTarget(explainPolicy(config('allow-all-except-blocked', 'blocked'), PARTNER, ON_PREMISES));
    expect(target).toEqual({ domain: PARTNER, input: PARTNER, services: ['sip', 'xmpp'], expected: [], role: 'partner' });
  });
});

/** The status of one lint check on a config, worst first when it reports several findings. */
function lintStatuses(cfg: FedcheckConfig, checkId: string, facts: Parameters<typeof lintPolicy>[1] = {}): Status[] {
  return lintPolicy(cfg, facts)
    .filter((finding) => finding.checkId === checkId)
    .map((finding) => finding.status);
}

const cisco = (section: Record<string, unknown>) => policyConfig({}, { own: { cisco: section } });
const ROUTE = { destinationPattern: '.com.fabrikam', nextHop: '10.0.0.21' };

describe('every rule the admin guides state', () => {
  const decisions: { seed: string; rule: string; cfg: FedcheckConfig; partner?: string; dns?: PartnerDns; expected: PolicyRule }[] = [
    {
      seed: 'Lync 2013 federation',
      rule: 'discovered partner domain: found by its SRV record, with partner discovery',
      cfg: config('allow-all-except-blocked', 'unlisted'),
      dns: ON_PREMISES,
      expected: 'open-federation',
    },
    {
      seed: 'Lync 2013 federation',
      rule: 'allowed partner server: a one-to-one relationship, reached at its configured Edge FQDN',
      cfg: config('allow-listed-only', 'listed-with-edge'),
      expected: 'allowed-partner-server',
    },
    {
      seed: 'Lync 2013 federation planning',
      rule: 'since Lync Server 2010 a hosting provider obeys the allowed list',
      cfg: config('allow-listed-only', 'unlisted', provider('enabled')),
      dns: M365,
      expected: 'not-on-allowed-list',
    },
    {
      seed: 'Lync Online federation 101',
      rule: 'New-CsHostingProvider -Identity LyncOnline -ProxyFqdn sipfed.online.lync.com reaches every Office 365 domain',
      cfg: config('allow-all-except-blocked', 'unlisted', provider('enabled')),
      dns: M365,
      expected: 'open-federation',
    },
    {
      seed: 'Lync Online federation 101',
      rule: 'or direct federation: New-CsAllowedDomain + Set-CsAllowedDomain -ProxyFqdn sipfed.online.lync.com',
      cfg: policyConfig({ allowedDomains: [{ domain: PARTNER, proxyFqdn: 'sipfed.online.lync.com' }] }),
      dns: M365,
      expected: 'allowed-partner-server',
    },
    { seed: 'Lync Online federation 101', rule: 'block federation with all domains except those I allow', cfg: config('allow-listed-only', 'unlisted'), expected: 'not-on-allowed-list' },
    { seed: 'Lync Online federation 101', rule: 'disable federation', cfg: config('disabled', 'listed'), expected: 'federation-disabled' },
    {
      seed: 'Lync Online federation 101',
      rule: 'users must be enabled for external access',
      cfg: policyConfig({ externalAccessPolicies: [{ name: 'Global' }] }),
      expected: 'no-federation-access',
    },
    {
      seed: 'Lync 2013 XMPP federation',
      rule: 'Set-CsExternalAccessPolicy -EnableXmppAccess $true is needed for XMPP partners',
      cfg: policyConfig({ xmppPartners: [PARTNER], externalAccessPolicies: [{ name: 'FedPic', enableFederationAccess: true, enablePublicCloudAccess: true }] }),
      expected: 'no-xmpp-access',
    },
  ];
  for (const { seed, rule, cfg, dns, expected } of decisions) {
    it(`${seed}: ${rule}`, () => {
      const decision = explainPolicy(cfg, PARTNER, dns);
      expect(expected === 'no-xmpp-access' ? decision.xmpp.rule : decision.sip.rule).toBe(expected);
    });
  }

  const lints: { seed: string; rule: string; cfg: FedcheckConfig; checkId: string; expected: Status[] }[] = [
    { seed: 'Cisco interdomain', rule: 'the destination pattern is the domain reversed: remote.com → .com.remote', cfg: cisco({ federationDomains: [PARTNER], staticRoutes: [ROUTE] }), checkId: 'policy.cisco-static-route-pattern', expected: ['pass'] },
    {
      seed: 'Cisco interdomain',
      rule: 'a pattern written forwards does not match',
      cfg: cisco({ federationDomains: [PARTNER], staticRoutes: [{ ...ROUTE, destinationPattern: '.fabrikam.com' }] }),
      checkId: 'policy.cisco-static-route-pattern',
      expected: ['fail'],
    },
    {
      seed: 'Cisco interdomain',
      rule: 'route type domain',
      cfg: cisco({ federationDomains: [PARTNER], staticRoutes: [{ ...ROUTE, routeType: 'user' }] }),
      checkId: 'policy.cisco-static-route-pattern',
      expected: ['fail'],
    },
    {
      seed: 'Cisco interdomain',
      rule: 'the next hop is the IP address of a specific server, not a load balancer name',
      cfg: cisco({ federationDomains: [PARTNER], staticRoutes: [{ ...ROUTE, nextHop: 'pool.contoso.com' }] }),
      checkId: 'policy.cisco-next-hop',
      expected: ['warn', 'skip'],
    },
    { seed: 'Cisco interdomain', rule: 'TLS takes port 5061', cfg: cisco({ staticRoutes: [{ ...ROUTE, nextHopPort: 5060 }] }), checkId: 'policy.cisco-route-port-protocol', expected: ['fail'] },
    {
      seed: 'Cisco interdomain',
      rule: 'TCP takes port 5060, and is unencrypted',
      cfg: cisco({ staticRoutes: [{ ...ROUTE, nextHopPort: 5060, protocol: 'TCP' }] }),
      checkId: 'policy.cisco-route-port-protocol',
      expected: ['warn'],
    },
    {
      seed: 'Cisco interdomain',
      rule: 'the primary route has priority 1, backups greater',
      cfg: cisco({ staticRoutes: [{ ...ROUTE, priority: 2 }, { ...ROUTE, nextHop: '10.0.0.22', priority: 3 }] }),
      checkId: 'policy.cisco-route-priority',
      expected: ['fail'],
    },
    {
      seed: 'Cisco interdomain',
      rule: 'backups have distinct priorities',
      cfg: cisco({ staticRoutes: [ROUTE, { ...ROUTE, nextHop: '10.0.0.22', priority: 2 }, { ...ROUTE, nextHop: '10.0.0.23', priority: 2 }] }),
      checkId: 'policy.cisco-route-priority',
      expected: ['fail'],
    },
    { seed: 'Cisco interdomain', rule: 'each remote domain needs a static route', cfg: cisco({ federationDomains: [PARTNER] }), checkId: 'policy.cisco-route-without-domain', expected: ['fail'] },
    { seed: 'Cisco interdomain', rule: 'a static route needs its SIP federation domain', cfg: cisco({ staticRoutes: [ROUTE] }), checkId: 'policy.cisco-route-without-domain', expected: ['fail'] },
    {
      seed: 'Cisco interdomain',
      rule: 'the SIP federation domain is Inter-domain to OCS/Lync with Direct Federation checked',
      cfg: cisco({ federationDomains: [{ domain: PARTNER, directFederation: false }], staticRoutes: [ROUTE] }),
      checkId: 'policy.cisco-federation-domain',
      expected: ['fail'],
    },
    {
      seed: 'Cisco interdomain',
      rule: 'email address for federation is not supported with partitioned intradomain federation',
      cfg: cisco({ emailAddressForFederation: true, partitionedIntradomainFederation: true }),
      checkId: 'policy.cisco-email-for-federation',
      expected: ['fail'],
    },
    {
      seed: 'Cisco interdomain',
      rule: 'nor with Microsoft interdomain federation',
      cfg: cisco({ emailAddressForFederation: true, federationDomains: [PARTNER], staticRoutes: [ROUTE] }),
      checkId: 'policy.cisco-email-for-federation',
      expected: ['fail'],
    },
    {
      seed: 'Lync 2013 XMPP federation',
      rule: 'XMPP partners need EnableXmppAccess',
      cfg: policyConfig({ xmppPartners: [PARTNER], externalAccessPolicies: [{ name: 'Global', enableFederationAccess: true }] }),
      checkId: 'policy.xmpp-partner-without-access',
      expected: ['fail'],
    },
    {
      seed: 'Lync Online federation 101',
      rule: 'on-premises partners of Microsoft 365 need the LyncOnline hosting provider',
      cfg: policyConfig({}, { partners: [PARTNER] }),
      checkId: 'policy.hosted-partner-without-provider',
      expected: ['fail'],
    },
  ];
  for (const { seed, rule, cfg, checkId, expected } of lints) {
    it(`${seed}: ${rule} (${checkId})`, () => {
      const facts = checkId === 'policy.hosted-partner-without-provider' ? { partnerHosting: { [PARTNER]: M365 } } : {};
      expect(lintStatuses(cfg, checkId, facts)).toEqual(expected);
    });
  }
});

describe('the shared fixtures', () => {
  const load = (name: string) => loadConfig(join(ROOT, 'fixtures', 'configs', name));

  it('policy-contradictions.yaml: one of each contradiction and gap', () => {
    const raised = lintPolicy(load('policy-contradictions.yaml'))
      .filter((finding) => finding.status === 'warn' || finding.status === 'fail')
      .map((finding) => `${finding.checkId} ${finding.status} ${finding.messageId}`);
    expect(new Set(raised)).toEqual(
      new Set([
        'policy.partner-allowed fail denied',
        'policy.federation-mode warn openWithoutDiscovery',
        'policy.allowed-and-blocked fail both',
        'policy.external-access fail federationOff',
        'policy.external-access warn publicCloudOff',
        'policy.xmpp-partner-without-access warn noXmppDomain',
        'policy.duplicate-entry warn duplicate',
        'policy.cisco-federation-domain fail directFederationOff',
        'policy.cisco-static-route-pattern fail missingDot',
        'policy.cisco-route-port-protocol fail mismatch',
        'policy.cisco-route-port-protocol warn tcpUnencrypted',
        'policy.cisco-route-port-protocol fail udp',
        'policy.cisco-route-priority fail noPrimary',
        'policy.cisco-route-priority fail samePriority',
        'policy.cisco-route-without-domain fail routeWithoutDomain',
        'policy.cisco-route-without-domain fail domainWithoutRoute',
        'policy.cisco-email-for-federation fail withPartitioned',
        'policy.cisco-next-hop warn hostName',
      ]),
    );
  });

  it('policy-contradictions.yaml: each finding names the config entry to edit', () => {
    const located = lintPolicy(load('policy-contradictions.yaml'))
      .filter((finding) => finding.status === 'warn' || finding.status === 'fail')
      .map((finding) => `${finding.checkId} ${finding.messageId} ${finding.location.domain} ${finding.location.policyEntry}`);
    expect(located).toEqual(
      expect.arrayContaining([
        'policy.partner-allowed denied litware.com partners[1]',
        'policy.allowed-and-blocked both litware.com own.federation.blockedDomains[0]',
        'policy.duplicate-entry duplicate fabrikam.com own.federation.allowedDomains[1]',
        'policy.cisco-federation-domain directFederationOff fabrikam.com own.cisco.federationDomains[0]',
        'policy.cisco-static-route-pattern missingDot fabrikam.com own.cisco.staticRoutes[0]',
        'policy.cisco-route-port-protocol udp northwind.com own.cisco.staticRoutes[3]',
        'policy.cisco-next-hop hostName fabrikam.com own.cisco.staticRoutes[1]',
        'policy.cisco-route-without-domain domainWithoutRoute adatum.com own.cisco.federationDomains[1]',
        'policy.external-access federationOff contoso.com own.federation.externalAccessPolicies',
      ]),
    );
  });

  it('policy-clean.yaml: nothing to fix, once the hosted partner is known to be covered', () => {
    const partnerHosting = { 'fabrikam.com': M365, 'northwind.com': ON_PREMISES };
    const raised = lintPolicy(load('policy-clean.yaml'), { partnerHosting }).filter((finding) => finding.status !== 'pass' && finding.status !== 'skip');
    expect(raised.map((finding) => finding.message)).toEqual([]);
  });
});
