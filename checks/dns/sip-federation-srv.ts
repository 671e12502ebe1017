// Whether partners can discover the Access Edge through _sipfederationtls._tcp, and whether the records lead one way.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { describeAbsence, isUnmeasured, lookupEvidence, readLookup, srvSummary, unmeasuredFinding, zoneLine } from '../../src/judge/dns-evidence.js';
import type { SrvRecord } from '../../src/model/facts.js';
import { isExpected } from '../../src/judge/presence.js';
import { isExplicitlyNotOffered, srvName, srvRecords } from '../../src/judge/services.js';
import { REFERENCES } from '../../src/judge/references.js';

const FEDERATION_PORT = 5061;
const EDGE_PLACEHOLDER = '<access-edge-fqdn>';

export default defineCheck({
  meta: {
    id: 'dns.sip-federation-srv',
    area: 'dns',
    title: 'SIP federation SRV record is published',
    failureTitle: 'SIP federation SRV record is missing or misleading',
    description:
      'Partners using discovered (open) federation and Microsoft 365 find your Access Edge only through ' +
      '_sipfederationtls._tcp.<domain>; without it they cannot start a federated session with you.',
    services: ['sip'],
    reportsPresence: true,
    requires: ['dns:SRV'],
    references: [REFERENCES.lyncFederation, REFERENCES.advancedEdgeDns, REFERENCES.rfc2782Srv],
    messages: {
      published: '{{name}} is published: {{records}}',
      missing: '{{name}} is not published ({{absence}}): partners that discover federation by DNS cannot find your Access Edge',
      notPublished:
        'no SIP federation published: {{name}} does not exist ({{absence}}), so SIP is not checked further; ' +
        'expect it (config services: [sip], --sip or --expect sip) to have its absence judged as a failure',
      declaredNotOffered:
        '{{name}} has the single target ".": {{domain}} declares that it offers no SIP federation (RFC 2782), so SIP is not checked further',
      reachedAsConfigured:
        '{{name}} is not published ({{absence}}): we reach {{edge}} as configured (direct federation), so this is no problem for us; ' +
        'partners that discover federation by DNS cannot find it',
      missingWithEdge:
        '{{name}} is not published ({{absence}}): partners that list {{edge}} as an allowed partner server still reach it, ' +
        'but partners that discover federation by DNS (and Microsoft 365) cannot',
      notOffered:
        '{{name}} has the single target ".": SIP federation is declared not offered (RFC 2782), so partners will not federate with {{domain}}',
      nonStandardPort:
        '{{name}} points at port {{ports}}, not 5061: the Access Edge listens for federation on 5061 and partners expect it there ({{records}})',
      competingHosts:
        '{{name}} has {{count}} records at priority {{priority}} pointing at different hosts ({{hosts}}): ' +
        'only one Edge pool is published for federation, and partners spread sessions across all of them',
      lookupFailed: 'could not look up {{name}}: {{reason}}',
      notGathered: '{{name}} was not looked up in this run',
      probeSkipped: '{{name}} was not looked up: {{because}}',
    },
    fixes: {
      publishSrv: {
        summary: 'Publish _sipfederationtls._tcp.{{domain}} pointing at your Access Edge on port 5061',
        steps: [
          'In the public DNS zone of {{domain}}, add the SRV record below; its target is the external FQDN of your Access Edge ' +
            'service (for example sip.{{domain}}), inside {{domain}} itself.',
          'Make sure {{edge}} has an A record (and an AAAA record if the Edge has IPv6) with the Edge\'s public address.',
          'Remove a "." record if one exists: it tells partners the service is not offered.',
          'Wait for the old negative answer to expire (the SOA minimum TTL), then run fedcheck again.',
        ],
        snippets: [
          { lang: 'zone', text: '_sipfederationtls._tcp.{{domain}}. 3600 IN SRV 10 1 5061 {{edge}}.' },
          {
            lang: 'powershell',
            text:
              'Add-DnsServerResourceRecord -ZoneName "{{domain}}" -Srv -Name "_sipfederationtls._tcp" ' +
              '-DomainName "{{edge}}" -Priority 10 -Weight 1 -Port 5061',
          },
        ],
      },
      useFederationPort: {
        summary: 'Point _sipfederationtls._tcp.{{domain}} at port 5061',
        steps: [
          'Change the port of the SRV record(s) below to 5061, the Access Edge federation port.',
          'If the Edge really listens elsewhere, move its federation listener back to 5061 in Topology Builder ' +
            '(Edit Properties of the Edge pool, "Enable federation (port 5061)") and publish the topology.',
        ],
        snippets: [{ lang: 'zone', text: '{{correctedRecords}}' }],
      },
      oneEdgePool: {
        summary: 'Publish one Edge pool for federation; give other sites distinct, higher priority values',
        steps: [
          'Keep the Edge pool that is enabled for federation at the lowest priority value.',
          'If a second site\'s Edge pool is a standby, give its record a higher priority value so partners use it only when the first fails.',
          'If the hosts belong to one pool, publish the pool FQDN once instead of each server.',
        ],
        snippets: [{ lang: 'zone', text: '{{correctedRecords}}' }],
      },
    },
  },

  evaluate({ target, facts }) {
    const name = srvName('sipFederation', target.domain);
    const outcome = facts.dns(name, 'SRV');
    const lookup = readLookup(outcome);
    const evidence = lookupEvidence(name, 'SRV', outcome);
    const edge = target.edge ?? EDGE_PLACEHOLDER;
    const data = { name, domain: target.domain, edge };
    const expected = isExpected(target, 'sip');

    if (isUnmeasured(lookup)) return [unmeasuredFinding(lookup, name, data, evidence)];

    switch (lookup.state) {
      case 'nxdomain':
      case 'nodata': {
        const absence = describeAbsence(lookup);
        // With a configured Edge, direct federation still works; only discovery is lost, which matters for our own domains.
        if (target.edge) {
          return target.role === 'partner'
            ? [{ status: 'info', subject: name, location: { name }, messageId: 'reachedAsConfigured', data: { ...data, absence }, evidence }]
            : [{ status: 'warn', subject: name, location: { name }, messageId: 'missingWithEdge', data: { ...data, absence }, evidence, fixId: 'publishSrv' }];
        }
        return expected
          ? [{ status: 'fail', subject: name, location: { name }, messageId: 'missing', data: { ...data, absence }, evidence, fixId: 'publishSrv' }]
          : [{ status: 'info', subject: name, location: { name }, messageId: 'notPublished', data: { ...data, absence }, evidence }];
      }
      case 'found':
        break;
    }

    const records = srvRecords(outcome);
    if (isExplicitlyNotOffered(records)) {
      if (target.edge) return [{ status: 'warn', subject: name, location: { name }, messageId: 'notOffered', data, evidence, fixId: 'publishSrv' }];
      return expected
        ? [{ status: 'fail', subject: name, location: { name }, messageId: 'notOffered', data, evidence, fixId: 'publishSrv' }]
        : [{ status: 'info', subject: name, location: { name }, messageId: 'declaredNotOffered', data, evidence }];
    }

    const findings: FindingDraft[] = [];
    const offPort = records.filter((record) => record.port !== FEDERATION_PORT);
    if (offPort.length > 0) {
      findings.push({
        status: 'warn',
        subject: name,
        location: { name },
        messageId: 'nonStandardPort',
        data: {
          ...data,
          ports: [...new Set(offPort.map((record) => record.port))].join(', '),
          records: srvSummary(offPort),
          correctedRecords: records.map((record) => zoneLine({ ...record, port: FEDERATION_PORT })).join('\n'),
        },
        evidence,
        fixId: 'useFederationPort',
      });
    }

    for (const [priority, group] of groupByPriority(records)) {
      const hosts = [...new Set(group.map((record) => record.target.toLowerCase()))];
      if (hosts.length < 2) continue;
      findings.push({
        status: 'warn',
        subject: name,
        location: { name },
        messageId: 'competingHosts',
        data: {
          ...data,
          priority,
          count: group.length,
          hosts: hosts.join(', '),
          correctedRecords: distinctPriorities(records).join('\n'),
        },
        evidence,
        fixId: 'oneEdgePool',
      });
    }

    if (findings.length > 0) return findings;
    return [{ status: 'pass', subject: name, location: { name }, messageId: 'published', data: { ...data, records: srvSummary(records) }, evidence }];
  },
});

function groupByPriority(records: SrvRecord[]): Map<number, SrvRecord[]> {
  const groups = new Map<number, SrvRecord[]>();
  for (const record of records) groups.set(record.priority, [...(groups.get(record.priority) ?? []), record]);
  return groups;
}

/** The same records with one priority value per host, first host first, as a multi-site layout would have them. */
function distinctPriorities(records: SrvRecord[]): string[] {
  const priorityByHost = new Map<string, number>();
  for (const record of records) {
    const host = record.target.toLowerCase();
    if (!priorityByHost.has(host)) priorityByHost.set(host, 10 * (priorityByHost.size + 1));
  }
  return records.map((record) => zoneLine({ ...record, priority: priorityByHost.get(record.target.toLowerCase()) ?? record.priority }));
}
