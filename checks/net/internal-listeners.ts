// From inside only: the Edge's internal interface must accept the Front End's connections, or federation stops at the Edge.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { familyName, hostsByName } from '../../src/judge/dns-evidence.js';
import { formatHostPort } from '../../src/model/facts.js';
import { INTERNAL_PORTS, federationHosts, hostAddresses, internalPortsFor } from '../../src/judge/services.js';
import type { Service } from '../../src/model/target.js';
import { REFERENCES } from '../../src/judge/references.js';
import { endpointLocation } from '../../src/model/location.js';

/** Which internal ports matter for which service: the XMPP gateway only for XMPP federation. */

/** What to look at on the Edge when a port is closed. */
const SERVICE_HINT: Record<(typeof INTERNAL_PORTS)[number]['port'], string> = {
  23456: 'the "Lync Server XMPP Translating Gateway Proxy" service (RTCXMPPTGWPX)',
  5061: 'the Access Edge service (RTCSRV)',
  4443: 'the Replica Replicator Agent service (REPLICA)',
};

export default defineCheck({
  meta: {
    id: 'net.internal-listeners',
    area: 'net',
    title: 'Edge internal listeners accept connections from inside',
    failureTitle: 'An Edge internal listener does not accept connections',
    description:
      'The Front End reaches the Edge\'s internal interface on 5061 (SIP), 4443 (Central Management Store replication) and ' +
      '23456 (XMPP gateway); when one is closed, federation traffic never leaves the organization. Probed only with --vantage internal.',
    services: ['sip', 'xmpp'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp'],
    references: [REFERENCES.xmppFederation, REFERENCES.edgePortPlanning, REFERENCES.startWindowsService],
    messages: {
      listening: '{{endpoint}} ({{family}}, {{host}}) accepts connections on {{port}}: {{what}}',
      notListening: '{{endpoint}} ({{family}}, {{host}}) does not accept connections on {{port}} ({{what}}): {{result}}',
      probeError: 'could not test {{endpoint}} ({{what}}): {{reason}}',
      notProbed: '{{endpoint}} ({{what}}) was not probed: {{because}}',
      notGathered: '{{endpoint}} ({{what}}) was not probed in this run',
      externalVantage: 'internal listeners ({{ports}}) are only probed with --vantage internal; never from outside',
    },
    fixes: {
      internalListener: {
        summary: 'Allow TCP {{port}} from the Front End pool to {{address}} (the Edge\'s internal interface) and start {{serviceHint}}',
        steps: [
          'On the Edge, check the services with Get-CsWindowsService and start stopped ones with Start-CsWindowsService; port {{port}} belongs to {{serviceHint}}.',
          'Check the listener on the Edge: `netstat -ano | findstr :{{port}}`.',
          'Allow inbound TCP {{port}} on the Edge\'s internal interface from the Front End pool\'s subnet, in the host firewall and any firewall between them.',
        ],
        snippets: [
          { lang: 'powershell', text: 'Get-CsWindowsService\nStart-CsWindowsService' },
          {
            lang: 'powershell',
            text: 'New-NetFirewallRule -DisplayName "Edge internal {{port}}" -Direction Inbound -Protocol TCP -LocalPort {{port}} -RemoteAddress <front-end-pool-subnet> -Action Allow',
          },
        ],
      },
    },
  },

  evaluate({ target, facts, options }) {
    if (options.vantage !== 'internal') {
      const ports = internalPortsFor(target.services);
      return [
        {
          status: 'skip',
          subject: target.domain,
          messageId: 'externalVantage',
          skipReason: 'vantage',
          data: { ports: ports.map(({ port, what }) => `${port} ${what}`).join(', ') },
        },
      ];
    }

    const findings: FindingDraft[] = [];
    const judged = new Set<string>();
    for (const { host, services } of hostsByName(federationHosts(target, facts))) {
      for (const { address } of hostAddresses(host, facts)) {
        for (const { port, what } of internalPortsFor(services)) {
          const endpoint = formatHostPort(address, port);
          if (judged.has(endpoint)) continue;
          judged.add(endpoint);
          const data = { endpoint, host, address, port, what, family: familyName(address), serviceHint: SERVICE_HINT[port] };
          const location = endpointLocation(host, address, port);
          const outcome = facts.tcp(address, port);
          if (outcome === undefined) {
            findings.push({ status: 'skip', subject: endpoint, location, messageId: 'notGathered', data });
          } else if (outcome.status === 'skipped') {
            findings.push({ status: 'skip', subject: endpoint, location, messageId: 'notProbed', data: { ...data, because: outcome.because } });
          } else if (outcome.status === 'error') {
            const reason = `${outcome.reason}: ${outcome.detail}`;
            findings.push({ status: 'error', subject: endpoint, location, messageId: 'probeError', data: { ...data, reason }, evidence: [`${endpoint}: probe error ${reason}`] });
          } else {
            const { result, code, elapsedMs } = outcome.facts;
            const evidence = [`${endpoint}: TCP ${result}${code ? ` (${code})` : ''} after ${elapsedMs} ms`];
            if (result === 'open') {
              findings.push({ status: 'pass', subject: endpoint, location, messageId: 'listening', data, evidence });
            } else {
              const described = code ? `${result} (${code})` : result;
              findings.push({ status: 'fail', subject: endpoint, location, messageId: 'notListening', data: { ...data, result: described }, evidence, fixId: 'internalListener' });
            }
          }
        }
      }
    }
    return findings;
  },
});
