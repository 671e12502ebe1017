// A federation host without an address is a dead end: partners find the SRV record and then have nowhere to connect.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { absoluteName, hostService, hostsByName, lookupEvidence, readLookup, splitServer, zoneLine } from '../../src/judge/dns-evidence.js';
import type { Lookup } from '../../src/judge/dns-evidence.js';
import type { DnsAnswer, FactView, ProbeOutcome, SrvRecord } from '../../src/model/facts.js';
import { FEDERATION_SRV, federationHosts, hostAddresses, srvName, srvRecords } from '../../src/judge/services.js';
import { addressTarget, doubledOrigin } from '../../src/judge/srv-target-form.js';
import type { AddressTarget } from '../../src/judge/srv-target-form.js';
import type { Service, Target } from '../../src/model/target.js';
import { isWithinDomain } from '../../src/model/target.js';
import { REFERENCES } from '../../src/judge/references.js';
import { hostLocation } from '../../src/model/location.js';

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
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp'],
    references: [REFERENCES.edgeEnvironment, REFERENCES.rfc2782Srv, REFERENCES.rfc1035MasterFiles],
    messages: {
      resolved: '{{host}} (from {{via}}) resolves to {{addresses}}',
      hostNotFound: '{{host}} (from {{via}}) does not exist ({{absence}}): partners find it in DNS and have no address to connect to',
      noAddress: '{{host}} (from {{via}}) exists but has no A or AAAA record ({{absence}}): partners have no address to connect to',
      lookupFailed: 'could not resolve {{host}}: {{reason}}',
      notGathered: '{{host}} was not looked up in this run',
      probeSkipped: '{{host}} was not looked up: {{because}}',
      noHosts: 'no SRV target to check for {{domain}}',
      targetWithoutDot:
        '{{host}} (from {{via}}) does not exist ({{absence}}): the SRV target was written without its final dot, so the zone ' +
        'origin {{origin}} was appended to it a second time; the host meant is {{intended}}',
      addressTarget:
        '{{host}} (from {{via}}) is an IP address, but an SRV target must be a host name with A or AAAA records (RFC 2782): ' +
        'partners look {{host}} up as a name, which does not exist ({{lookup}})',
      addressTargetWithoutDot:
        '{{host}} (from {{via}}) is the address {{address}} written as an SRV target without a final dot, so the zone origin ' +
        '{{origin}} was appended: an SRV target must be a host name with A or AAAA records (RFC 2782), and this name does not exist ({{lookup}})',
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
      addFinalDot: {
        summary: 'End the SRV target with a dot: {{intended}}. (a name without the final dot is relative to the zone origin {{origin}})',
        steps: [
          'In the zone file of {{origin}}, the SRV record\'s target reads {{intended}} without a final dot; the name server appends the ' +
            'origin to every relative name, so partners get {{host}}.',
          'Replace that record with the line below (target {{intended}}. with its final dot), raise the SOA serial and reload the zone.',
          'Check what the resolver fedcheck asked now answers (once the old record\'s TTL has passed): ' +
            '`dig +short @{{dnsAddress}} -p {{dnsPort}} {{srvName}} SRV`.',
        ],
        snippets: [
          { lang: 'zone', text: '{{correctedLines}}' },
          { lang: 'shell', text: 'dig +short @{{dnsAddress}} -p {{dnsPort}} {{srvName}} SRV' },
        ],
      },
      hostNameTarget: {
        summary: 'Give the Edge at {{address}} a host name such as {{suggested}} with an {{rrType}} record, and point the SRV record at that name',
        steps: [
          'RFC 2782: the SRV target is "the domain name of the target host"; there must be address records for that name. ' +
            'An address written there is looked up as a name, and no such name exists (no top-level domain is all digits).',
          'Publish an {{rrType}} record for a host name of the Edge, such as {{suggested}} (or the Edge\'s existing FQDN); the Edge ' +
            'certificate must name it (see tls.sip-certificate-names).',
          'Replace the SRV record with the line below: its target is that host name, with a final dot. Raise the SOA serial and reload the zone.',
          'Check what the resolver fedcheck asked now answers: `dig +short @{{dnsAddress}} -p {{dnsPort}} {{srvName}} SRV`.',
        ],
        snippets: [
          { lang: 'zone', text: '{{suggested}}. 3600 IN {{rrType}} {{address}}\n{{correctedLines}}' },
          { lang: 'shell', text: 'dig +short @{{dnsAddress}} -p {{dnsPort}} {{srvName}} SRV' },
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
      const push = (draft: FindingDraft) => findings.push({ ...draft, service });
      const data = { host, via, absoluteHost: absoluteName(host), ...zoneAndLabel(host, target.domain) };
      const outcomes = { A: facts.dns(host, 'A'), AAAA: facts.dns(host, 'AAAA') };
      const evidence = [...lookupEvidence(host, 'A', outcomes.A), ...lookupEvidence(host, 'AAAA', outcomes.AAAA)];
      const addresses = hostAddresses(host, facts);
      const lookups = [readLookup(outcomes.A), readLookup(outcomes.AAAA)];
      if (addresses.length > 0) {
        push({
          status: 'pass',
          subject: host,
          location: hostLocation(host),
          messageId: 'resolved',
          data: { ...data, addresses: addressList(outcomes.A, outcomes.AAAA) },
          evidence,
        });
        continue;
      }
      const address = addressTarget(host, target.domain);
      if (address) {
        // The form alone is wrong, whatever the lookup said: no resolver turns an address-shaped name into that address.
        push(addressTargetFinding(host, address, services, lookups, { target, facts, data, evidence }));
        continue;
      }

      const failed = lookups.find((lookup) => lookup.state === 'failed');
      const unasked = lookups.find((lookup) => lookup.state === 'skipped' || lookup.state === 'not-gathered');
      if (failed?.state === 'failed') {
        // Without every answer we cannot say "no address": a timed-out AAAA may hold the only one.
        push({ status: 'error', subject: host, location: hostLocation(host), messageId: 'lookupFailed', data: { ...data, reason: failed.reason }, evidence });
      } else if (unasked?.state === 'skipped') {
        push({ status: 'skip', subject: host, location: hostLocation(host), messageId: 'probeSkipped', data: { ...data, because: unasked.because } });
      } else if (unasked) {
        push({ status: 'skip', subject: host, location: hostLocation(host), messageId: 'notGathered', data });
      } else {
        const absent = lookups.filter(isAbsent);
        const nxdomain = absent.find((lookup) => lookup.state === 'nxdomain');
        const absence = (nxdomain ?? absent[0])?.answer;
        const reason = nxdomain
          ? `NXDOMAIN from ${nxdomain.answer.server}`
          : `NODATA for A and AAAA from ${absence?.server ?? 'the resolver'}`;
        const doubled = doubledOrigin(host, target.domain);
        const records = srvRecordsTo(host, target, facts);
        if (doubled && records.length > 0) {
          const correctedLines = records.map(({ record }) => zoneLine({ ...record, target: doubled.intended })).join('\n');
          push({
            status: 'fail',
            subject: host,
            location: hostLocation(host),
            messageId: 'targetWithoutDot',
            data: { ...data, absence: reason, ...doubled, correctedLines, ...checkCommandData(records[0]?.name ?? '', facts) },
            evidence: [...evidence, ...records.map(({ record }) => `SRV record: ${zoneLine(record)}`)],
            fixId: 'addFinalDot',
          });
          continue;
        }
        push({
          status: 'fail',
          subject: host,
          location: hostLocation(host),
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

interface HostContext {
  target: Target;
  facts: FactView;
  data: Record<string, string>;
  evidence: string[];
}

/** An address where the SRV target's host name belongs: the name to publish instead, and the SRV lines pointing at it. */
function addressTargetFinding(host: string, address: AddressTarget, services: Service[], lookups: Lookup[], context: HostContext): FindingDraft {
  const { target, facts, data, evidence } = context;
  const records = srvRecordsTo(host, target, facts);
  // DOMAIN.md: the Access Edge is sip.<domain> for SIP federation; an XMPP-only server is commonly xmpp.<domain>.
  const suggested = `${services.includes('sip') ? 'sip' : 'xmpp'}.${target.domain}`;
  const correctedLines = records.map(({ record }) => zoneLine({ ...record, target: suggested })).join('\n');
  return {
    status: 'fail',
    subject: host,
    location: hostLocation(host),
    messageId: address.appendedOrigin === undefined ? 'addressTarget' : 'addressTargetWithoutDot',
    data: {
      ...data,
      address: address.address,
      origin: address.appendedOrigin ?? '',
      rrType: address.family === 4 ? 'A' : 'AAAA',
      suggested,
      correctedLines,
      lookup: lookupSummary(lookups),
      ...checkCommandData(records[0]?.name ?? srvName(services.includes('sip') ? 'sipFederation' : 'xmppServer', target.domain), facts),
    },
    evidence: [...evidence, ...records.map(({ record }) => `SRV record: ${zoneLine(record)}`)],
    fixId: 'hostNameTarget',
  };
}

/** What the resolver said of the address-shaped name, for the message. */
function lookupSummary(lookups: Lookup[]): string {
  const nxdomain = lookups.find((lookup) => lookup.state === 'nxdomain');
  if (nxdomain?.state === 'nxdomain') return `NXDOMAIN from ${nxdomain.answer.server}`;
  const other = lookups.find((lookup) => lookup.state === 'failed' || lookup.state === 'nodata');
  if (other?.state === 'failed') return `the lookup gave ${other.reason}`;
  if (other?.state === 'nodata') return `NODATA from ${other.answer.server}`;
  return 'not looked up in this run';
}

/** Every federation SRV record of the target whose target is `host`, with the SRV name it is published under. */
function srvRecordsTo(host: string, target: Target, facts: FactView): { name: string; record: SrvRecord }[] {
  return target.services.flatMap((service) =>
    FEDERATION_SRV[service].flatMap((kind) => {
      const name = srvName(kind, target.domain);
      return srvRecords(facts.dns(name, 'SRV'))
        .filter((record) => record.target === host)
        .map((record) => ({ name, record }));
    }),
  );
}

/** The SRV name and the resolver fedcheck asked, for the `dig` line that shows the record as partners now get it. */
function checkCommandData(name: string, facts: FactView): { srvName: string; dnsAddress: string; dnsPort: number } {
  const outcome = facts.dns(name, 'SRV');
  const server = splitServer(outcome?.status === 'ok' ? outcome.facts.server : '');
  return { srvName: name, dnsAddress: server.address, dnsPort: server.port };
}

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
