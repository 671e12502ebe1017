// Each static route's next hop, probed: reachable, TLS handshake completed, SIP OPTIONS answered.

import type { CiscoStaticRoute } from '../../src/model/config.js';
import { isAddress, knownRemoteDomains, nextHopKey, routeDomain } from '../../src/policy/cisco-routes.js';
import { entryPath, primaryOwnDomain } from '../../src/policy/config-views.js';
import type { NextHopProbe } from '../../src/model/policy-facts.js';
import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'policy.cisco-next-hop',
    area: 'policy',
    title: 'Static route next hops answer SIP',
    failureTitle: 'A static route next hop does not answer',
    description:
      'IM and Presence sends a remote domain\'s messages to the static route\'s next hop, which must be a specific Standard ' +
      'Edition server or Enterprise Edition Front End (not a load balancer) that accepts the connection, completes TLS and answers SIP.',
    services: ['sip'],
    judgedPer: 'config',
    requires: ['policy', 'cisco-next-hops'],
    references: [REFERENCES.ciscoIntradomain, REFERENCES.ciscoSipFederation],
    messages: {
      sipAnswered: '{{nextHop}} ({{address}}:{{port}}) completed TLS ({{tlsProtocol}}) and answered OPTIONS with {{statusLine}}',
      tcpOpen: '{{nextHop}} ({{address}}:{{port}}) accepts TCP connections',
      udpNotProbed: '{{nextHop}}:{{port}} is a UDP route: not probed',
      notProbed: '{{nextHop}}:{{port}} was not probed in this run',
      skipped: '{{nextHop}}:{{port}} was not probed: {{because}}',
      probeFailed: 'could not probe {{nextHop}}:{{port}}: {{reason}}',
      unreachable: '{{nextHop}} ({{address}}:{{port}}) is unreachable ({{result}}){{backupNote}}',
      tlsFailed: '{{nextHop}} ({{address}}:{{port}}) accepted the connection but TLS failed: {{detail}}',
      sipSilent: '{{nextHop}} ({{address}}:{{port}}) completed TLS but gave no SIP answer: {{detail}}',
      hostName: 'the next hop {{nextHop}} is a host name: Cisco expects the IP address of a specific server, and a name may lead to the load balancer',
    },
    fixes: {
      reachNextHop: {
        summary: 'Make {{nextHop}} answer on {{port}}/{{protocol}}, or point the route at a Front End that does',
        steps: [
          'Check that {{nextHop}} is a specific Standard Edition server or Enterprise Edition Front End, with SIP listening on {{port}}.',
          'Open {{protocol}} {{port}} from the IM and Presence nodes to it in every firewall on the way.',
          'Else correct the route: Cisco Unified CM IM and Presence Administration > Presence > Routing > Static Routes, Next Hop.',
        ],
      },
      fixTls: {
        summary: 'Let IM and Presence and {{nextHop}} complete a TLS handshake',
        steps: [
          'Upload the Microsoft server\'s CA chain to the cup-trust store on IM and Presence, and the IM and Presence CA to the Microsoft server.',
          'On the Microsoft side, IM and Presence must be a trusted application pool (New-CsTrustedApplicationPool) so its TLS connection is accepted.',
        ],
      },
      useAddress: {
        summary: 'Enter the IP address of a specific Front End as the next hop',
        steps: [
          'Cisco Unified CM IM and Presence Administration: Presence > Routing > Static Routes, open the route to {{nextHop}}.',
          'Set Next Hop to the IP address of one Standard Edition server or Enterprise Edition Front End (bypassing the load balancer); add backup routes with priority 2, 3... for the others.',
        ],
      },
    },
  },
  evaluate({ facts }) {
    const config = facts.policy()?.config;
    if (config === undefined) return [];
    const nextHops = facts.nextHops();
    const cisco = config.own.cisco;
    if (cisco === undefined) return [];
    const known = knownRemoteDomains(config);
    const own = primaryOwnDomain(config);
    const judged = new Set<string>();
    return cisco.staticRoutes.flatMap((route, index): FindingDraft[] => {
      const key = nextHopKey(route);
      if (judged.has(key)) return [];
      judged.add(key);
      const domain = routeDomain(route, known) ?? own;
      // The first route to this next hop: the others to it are judged with it.
      const location = { policyEntry: entryPath('own.cisco.staticRoutes', index) };
      const drafts: FindingDraft[] = [];
      if (!isAddress(route.nextHop)) {
        drafts.push({ domain, status: 'warn', subject: `next hop ${route.nextHop}`, location, messageId: 'hostName', data: { nextHop: route.nextHop }, fixId: 'useAddress' });
      }
      drafts.push({ ...judgeProbe(route, domain, nextHops?.[key], cisco.staticRoutes), location });
      return drafts;
    });
  },
});

function judgeProbe(route: CiscoStaticRoute, domain: string, probe: NextHopProbe | undefined, routes: CiscoStaticRoute[]): FindingDraft {
  const { nextHop, nextHopPort: port, protocol } = route;
  const subject = `next hop ${nextHopKey(route)}`;
  const data = { nextHop, port, protocol, address: probe?.address ?? nextHop };
  if (protocol === 'UDP') return { domain, status: 'skip', subject, messageId: 'udpNotProbed', data };
  if (probe === undefined) return { domain, status: 'skip', subject, messageId: 'notProbed', data };
  const { tcp, sip } = probe;
  if (tcp.status === 'skipped') return { domain, status: 'skip', subject, messageId: 'skipped', data: { ...data, because: tcp.because } };
  if (tcp.status === 'error') return { domain, status: 'error', subject, messageId: 'probeFailed', data: { ...data, reason: tcp.detail }, evidence: [tcp.detail] };
  const evidence = [`TCP ${tcp.facts.address}:${tcp.facts.port}: ${tcp.facts.result}${tcp.facts.code ? ` (${tcp.facts.code})` : ''} in ${tcp.facts.elapsedMs} ms`];
  if (tcp.facts.result !== 'open') {
    // A backup route takes over only when this next hop is unreachable: say whether there is one.
    const backups = routes.filter((other) => other.destinationPattern === route.destinationPattern && other.priority > route.priority);
    const backupNote = backups.length > 0 ? `; the backup route to ${backups.map((b) => b.nextHop).join(', ')} takes over` : '';
    return { domain, status: 'fail', subject, messageId: 'unreachable', data: { ...data, result: tcp.facts.result, backupNote }, evidence, fixId: 'reachNextHop' };
  }
  if (protocol === 'TCP') return { domain, status: 'pass', subject, messageId: 'tcpOpen', data, evidence };
  if (sip === undefined) return { domain, status: 'skip', subject, messageId: 'notProbed', data };
  if (sip.status === 'skipped') return { domain, status: 'skip', subject, messageId: 'skipped', data: { ...data, because: sip.because } };
  if (sip.status === 'error') return { domain, status: 'error', subject, messageId: 'probeFailed', data: { ...data, reason: sip.detail }, evidence: [...evidence, sip.detail] };
  const { tls, response, failure } = sip.facts;
  if (tls !== undefined) {
    evidence.push(`TLS ${tls.protocol} ${tls.cipher}, certificate ${tls.authorized ? 'trusted' : `not trusted (${tls.authorizationError ?? 'unknown reason'})`}`);
  }
  if (failure !== undefined) {
    evidence.push(`${failure.stage}: ${failure.reason}: ${failure.detail}`);
    const tlsStage = failure.stage === 'connect' || failure.stage === 'tls' || tls === undefined;
    return {
      domain,
      status: 'fail',
      subject,
      messageId: tlsStage ? 'tlsFailed' : 'sipSilent',
      data: { ...data, detail: `${failure.reason}: ${failure.detail}` },
      evidence,
      fixId: tlsStage ? 'fixTls' : 'reachNextHop',
    };
  }
  if (response === undefined || tls === undefined) return { domain, status: 'error', subject, messageId: 'probeFailed', data: { ...data, reason: 'the SIP probe returned no response' }, evidence };
  evidence.push(`SIP ${response.statusLine} in ${response.elapsedMs} ms`);
  return { domain, status: 'pass', subject, messageId: 'sipAnswered', data: { ...data, tlsProtocol: tls.protocol, statusLine: response.statusLine }, evidence };
}
