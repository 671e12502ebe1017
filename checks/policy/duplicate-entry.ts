// The same entry twice in one list: the servers hold each identity once, so the config misdescribes one of them.

import type { FedcheckConfig } from '../../src/model/config.js';
import { entryPath, primaryOwnDomain } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

interface ListView {
  path: string;
  /** The config list the values come from, when `path` says more than the list's name. */
  list?: string;
  values(config: FedcheckConfig): string[];
  /** Where the real list is read: the cmdlet or the admin UI page. */
  source: string;
  /** Whether a duplicate names a partner domain (the finding is filed under it). */
  partnerDomains: boolean;
}

const LISTS: ListView[] = [
  { path: 'own.sipDomains', values: (c) => c.own.sipDomains, source: 'Get-CsSipDomain', partnerDomains: false },
  { path: 'own.xmppDomains', values: (c) => c.own.xmppDomains, source: 'Get-CsSipDomain', partnerDomains: false },
  { path: 'own.federation.allowedDomains', values: (c) => c.own.federation.allowedDomains.map((e) => e.domain), source: 'Get-CsAllowedDomain', partnerDomains: true },
  { path: 'own.federation.blockedDomains', values: (c) => c.own.federation.blockedDomains, source: 'Get-CsBlockedDomain', partnerDomains: true },
  { path: 'own.federation.hostingProviders', values: (c) => c.own.federation.hostingProviders.map((p) => p.name), source: 'Get-CsHostingProvider', partnerDomains: false },
  {
    path: 'own.federation.hostingProviders (proxyFqdn)',
    list: 'own.federation.hostingProviders',
    values: (c) => c.own.federation.hostingProviders.map((p) => p.proxyFqdn),
    source: 'Get-CsHostingProvider | Select-Object Identity, ProxyFqdn',
    partnerDomains: false,
  },
  { path: 'own.federation.xmppPartners', values: (c) => c.own.federation.xmppPartners.map((p) => p.domain), source: 'Get-CsXmppAllowedPartner', partnerDomains: true },
  {
    path: 'own.federation.externalAccessPolicies',
    values: (c) => c.own.federation.externalAccessPolicies.map((p) => p.name),
    source: 'Get-CsExternalAccessPolicy',
    partnerDomains: false,
  },
  {
    path: 'own.cisco.federationDomains',
    values: (c) => c.own.cisco?.federationDomains.map((d) => d.domain) ?? [],
    source: 'Cisco Unified CM IM and Presence Administration: Presence > Inter-Domain Federation > SIP Federation',
    partnerDomains: true,
  },
  {
    path: 'own.cisco.staticRoutes',
    values: (c) => c.own.cisco?.staticRoutes.map((r) => `${r.destinationPattern} → ${r.nextHop}:${r.nextHopPort}`) ?? [],
    source: 'Cisco Unified CM IM and Presence Administration: Presence > Routing > Static Routes',
    partnerDomains: false,
  },
  { path: 'partners', values: (c) => c.partners.map((p) => p.domain), source: 'the partners you mean to watch', partnerDomains: true },
];

export default defineCheck({
  meta: {
    id: 'policy.duplicate-entry',
    area: 'policy',
    title: 'Every list entry appears once',
    failureTitle: 'A list holds the same entry twice',
    description:
      'The Edge and IM and Presence hold each identity once (New-CsAllowedDomain refuses a second one), so a duplicate in the ' +
      'config means one of the two entries, perhaps with another ProxyFqdn, is not what the server has.',
    services: ['sip', 'xmpp'],
    judgedPer: 'config',
    requires: ['policy'],
    references: [REFERENCES.allowedDomain, REFERENCES.hostingProvider, REFERENCES.ciscoSipFederation],
    messages: {
      unique: 'no list holds the same entry twice',
      duplicate: '{{list}} holds {{value}} {{count}} times',
    },
    fixes: {
      keepOne: {
        summary: 'Keep one {{list}} entry for {{value}}',
        steps: [
          'Read the real entry ({{source}}) and keep only the config entry that matches it.',
          'Get-CsAllowedDomain, Get-CsHostingProvider and the other Get-Cs cmdlets show what the Edge holds; Presence > Routing > Static Routes what IM and Presence holds.',
        ],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const own = primaryOwnDomain(config);
    const drafts: FindingDraft[] = [];
    for (const list of LISTS) {
      const values = list.values(config);
      const counts = new Map<string, number>();
      for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
      for (const [value, count] of counts) {
        if (count < 2) continue;
        // The second entry is the one to remove.
        const repeat = values.indexOf(value, values.indexOf(value) + 1);
        drafts.push({
          domain: list.partnerDomains ? value : own,
          status: 'warn',
          subject: `${list.path}: ${value}`,
          location: { policyEntry: entryPath(list.list ?? list.path, repeat) },
          messageId: 'duplicate',
          data: { list: list.path, value, count, source: list.source },
          fixId: 'keepOne',
        });
      }
    }
    return drafts.length > 0 ? drafts : [{ domain: own, status: 'pass', subject: 'config lists', messageId: 'unique' }];
  },
});
