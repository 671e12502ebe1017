// A federation host without an address is a dead end: partners find the SRV record and then have nowhere to connect.

import { defineCheck } from '../../src/engine/check.js';
import type { FindingDraft } from '../../src/engine/check.js';
import { absoluteName, hostsByName, lookupEvidence, readLookup, hostService } from '../../src/engine/dns-evidence.js';
import type { Lookup } from '../../src/engine/dns-evidence.js';
import type { DnsAnswer, ProbeOutcome } from '../../src/engine/facts.js';
import { federationHosts, hostAddresses } from '../../src/engine/services.js';
import { isWithinDomain } from '../../src/engine/target.js';
import { REFERENCES } from '../../src/engine/references.js';

export default defineCheck({
  meta: {
    id: 'dns.srv-target-address',
    area: 'dns',
    title: 'Federation hosts resolve to addresses',
    failureTitle: 'A federation host has no A or AAAA record',
    description:
      'Every SRV target and configured Edge FQDN needs an A (or AAAA) record with the Edge\'s public address; ' +
      'otherwise partners find the host name and cannot connect (Lync reports ms-diagnostics 1014, unable to resolve DNS A record).',
    services: ['sip', 'xmpp'],
    judgedPer: 'domain',
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA'],
    references: [REFERENCES.edgeEnvironment, REFERENCES.rfc2782Srv],
    messages: {
      resolved: '{{host}} (from {{via}}) resolves to {{addresses}}',
      hostNotFound: '{{host}} (from {{via}}) does not exist ({{absence}}): partners find it in DNS and have no address to connect to',
      noAddress: '{{host}} (from {{via}}) exists but has no A or AAAA record ({{absence}}): partners have no address to connect to',
      lookupFailed: 'could not resolve {{host}}: {{reason}}',
      notGathered: '{{host}} was not looked up in this run',
      probeSkipped: '{{host}} was not looked up: {{because}}',
      noHosts: 'no SRV target to check for {{domain}}',
    },
    fixes: {
      addAddress: {
        summary: 'Publish an A record (and AAAA for IPv6) for {{host}} with the Edge\'s public address',
        steps: [
          'In the public zone holding {{host}}, add an A record with the public (or NAT-published) address of the Edge\'s external interface.',
          'Add an AAAA record too if the Edge answers on IPv6.',
          'If {{host}} is a typo in the SRV record or --edge, correct the name there instead.',
        ],
        snippets: [
          { lang: 'zone', text: '{{absoluteHost}} 3600 IN A <edge-public-ipv4>\n{{absoluteHost}} 3600 IN AAAA <edge-public-ipv6>' },
          { lang: 'powershell', text: 'Add-DnsServerResourceRecordA -ZoneName "{{zone}}" -Name "{{label}}" -IPv4Address "<edge-public-ipv4>"' },
        ],
      },
    },
  },

  evaluate({ target, facts }) {
    const hosts = hostsByName(federationHosts(target, facts));
    if (hosts.length === 0) return [{ status: 'skip', subject: target.domain, messageId: 'noHosts', data: { domain: target.domain } }];

    const findings: FindingDraft[] = [];
    for (const { host, via, services } of hosts) {
      const service = hostService(services);
      const data = { host, via, absoluteHost: absoluteName(host), ...zoneAndLabel(host, target.domain) };
      const outcomes = { A: facts.dns(host, 'A'), AAAA: facts.dns(host, 'AAAA') };
      const evidence = [...lookupEvidence(host, 'A', outcomes.A), ...lookupEvidence(host, 'AAAA', outcomes.AAAA)];
      const addresses = hostAddresses(host, facts);
      if (addresses.length > 0) {
        findings.push({
          service,
          status: 'pass',
          subject: host,
          messageId: 'resolved',
          data: { ...data, addresses: addressList(outcomes.A, outcomes.AAAA) },
          evidence,
        });
        continue;
      }

      const lookups = [readLookup(outcomes.A), readLookup(outcomes.AAAA)];
      const failed = lookups.find((lookup) => lookup.state === 'failed');
      const unasked = lookups.find((lookup) => lookup.state === 'skipped' || lookup.state === 'not-gathered');
      if (failed?.state === 'failed') {
        // Without every answer we cannot say "no address": a timed-out AAAA may hold the only one.
        findings.push({ service, status: 'error', subject: host, messageId: 'lookupFailed', data: { ...data, reason: failed.reason }, evidence });
      } else if (unasked?.state === 'skipped') {
        findings.push({ service, status: 'skip', subject: host, messageId: 'probeSkipped', data: { ...data, because: unasked.because } });
      } else if (unasked) {
        findings.push({ service, status: 'skip', subject: host, messageId: 'notGathered', data });
      } else {
        const absent = lookups.filter(isAbsent);
        const nxdomain = absent.find((lookup) => lookup.state === 'nxdomain');
        const absence = (nxdomain ?? absent[0])?.answer;
        const reason = nxdomain
          ? `NXDOMAIN from ${nxdomain.answer.server}`
          : `NODATA for A and AAAA from ${absence?.server ?? 'the resolver'}`;
        findings.push({
          service,
          status: 'fail',
          subject: host,
          messageId: nxdomain ? 'hostNotFound' : 'noAddress',
          data: { ...data, absence: reason },
          evidence,
          fixId: 'addAddress',
        });
      }
    }
    return findings;
  },
});

/** `203.0.113.5 (A, TTL 3600), 2001:db8::5 (AAAA, TTL 300)`: every address with the TTL partners cache it for. */
function addressList(...outcomes: (ProbeOutcome<DnsAnswer> | undefined)[]): string {
  return outcomes
    .flatMap((outcome) => (outcome?.status === 'ok' ? outcome.facts.records : []))
    .flatMap((record) => (record.type === 'A' || record.type === 'AAAA' ? [`${record.address} (${record.type}, TTL ${record.ttl})`] : []))
    .join(', ');
}

/** Where an admin adds the record: the target's own zone when the host is below it, else the host's parent as a best guess. */
function zoneAndLabel(host: string, domain: string): { zone: string; label: string } {
  if (host !== domain && isWithinDomain(host, domain)) return { zone: domain, label: host.slice(0, -(domain.length + 1)) };
  const [label = host, ...parent] = host.split('.');
  return { zone: parent.join('.') || host, label };
}

function isAbsent(lookup: Lookup): lookup is Extract<Lookup, { state: 'nxdomain' | 'nodata' }> {
  return lookup.state === 'nxdomain' || lookup.state === 'nodata';
}
