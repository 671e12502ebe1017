// Whether XMPP servers can find the domain's server-to-server listener through _xmpp-server._tcp.

import { defineCheck } from '../../src/engine/check.js';
import { describeAbsence, isUnmeasured, lookupEvidence, readLookup, srvSummary, unmeasuredFinding, zoneLine } from '../../src/engine/dns-evidence.js';
import { isExplicitlyNotOffered, srvName, srvRecords } from '../../src/engine/services.js';
import { REFERENCES } from '../../src/engine/references.js';

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
    requires: ['dns:SRV', 'dns:A'],
    references: [REFERENCES.rfc6120Resolution, REFERENCES.xmppFederation, REFERENCES.prosodyDns, REFERENCES.rfc2782Srv],
    messages: {
      published: '{{name}} is published: {{records}}',
      missing:
        '{{name}} is not published ({{absence}}): remote servers fall back to the address of {{domain}} itself on port 5269 ' +
        '(RFC 6120 section 3.2.2), which only works if the XMPP server answers there',
      notOffered:
        '{{name}} has the single target ".": the service is explicitly not offered (RFC 2782), so no XMPP server will federate with {{domain}}',
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

  evaluate({ target, facts }) {
    const name = srvName('xmppServer', target.domain);
    const outcome = facts.dns(name, 'SRV');
    const lookup = readLookup(outcome);
    const evidence = lookupEvidence(name, 'SRV', outcome);
    const data = { name, domain: target.domain, xmppHost: target.edge ?? `xmpp.${target.domain}` };

    if (isUnmeasured(lookup)) return [unmeasuredFinding(lookup, name, data, evidence)];

    switch (lookup.state) {
      case 'nxdomain':
      case 'nodata': {
        // Show what the RFC 6120 fallback would connect to, when the domain's own address was looked up.
        const fallback = facts.dns(target.domain, 'A');
        const fallbackEvidence = fallback?.status === 'ok' ? ['fallback (RFC 6120 3.2.2):', ...lookupEvidence(target.domain, 'A', fallback)] : [];
        return [
          {
            status: 'fail',
            subject: name,
            messageId: 'missing',
            data: { ...data, absence: describeAbsence(lookup) },
            evidence: [...evidence, ...fallbackEvidence],
            fixId: 'publishSrv',
          },
        ];
      }
      case 'found':
        break;
    }

    const records = srvRecords(outcome);
    if (isExplicitlyNotOffered(records)) {
      return [{ status: 'warn', subject: name, messageId: 'notOffered', data, evidence, fixId: 'publishSrv' }];
    }
    const offPort = records.filter((record) => record.port !== S2S_PORT);
    if (offPort.length > 0) {
      return [
        {
          status: 'warn',
          subject: name,
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
    return [{ status: 'pass', subject: name, messageId: 'published', data: { ...data, records: srvSummary(records) }, evidence }];
  },
});
