// Every name server of the zone must give the same federation SRV answer: partners' resolvers pick one at random.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { describeAbsence, familyName, lookupEvidence, readLookup, recordData, splitServer } from '../../src/judge/dns-evidence.js';
import type { DnsAnswer, FactView, ProbeOutcome } from '../../src/model/facts.js';
import { FEDERATION_SRV, hostAddresses, srvName } from '../../src/judge/services.js';
import { REFERENCES } from '../../src/judge/references.js';

interface ServerAnswer {
  server: string;
  label: string;
  /** What the server says, comparable across servers: rcode and records without TTL or order. */
  answer: string;
  serial: number | undefined;
}

export default defineCheck({
  meta: {
    id: 'dns.authoritative-consistency',
    area: 'dns',
    title: 'All name servers give the same federation SRV answer',
    failureTitle: 'Name servers disagree about the federation SRV records',
    description:
      'A partner\'s resolver asks any one of the zone\'s name servers; when one is stale or does not answer, federation works ' +
      'for some partners and fails for others, depending on which server they happened to ask.',
    services: ['sip', 'xmpp'],
    judgedPer: 'domain',
    requires: ['dns:NS', 'dns:A', 'dns:AAAA', 'dns@:SRV', 'dns@:SOA'],
    references: [REFERENCES.rfc1034ZoneTransfers, REFERENCES.rfc1996Notify, REFERENCES.rfc1912LameDelegation],
    messages: {
      consistent: 'every name server that answered gives the same answer for {{name}}: {{answer}} ({{servers}})',
      inconsistent: 'the name servers of {{domain}} disagree about {{name}}: {{disagreement}}',
      serverUnanswered:
        '{{label}} gave no usable answer for {{name}} ({{reason}}): a partner\'s resolver that picks this server gets no answer',
      notAsked: '{{name}} was not asked of each name server in this run',
      noNameServers: 'the name servers of {{domain}} were not looked up in this run',
      probeSkipped: 'the name servers of {{domain}} were not looked up: {{because}}',
      notZoneApex: '{{domain}} has no NS records of its own ({{absence}}): no name servers to compare',
      nsLookupFailed: 'could not look up the name servers of {{domain}}: {{reason}}',
    },
    fixes: {
      syncZone: {
        summary: 'Bring the stale name server ({{staleServers}}) up to date for {{domain}}',
        steps: [
          'Compare the SOA serials in the evidence: a server with a lower serial has not loaded the current zone.',
          'On the primary, allow zone transfers (AXFR/IXFR) to every secondary and send NOTIFY; then force a transfer on the stale server.',
          'If the servers are independent (two DNS providers, or hand-kept zones), publish the same {{name}} records on each.',
        ],
        snippets: [
          { lang: 'shell', text: 'dig +norecurse @{{staleAddress}} -p {{stalePort}} {{name}} SRV\ndig +norecurse @{{staleAddress}} -p {{stalePort}} {{domain}} SOA' },
          { lang: 'shell', text: '# BIND secondary\nrndc retransfer {{domain}}' },
          { lang: 'powershell', text: '# Windows DNS secondary\nStart-DnsServerZoneTransfer -Name "{{domain}}" -FullTransfer' },
        ],
      },
      answerEverywhere: {
        summary: 'Make {{label}} answer for {{domain}}, or remove it from the delegation',
        steps: [
          'Check that the server is up and serves {{domain}} authoritatively; REFUSED or SERVFAIL usually means the zone is not loaded there (a lame delegation).',
          'Allow inbound UDP and TCP 53 from the internet to {{address}}.',
          'If the server is retired, remove it from the NS records in the zone and at the registrar.',
        ],
        snippets: [
          { lang: 'shell', text: 'dig +norecurse @{{address}} -p {{port}} {{name}} SRV' },
          {
            lang: 'nftables',
            text: 'nft add rule inet filter input {{nftFamily}} daddr {{address}} udp dport 53 accept\nnft add rule inet filter input {{nftFamily}} daddr {{address}} tcp dport 53 accept',
          },
        ],
      },
    },
  },

  evaluate({ target, facts }) {
    const domain = target.domain;
    const nsOutcome = facts.dns(domain, 'NS');
    const nsLookup = readLookup(nsOutcome);
    switch (nsLookup.state) {
      case 'not-gathered':
        return [{ status: 'skip', subject: domain, messageId: 'noNameServers', data: { domain } }];
      case 'skipped':
        return [{ status: 'skip', subject: domain, messageId: 'probeSkipped', data: { domain, because: nsLookup.because } }];
      case 'failed':
        return [
          { status: 'error', subject: domain, messageId: 'nsLookupFailed', data: { domain, reason: nsLookup.reason }, evidence: lookupEvidence(domain, 'NS', nsOutcome) },
        ];
      case 'nxdomain':
      case 'nodata':
        return [{ status: 'skip', subject: domain, messageId: 'notZoneApex', data: { domain, absence: describeAbsence(nsLookup) } }];
      case 'found':
        break;
    }

    const nameServerOf = nameServersByAddress(nsLookup.answer, facts);
    const labelOf = (server: string) => {
      const nsHost = nameServerOf.get(splitServer(server).address);
      return nsHost ? `${nsHost} (${server})` : server;
    };

    const findings: FindingDraft[] = [];
    const srvNames = target.services.flatMap((service) => FEDERATION_SRV[service].map((kind) => ({ service, name: srvName(kind, domain) })));
    for (const { service, name } of srvNames) {
      const asked = facts.dnsAtEveryServer(name, 'SRV').filter(({ outcome }) => outcome.status !== 'skipped');
      if (asked.length === 0) {
        findings.push({ service, status: 'skip', subject: name, location: { name }, messageId: 'notAsked', data: { name, domain } });
        continue;
      }
      const answers: ServerAnswer[] = [];
      for (const { server, outcome } of asked) {
        const label = labelOf(server);
        const unusable = unusableReason(outcome);
        if (unusable !== undefined) {
          const { address, port } = splitServer(server);
          findings.push({
            service,
            status: 'warn',
            subject: `${name} @${server}`,
            location: { name, address, port },
            messageId: 'serverUnanswered',
            data: { name, domain, label, reason: unusable, address, port, nftFamily: familyName(address) === 'IPv6' ? 'ip6' : 'ip' },
            evidence: lookupEvidence(name, 'SRV', outcome),
            fixId: 'answerEverywhere',
          });
          continue;
        }
        answers.push({ server, label, answer: comparableAnswer(outcome), serial: soaSerial(facts, server, domain) });
      }
      if (answers.length === 0) continue;
      // Named in the zone's terms, not by address order.
      answers.sort((x, y) => (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));

      const evidence = answers.map(
        (a) => `${a.label}: ${a.answer}` + (a.serial === undefined ? '' : `; SOA serial ${a.serial}`),
      );
      const distinct = [...new Set(answers.map((a) => a.answer))];
      if (distinct.length === 1) {
        findings.push({
          service,
          status: 'pass',
          subject: name,
          location: { name },
          messageId: 'consistent',
          data: { name, domain, count: answers.length, answer: distinct[0] ?? '', servers: answers.map((a) => a.label).join(', ') },
          evidence,
        });
        continue;
      }
      const stale = staleServers(answers);
      const firstStale = splitServer(stale[0]?.server ?? '');
      findings.push({
        service,
        status: 'warn',
        subject: name,
        location: { name },
        messageId: 'inconsistent',
        data: {
          name,
          domain,
          disagreement: distinct.map((answer) => `${answer} from ${answers.filter((a) => a.answer === answer).map((a) => a.label).join(', ')}`).join('; '),
          staleServers: stale.map((a) => a.label).join(', '),
          staleAddress: firstStale.address,
          stalePort: firstStale.port,
        },
        evidence,
        fixId: 'syncZone',
      });
    }
    return findings;
  },
});

/** Address → NS host name, so servers (asked by address) are named as the zone names them. */
function nameServersByAddress(nsAnswer: DnsAnswer, facts: FactView): Map<string, string> {
  const byAddress = new Map<string, string>();
  for (const record of nsAnswer.records) {
    if (record.type !== 'NS') continue;
    for (const { address } of hostAddresses(record.target, facts)) byAddress.set(address, record.target);
  }
  return byAddress;
}

/** Why an authoritative answer says nothing about the zone: no answer at all, or a refusal or server failure. */
function unusableReason(outcome: ProbeOutcome<DnsAnswer>): string | undefined {
  if (outcome.status === 'error') return `${outcome.reason}: ${outcome.detail}`;
  if (outcome.status === 'skipped') return undefined;
  const { rcode } = outcome.facts;
  return rcode === 'NOERROR' || rcode === 'NXDOMAIN' ? undefined : rcode;
}

function comparableAnswer(outcome: ProbeOutcome<DnsAnswer>): string {
  if (outcome.status !== 'ok') return 'no answer';
  const { rcode, records } = outcome.facts;
  const srv = records.filter((r) => r.type === 'SRV').map(recordData).sort();
  if (rcode === 'NOERROR' && srv.length === 0) return 'NODATA';
  return srv.length === 0 ? rcode : srv.join(', ');
}

function soaSerial(facts: FactView, server: string, domain: string): number | undefined {
  const outcome = facts.dnsAt(server, domain, 'SOA');
  if (outcome?.status !== 'ok') return undefined;
  const soa = outcome.facts.records.find((r) => r.type === 'SOA');
  return soa?.type === 'SOA' ? soa.serial : undefined;
}

/** The servers behind: a lower SOA serial when every server reported one, otherwise those outside the largest group. */
function staleServers(answers: ServerAnswer[]): ServerAnswer[] {
  const serials = answers.map((a) => a.serial);
  if (serials.every((s): s is number => s !== undefined)) {
    const newest = Math.max(...serials);
    const behind = answers.filter((a) => a.serial !== newest);
    if (behind.length > 0) return behind;
  }
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(a.answer, (counts.get(a.answer) ?? 0) + 1);
  const majority = [...counts].sort((x, y) => y[1] - x[1])[0]?.[0];
  return answers.filter((a) => a.answer !== majority);
}
