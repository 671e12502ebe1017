// A federation address must be reachable from the internet; a private one is also never probed, so the run stays out of internal networks.

import { addressScope, mayConnect, nonPublicEmbedded } from '../../src/judge/address-scope.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { absoluteName, familyName, hostsByName, hostService } from '../../src/judge/dns-evidence.js';
import { federationHosts, hostAddresses } from '../../src/judge/services.js';
import { REFERENCES } from '../../src/judge/references.js';
import { addressLocation } from '../../src/model/location.js';

export default defineCheck({
  meta: {
    id: 'net.address-scope',
    area: 'net',
    title: 'Federation hosts publish public addresses',
    failureTitle: 'A federation host publishes a non-public address',
    description:
      'Partners connect from the internet, so every address in the Edge\'s A/AAAA records must be public; a private, loopback ' +
      'or link-local address usually leaks the internal DNS view or the Edge\'s internal interface.',
    services: ['sip', 'xmpp'],
    judgedPer: 'domain',
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp'],
    references: [REFERENCES.rfc6890SpecialPurpose, REFERENCES.rfc1918Private, REFERENCES.rfc4193UniqueLocal, REFERENCES.edgeEnvironment],
    messages: {
      public: '{{address}} ({{family}}, {{host}}) is a public address',
      nonPublic:
        '{{address}} is a {{scope}} address: partners on the internet cannot reach it; not probed (pass --allow-private to probe it from inside)',
      nonPublicEmbedded:
        '{{address}} is a {{scope}} address: its IPv6 form ({{form}}) reaches {{ipv4}}, which partners on the internet cannot reach; not probed (pass --allow-private to probe it from inside)',
      allowedPrivate: '{{address}} ({{host}}) is a {{scope}} address, probed because --allow-private covers it',
      noAddresses: 'no federation address to classify for {{domain}}',
    },
    fixes: {
      publishPublicAddress: {
        summary: 'Publish the public address of the Edge\'s external interface for {{host}} instead of {{address}}',
        steps: [
          'In the public (external) DNS zone, replace the {{rrType}} record of {{host}} with the Edge\'s public address (the NAT-published one when the Edge sits behind NAT).',
          'Keep internal addresses in the internal DNS zone only (split-brain DNS); the external zone must not carry them.',
        ],
        snippets: [{ lang: 'zone', text: '; remove\n; {{absoluteHost}} 3600 IN {{rrType}} {{address}}\n{{absoluteHost}} 3600 IN {{rrType}} <edge-public-address>' }],
      },
    },
  },

  evaluate({ target, facts, options }) {
    const findings: FindingDraft[] = [];
    const judged = new Set<string>();
    for (const { host, via, services } of hostsByName(federationHosts(target, facts))) {
      const service = hostService(services);
      for (const { address, family } of hostAddresses(host, facts)) {
        if (judged.has(address)) continue;
        judged.add(address);
        const scope = addressScope(address);
        const data = { address, host, scope, family: familyName(address), rrType: family === 4 ? 'A' : 'AAAA', absoluteHost: absoluteName(host) };
        const evidence = [`${host} (from ${via}) ${data.rrType} ${address}: ${scope}`];
        const location = addressLocation(host, address);
        if (scope === 'public') {
          findings.push({ service, status: 'pass', subject: address, location, messageId: 'public', data, evidence });
        } else if (mayConnect(address, options.allowPrivate)) {
          findings.push({ service, status: 'pass', subject: address, location, messageId: 'allowedPrivate', data, evidence });
        } else {
          const embedded = nonPublicEmbedded(address);
          const messageId = embedded ? 'nonPublicEmbedded' : 'nonPublic';
          findings.push({ service, status: 'warn', subject: address, location, messageId, data: { ...data, ...embedded }, evidence, fixId: 'publishPublicAddress' });
        }
      }
    }
    if (findings.length === 0) return [{ status: 'skip', subject: target.domain, messageId: 'noAddresses', data: { domain: target.domain } }];
    return findings;
  },
});
