// Decodes the ms-diagnostics headers a Lync / Skype for Business Edge adds to its answer: what went wrong, where, and the fix.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import type { SipResponse } from '../../src/model/protocol-facts.js';
import { diagnosticFixId, diagnosticPlaceholders, knownCode, parseMsDiagnostic } from '../../src/judge/ms-diagnostics.js';
import type { MsDiagnostic } from '../../src/judge/ms-diagnostics.js';
import { LISTENER_MESSAGES, judgeListeners, sessionEvidence } from '../../src/judge/tls-evidence.js';
import { REFERENCES } from '../../src/judge/references.js';

const MESSAGE_BY_STATUS = { pass: 'information', warn: 'warning', fail: 'failure' } as const;

function diagnosticsOf(response: SipResponse): MsDiagnostic[] {
  return response.headers
    .filter(([name]) => /^ms-diagnostics(-public)?$/i.test(name))
    .map(([name, value]) => parseMsDiagnostic(name, value));
}

export default defineCheck({
  meta: {
    id: 'sip.ms-diagnostics',
    area: 'sip',
    title: 'The Edge reports no federation problem in ms-diagnostics',
    failureTitle: 'The Edge reports a federation problem in ms-diagnostics',
    description:
      'Lync and Skype for Business Edges explain a refusal in an ms-diagnostics header: a numeric code with a reason and the ' +
      'server that added it. Decoded, it names the broken piece: DNS, certificate trust, the allowed list, routing.',
    services: ['sip'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'sip'],
    references: [REFERENCES.msOcerDiagnostics, REFERENCES.msOcerSipStack, REFERENCES.winsockErrors, REFERENCES.lyncFederation, REFERENCES.allowedDomain, REFERENCES.testFederatedPartner],
    messages: {
      ...LISTENER_MESSAGES,
      none: '{{subject}}: the answer ({{status}}) carries no ms-diagnostics header',
      information: '{{subject}}: {{header}} {{code}}: {{meaning}}{{details}}',
      warning: '{{subject}}: {{header}} {{code}}: {{meaning}}{{details}}',
      failure: '{{subject}}: {{header}} {{code}}: {{meaning}}{{details}}',
      unknownCode: '{{subject}}: {{header}} carries a code fedcheck does not know: {{raw}}',
      connectionFailure: '{{subject}}: {{header}} {{code}}, a code fedcheck does not know, reports a failed connection{{details}}',
      noAnswer: '{{subject}}: no SIP answer to decode; see sip.options-response',
    },
    fixes: {
      allowSender: {
        summary: 'Allow federation between {{fromDomain}} and {{domain}}: the domain on the allowed list and users enabled for federation',
        steps: [
          'On the Edge side that refused ({{source}}): add the partner domain, or turn partner discovery on.',
          'Enable users for federation with an external access policy and grant it.',
          'fedcheck sends From sip:fedcheck@{{fromDomain}}: run it with --from-domain set to a domain the partner federates with.',
        ],
        snippets: [
          { lang: 'powershell', text: 'New-CsAllowedDomain -Identity {{fromDomain}}' },
          {
            lang: 'powershell',
            text:
              'New-CsExternalAccessPolicy -Identity Federation -EnableFederationAccess $true -EnablePublicCloudAccess $true\n' +
              'Get-CsUser | Grant-CsExternalAccessPolicy -PolicyName Federation',
          },
        ],
      },
      routing: {
        summary: 'Let {{host}} route requests for {{peerDomain}} to the pool that hosts it',
        steps: [
          'Check {{peerDomain}} is a SIP domain of the deployment (Get-CsSipDomain) and that the Edge\'s next hop pool is set ' +
            'and reachable from its internal interface on TCP 5061.',
          'Check federation routing is enabled for the site (Get-CsSite, the federation route in Topology Builder).',
        ],
        snippets: [{ lang: 'powershell', text: 'Get-CsSipDomain\nTest-CsFederatedPartner -TargetFqdn {{host}} -Domain {{peerDomain}}' }],
      },
      dnsRecords: {
        summary: 'Publish the federation SRV record of {{peerDomain}} and the A record of its target, so the Edge at {{source}} can resolve them',
        steps: [
          'The Edge looks up _sipfederationtls._tcp.{{peerDomain}} and the A record of the target: publish both in public DNS ' +
            '(see dns.sip-federation-srv and dns.srv-target-address).',
          'From the Edge: Resolve-DnsName _sipfederationtls._tcp.{{peerDomain}} -Type SRV.',
        ],
        snippets: [
          { lang: 'zone', text: '_sipfederationtls._tcp.{{peerDomain}}. 3600 IN SRV 100 1 5061 sip.{{peerDomain}}.' },
          { lang: 'powershell', text: 'Resolve-DnsName _sipfederationtls._tcp.{{peerDomain}} -Type SRV' },
        ],
      },
      srvInsideDomain: {
        summary: 'Point _sipfederationtls._tcp.{{peerDomain}} at an Access Edge name inside {{peerDomain}}',
        steps: [
          'Give the Access Edge a name inside {{peerDomain}} (such as sip.{{peerDomain}}) with an A record, add it to the Edge ' +
            'certificate, and make it the SRV target (see dns.srv-target-domain).',
          'Where DNS cannot change, the partner adds the domain with its Edge FQDN (direct federation).',
        ],
        snippets: [
          { lang: 'zone', text: '_sipfederationtls._tcp.{{peerDomain}}. 3600 IN SRV 100 1 5061 sip.{{peerDomain}}.' },
          { lang: 'powershell', text: 'New-CsAllowedDomain -Identity {{peerDomain}} -ProxyFqdn sip.{{peerDomain}}' },
        ],
      },
      certificateTrust: {
        summary: 'Establish certificate trust between {{source}} and {{peer}}: public CA certificates, full chains, both EKUs',
        steps: [
          'Each Edge must present a certificate from a CA the other trusts, with its intermediates, naming its Access Edge FQDN ' +
            '(see tls.certificate-chain and tls.sip-certificate-names).',
          'Both directions are mutual TLS: each certificate needs Client Authentication too (see tls.certificate-key-usage).',
          'A private CA works only if each side imports the other\'s root into the computer\'s Trusted Root Certification Authorities store.',
        ],
        snippets: [{ lang: 'shell', text: 'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -showcerts </dev/null' }],
      },
      timeSync: {
        summary: 'Synchronise the clock of {{source}} (and of its peer) with a reliable time source',
        steps: ['Check the skew: w32tm /stripchart /computer:pool.ntp.org /samples:3.', 'Configure NTP and resync, then retry.'],
        snippets: [{ lang: 'powershell', text: 'w32tm /config /manualpeerlist:"pool.ntp.org" /syncfromflags:manual /update\nw32tm /resync' }],
      },
      peerDiagnostics: {
        summary: 'Look at the hop beyond {{source}} ({{peer}}): it answered without diagnostics or not at all',
        steps: [
          'With a 504, the next hop (a partner Edge, or your own pool) did not answer in time: check it is reachable from the ' +
            'Edge and running.',
          'A hop that is not Lync / Skype for Business (Cisco, Kamailio, XMPP gateway) adds no ms-diagnostics: read its own logs.',
          'Test from the Edge: Test-CsFederatedPartner -TargetFqdn {{host}} -Domain {{peerDomain}}.',
        ],
        snippets: [{ lang: 'powershell', text: 'Test-CsFederatedPartner -TargetFqdn {{host}} -Domain {{peerDomain}}' }],
      },
      peerConnection: {
        summary: 'Let {{source}} connect to {{peer}} on TCP 5061: the connection itself failed',
        steps: [
          'Test the connection from {{source}} (the Edge that reported it): Test-NetConnection {{peer}} -Port 5061 must show ' +
            'TcpTestSucceeded True. The Winsock error above says how it failed.',
          'Check the address {{peer}} resolves to from {{source}} is the partner\'s Access Edge external address, and that ' +
            '{{peerDomain}} publishes it: fedcheck check {{peerDomain}} --sip.',
          'Whoever runs {{peer}} must accept TCP 5061 from the internet on it, with the Access Edge service running ' +
            '(Get-CsWindowsService); whoever runs {{source}} must let its external interface connect out to TCP 5061. Send this ' +
            'header to the partner whose server it is.',
        ],
        snippets: [
          { lang: 'powershell', text: 'Test-NetConnection {{peer}} -Port 5061' },
          { lang: 'shell', text: 'fedcheck check {{peerDomain}} --sip' },
        ],
      },
      hybridDomain: {
        summary: 'Set up {{peerDomain}} the same way on premises and in Microsoft 365, so the Edge can route between the domains',
        steps: [
          'In a hybrid (split-domain) deployment, every domain verified in Microsoft 365 must also be a SIP domain of the ' +
            'on-premises topology: add it in Topology Builder and publish the topology.',
          'Point the federation DNS records of every such domain at the on-premises Edge (see dns.sip-federation-srv).',
        ],
        snippets: [{ lang: 'powershell', text: 'Get-CsSipDomain' }],
      },
      unknownCode: {
        summary: 'Look up ms-diagnostics {{code}} in the Edge\'s logs and in MS-OCER',
        steps: [
          'Search the Edge\'s Centralized Logging Service traces (Search-CsClsLogging) around the time of the test and read the ' +
            'full ms-diagnostics text: {{raw}}.',
        ],
        snippets: [{ lang: 'powershell', text: 'Search-CsClsLogging -Pools {{host}} -OutputFilePath C:\\cls-federation.txt' }],
      },
    },
  },

  evaluate(context) {
    const fromDomain = context.options.fromDomain ?? 'fedcheck.invalid';
    return judgeListeners(context, ['sip'], (listener, state): FindingDraft[] => {
      const { subject } = listener;
      const response = state.state === 'secured' && state.probe.protocol === 'sip' ? state.probe.facts.response : undefined;
      if (!response) return [{ status: 'skip', subject, messageId: 'noAnswer', data: listener.data }];
      const evidence = [
        ...(state.state === 'secured' ? [sessionEvidence(listener, state.session)] : []),
        `received: ${response.statusLine}`,
        ...response.headers.filter(([name]) => /^ms-diagnostics/i.test(name)).map(([name, value]) => `  ${name}: ${value}`),
      ];
      const diagnostics = diagnosticsOf(response);
      if (diagnostics.length === 0) return [{ status: 'pass', subject, messageId: 'none', data: { ...listener.data, status: response.statusLine }, evidence }];
      return diagnostics.map((diagnostic): FindingDraft => {
        const placeholders = diagnosticPlaceholders(diagnostic);
        const data = {
          ...listener.data,
          fromDomain,
          source: listener.endpoint.host,
          peer: 'its peer',
          peerDomain: context.target.domain,
          ...placeholders,
        };
        const fixId = diagnosticFixId(diagnostic);
        const known = knownCode(diagnostic);
        if (!known) {
          const messageId = fixId === 'peerConnection' ? 'connectionFailure' : 'unknownCode';
          return { status: 'warn', subject, messageId, data, evidence, fixId: fixId ?? 'unknownCode' };
        }
        const messageId = MESSAGE_BY_STATUS[known.status];
        const finding: FindingDraft = { status: known.status, subject, messageId, data: { ...data, meaning: known.meaning }, evidence };
        return fixId === undefined ? finding : { ...finding, fixId };
      });
    });
  },
});
