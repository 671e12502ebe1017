// RFC 2782 forbids an SRV target that is an alias; some federation peers refuse to follow one.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { absoluteName, hostsByName, lookupEvidence, readLookup, zoneLine, hostService } from '../../src/judge/dns-evidence.js';
import type { DnsAnswer, FactView } from '../../src/model/facts.js';
import { federationHosts, hostAddresses } from '../../src/judge/services.js';
import { REFERENCES } from '../../src/judge/references.js';
import { addressTarget } from '../../src/judge/srv-target-form.js';
import { hostLocation } from '../../src/model/location.js';

export default defineCheck({
  meta: {
    id: 'dns.srv-target-cname',
    area: 'dns',
    title: 'Federation hosts are names with their own address records',
    failureTitle: 'A federation SRV target is a CNAME alias',
    description:
      'RFC 2782 requires an SRV target to be a name with A or AAAA records, never an alias; partners that follow the rule ' +
      'strictly stop at the CNAME and cannot reach your Edge.',
    services: ['sip', 'xmpp'],
    judgedPer: 'domain',
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp'],
    references: [REFERENCES.rfc2782Srv, REFERENCES.rfc1912Cname],
    messages: {
      addressRecord: '{{host}} (from {{via}}) has address records of its own, no CNAME',
      aliasTarget:
        '{{host}} (from {{via}}) is an alias: {{chain}}; RFC 2782 requires an SRV target to be a name with A/AAAA records, not a CNAME',
      unresolved: '{{host}} (from {{via}}) does not resolve, so there is no alias to judge; dns.srv-target-address reports it',
      addressTarget: '{{host}} (from {{via}}) is an IP address, not a host name; dns.srv-target-address reports it',
      lookupFailed: 'could not tell whether {{host}} is an alias: {{reason}}',
      notGathered: '{{host}} was not looked up in this run',
      probeSkipped: '{{host}} was not looked up: {{because}}',
      noHosts: 'no SRV target to check for {{domain}}',
    },
    fixes: {
      replaceCname: {
        summary: 'Replace the CNAME at {{host}} with A/AAAA records',
        steps: [
          'In the zone holding {{host}}, delete the CNAME record.',
          'Add A (and AAAA) records at {{host}} with the Edge\'s public addresses, the ones the alias resolves to today.',
          'Or point the SRV record directly at {{finalName}}, the name that owns the addresses, if its certificate names it.',
        ],
        snippets: [{ lang: 'zone', text: '; now: an alias\n{{cnameLines}}\n; instead: address records of its own\n{{replacementLines}}' }],
      },
    },
  },

  evaluate({ target, facts }) {
    const hosts = hostsByName(federationHosts(target, facts));
    if (hosts.length === 0) return [{ status: 'skip', subject: target.domain, messageId: 'noHosts', data: { domain: target.domain } }];

    const findings: FindingDraft[] = [];
    for (const { host, via, services } of hosts) {
      const service = hostService(services);
      const data = { host, via };
      const outcomes = { A: facts.dns(host, 'A'), AAAA: facts.dns(host, 'AAAA') };
      const evidence = (['A', 'AAAA'] as const)
        .filter((type) => outcomes[type] !== undefined)
        .flatMap((type) => lookupEvidence(host, type, outcomes[type]));
      const aliased = [outcomes.A, outcomes.AAAA]
        .map((outcome) => (outcome?.status === 'ok' ? outcome.facts : undefined))
        .find((answer) => answer !== undefined && answer.cnameChain.length > 0);

      if (!aliased && addressTarget(host, target.domain)) {
        // An address-shaped name has no alias to judge, and its failed lookup is no measurement problem.
        findings.push({ status: 'skip', subject: host, location: hostLocation(host), messageId: 'addressTarget', data, evidence });
        continue;
      }
      if (aliased) {
        findings.push({ service, status: 'fail', subject: host, location: hostLocation(host), messageId: 'aliasTarget', data: { ...data, ...aliasData(host, aliased, facts) }, evidence, fixId: 'replaceCname' });
        continue;
      }
      const lookups = [readLookup(outcomes.A), readLookup(outcomes.AAAA)];
      const failed = lookups.find((lookup) => lookup.state === 'failed');
      const skipped = lookups.find((lookup) => lookup.state === 'skipped');
      if (lookups.some((lookup) => lookup.state === 'found')) {
        findings.push({ service, status: 'pass', subject: host, location: hostLocation(host), messageId: 'addressRecord', data, evidence });
      } else if (failed?.state === 'failed') {
        findings.push({ service, status: 'error', subject: host, location: hostLocation(host), messageId: 'lookupFailed', data: { ...data, reason: failed.reason }, evidence });
      } else if (lookups.some((lookup) => lookup.state === 'nxdomain' || lookup.state === 'nodata')) {
        findings.push({ service, status: 'skip', subject: host, location: hostLocation(host), messageId: 'unresolved', data, evidence });
      } else if (skipped?.state === 'skipped') {
        findings.push({ service, status: 'skip', subject: host, location: hostLocation(host), messageId: 'probeSkipped', data: { ...data, because: skipped.because } });
      } else {
        findings.push({ service, status: 'skip', subject: host, location: hostLocation(host), messageId: 'notGathered', data });
      }
    }
    return findings;
  },
});

/** The alias chain as seen, and the address records that would replace it. */
function aliasData(host: string, answer: DnsAnswer, facts: FactView) {
  const addresses = hostAddresses(host, facts);
  const replacementLines =
    addresses.length > 0
      ? addresses.map(({ address, family }) => `${absoluteName(host)} 3600 IN ${family === 4 ? 'A' : 'AAAA'} ${address}`)
      : [`${absoluteName(host)} 3600 IN A <public-ipv4-address>`];
  const chain = answer.cnameChain;
  return {
    chain: [host, ...chain.map((record) => record.target)].join(' → '),
    finalName: chain[chain.length - 1]?.target ?? host,
    cnameLines: chain.map(zoneLine).join('\n'),
    replacementLines: replacementLines.join('\n'),
  };
}
