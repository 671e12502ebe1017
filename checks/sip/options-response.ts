// Whether a SIP stack answers an OPTIONS sent over the federation TLS connection, and what its answer means.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import type { SessionFailure, SipProbeFacts, SipResponse } from '../../src/model/protocol-facts.js';
import { LISTENER_MESSAGES, describeFailure, judgeListeners, sessionEvidence } from '../../src/judge/tls-evidence.js';
import type { Listener } from '../../src/model/listener.js';
import { REFERENCES } from '../../src/judge/references.js';

/** What a final status tells an admin about federation, beyond "a SIP stack answered". */
const STATUS_MEANINGS: Readonly<Record<number, string>> = {
  400: 'the SIP stack rejected the form of the request',
  401: 'it demands authentication, as a registrar or proxy does for its own users, not as a federation Edge does',
  403: 'it refuses this sender: usual when the sender\'s domain is not an allowed or discovered partner (see sip.ms-diagnostics)',
  404: 'the domain in the request is not one it serves: check the SIP domain is configured on it',
  405: 'it does not take OPTIONS from outside',
  407: 'it demands proxy authentication, as a proxy does for its own users, not as a federation Edge does',
  408: 'the next hop behind it did not answer in time',
  480: 'nobody behind it took the request, which is normal for an OPTIONS to a domain',
  488: 'it did not accept the request as sent',
  500: 'it failed internally',
  501: 'it does not implement OPTIONS',
  503: 'the service behind it (the Front End pool) is unavailable or overloaded',
};

function meaning(status: number): string {
  const known = STATUS_MEANINGS[status];
  if (known) return known;
  if (status < 400) return 'a redirect: it points elsewhere (see the Contact header)';
  if (status < 500) return 'a client error: it refused this request';
  if (status < 600) return 'a server error on its side or further on';
  return 'a global failure: it declines the request everywhere';
}

const EVIDENCE_HEADERS = [
  'server',
  'user-agent',
  'allow',
  'supported',
  'warning',
  'reason',
  'retry-after',
  'contact',
  'ms-diagnostics',
  'ms-diagnostics-public',
];

/**
 * How a final answer without ms-diagnostics is judged. A Lync / Skype for Business Edge explains a refusal in that
 * header (sip.ms-diagnostics decodes it); a partner's SBC or SIP proxy does not, so the status code is all there is.
 */
type PlainVerdict = 'refused' | 'notServed' | 'serverError' | 'notAccepted';

/** Refusals of the sender: authentication demanded (a federated peer is trusted, not challenged), forbidden, declined. */
const REFUSAL_REASONS: Readonly<Record<number, string>> = {
  401: ': it asks for credentials, as of one of its own users, instead of trusting a federated peer',
  403: '',
  407: ': it asks for proxy credentials, as of one of its own users, instead of trusting a federated peer',
  603: ': it declines the request',
};

function plainVerdict(status: number): PlainVerdict | undefined {
  if (status < 400 || status === 480) return undefined;
  if (REFUSAL_REASONS[status] !== undefined) return 'refused';
  if (status === 404 || status === 604) return 'notServed';
  if (status === 408 || (status >= 500 && status < 600)) return 'serverError';
  return 'notAccepted';
}

const PLAIN_FIXES: Record<PlainVerdict, string> = { refused: 'allowOurDomain', notServed: 'serveDomain', serverError: 'askPartner', notAccepted: 'askPartner' };

export default defineCheck({
  meta: {
    id: 'sip.options-response',
    area: 'sip',
    title: 'A SIP stack answers OPTIONS on the federation port',
    failureTitle: 'No SIP stack answers OPTIONS on the federation port',
    description:
      'A federation Edge answers a SIP OPTIONS sent over the TLS connection with a final response; silence, a hang-up or ' +
      'something that is not SIP means partners\' messages go nowhere even though TLS works.',
    services: ['sip'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'sip'],
    references: [
      REFERENCES.rfc3261Options, REFERENCES.rfc3261ResponseCodes, REFERENCES.testFederatedPartner,
      REFERENCES.accessEdgeConfiguration,
    ],
    messages: {
      ...LISTENER_MESSAGES,
      ok: '{{subject}}: a SIP stack answered {{status}} in {{elapsedMs}} ms',
      answered: '{{subject}}: a SIP stack answered {{status}} in {{elapsedMs}} ms: {{meaning}}',
      serverTimeout:
        '{{subject}}: answered {{status}}: the Edge could not reach its next hop (its Front End pool, or the partner behind it), ' +
        'or the sender\'s domain is not on its allowed list',
      noAnswer: '{{subject}}: no SIP answer to OPTIONS ({{detail}}): not a SIP server, or the Edge service behind TLS is not running',
      notSip: '{{subject}}: something other than SIP answered: {{detail}}',
      malformed: '{{subject}}: the answer is not well-formed SIP: {{detail}}',
      closed:
        '{{subject}}: the peer closed the connection instead of answering ({{detail}}): an Edge does this when it does not accept ' +
        'the sender (no client certificate, federation off, domain blocked)',
      alertAfterHandshake: '{{subject}}: the peer ended TLS with an alert instead of answering: {{detail}}',
      clientCertificateDemanded:
        '{{subject}}: the peer demands a client certificate before it answers (mutual TLS); run fedcheck with --client-cert to see its answer',
      refused:
        '{{subject}}: the SIP server answered {{status}} ({{agent}}, no ms-diagnostics): it refused our domain {{fromDomain}}{{why}}',
      notServed:
        '{{subject}}: the SIP server answered {{status}} ({{agent}}, no ms-diagnostics): it does not serve {{domain}}, so federation ' +
        'requests for {{domain}} end there',
      serverError: '{{subject}}: the SIP server answered {{status}} ({{agent}}, no ms-diagnostics): {{meaning}}',
      notAccepted:
        '{{subject}}: the SIP server answered {{status}} ({{agent}}, no ms-diagnostics): {{meaning}}; the answer does not show whether ' +
        'it accepts federation from {{fromDomain}}',
      tooLarge: '{{subject}}: could not read the answer: {{detail}}',
      couldNotMeasure: '{{subject}}: could not get an answer to judge: {{detail}}',
      tlsFailed: '{{subject}}: no TLS session to send OPTIONS over ({{why}}); see tls.handshake',
    },
    fixes: {
      nextHop: {
        summary: 'Let the Edge at {{host}} reach its next hop, and allow the sending domain',
        steps: [
          'On the Edge, check that the internal interface reaches the Front End pool (or next hop) on TCP 5061, and that the Edge ' +
            'services run: Get-CsWindowsService.',
          'Check federation is on and the partner allowed: Get-CsAccessEdgeConfiguration (AllowFederatedUsers, ' +
            'EnablePartnerDiscovery) and Get-CsAllowedDomain; add a partner with New-CsAllowedDomain.',
          'Test from the Edge: Test-CsFederatedPartner -TargetFqdn {{host}} -Domain <partner domain>.',
        ],
        snippets: [
          { lang: 'powershell', text: 'Set-CsAccessEdgeConfiguration -AllowFederatedUsers $true -EnablePartnerDiscovery $true' },
          { lang: 'powershell', text: 'New-CsAllowedDomain -Identity {{fromDomain}}' },
          { lang: 'powershell', text: 'Test-CsFederatedPartner -TargetFqdn {{host}} -Domain {{fromDomain}}' },
        ],
      },
      startSipService: {
        summary: 'Run the SIP federation service behind TLS on {{endpoint}} ({{host}})',
        steps: [
          'Lync / Skype for Business Edge: Get-CsWindowsService must show the Access Edge (RTCSRV) running; start it with ' +
            'Start-CsWindowsService. Kamailio: systemctl status kamailio, and a tls listener (listen=tls:<address>:{{port}}).',
          'Check that {{port}} on {{address}} reaches the Access Edge external interface and not another TLS service (a ' +
            'reverse proxy or web server answering TLS but not SIP).',
        ],
        snippets: [
          { lang: 'powershell', text: 'Get-CsWindowsService\nStart-CsWindowsService' },
          { lang: 'kamailio', text: 'listen=tls:{{address}}:{{port}}' },
        ],
      },
      sipListener: {
        summary: 'Forward {{port}} on {{address}} to the SIP federation listener ({{host}}), not to another service',
        steps: [
          'Check the NAT, load balancer or firewall rule for TCP {{port}}: it must reach the Access Edge external interface.',
          'See what answers: send an OPTIONS with the shell line below; a SIP server answers with a "SIP/2.0" status line ' +
            'within the three seconds the line waits before it closes the connection.',
        ],
        snippets: [
          {
            lang: 'shell',
            // -brief, unlike -quiet, does not imply -ign_eof: when the sleep ends, stdin closes and so does s_client.
            text:
              "(printf 'OPTIONS sip:{{domain}} SIP/2.0\\r\\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKfedcheck1\\r\\n" +
              'Max-Forwards: 70\\r\\nFrom: <sip:fedcheck@fedcheck.invalid>;tag=1\\r\\nTo: <sip:{{domain}}>\\r\\n' +
              "Call-ID: fedcheck-check-1\\r\\nCSeq: 1 OPTIONS\\r\\nContent-Length: 0\\r\\n\\r\\n'; sleep 3) | openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -brief",
          },
        ],
      },
      allowOurDomain: {
        summary:
          'Ask the admins of {{domain}} to accept SIP federation from {{fromDomain}}: your domain and your Access Edge on their ' +
          'allowed list, SBC trust or federation settings',
        steps: [
          'fedcheck sent From: <sip:fedcheck@{{fromDomain}}>. If {{fromDomain}} is not your SIP domain, run fedcheck again with ' +
            '--from-domain set to it: a partner is right to refuse a domain it does not know.',
          'Send the admins of {{domain}} the evidence above (the status line, and the Server, Warning and Reason headers their ' +
            'server sent) and ask them to allow {{fromDomain}}, and your Access Edge FQDN, wherever their server decides whom it ' +
            'federates with: the allowed domains of a Lync / Skype for Business Edge, the trusted peers of an SBC or SIP proxy, ' +
            'the federation settings of a hosted service.',
          'Once they have, run fedcheck again: the answer should no longer be {{status}}.',
        ],
        snippets: [{ lang: 'powershell', text: '# in their Skype for Business Server Management Shell\nNew-CsAllowedDomain -Identity {{fromDomain}}' }],
      },
      serveDomain: {
        summary: 'Ask the admins of {{domain}} to have {{host}} serve {{domain}}, or to point the federation SRV record at the server that does',
        steps: [
          'The server at {{endpoint}} answered {{status}} to OPTIONS sip:{{domain}}: it does not know the domain. On a Lync / ' +
            'Skype for Business deployment {{domain}} must be one of its SIP domains (Get-CsSipDomain); an SBC or proxy must route it.',
          'If another server handles federation for {{domain}}, _sipfederationtls._tcp.{{domain}} must point at it (see ' +
            'dns.sip-federation-srv).',
        ],
        snippets: [{ lang: 'powershell', text: 'Get-CsSipDomain' }],
      },
      askPartner: {
        summary: 'Ask the admins of {{domain}} why {{host}} answers {{status}} to a federation OPTIONS from {{fromDomain}}',
        steps: [
          'Send them the evidence above (the status line, and the Server, Warning and Reason headers their server sent) with the ' +
            'time of the test: their SIP server\'s log says why it answered so.',
          'The answer carries no ms-diagnostics header, which a Lync / Skype for Business Edge adds to explain a refusal: it more ' +
            'likely comes from an SBC, a SIP proxy or a device in front of the Edge.',
        ],
        snippets: [{ lang: 'shell', text: 'fedcheck check {{domain}} --sip --from-domain {{fromDomain}} --format md' }],
      },
      acceptSender: {
        summary: 'Have {{host}} accept federated senders: mutual TLS with a trusted certificate, federation on, the domain not blocked',
        steps: [
          'Run fedcheck again with --client-cert (the certificate of your own Edge): a Lync / Skype for Business Edge closes ' +
            'federated connections that present no certificate it trusts.',
          'On the Edge: Get-CsAccessEdgeConfiguration (AllowFederatedUsers True), Get-CsBlockedDomain (the sender not listed), ' +
            'Get-CsAllowedDomain when partner discovery is off.',
        ],
        snippets: [
          { lang: 'powershell', text: 'Get-CsAccessEdgeConfiguration | Select-Object AllowFederatedUsers, EnablePartnerDiscovery\nGet-CsBlockedDomain' },
        ],
      },
    },
  },

  evaluate(context) {
    const fromDomain = context.options.fromDomain ?? 'fedcheck.invalid';
    return judgeListeners(context, ['sip'], (listener, state): FindingDraft[] => {
      const { subject } = listener;
      const data = { ...listener.data, fromDomain };
      if (state.state === 'no-session' || state.probe.protocol !== 'sip') {
        return [{ status: 'skip', subject, messageId: 'tlsFailed', data: { ...data, why: state.state === 'no-session' ? state.why : 'no session' } }];
      }
      const facts = state.probe.facts;
      const evidence = [sessionEvidence(listener, state.session), ...exchangeEvidence(facts)];
      if (facts.response) return [judgeResponse(listener, facts.response, data, evidence)];
      const failure: SessionFailure = facts.failure ?? { stage: 'response', reason: 'error', detail: 'no answer was recorded' };
      return [judgeFailure(subject, failure, { ...data, detail: failure.detail }, [...evidence, describeFailure(failure)])];
    });
  },
});

function judgeResponse(listener: Listener, response: SipResponse, data: Record<string, string | number>, evidence: string[]): FindingDraft {
  const { subject } = listener;
  const values = { ...data, status: response.statusLine, elapsedMs: response.elapsedMs, meaning: meaning(response.statusCode) };
  if (response.statusCode === 200) return { status: 'pass', subject, messageId: 'ok', data: values, evidence };
  if (response.statusCode === 504) return { status: 'warn', subject, messageId: 'serverTimeout', data: values, evidence, fixId: 'nextHop' };
  const verdict = hasDiagnostics(response) ? undefined : plainVerdict(response.statusCode);
  if (verdict === undefined) return { status: 'pass', subject, messageId: 'answered', data: values, evidence };
  const plain = { ...values, agent: agentOf(response), why: REFUSAL_REASONS[response.statusCode] ?? '' };
  return { status: 'warn', subject, messageId: verdict, data: plain, evidence, fixId: PLAIN_FIXES[verdict] };
}

/** sip.ms-diagnostics judges an answer that explains itself. */
function hasDiagnostics(response: SipResponse): boolean {
  return response.headers.some(([name]) => /^ms-diagnostics(-public)?$/i.test(name));
}

/** What answered, as it names itself: `Server: kamailio (5.6.3 (x86_64/linux))`. */
function agentOf(response: SipResponse): string {
  const header = (wanted: string) => response.headers.find(([name]) => name.toLowerCase() === wanted);
  const [name, value] = header('server') ?? header('user-agent') ?? [];
  return name === undefined ? 'no Server header' : `${name}: ${value ?? ''}`;
}

function judgeFailure(subject: string, failure: SessionFailure, data: Record<string, string | number>, evidence: string[]): FindingDraft {
  const fail = (messageId: string, fixId: string): FindingDraft => ({ status: 'fail', subject, messageId, data, evidence, fixId });
  switch (failure.reason) {
    case 'timeout':
      return fail('noAnswer', 'startSipService');
    case 'not-sip':
      return fail('notSip', 'sipListener');
    case 'malformed':
      return fail('malformed', 'sipListener');
    case 'closed':
    case 'reset':
      return fail('closed', 'acceptSender');
    case 'tls-alert':
    case 'tls-error':
      if (/certificate.required/i.test(`${failure.detail} ${failure.code ?? ''}`)) {
        return { status: 'error', subject, messageId: 'clientCertificateDemanded', data, evidence };
      }
      return fail('alertAfterHandshake', 'acceptSender');
    case 'too-large':
      return { status: 'error', subject, messageId: 'tooLarge', data, evidence };
    default:
      return { status: 'error', subject, messageId: 'couldNotMeasure', data, evidence };
  }
}

/** The request line, the status line, the headers that say what answered, and the time it took. */
function exchangeEvidence(facts: SipProbeFacts): string[] {
  const lines: string[] = [];
  const requestLine = facts.request?.split(/\r?\n/)[0];
  if (requestLine) lines.push(`sent: ${requestLine}`);
  const { response } = facts;
  if (response) {
    lines.push(`received: ${response.statusLine} after ${response.elapsedMs} ms (${response.bytes} bytes)`);
    for (const [name, value] of response.headers) {
      if (EVIDENCE_HEADERS.includes(name.toLowerCase())) lines.push(`  ${name}: ${value}`);
    }
  }
  return lines;
}
