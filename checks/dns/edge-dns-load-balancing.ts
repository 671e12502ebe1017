// Several addresses on one Edge name is DNS load balancing: fine for Lync 2010 and later, no failover for OCS 2007 partners.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { absoluteName, hostsByName, zoneLine, hostService } from '../../src/judge/dns-evidence.js';
import type { DnsAnswer, DnsRecord, ProbeOutcome } from '../../src/model/facts.js';
import { federationHosts } from '../../src/judge/services.js';
import { REFERENCES } from '../../src/judge/references.js';
import { hostLocation } from '../../src/model/location.js';

export default defineCheck({
  meta: {
    id: 'dns.edge-dns-load-balancing',
    area: 'dns',
    title: 'Federation hosts have one address per family, or DNS load balancing every partner understands',
    failureTitle: 'A federation host uses DNS load balancing',
    description:
      'Several A (or AAAA) records on the Edge FQDN spread partners across Edge servers; Lync Server 2010 and later partners ' +
      'fail over between them, but Office Communications Server 2007 and 2007 R2 partners are not DNS load balancing aware and do not.',
    services: ['sip', 'xmpp'],
    judgedPer: 'domain',
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp'],
    references: [REFERENCES.loadBalancing, REFERENCES.rfc6120Resolution],
    messages: {
      singleAddress: '{{host}} has one address per family ({{addresses}})',
      xmppSeveralAddresses:
        '{{host}} has {{count}} {{family}} addresses ({{addresses}}): XMPP servers try each address in turn, so this is safe for XMPP',
      severalAddresses:
        '{{host}} has {{count}} {{family}} addresses ({{addresses}}): DNS load balancing works with Lync Server 2010 and later partners; ' +
        'Office Communications Server 2007 / 2007 R2 partners are not DNS load balancing aware and do not fail over when one Edge is down',
      noAddresses: '{{host}} has no address to judge; dns.srv-target-address reports why',
      noHosts: 'no SRV target to check for {{domain}}',
    },
    fixes: {
      loadBalancerForLegacyPartners: {
        summary: 'Keep DNS load balancing only if no partner runs OCS 2007 / 2007 R2; otherwise publish one hardware load balancer address for {{host}}',
        steps: [
          'Ask your federation partners which server version they run: Lync Server 2010 and later handle several addresses.',
          'For OCS 2007 / 2007 R2 partners, put a hardware load balancer in front of the Access Edge external interfaces and publish only its virtual IP.',
          'Or accept that those partners lose federation while the Edge behind their chosen address is down.',
        ],
        snippets: [{ lang: 'zone', text: '; now\n{{currentLines}}\n; with a hardware load balancer\n{{absoluteHost}} 3600 IN {{rrType}} <load-balancer-virtual-ip>' }],
      },
    },
  },

  evaluate({ target, facts }) {
    const hosts = hostsByName(federationHosts(target, facts));
    if (hosts.length === 0) return [{ status: 'skip', subject: target.domain, messageId: 'noHosts', data: { domain: target.domain } }];

    const findings: FindingDraft[] = [];
    for (const { host, services } of hosts) {
      const service = hostService(services);
      const byType = { A: addressRecords(facts.dns(host, 'A')), AAAA: addressRecords(facts.dns(host, 'AAAA')) };
      const all = [...byType.A, ...byType.AAAA];
      const data = { host, absoluteHost: absoluteName(host), addresses: all.map((r) => r.address).join(', ') };
      const evidence = all.map(zoneLine);
      if (all.length === 0) {
        findings.push({ service, status: 'skip', subject: host, location: hostLocation(host), messageId: 'noAddresses', data });
        continue;
      }
      let balanced = false;
      for (const type of ['A', 'AAAA'] as const) {
        const records = byType[type];
        if (records.length < 2) continue;
        balanced = true;
        const familyData = {
          ...data,
          count: records.length,
          family: type === 'A' ? 'IPv4' : 'IPv6',
          rrType: type,
          addresses: records.map((r) => r.address).join(', '),
          currentLines: records.map(zoneLine).join('\n'),
        };
        // OCS 2007 only matters to SIP federation; XMPP servers walk the address list themselves.
        if (services.includes('sip')) {
          findings.push({
            service,
            status: 'warn',
            subject: host,
            location: hostLocation(host),
            messageId: 'severalAddresses',
            data: familyData,
            evidence,
            fixId: 'loadBalancerForLegacyPartners',
          });
        } else {
          findings.push({ service, status: 'pass', subject: host, location: hostLocation(host), messageId: 'xmppSeveralAddresses', data: familyData, evidence });
        }
      }
      if (!balanced) findings.push({ service, status: 'pass', subject: host, location: hostLocation(host), messageId: 'singleAddress', data, evidence });
    }
    return findings;
  },
});

function addressRecords(outcome: ProbeOutcome<DnsAnswer> | undefined): Extract<DnsRecord, { address: string }>[] {
  if (outcome?.status !== 'ok') return [];
  return outcome.facts.records.filter((r): r is Extract<DnsRecord, { address: string }> => r.type === 'A' || r.type === 'AAAA');
}
