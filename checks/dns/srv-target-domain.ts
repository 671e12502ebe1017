// Lync and Skype for Business refuse a discovered partner whose SRV target lies outside its SIP domain (ms-diagnostics 1009).

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { lookupEvidence, normalizeName, readLookup } from '../../src/judge/dns-evidence.js';
import { hostingProvider, isExplicitlyNotOffered, srvName, srvRecords } from '../../src/judge/services.js';
import { addressTarget } from '../../src/judge/srv-target-form.js';
import { isWithinDomain } from '../../src/model/target.js';
import { REFERENCES } from '../../src/judge/references.js';
import { hostLocation } from '../../src/model/location.js';

export default defineCheck({
  meta: {
    id: 'dns.srv-target-domain',
    area: 'dns',
    title: 'SIP federation SRV target is inside the SIP domain',
    failureTitle: 'SIP federation SRV target is outside the SIP domain',
    description:
      'When discovering a partner, Lync and Skype for Business Edges accept an SRV target only inside the partner\'s SIP domain ' +
      '(or a known hosting provider); any other target is rejected with ms-diagnostics 1009 "Conflicting SRV and host domains".',
    services: ['sip'],
    requires: ['dns:SRV'],
    references: [REFERENCES.lyncFederation, REFERENCES.msOcerDiagnostics, REFERENCES.allowedDomain],
    messages: {
      insideDomain: '{{host}} is inside {{domain}}: partners accept it when discovering you',
      hostedProvider: 'hosted on {{provider}}: {{host}} is its federation Edge, so a target outside {{domain}} is expected',
      outsideDomain:
        '{{host}} is outside {{domain}}: Lync and Skype for Business partners discovering you reject it with ' +
        'ms-diagnostics 1009 "Conflicting SRV and host domains"',
      noSrvTarget: 'no SIP federation SRV target to check for {{domain}}',
      addressTarget: '{{host}} is an IP address, not a host name; dns.srv-target-address reports it',
      lookupFailed: 'could not look up {{name}}: {{reason}}',
    },
    fixes: {
      targetInsideDomain: {
        summary: 'Point _sipfederationtls._tcp.{{domain}} at an Access Edge name inside {{domain}}, such as sip.{{domain}}',
        steps: [
          'Give the Access Edge a name inside {{domain}} (for example sip.{{domain}}) with an A record for its public address.',
          'Add that name to the Edge\'s external certificate as a subject alternative name.',
          'Change the SRV target to that name.',
          'Where DNS cannot change, partners can add you as an allowed partner server (direct federation) with your Edge FQDN; ' +
            'the cmdlet below is run by the partner\'s administrator.',
        ],
        snippets: [
          { lang: 'zone', text: '_sipfederationtls._tcp.{{domain}}. 3600 IN SRV {{priority}} {{weight}} {{port}} sip.{{domain}}.' },
          { lang: 'powershell', text: 'New-CsAllowedDomain -Identity {{domain}} -ProxyFqdn {{host}}' },
        ],
      },
    },
  },

  evaluate({ target, facts }) {
    const name = srvName('sipFederation', target.domain);
    const outcome = facts.dns(name, 'SRV');
    const lookup = readLookup(outcome);
    const evidence = lookupEvidence(name, 'SRV', outcome);
    const domain = target.domain;
    if (lookup.state === 'failed') {
      return [{ status: 'error', subject: name, location: { name }, messageId: 'lookupFailed', data: { name, domain, reason: lookup.reason }, evidence }];
    }
    const records = srvRecords(outcome);
    // A missing or "." record has no target to judge; dns.sip-federation-srv reports it.
    if (records.length === 0 || isExplicitlyNotOffered(records)) {
      return [{ status: 'skip', subject: name, location: { name }, messageId: 'noSrvTarget', data: { name, domain } }];
    }

    const findings: FindingDraft[] = [];
    const judged = new Set<string>();
    for (const record of records) {
      const host = normalizeName(record.target);
      if (judged.has(host)) continue;
      judged.add(host);
      const data = { name, domain, host, priority: record.priority, weight: record.weight, port: record.port };
      const provider = hostingProvider(host);
      if (addressTarget(host, normalizeName(domain))) {
        // An address is in no domain: moving it "inside" the domain is not the fix, giving it a host name is.
        findings.push({ status: 'skip', subject: host, location: hostLocation(host), messageId: 'addressTarget', data, evidence });
      } else if (provider) {
        findings.push({ status: 'pass', subject: host, location: hostLocation(host), messageId: 'hostedProvider', data: { ...data, provider: provider.name }, evidence });
      } else if (isWithinDomain(host, normalizeName(domain))) {
        findings.push({ status: 'pass', subject: host, location: hostLocation(host), messageId: 'insideDomain', data, evidence });
      } else {
        findings.push({ status: 'fail', subject: host, location: hostLocation(host), messageId: 'outsideDomain', data, evidence, fixId: 'targetInsideDomain' });
      }
    }
    return findings;
  },
});
