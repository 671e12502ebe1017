// Whether each federation address accepts a TCP connection on its port, per address so an IPv6-only failure shows.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { familyName, splitServer, zoneLine } from '../../src/judge/dns-evidence.js';
import { formatHostPort } from '../../src/model/facts.js';
import type { FactView, SrvRecord, TcpResult } from '../../src/model/facts.js';
import { SERVICE_RECORDS, federationHosts, hostAddresses, srvName, srvRecords } from '../../src/judge/services.js';
import type { FederationHost } from '../../src/model/listener.js';
import { REFERENCES } from '../../src/judge/references.js';
import { endpointLocation } from '../../src/model/location.js';

const FAILURE_FIX: Record<Exclude<TcpResult, 'open'>, string> = {
  refused: 'startListener',
  timeout: 'openFirewall',
  unreachable: 'fixRouting',
  reset: 'openFirewall',
  error: 'openFirewall',
};

const FAILURE_MESSAGE: Record<Exclude<TcpResult, 'open'>, string> = {
  refused: 'refused',
  timeout: 'timeout',
  unreachable: 'unreachable',
  reset: 'reset',
  error: 'connectError',
};

/** The TCP result in a few words, for the message about a stale SRV target. */
const FAILURE_WORDS: Record<Exclude<TcpResult, 'open'>, string> = {
  refused: 'connection refused',
  timeout: 'no answer',
  unreachable: 'unreachable',
  reset: 'connection reset',
  error: 'the connection failed',
};

const firewallSnippets = [
  {
    lang: 'powershell',
    text: 'New-NetFirewallRule -DisplayName "{{ruleName}}" -Direction Inbound -Protocol TCP -LocalPort {{port}} -Action Allow',
  },
  { lang: 'nftables', text: 'nft add rule inet filter input {{nftFamily}} daddr {{address}} tcp dport {{port}} accept' },
];

export default defineCheck({
  meta: {
    id: 'net.federation-port',
    area: 'net',
    title: 'Federation ports accept connections',
    failureTitle: 'A federation port does not accept connections',
    description:
      'Partners connect to every address of your Edge on 5061 (SIP federation, TLS) or 5269 (XMPP server-to-server); ' +
      'an address that refuses or drops the connection breaks federation for every partner whose resolver hands it out.',
    services: ['sip', 'xmpp'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp'],
    references: [REFERENCES.edgePortPlanning, REFERENCES.xmppFederation, REFERENCES.newNetFirewallRule],
    messages: {
      open: '{{endpoint}} ({{family}}, {{host}}) accepts TCP connections on {{port}} for {{what}}',
      refused: '{{endpoint}} ({{family}}, {{host}}): connection refused: nothing listens on {{port}} or a firewall rejects it',
      timeout: '{{endpoint}} ({{family}}, {{host}}): no answer on {{port}}: a firewall drops the traffic',
      unreachable: '{{endpoint}} ({{family}}, {{host}}): unreachable ({{code}}): no route to this {{family}} address',
      reset: '{{endpoint}} ({{family}}, {{host}}): connection reset on {{port}}: a firewall or intrusion prevention system tears it down',
      connectError: '{{endpoint}} ({{family}}, {{host}}): the connection on {{port}} failed ({{code}})',
      probeError: 'could not test {{endpoint}} ({{family}}, {{host}}): {{reason}}',
      notProbed: '{{endpoint}} ({{family}}, {{host}}) was not probed: {{because}}',
      notGathered: '{{endpoint}} ({{family}}, {{host}}) was not probed in this run',
      noAddresses: '{{host}} has no address to connect to; dns.srv-target-address reports why',
      staleTarget:
        '{{endpoint}} ({{family}}, {{host}}): {{failure}} on {{port}}, yet its SRV record has priority {{priority}}, ahead of ' +
        '{{workingHost}} (priority {{workingPriority}}), which accepts: partners try the dead target first and reach the working ' +
        'one only after failing, if they fall back at all',
    },
    fixes: {
      startListener: {
        summary: 'Make {{what}} listen on TCP {{port}}, and allow inbound TCP {{port}} from the internet to {{address}} (the Edge\'s external interface)',
        steps: [
          'On the Edge, check what listens: `netstat -ano | findstr :{{port}}` (Windows) or `ss -ltn "sport = :{{port}}"` (Linux).',
          'For Lync / Skype for Business, check the Edge services with Get-CsWindowsService and start them with Start-CsWindowsService.',
          'If the port listens, a firewall rejects the connection: allow inbound TCP {{port}} from the internet to {{address}}.',
        ],
        snippets: firewallSnippets,
      },
      openFirewall: {
        summary: 'Allow inbound TCP {{port}} from the internet to {{address}} (the Edge\'s external interface) for {{what}}',
        steps: [
          'On every firewall between the internet and the Edge (perimeter, NAT device, host firewall), allow inbound TCP {{port}} to {{address}}.',
          'With NAT, forward public TCP {{port}} to the Edge\'s external interface and keep the published address the public one.',
          'Then run fedcheck again from outside your network.',
        ],
        snippets: firewallSnippets,
      },
      staleRecord: {
        summary:
          'Remove or repair the stale SRV record for {{host}} (priority {{priority}}): partners try it before {{workingHost}}, which works',
        steps: [
          'If {{host}} is retired, delete its record (the line below) from the zone of {{domain}}, raise the SOA serial and reload ' +
            'the zone: partners then go straight to {{workingHost}}.',
          'If {{host}} should still serve {{what}}, repair it: start the service and allow inbound TCP {{port}} to {{address}}; ' +
            'until it works, give its record a larger priority number than {{workingPriority}}.',
          'Check what the resolver fedcheck asked now answers (once the old record\'s TTL has passed): ' +
            '`dig +short @{{dnsAddress}} -p {{dnsPort}} {{srvName}} SRV`.',
        ],
        snippets: [
          { lang: 'zone', text: '; delete this record:\n; {{staleLine}}' },
          { lang: 'shell', text: 'dig +short @{{dnsAddress}} -p {{dnsPort}} {{srvName}} SRV' },
        ],
      },
      fixRouting: {
        summary: 'Publish a routed {{family}} address for {{host}}, then allow inbound TCP {{port}} from the internet to it',
        steps: [
          'Check that the {{rrType}} record of {{host}} holds the Edge\'s current public address, not a retired or internal one.',
          'Trace the route to {{address}} (tracert / traceroute); if the site has no {{family}} connectivity, remove the {{rrType}} record.',
          'Once routed, allow inbound TCP {{port}} from the internet to {{address}} (the Edge\'s external interface).',
        ],
        snippets: firewallSnippets,
      },
    },
  },

  evaluate({ target, facts }) {
    const hosts = federationHosts(target, facts);

    const findings: FindingDraft[] = [];
    const judged = new Set<string>();
    for (const entry of hosts) {
      const addresses = hostAddresses(entry.host, facts);
      if (addresses.length === 0) {
        if (!judged.has(entry.host)) findings.push({ status: 'skip', subject: entry.host, location: { host: entry.host }, messageId: 'noAddresses', data: { host: entry.host } });
        judged.add(entry.host);
        continue;
      }
      for (const { address, family } of addresses) {
        const endpoint = formatHostPort(address, entry.port);
        if (judged.has(endpoint)) continue;
        judged.add(endpoint);
        const what = serviceLabel(entry, target.domain);
        const data = {
          endpoint,
          host: entry.host,
          address,
          port: entry.port,
          family: familyName(address),
          rrType: family === 4 ? 'A' : 'AAAA',
          nftFamily: family === 4 ? 'ip' : 'ip6',
          what,
          ruleName: what,
        };
        const location = endpointLocation(entry.host, address, entry.port);
        const outcome = facts.tcp(address, entry.port);
        if (outcome === undefined) {
          findings.push({ status: 'skip', subject: endpoint, location, messageId: 'notGathered', data });
        } else if (outcome.status === 'skipped') {
          findings.push({ status: 'skip', subject: endpoint, location, messageId: 'notProbed', data: { ...data, because: outcome.because } });
        } else if (outcome.status === 'error') {
          findings.push({
            status: 'error',
            subject: endpoint,
            location,
            messageId: 'probeError',
            data: { ...data, reason: `${outcome.reason}: ${outcome.detail}` },
            evidence: [`${endpoint} via ${entry.via}: probe error ${outcome.reason}: ${outcome.detail}`],
          });
        } else {
          const { result, code, elapsedMs } = outcome.facts;
          const evidence = [`${endpoint} via ${entry.via}: TCP ${result}${code ? ` (${code})` : ''} after ${elapsedMs} ms`];
          if (result === 'open') {
            findings.push({ status: 'pass', subject: endpoint, location, messageId: 'open', data, evidence });
          } else {
            const stale = staleSrvTarget(entry, facts);
            findings.push({
              status: 'fail',
              service: entry.service,
              subject: endpoint,
              location,
              messageId: stale ? 'staleTarget' : FAILURE_MESSAGE[result],
              data: { ...data, code: code ?? 'no error code', failure: FAILURE_WORDS[result], domain: target.domain, ...stale },
              evidence: stale ? [...evidence, `${stale.workingHost} via ${entry.via}: accepts on ${stale.workingPort}`] : evidence,
              fixId: stale ? 'staleRecord' : FAILURE_FIX[result],
            });
          }
        }
      }
    }
    return findings;
  },
});

/**
 * A target no address of which accepts, published ahead of one that does: a retired Edge left in DNS (or one that broke)
 * with a lower priority number. The fix is the record, not a firewall: partners should not be sent there first.
 */
function staleSrvTarget(entry: FederationHost, facts: FactView) {
  const outcome = facts.dns(entry.via, 'SRV');
  const records = srvRecords(outcome);
  const failing = records.find((record) => record.target === entry.host && record.port === entry.port);
  if (!failing || acceptsAnywhere(failing, facts) !== false) return undefined;
  const working = records.find((record) => record.priority > failing.priority && acceptsAnywhere(record, facts) === true);
  if (!working) return undefined;
  const server = splitServer(outcome?.status === 'ok' ? outcome.facts.server : '');
  return {
    priority: failing.priority,
    staleLine: zoneLine(failing),
    workingHost: working.target,
    workingPriority: working.priority,
    workingPort: working.port,
    srvName: entry.via,
    dnsAddress: server.address,
    dnsPort: server.port,
  };
}

/** true: some address of the record's target accepts on its port; false: every one was probed and none does; else unknown. */
function acceptsAnywhere(record: SrvRecord, facts: FactView): boolean | undefined {
  const results = hostAddresses(record.target, facts).map(({ address }) => {
    const outcome = facts.tcp(address, record.port);
    return outcome?.status === 'ok' ? outcome.facts.result : undefined;
  });
  if (results.includes('open')) return true;
  return results.length > 0 && results.every((result) => result !== undefined) ? false : undefined;
}

/** What listens on the port, in the words of the admin guides. */
function serviceLabel(entry: FederationHost, domain: string): string {
  if (entry.service === 'sip') return entry.port === SERVICE_RECORDS.sipFederation.port ? 'SIP federation (TLS)' : 'SIP federation';
  if (entry.via === srvName('xmppsServer', domain)) return 'XMPP server-to-server (direct TLS)';
  return 'XMPP server-to-server';
}
