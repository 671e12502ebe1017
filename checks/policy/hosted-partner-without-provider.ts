// Partners hosted on Microsoft 365 (their SRV record points at sipfed.online.lync.com) need a hosting provider entry.

import { hostedBy, partnerLocation, primaryOwnDomain, sipPartnerDomains } from '../../src/policy/config-views.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'policy.hosted-partner-without-provider',
    area: 'policy',
    title: 'Hosted partners are reached through a hosting provider',
    failureTitle: 'A hosted partner has no hosting provider',
    description:
      'A partner on Microsoft 365 publishes an SRV record pointing at sipfed.online.lync.com, outside its own domain; ' +
      'an on-premises Edge federates with it only through a hosting provider with that ProxyFqdn, or a direct federation entry.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy', 'partner-hosting'],
    references: [REFERENCES.hostingProvider, REFERENCES.federationTypes, REFERENCES.lyncFederation],
    messages: {
      covered: '{{partner}} is hosted by {{provider}} ({{fqdn}}), and the hosting provider {{identity}} is enabled',
      direct: '{{partner}} is hosted by {{provider}} ({{fqdn}}) and reached by direct federation through its allowed-list ProxyFqdn',
      noneHosted: 'no SIP partner is hosted by a known hosting provider (partners looked up: {{count}})',
      notLookedUp: 'the partners\' SIP federation SRV records were not looked up',
      lookupFailed: 'could not tell whether {{partner}} is hosted: {{reason}}',
      missing: '{{partner}} is hosted by {{provider}}: its SRV record points at {{fqdn}}, and no hosting provider has that ProxyFqdn, so our Edge refuses the target as outside the partner\'s domain',
      disabled: '{{partner}} is hosted by {{provider}} ({{fqdn}}), but the hosting provider {{identity}} is disabled',
    },
    fixes: {
      addProvider: {
        summary: 'Add {{fqdn}} as a hosting provider',
        steps: [
          'On the Front End: New-CsHostingProvider -Identity {{identity}} -ProxyFqdn {{fqdn}} -Enabled $True (every partner hosted there is then reached).',
          'Or, for {{partner}} alone: New-CsAllowedDomain -Identity {{partner}}; Set-CsAllowedDomain {{partner}} -ProxyFqdn {{fqdn}}.',
          'Then add it to own.federation.hostingProviders in the config.',
        ],
        snippets: [{ lang: 'powershell', text: 'New-CsHostingProvider -Identity {{identity}} -ProxyFqdn {{fqdn}} -Enabled $True' }],
      },
      enableProvider: {
        summary: 'Enable the hosting provider {{identity}}',
        steps: ['Set-CsHostingProvider -Identity {{identity}} -Enabled $True, then set enabled: true for it in the config.'],
        snippets: [{ lang: 'powershell', text: 'Set-CsHostingProvider -Identity {{identity}} -Enabled $True' }],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const partnerHosting = facts.partnerHosting();
    const own = primaryOwnDomain(config);
    const subject = 'own.federation.hostingProviders';
    const location = { policyEntry: subject };
    const { blockedDomains, allowedDomains } = config.own.federation;
    // A blocked partner is out on purpose: no provider gap to report.
    const partners = sipPartnerDomains(config).filter((partner) => !blockedDomains.includes(partner));
    if (partnerHosting === undefined) return [{ domain: own, status: 'skip', subject, location, messageId: 'notLookedUp' }];
    const drafts: FindingDraft[] = [];
    for (const partner of partners) {
      const dns = partnerHosting[partner];
      const where = partnerLocation(config, partner);
      // Direct federation names the partner's Edge: where its SRV record points does not matter then.
      const direct = allowedDomains.some((entry) => entry.domain === partner && entry.proxyFqdn !== undefined);
      if (dns?.lookupError !== undefined && !direct) {
        drafts.push({ domain: partner, status: 'error', subject: partner, location: where, messageId: 'lookupFailed', data: { partner, reason: dns.lookupError }, evidence: [dns.lookupError] });
        continue;
      }
      const hosting = dns?.sipFederationTarget === undefined ? undefined : hostedBy(config, partner, dns);
      if (hosting === undefined) continue;
      const data = { partner, provider: hosting.name, fqdn: hosting.fqdn, identity: hosting.suggestedIdentity };
      const evidence = [`_sipfederationtls._tcp.${partner} → ${hosting.fqdn}`];
      if (direct) drafts.push({ domain: partner, status: 'pass', subject: partner, location: where, messageId: 'direct', data, evidence });
      else if (hosting.provider === undefined) drafts.push({ domain: partner, status: 'fail', subject: partner, location: where, messageId: 'missing', data, evidence, fixId: 'addProvider' });
      else if (!hosting.provider.enabled) drafts.push({ domain: partner, status: 'fail', subject: partner, location: where, messageId: 'disabled', data, evidence, fixId: 'enableProvider' });
      else drafts.push({ domain: partner, status: 'pass', subject: partner, location: where, messageId: 'covered', data, evidence });
    }
    if (drafts.length === 0) return [{ domain: own, status: 'pass', subject, location, messageId: 'noneHosted', data: { count: partners.length } }];
    return drafts;
  },
});
