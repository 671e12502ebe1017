// Reports the optional XEP-0368 direct-TLS record, and catches the one layout that cannot work: direct TLS on 5269.

import { defineCheck } from '../../src/model/check.js';
import { describeAbsence, isUnmeasured, lookupEvidence, readLookup, srvSummary, unmeasuredFinding, zoneLine } from '../../src/judge/dns-evidence.js';
import { SERVICE_RECORDS, isExplicitlyNotOffered, srvName, srvRecords } from '../../src/judge/services.js';
import { REFERENCES } from '../../src/judge/references.js';

const STARTTLS_PORT = SERVICE_RECORDS.xmppServer.port;
const DIRECT_TLS_PORT = SERVICE_RECORDS.xmppsServer.port;

export default defineCheck({
  meta: {
    id: 'dns.xmpps-server-srv',
    area: 'dns',
    title: 'XMPP direct-TLS SRV record is consistent',
    failureTitle: 'XMPP direct-TLS SRV record points at the STARTTLS port',
    description:
      'XEP-0368 lets servers connect with TLS from the first byte through _xmpps-server._tcp.<domain>; it is optional, ' +
      'but a record pointing at the STARTTLS port 5269 makes every direct-TLS attempt fail before falling back.',
    services: ['xmpp'],
    requires: ['dns:SRV'],
    references: [REFERENCES.xep0368DirectTls, REFERENCES.prosodyPorts, REFERENCES.rfc2782Srv],
    messages: {
      published: '{{name}} is published for direct TLS: {{records}}',
      notPublished: '{{name}} is not published ({{absence}}); optional (XEP-0368): servers use STARTTLS on _xmpp-server._tcp',
      notOffered: '{{name}} has the single target ".": direct TLS is explicitly not offered (RFC 2782), a valid choice',
      starttlsPort:
        '{{name}} points at port 5269 ({{records}}): that is the STARTTLS port, where a TLS ClientHello is not understood, ' +
        'so direct-TLS connections cannot work there',
      lookupFailed: 'could not look up {{name}}: {{reason}}',
      notGathered: '{{name}} was not looked up in this run',
      probeSkipped: '{{name}} was not looked up: {{because}}',
    },
    fixes: {
      directTlsPort: {
        summary: 'Point _xmpps-server._tcp.{{domain}} at a port that speaks TLS from the first byte, or remove the record',
        steps: [
          'Open a direct-TLS server-to-server listener (5270 below) and point the record at it.',
          'Or delete the _xmpps-server._tcp record: servers then use STARTTLS on _xmpp-server._tcp and port 5269.',
        ],
        snippets: [
          { lang: 'zone', text: '{{correctedRecords}}' },
          { lang: 'prosody', text: '-- Prosody 0.12 or newer, global section\ns2s_direct_tls_ports = { 5270 }' },
        ],
      },
    },
  },

  evaluate({ target, facts }) {
    const name = srvName('xmppsServer', target.domain);
    const outcome = facts.dns(name, 'SRV');
    const lookup = readLookup(outcome);
    const evidence = lookupEvidence(name, 'SRV', outcome);
    const data = { name, domain: target.domain };

    if (isUnmeasured(lookup)) return [unmeasuredFinding(lookup, name, data, evidence)];

    switch (lookup.state) {
      case 'nxdomain':
      case 'nodata':
        return [{ status: 'pass', subject: name, location: { name }, messageId: 'notPublished', data: { ...data, absence: describeAbsence(lookup) }, evidence }];
      case 'found':
        break;
    }

    const records = srvRecords(outcome);
    if (isExplicitlyNotOffered(records)) return [{ status: 'pass', subject: name, location: { name }, messageId: 'notOffered', data, evidence }];

    const onStarttlsPort = records.filter((record) => record.port === STARTTLS_PORT);
    if (onStarttlsPort.length > 0) {
      const correctedRecords = records
        .map((record) => zoneLine(record.port === STARTTLS_PORT ? { ...record, port: DIRECT_TLS_PORT } : record))
        .join('\n');
      return [
        {
          status: 'warn',
          subject: name,
          location: { name },
          messageId: 'starttlsPort',
          data: { ...data, records: srvSummary(onStarttlsPort), correctedRecords },
          evidence,
          fixId: 'directTlsPort',
        },
      ];
    }
    return [{ status: 'pass', subject: name, location: { name }, messageId: 'published', data: { ...data, records: srvSummary(records) }, evidence }];
  },
});
