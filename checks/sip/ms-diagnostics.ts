// Decodes the ms-diagnostics headers a Lync / Skype for Business Edge adds to its answer: what went wrong, where, and the fix.

import { defineCheck } from '../../src/engine/check.js';
import type { FindingDraft } from '../../src/engine/check.js';
import type { SipResponse } from '../../src/engine/protocol-facts.js';
import { LISTENER_MESSAGES, judgeListeners, sessionEvidence } from '../../src/engine/tls-evidence.js';

interface DiagnosticCode {
  meaning: string;
  /** pass: informational; warn: federation may work for others; fail: federation is broken at this hop. */
  status: 'pass' | 'warn' | 'fail';
  fixId?: string;
}

/** MS-OCER section 7 and field traces (DOMAIN.md section 5). */
const CODES: Readonly<Record<number, DiagnosticCode>> = {
  1000: { meaning: 'final handshake failed', status: 'fail', fixId: 'certificateTrust' },
  1001: { meaning: 'the From URI is not authorized to communicate with public IM providers', status: 'warn', fixId: 'allowSender' },
  1002: { meaning: 'the From URI is not authorized to communicate with federated partners', status: 'warn', fixId: 'allowSender' },
  1003: { meaning: 'the user does not exist (expected for an OPTIONS to the domain)', status: 'pass' },
  1004: { meaning: 'the route set is no longer valid', status: 'warn', fixId: 'routing' },
  1005: { meaning: 'the Edge cannot route to the destination domain', status: 'fail', fixId: 'routing' },
  1006: { meaning: 'error routing on the client connection', status: 'warn', fixId: 'routing' },
  1007: { meaning: 'the Edge temporarily cannot route', status: 'warn', fixId: 'routing' },
  1008: { meaning: 'the Edge is unable to resolve the DNS SRV record', status: 'fail', fixId: 'dnsRecords' },
  1009: { meaning: 'conflicting SRV and host domains in DNS: the SRV target is outside the SIP domain', status: 'fail', fixId: 'srvInsideDomain' },
  1010: { meaning: 'certificate trust with the next-hop server could not be established', status: 'fail', fixId: 'certificateTrust' },
  1011: { meaning: 'the previous hop did not provide an ms-diagnostics header', status: 'warn', fixId: 'peerDiagnostics' },
  1012: { meaning: 'the From URI is not authorized to communicate with users outside the enterprise', status: 'warn', fixId: 'allowSender' },
  1013: { meaning: 'significant time skew detected during authentication', status: 'fail', fixId: 'timeSync' },
  1014: { meaning: 'the Edge is unable to resolve the DNS A record', status: 'fail', fixId: 'dnsRecords' },
  1027: { meaning: 'this type of SIP request cannot be routed to or from federated partners (OPTIONS itself is refused, not federation)', status: 'pass' },
  1034: { meaning: 'the previous hop, a federated peer, did not report diagnostic information', status: 'warn', fixId: 'peerDiagnostics' },
  1047: { meaning: 'the Edge failed to complete TLS negotiation with a federated peer server', status: 'fail', fixId: 'certificateTrust' },
};

const MESSAGE_BY_STATUS = { pass: 'information', warn: 'warning', fail: 'failure' } as const;

interface MsDiagnostic {
  header: string;
  raw: string;
  code: number | undefined;
  parameters: Record<string, string>;
}

/** `1034;reason="...";source="sip.fabrikam.com"` as its code and parameters (names lower-cased, quotes removed). */
function parseMsDiagnostic(header: string, raw: string): MsDiagnostic {
  const code = /^\s*(\d+)/.exec(raw)?.[1];
  const parameters: Record<string, string> = {};
  for (const match of raw.matchAll(/;\s*([A-Za-z][A-Za-z0-9-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const value = (match[2] ?? '').trim();
    parameters[(match[1] ?? '').toLowerCase()] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  }
  return { header, raw, code: code === undefined ? undefined : Number(code), parameters };
}

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
    requires: ['tcp', 'sip'],
    references: [
      { title: '[MS-OCER]: Client Error Code Extensions', url: 'https://learn.microsoft.com/en-us/openspecs/office_protocols/ms-ocer/' },
      { title: 'Lync Server 2013: Setting up Lync federation', url: 'https://learn.microsoft.com/en-us/lyncserver/lync-server-2013-setting-up-lync-federation' },
      { title: 'New-CsAllowedDomain (Skype for Business Server PowerShell)', url: 'https://learn.microsoft.com/en-us/powershell/module/skype/new-csalloweddomain' },
      { title: 'Test-CsFederatedPartner (Skype for Business Server PowerShell)', url: 'https://learn.microsoft.com/en-us/powershell/module/skype/test-csfederatedpartner' },
    ],
    messages: {
      ...LISTENER_MESSAGES,
      none: '{{subject}}: the answer ({{status}}) carries no ms-diagnostics header',
      information: '{{subject}}: {{header}} {{code}}: {{meaning}}{{details}}',
      warning: '{{subject}}: {{header}} {{code}}: {{meaning}}{{details}}',
      failure: '{{subject}}: {{header}} {{code}}: {{meaning}}{{details}}',
      unknownCode: '{{subject}}: {{header}} carries a code fedcheck does not know: {{raw}}',
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
    return judgeListeners(context, ['sip'], 'SIP federation listener', (listener, state): FindingDraft[] => {
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
        const { parameters } = diagnostic;
        const source = parameters.source ?? listener.endpoint.host;
        const details = [
          parameters.reason !== undefined ? `reason "${parameters.reason}"` : '',
          parameters.source !== undefined ? `added by ${parameters.source}` : '',
          parameters.domain !== undefined ? `domain ${parameters.domain}` : '',
          parameters.peerserver !== undefined ? `peer ${parameters.peerserver}` : '',
        ].filter(Boolean);
        const data = {
          ...listener.data,
          fromDomain,
          header: diagnostic.header,
          code: diagnostic.code ?? diagnostic.raw,
          raw: diagnostic.raw,
          details: details.length > 0 ? ` (${details.join(', ')})` : '',
          source,
          peer: parameters.peerserver ?? 'its peer',
          peerDomain: parameters.domain ?? context.target.domain,
        };
        const known = diagnostic.code === undefined ? undefined : CODES[diagnostic.code];
        if (!known) return { status: 'warn', subject, messageId: 'unknownCode', data, evidence, fixId: 'unknownCode' };
        const messageId = MESSAGE_BY_STATUS[known.status];
        const finding: FindingDraft = { status: known.status, subject, messageId, data: { ...data, meaning: known.meaning }, evidence };
        return known.fixId === undefined ? finding : { ...finding, fixId: known.fixId };
      });
    });
  },
});
