// Reports the client sign-in names for information, and catches clients and federation pointing at different places.

import { defineCheck } from '../../src/model/check.js';
import type { FindingData, FindingDraft } from '../../src/model/check.js';
import { describeAbsence, isUnmeasured, lookupEvidence, normalizeName, readLookup, srvSummary, unmeasuredFinding, zoneLine } from '../../src/judge/dns-evidence.js';
import type { Lookup } from '../../src/judge/dns-evidence.js';
import type { FactView } from '../../src/model/facts.js';
import { clientNames, hostingProvider, srvName, srvRecords } from '../../src/judge/services.js';
import { REFERENCES } from '../../src/judge/references.js';

const CLIENT_PORT = 443;

/** Where a Microsoft 365 tenant's clients sign in, by the federation Edge its domain points at. */
const HOSTED_CLIENT_ENDPOINTS: Record<string, { sipdir: string; webdir: string }> = {
  'sipfed.online.lync.com': { sipdir: 'sipdir.online.lync.com', webdir: 'webdir.online.lync.com' },
  'sipfed.online.gov.skypeforbusiness.us': {
    sipdir: 'sipdir.online.gov.skypeforbusiness.us',
    webdir: 'webdir.online.gov.skypeforbusiness.us',
  },
  'sipfed.online.dod.skypeforbusiness.us': {
    sipdir: 'sipdir.online.dod.skypeforbusiness.us',
    webdir: 'webdir.online.dod.skypeforbusiness.us',
  },
};

interface Hosting {
  provider: string;
  federationTarget: string;
  sipdir: string;
  webdir: string;
}

export default defineCheck({
  meta: {
    id: 'dns.client-records',
    area: 'dns',
    title: 'Client sign-in records agree with federation',
    failureTitle: 'Client sign-in records disagree with federation',
    description:
      'Lync and Skype for Business clients find their server through _sip._tls, sip.<domain> and lyncdiscover.<domain>; ' +
      'federation does not use them, but when they lead somewhere other than the federation SRV, users and partners end up on different systems.',
    services: ['sip'],
    requires: ['dns:SRV', 'dns:A'],
    references: [REFERENCES.m365DnsRecords, REFERENCES.advancedEdgeDns],
    messages: {
      srvPublished: '{{name}} is published for client sign-in: {{records}}',
      srvAbsent: '{{name}} is not published ({{absence}}); information only: federation does not use it',
      sipTlsPort: '{{name}} points at port {{ports}}, not 443: external Lync and Skype for Business clients reach the Access Edge on 443',
      nameAlias: '{{name}} is a CNAME to {{aliasTarget}}',
      nameAddress: '{{name}} has address records: {{addresses}}',
      nameAbsent: '{{name}} is not published ({{absence}}); information only: federation does not use it',
      hostedConsistent: '{{name}} leads to {{expected}}, matching federation hosted on {{provider}}',
      hostedMismatch:
        'federation for {{domain}} is hosted on {{provider}} ({{federationTarget}}) but {{name}} is {{actual}}, not {{expected}}: ' +
        'clients go one place, federation another',
      lookupFailed: 'could not look up {{name}}: {{reason}}',
      notGathered: '{{name}} was not looked up in this run',
      probeSkipped: '{{name}} was not looked up: {{because}}',
    },
    fixes: {
      clientPort: {
        summary: 'Point _sip._tls.{{domain}} at port 443',
        steps: ['Change the SRV port to 443, where the Access Edge accepts external client sign-in.'],
        snippets: [{ lang: 'zone', text: '{{correctedRecords}}' }],
      },
      hostedRecords: {
        summary: 'Publish the {{provider}} client records for {{domain}}, so clients sign in where federation goes',
        steps: [
          'In the public zone of {{domain}}, replace the client records with the ones below (Microsoft 365 admin center, Domains, DNS records).',
          'If users are still on an on-premises server, point the federation SRV back at your own Access Edge instead: both must lead to the same place.',
        ],
        snippets: [
          {
            lang: 'zone',
            text:
              '_sip._tls.{{domain}}. 3600 IN SRV 100 1 443 {{sipdir}}.\n' +
              'sip.{{domain}}. 3600 IN CNAME {{sipdir}}.\n' +
              'lyncdiscover.{{domain}}. 3600 IN CNAME {{webdir}}.\n' +
              '_sipfederationtls._tcp.{{domain}}. 3600 IN SRV 100 1 5061 {{federationTarget}}.',
          },
        ],
      },
    },
  },

  evaluate({ target, facts }) {
    const domain = target.domain;
    const names = clientNames(domain);
    const hosting = hostedOn(domain, facts);
    return [
      judgeClientSrv(names.sipTls, domain, hosting, facts),
      judgeClientName(names.sipHost, domain, hosting && { ...hosting, expected: hosting.sipdir }, facts),
      judgeClientName(names.lyncdiscover, domain, hosting && { ...hosting, expected: hosting.webdir }, facts),
    ];
  },
});

function hostedOn(domain: string, facts: FactView): Hosting | undefined {
  for (const record of srvRecords(facts.dns(srvName('sipFederation', domain), 'SRV'))) {
    const federationTarget = normalizeName(record.target);
    const provider = hostingProvider(federationTarget);
    const endpoints = HOSTED_CLIENT_ENDPOINTS[federationTarget];
    if (provider && endpoints) return { provider: provider.name, federationTarget, ...endpoints };
  }
  return undefined;
}

/** The outcomes no judgement can be made from: not asked, skipped, failed. */
function unmeasured(name: string, lookup: Lookup, data: FindingData, evidence: string[]): FindingDraft | undefined {
  return isUnmeasured(lookup) ? unmeasuredFinding(lookup, name, data, evidence) : undefined;
}

function judgeClientSrv(name: string, domain: string, hosting: Hosting | undefined, facts: FactView): FindingDraft {
  const outcome = facts.dns(name, 'SRV');
  const lookup = readLookup(outcome);
  const evidence = lookupEvidence(name, 'SRV', outcome);
  const data = { name, domain };
  const notJudged = unmeasured(name, lookup, data, evidence);
  if (notJudged) return notJudged;
  const records = srvRecords(outcome);

  if (hosting) {
    const hostedData = { ...data, ...hosting, expected: `100 1 443 ${hosting.sipdir}.` };
    const consistent = records.length > 0 && records.every((r) => normalizeName(r.target) === hosting.sipdir && r.port === CLIENT_PORT);
    if (consistent) return { status: 'pass', subject: name, location: { name }, messageId: 'hostedConsistent', data: hostedData, evidence };
    const actual = records.length > 0 ? `published as ${srvSummary(records)}` : 'not published';
    return { status: 'warn', subject: name, location: { name }, messageId: 'hostedMismatch', data: { ...hostedData, actual }, evidence, fixId: 'hostedRecords' };
  }

  if (lookup.state === 'nxdomain' || lookup.state === 'nodata') {
    return { status: 'pass', subject: name, location: { name }, messageId: 'srvAbsent', data: { ...data, absence: describeAbsence(lookup) }, evidence };
  }
  const offPort = records.filter((r) => r.port !== CLIENT_PORT);
  if (offPort.length > 0) {
    return {
      status: 'warn',
      subject: name,
      location: { name },
      messageId: 'sipTlsPort',
      data: {
        ...data,
        ports: [...new Set(offPort.map((r) => r.port))].join(', '),
        correctedRecords: records.map((r) => zoneLine({ ...r, port: CLIENT_PORT })).join('\n'),
      },
      evidence,
      fixId: 'clientPort',
    };
  }
  return { status: 'pass', subject: name, location: { name }, messageId: 'srvPublished', data: { ...data, records: srvSummary(records) }, evidence };
}

function judgeClientName(
  name: string,
  domain: string,
  hosting: (Hosting & { expected: string }) | undefined,
  facts: FactView,
): FindingDraft {
  const outcome = facts.dns(name, 'A');
  const lookup = readLookup(outcome);
  const evidence = lookupEvidence(name, 'A', outcome);
  const data = { name, domain };
  const notJudged = unmeasured(name, lookup, data, evidence);
  if (notJudged) return notJudged;

  const answer = outcome?.status === 'ok' ? outcome.facts : undefined;
  // Only the first hop is ours: Microsoft's own names alias further inside its zones.
  const aliasTarget = answer?.cnameChain[0]?.target;
  const addresses = (answer?.records ?? []).flatMap((r) => (r.type === 'A' ? [r.address] : []));

  if (hosting) {
    const hostedData = { ...data, ...hosting };
    if (aliasTarget !== undefined && normalizeName(aliasTarget) === hosting.expected) {
      return { status: 'pass', subject: name, location: { name }, messageId: 'hostedConsistent', data: hostedData, evidence };
    }
    const actual =
      aliasTarget !== undefined
        ? `a CNAME to ${aliasTarget}`
        : addresses.length > 0
          ? `an address record (${addresses.join(', ')})`
          : 'not published';
    return { status: 'warn', subject: name, location: { name }, messageId: 'hostedMismatch', data: { ...hostedData, actual }, evidence, fixId: 'hostedRecords' };
  }

  if (aliasTarget !== undefined) return { status: 'pass', subject: name, location: { name }, messageId: 'nameAlias', data: { ...data, aliasTarget }, evidence };
  if (lookup.state === 'nxdomain' || lookup.state === 'nodata') {
    return { status: 'pass', subject: name, location: { name }, messageId: 'nameAbsent', data: { ...data, absence: describeAbsence(lookup) }, evidence };
  }
  return { status: 'pass', subject: name, location: { name }, messageId: 'nameAddress', data: { ...data, addresses: addresses.join(', ') }, evidence };
}
