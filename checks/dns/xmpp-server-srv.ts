// Whether XMPP servers can find the domain's server-to-server listener through _xmpp-server._tcp.

import { defineCheck } from '../../src/model/check.js';
import { describeAbsence, isUnmeasured, lookupEvidence, readLookup, srvSummary, unmeasuredFinding, zoneLine } from '../../src/judge/dns-evidence.js';
import { formatHostPort } from '../../src/model/facts.js';
import type { FactView } from '../../src/model/facts.js';
import { isExpected } from '../../src/judge/presence.js';
import { hostAddresses, isExplicitlyNotOffered, srvName, srvRecords } from '../../src/judge/services.js';
import { REFERENCES } from '../../src/judge/references.js';

const S2S_PORT = 5269;

export default defineCheck({
  meta: {
    id: 'dns.xmpp-server-srv',
    area: 'dns',
    title: 'XMPP server-to-server SRV record is published',
    failureTitle: 'XMPP server-to-server SRV record is missing or misleading',
    description:
      'Remote XMPP servers look up _xmpp-server._tcp.<domain> to find where to connect on port 5269; ' +
      'without it they guess the domain\'s own address, which is rarely the XMPP server or the Access Edge.',
    services: ['xmpp'],
    reportsPresence: true,
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp'],
    references: [REFERENCES.rfc6120Resolution, REFERENCES.xmppFederation, REFERENCES.prosodyDns, REFERENCES.rfc2782Srv],
    messages: {
      published: '{{name}} is published: {{records}}',
      missing:
        '{{name}} is not published ({{absence}}): remote servers fall back to the address of {{domain}} itself on port 5269 ' +
        '(RFC 6120 section 3.2.2), which only works if the XMPP server answers there',
      notOffered:
        '{{name}} has the single target ".": the service is explicitly not offered (RFC 2782), so no XMPP server will federate with {{domain}}',
      notPublished:
        'no XMPP federation published: {{name}} does not exist ({{absence}}) and nothing answers on {{domain}} port 5269, ' +
        'so XMPP is not checked further; expect it (config services: [xmpp], --xmpp or --expect xmpp) to have its absence judged as a failure',
      notPublishedHosted:
        'no XMPP federation published: {{domain}} is hosted on {{provider}}, which offers no XMPP federation (Teams has none), ' +
        'so XMPP is not checked',
      missingHosted:
        '{{name}} is not published ({{absence}}), and {{domain}} is hosted on {{provider}}, which offers no XMPP federation ' +
        '(Teams has none): XMPP partners cannot reach users there',
      declaredNotOffered:
        '{{name}} has the single target ".": {{domain}} declares that it offers no XMPP federation (RFC 2782), so XMPP is not checked further',
      notOfferedButLegacy:
        '{{name}} says XMPP is not offered (single target "."), but the legacy {{legacyName}} still points at {{legacyTargets}}: ' +
        'the two records contradict each other',
      viaFallback:
        '{{name}} is not published ({{absence}}), but an XMPP server answers on {{domain}} port 5269: servers find it by the ' +
        'RFC 6120 fallback to the domain\'s own address, which breaks as soon as that address moves (a web host, a CDN)',
      onlyDirectTls:
        '{{name}} is not published ({{absence}}): only _xmpps-server._tcp (direct TLS, XEP-0368) is, which servers without ' +
        'XEP-0368 support never ask for',
      reachedAsConfigured:
        '{{name}} is not published ({{absence}}): we reach {{xmppHost}} as configured (Set-CsXmppAllowedPartner -ProxyFqdn), ' +
        'so this is no problem for us; other servers cannot find it',
      nonStandardPort:
        '{{name}} points at port {{ports}}, not 5269: that works only if the server listens there for server-to-server STARTTLS ({{records}})',
      lookupFailed: 'could not look up {{name}}: {{reason}}',
      notGathered: '{{name}} was not looked up in this run',
      probeSkipped: '{{name}} was not looked up: {{because}}',
    },
    fixes: {
      publishSrv: {
        summary: 'Publish _xmpp-server._tcp.{{domain}} pointing at your XMPP server (or Access Edge) on port 5269',
        steps: [
          'In the public DNS zone of {{domain}}, add the SRV record below. Its target is the host accepting XMPP server-to-server ' +
            'connections: the Access Edge FQDN for Lync / Skype for Business, or your XMPP server; {{xmppHost}} is used below.',
          'Give that host an A record (and AAAA for IPv6) with its public address.',
          'With Edge pools in several sites, add one SRV record per pool with a different priority each, so a pool failure needs no DNS change.',
          'Remove a "." record if one exists: it tells servers the service is not offered.',
        ],
        snippets: [
          { lang: 'zone', text: '_xmpp-server._tcp.{{domain}}. 3600 IN SRV 10 0 5269 {{xmppHost}}.\n{{xmppHost}}. 3600 IN A <public-ipv4-address>' },
          {
            lang: 'powershell',
            text:
              'Add-DnsServerResourceRecord -ZoneName "{{domain}}" -Srv -Name "_xmpp-server._tcp" ' +
              '-DomainName "{{xmppHost}}" -Priority 10 -Weight 0 -Port 5269',
          },
        ],
      },
      removeLegacy: {
        summary: 'Delete the legacy {{legacyName}} record, or publish _xmpp-server._tcp.{{domain}} if XMPP federation is meant to work',
        steps: [
          'If {{domain}} offers no XMPP federation, delete the _jabber._tcp record below so nothing points at a server any more.',
          'If it does, replace the "." record with an SRV record for the server, and delete the legacy record.',
        ],
        snippets: [{ lang: 'zone', text: '; delete:\n{{legacyRecords}}' }],
      },
      useS2sPort: {
        summary: 'Point _xmpp-server._tcp.{{domain}} at port 5269, or make the server listen where the record says',
        steps: [
          'Change the SRV port to 5269, the XMPP server-to-server port (the Lync / Skype for Business XMPP proxy always listens there).',
          'If your XMPP server really listens elsewhere for server-to-server STARTTLS (Prosody: s2s_ports), keep the port and check it with net.federation-port.',
        ],
        snippets: [{ lang: 'zone', text: '{{correctedRecords}}' }],
      },
    },
  },

  evaluate({ target, facts, presence }) {
    const name = srvName('xmppServer', target.domain);
    const outcome = facts.dns(name, 'SRV');
    const lookup = readLookup(outcome);
    const evidence = lookupEvidence(name, 'SRV', outcome);
    const data = { name, domain: target.domain, xmppHost: target.xmppEdge ?? target.edge ?? `xmpp.${target.domain}` };
    const state = presence.xmpp?.state;
    const hosted = presence.sip?.state === 'hosted' ? presence.sip.provider : undefined;

    if (isUnmeasured(lookup)) return [unmeasuredFinding(lookup, name, data, evidence)];

    switch (lookup.state) {
      case 'nxdomain':
      case 'nodata': {
        const absent = { ...data, absence: describeAbsence(lookup) };
        if (state === 'offered') return [{ status: 'warn', subject: name, location: { name }, messageId: 'onlyDirectTls', data: absent, evidence, fixId: 'publishSrv' }];
        if (state === 'configured') {
          return target.role === 'partner'
            ? [{ status: 'info', subject: name, location: { name }, messageId: 'reachedAsConfigured', data: absent, evidence }]
            : [{ status: 'warn', subject: name, location: { name }, messageId: 'missing', data: absent, evidence: [...evidence, ...fallbackEvidence(target.domain, facts)], fixId: 'publishSrv' }];
        }
        if (state === 'fallback') {
          return [
            {
              status: 'warn',
              subject: name,
              location: { name },
              messageId: 'viaFallback',
              data: { ...absent, xmppHost: target.domain },
              evidence: [...evidence, ...fallbackEvidence(target.domain, facts)],
              fixId: 'publishSrv',
            },
          ];
        }
        // Absent, or only the legacy record: expected or hinted at by _jabber._tcp, it is a failure; otherwise one line.
        if (state === 'legacy-only' || isExpected(target, 'xmpp')) {
          const messageId = hosted !== undefined ? 'missingHosted' : 'missing';
          return [
            {
              status: 'fail',
              subject: name,
              location: { name },
              messageId,
              data: { ...absent, provider: hosted ?? '' },
              evidence: [...evidence, ...fallbackEvidence(target.domain, facts)],
              fixId: 'publishSrv',
            },
          ];
        }
        return hosted !== undefined
          ? [{ status: 'info', subject: name, location: { name }, messageId: 'notPublishedHosted', data: { ...absent, provider: hosted }, evidence }]
          : [{ status: 'info', subject: name, location: { name }, messageId: 'notPublished', data: absent, evidence: [...evidence, ...fallbackEvidence(target.domain, facts)] }];
      }
      case 'found':
        break;
    }

    const records = srvRecords(outcome);
    if (isExplicitlyNotOffered(records)) {
      const legacyName = srvName('jabberLegacy', target.domain);
      const legacy = srvRecords(facts.dns(legacyName, 'SRV')).filter((record) => record.target !== '' && record.target !== '.');
      if (legacy.length > 0) {
        return [
          {
            status: 'fail',
            subject: name,
            location: { name },
            messageId: 'notOfferedButLegacy',
            data: { ...data, legacyName, legacyTargets: srvSummary(legacy), legacyRecords: legacy.map(zoneLine).join('\n') },
            evidence: [...evidence, ...lookupEvidence(legacyName, 'SRV', facts.dns(legacyName, 'SRV'))],
            fixId: 'removeLegacy',
          },
        ];
      }
      return isExpected(target, 'xmpp')
        ? [{ status: 'fail', subject: name, location: { name }, messageId: 'notOffered', data, evidence, fixId: 'publishSrv' }]
        : [{ status: 'info', subject: name, location: { name }, messageId: 'declaredNotOffered', data, evidence }];
    }
    const offPort = records.filter((record) => record.port !== S2S_PORT);
    if (offPort.length > 0) {
      return [
        {
          status: 'warn',
          subject: name,
          location: { name },
          messageId: 'nonStandardPort',
          data: {
            ...data,
            ports: [...new Set(offPort.map((record) => record.port))].join(', '),
            records: srvSummary(offPort),
            correctedRecords: records.map((record) => zoneLine({ ...record, port: S2S_PORT })).join('\n'),
          },
          evidence,
          fixId: 'useS2sPort',
        },
      ];
    }
    return [{ status: 'pass', subject: name, location: { name }, messageId: 'published', data: { ...data, records: srvSummary(records) }, evidence }];
  },
});

/** What the RFC 6120 fallback found: the domain's own addresses and whether 5269 answered there. */
function fallbackEvidence(domain: string, facts: FactView): string[] {
  const lines = ['fallback (RFC 6120 3.2.2): the domain itself on port 5269:'];
  for (const type of ['A', 'AAAA'] as const) {
    const outcome = facts.dns(domain, type);
    if (outcome !== undefined) lines.push(...lookupEvidence(domain, type, outcome));
  }
  for (const { address } of hostAddresses(domain, facts)) {
    const tcp = facts.tcp(address, S2S_PORT);
    if (tcp === undefined) continue;
    lines.push(`${formatHostPort(address, S2S_PORT)}: ${tcp.status === 'ok' ? tcp.facts.result : tcp.status === 'skipped' ? `not connected to: ${tcp.because}` : tcp.reason}`);
  }
  return lines.length > 1 ? lines : [];
}
