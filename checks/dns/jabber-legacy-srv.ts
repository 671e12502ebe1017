// Catches domains that still publish only the pre-RFC 3920 _jabber._tcp record, which today's servers never ask for.

import { defineCheck } from '../../src/model/check.js';
import { describeAbsence, lookupEvidence, readLookup, srvSummary, zoneLine } from '../../src/judge/dns-evidence.js';
import { srvName, srvRecords } from '../../src/judge/services.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'dns.jabber-legacy-srv',
    area: 'dns',
    title: 'No legacy-only _jabber._tcp record',
    failureTitle: 'Only the legacy _jabber._tcp record is published',
    description:
      'Old Jabber servers used _jabber._tcp.<domain>; RFC 6120 servers look up only _xmpp-server._tcp, so a domain ' +
      'publishing just the legacy record is unreachable for them.',
    services: ['xmpp'],
    requires: ['dns:SRV'],
    references: [REFERENCES.rfc6120SrvLookup, REFERENCES.prosodyDns],
    messages: {
      legacyOnly:
        '{{name}} is published ({{records}}) but {{modernName}} is not: servers following RFC 6120 never look up _jabber._tcp, ' +
        'so they cannot find your server',
      bothPublished: '{{name}} is published next to {{modernName}}: harmless, servers use {{modernName}} and ignore the legacy record',
      notPublished: '{{name}} is not published, as expected ({{absence}})',
      lookupFailed: 'could not look up {{failedName}}: {{reason}}',
      notGathered: '{{failedName}} was not looked up in this run',
      probeSkipped: '{{failedName}} was not looked up: {{because}}',
    },
    fixes: {
      publishModern: {
        summary: 'Publish _xmpp-server._tcp.{{domain}} with the same targets as the legacy record',
        steps: [
          'Add the _xmpp-server._tcp records below to the public zone of {{domain}}.',
          'Keep or delete _jabber._tcp: nothing current reads it.',
        ],
        snippets: [{ lang: 'zone', text: '{{replacementRecords}}' }],
      },
    },
  },

  evaluate({ target, facts }) {
    const name = srvName('jabberLegacy', target.domain);
    const modernName = srvName('xmppServer', target.domain);
    const legacyOutcome = facts.dns(name, 'SRV');
    const legacy = readLookup(legacyOutcome);
    const data = { name, modernName, domain: target.domain };

    const unmeasured = (failedName: string, lookup: ReturnType<typeof readLookup>, evidence: string[]) => {
      if (lookup.state === 'not-gathered') return { status: 'skip' as const, subject: name, location: { name }, messageId: 'notGathered', data: { ...data, failedName } };
      if (lookup.state === 'skipped') {
        return { status: 'skip' as const, subject: name, location: { name }, messageId: 'probeSkipped', data: { ...data, failedName, because: lookup.because } };
      }
      if (lookup.state === 'failed') {
        return { status: 'error' as const, subject: name, location: { name }, messageId: 'lookupFailed', data: { ...data, failedName, reason: lookup.reason }, evidence };
      }
      return undefined;
    };

    const legacyEvidence = lookupEvidence(name, 'SRV', legacyOutcome);
    const legacyUnmeasured = unmeasured(name, legacy, legacyEvidence);
    if (legacyUnmeasured) return [legacyUnmeasured];
    if (legacy.state === 'nxdomain' || legacy.state === 'nodata') {
      return [{ status: 'pass', subject: name, location: { name }, messageId: 'notPublished', data: { ...data, absence: describeAbsence(legacy) }, evidence: legacyEvidence }];
    }

    const modernOutcome = facts.dns(modernName, 'SRV');
    const modern = readLookup(modernOutcome);
    const evidence = [...legacyEvidence, ...lookupEvidence(modernName, 'SRV', modernOutcome)];
    const modernUnmeasured = unmeasured(modernName, modern, evidence);
    if (modernUnmeasured) return [modernUnmeasured];
    if (modern.state === 'found') return [{ status: 'pass', subject: name, location: { name }, messageId: 'bothPublished', data, evidence }];

    const legacyRecords = srvRecords(legacyOutcome);
    const replacementRecords = legacyRecords
      .map((record) => zoneLine({ ...record, name: modernName }))
      .join('\n');
    return [
      {
        status: 'warn',
        subject: name,
        location: { name },
        messageId: 'legacyOnly',
        data: { ...data, records: srvSummary(legacyRecords), replacementRecords },
        evidence,
        fixId: 'publishModern',
      },
    ];
  },
});
