// Whether each XMPP server-to-server listener negotiates a stream for the domain: stream header, features, no stream
// error; a stream error is decoded into what the server refused and how to fix it.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { endedWithNothingToOffer } from '../../src/model/protocol-facts.js';
import type { XmppFeatures, XmppProbeFacts } from '../../src/model/protocol-facts.js';
import { LISTENER_MESSAGES, describeFailure, judgeListeners } from '../../src/judge/tls-evidence.js';
import type { Listener } from '../../src/model/listener.js';
import { REFERENCES } from '../../src/judge/references.js';

/** RFC 6120 section 4.9.3 conditions: what the server means, and which fix applies. */
const CONDITIONS: Readonly<Record<string, { meaning: string; fixId: string }>> = {
  'host-unknown': { meaning: 'the server does not host {{domain}}', fixId: 'hostDomain' },
  'host-gone': { meaning: 'the server no longer hosts {{domain}}', fixId: 'hostDomain' },
  'policy-violation': { meaning: 'the server\'s local policy refuses this stream (TLS or certificates required, or the sending domain not allowed)', fixId: 'serverPolicy' },
  'not-authorized': { meaning: 'the server refuses to let the sending domain in before it authenticates', fixId: 'serverPolicy' },
  'improper-addressing': { meaning: 'the stream\'s from or to was missing or not acceptable', fixId: 'addressing' },
  // A template literal: the registry lint reads a quoted name ending in from as an import specifier.
  [`invalid-from`]: { meaning: 'the sending domain in from is not acceptable', fixId: 'addressing' },
  'remote-connection-failed': { meaning: 'the server could not reach the component or internal server that serves {{domain}}', fixId: 'remoteConnection' },
  'see-other-host': { meaning: 'the server redirects peers to another host{{otherHost}}', fixId: 'otherHost' },
  'system-shutdown': { meaning: 'the server is shutting down', fixId: 'restartServer' },
  'internal-server-error': { meaning: 'the server failed internally', fixId: 'serverLogs' },
  'undefined-condition': { meaning: 'the server gave no specific reason', fixId: 'serverLogs' },
};

export default defineCheck({
  meta: {
    id: 'xmpp.stream-negotiation',
    area: 'xmpp',
    title: 'XMPP servers negotiate a server-to-server stream for the domain',
    failureTitle: 'An XMPP server refuses or breaks the server-to-server stream',
    description:
      'A peer opens a stream to the XMPP domain and reads the stream features, before and after TLS; a stream error (host-unknown, ' +
      'policy-violation...) or a peer that is not speaking XMPP ends federation before any message.',
    services: ['xmpp'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'xmpp'],
    references: [
      REFERENCES.rfc6120StreamErrors, REFERENCES.rfc6120StreamAttributes, REFERENCES.xep0368DirectTls,
      REFERENCES.prosodyConfigure, REFERENCES.xmppFederation,
    ],
    messages: {
      ...LISTENER_MESSAGES,
      negotiated: '{{subject}}: stream {{streamId}} from {{from}} (version {{version}}) negotiated, {{stages}}',
      negotiatedNothingToOffer:
        '{{subject}}: stream {{streamId}} from {{from}} (version {{version}}) negotiated ({{stages}}); the server then ended it ' +
        'with <undefined-condition/> "{{text}}": it offers peers no way to authenticate, see xmpp.authentication-methods',
      negotiatedWithoutTls: '{{subject}}: stream {{streamId}} from {{from}} (version {{version}}) opened and features read; no TLS (see xmpp.starttls)',
      unexpectedFrom: '{{subject}}: the server answered as {{from}}, not as {{domain}}: peers may drop a stream from a domain they did not ask for',
      streamError: '{{subject}}: stream error <{{condition}}/> {{stage}}: {{meaning}}{{text}}',
      notXmpp: '{{subject}}: something other than an XMPP server answered: {{detail}}',
      closed: '{{subject}}: the server closed the connection during negotiation {{stage}} ({{detail}}) without a stream error',
      hostile: '{{subject}}: could not judge the stream: the peer sent {{what}} ({{detail}}); fedcheck stopped reading',
      couldNotMeasure: '{{subject}}: could not negotiate a stream to judge: {{detail}}',
      tlsFailed: '{{subject}}: the stream stopped at TLS ({{detail}}); see tls.handshake',
    },
    fixes: {
      hostDomain: {
        summary: 'Serve {{domain}} on the XMPP server that _xmpp-server._tcp.{{domain}} points to ({{host}})',
        steps: [
          'Prosody: add VirtualHost "{{domain}}" (with its certificate) and reload; ejabberd: add {{domain}} to hosts.',
          'Lync / Skype for Business: enable XMPP federation on the Edge (Topology Builder) for the SIP domain {{domain}}, and ' +
            'allow users: Set-CsExternalAccessPolicy -Identity <policy> -EnableXmppAccess $true.',
          'If another server hosts {{domain}}, point the SRV record at it instead.',
        ],
        snippets: [
          { lang: 'prosody', text: 'VirtualHost "{{domain}}"' },
          { lang: 'ejabberd', text: 'hosts:\n  - "{{domain}}"' },
          { lang: 'zone', text: '_xmpp-server._tcp.{{domain}}. 3600 IN SRV 5 0 5269 {{host}}.' },
        ],
      },
      serverPolicy: {
        summary: 'Let the XMPP server of {{domain}} accept federated peers like {{fromDomain}}: TLS, certificates and allowed domains',
        steps: [
          'Read the text of the stream error and the server log for the rule that refused the stream.',
          'Prosody: with s2s_secure_auth = true peers need a valid certificate (list exceptions in s2s_insecure_domains); ' +
            'a whitelist (mod_s2s_whitelist / s2s_whitelist) must include the partner.',
          'Lync / Skype for Business XMPP gateway: add the partner: New-CsXmppAllowedPartner -Identity {{fromDomain}}.',
          'fedcheck sends from={{fromDomain}}: run it with --from-domain set to a domain the server federates with.',
        ],
        snippets: [
          { lang: 'powershell', text: 'New-CsXmppAllowedPartner -Identity {{fromDomain}} -TlsNegotiation Optional -SupportDialbackNegotiation $true' },
          { lang: 'prosody', text: 's2s_insecure_domains = { "{{fromDomain}}" }' },
        ],
      },
      addressing: {
        summary: 'Send a stream the server accepts: run fedcheck with --from-domain set to your real XMPP domain',
        steps: [
          'Servers refuse a stream whose from is missing or not a real domain; fedcheck uses fedcheck.invalid unless --from-domain is given.',
          'If the error persists with a real domain, check the server\'s rules for the to and from of incoming streams.',
        ],
        snippets: [{ lang: 'shell', text: 'fedcheck check {{domain}} --from-domain <your XMPP domain>' }],
      },
      remoteConnection: {
        summary: 'Restore the connection from the XMPP front end at {{host}} to the server that serves {{domain}}',
        steps: [
          'Lync / Skype for Business: the Edge XMPP proxy reaches the Front End XMPP gateway on TCP 23456 (internal): check the ' +
            'services run (Get-CsWindowsService) and the port is open between them.',
          'A component or proxy (e.g. an XMPP load balancer) in front of the server: check its backend is up.',
        ],
        snippets: [{ lang: 'powershell', text: 'Get-CsWindowsService\nTest-NetConnection <front end FQDN> -Port 23456' }],
      },
      otherHost: {
        summary: 'Point _xmpp-server._tcp.{{domain}} at the host the server redirects to{{otherHost}}',
        steps: ['Peers do not all follow see-other-host: publish the SRV record for the host that serves {{domain}}.'],
        snippets: [{ lang: 'zone', text: '_xmpp-server._tcp.{{domain}}. 3600 IN SRV 5 0 5269 <the other host>.' }],
      },
      restartServer: {
        summary: 'Bring the XMPP server at {{host}} back into service',
        steps: ['The server was shutting down when fedcheck connected: check it came back (systemctl status prosody / ejabberd, Get-CsWindowsService), then run fedcheck again.'],
        snippets: [{ lang: 'shell', text: 'systemctl status prosody\nprosodyctl status' }],
      },
      serverLogs: {
        summary: 'Read the XMPP server\'s log at {{host}} for why it ended the stream',
        steps: ['The condition gives no reason a peer can act on: the server log names the cause (Prosody: /var/log/prosody/prosody.log; ejabberd: ejabberd.log).'],
        snippets: [{ lang: 'shell', text: 'grep -i "{{fromDomain}}" /var/log/prosody/prosody.log | tail -n 20' }],
      },
      xmppListener: {
        summary: 'Point _xmpp-server._tcp.{{domain}} (port {{port}}) at the XMPP server-to-server listener',
        steps: [
          'Check what listens on {{endpoint}}: it must be the s2s port of the XMPP server (Prosody: s2s_ports, 5269), not HTTP or another service.',
          'Check NAT and load balancer rules for TCP {{port}}.',
        ],
        snippets: [{ lang: 'prosody', text: 's2s_ports = { 5269 }' }],
      },
    },
  },

  evaluate(context) {
    return judgeListeners(context, ['xmpp-starttls', 'xmpp-direct-tls'], (listener, state): FindingDraft[] => {
      if (state.probe.protocol !== 'xmpp') return [];
      const facts = state.probe.facts;
      const fromDomain = context.options.fromDomain ?? facts.fromDomain;
      return [judgeStream(listener, facts, fromDomain)];
    });
  },
});

function judgeStream(listener: Listener, facts: XmppProbeFacts, fromDomain: string): FindingDraft {
  const { subject } = listener;
  const header = facts.streamHeader ?? {};
  const data = {
    ...listener.data,
    fromDomain,
    streamId: header.id ?? '(no id)',
    from: header.from ?? '(no from)',
    version: header.version ?? '(none)',
  };
  const evidence = streamEvidence(listener, facts);
  const stage = facts.tls ? 'after TLS' : 'before TLS';

  // Not a negotiation fault: the stream worked, authentication is what is missing, and that check owns the verdict.
  if (endedWithNothingToOffer(facts)) {
    const stages = facts.mode === 'direct-tls' ? 'over direct TLS (XEP-0368)' : 'STARTTLS, TLS and the restarted stream';
    const values = { ...data, stages, text: facts.streamError?.text ?? '' };
    return { status: 'pass', subject, messageId: 'negotiatedNothingToOffer', data: values, evidence };
  }
  if (facts.streamError) {
    const { condition, text } = facts.streamError;
    const known = CONDITIONS[condition] ?? { meaning: 'the server ended the stream', fixId: 'serverLogs' };
    const otherHost = condition === 'see-other-host' && text ? ` (${text})` : '';
    const meaning = known.meaning.replace('{{domain}}', listener.data.domain as string).replace('{{otherHost}}', otherHost);
    return {
      status: 'fail',
      subject,
      messageId: 'streamError',
      data: { ...data, condition, stage, meaning, text: text ? `: "${text}"` : '', otherHost },
      evidence,
      fixId: known.fixId,
    };
  }
  const { failure } = facts;
  if (failure) {
    const values = { ...data, detail: failure.detail, stage };
    const withFailure = [...evidence, describeFailure(failure)];
    if (failure.stage === 'tls') return { status: 'skip', subject, messageId: 'tlsFailed', data: values };
    switch (failure.reason) {
      case 'not-xmpp':
        return { status: 'fail', subject, messageId: 'notXmpp', data: values, evidence: withFailure, fixId: 'xmppListener' };
      case 'closed':
      case 'reset':
        return { status: 'fail', subject, messageId: 'closed', data: values, evidence: withFailure, fixId: 'serverPolicy' };
      case 'forbidden-xml':
      case 'too-large':
      case 'malformed':
      case 'timeout':
        // A hostile or broken peer: what it sent is no verdict on its configuration, only that it could not be measured.
        return { status: 'error', subject, messageId: 'hostile', data: { ...values, what: HOSTILE[failure.reason] ?? failure.reason }, evidence: withFailure };
      default:
        return { status: 'error', subject, messageId: 'couldNotMeasure', data: { ...values, detail: describeFailure(failure) }, evidence: withFailure };
    }
  }
  if (header.from !== undefined && header.from.toLowerCase() !== String(listener.data.domain).toLowerCase()) {
    return { status: 'warn', subject, messageId: 'unexpectedFrom', data, evidence, fixId: 'hostDomain' };
  }
  if (!facts.tls) return { status: 'pass', subject, messageId: 'negotiatedWithoutTls', data, evidence };
  const stages = facts.mode === 'direct-tls' ? 'over direct TLS (XEP-0368), features read' : 'STARTTLS, TLS, restarted stream and features read';
  return { status: 'pass', subject, messageId: 'negotiated', data: { ...data, stages }, evidence };
}

const HOSTILE: Readonly<Record<string, string>> = {
  'forbidden-xml': 'XML that XMPP forbids (a DOCTYPE, an entity or a processing instruction)',
  'too-large': 'more data than a stream header or stanza may hold',
  malformed: 'XML that is not well-formed',
  timeout: 'nothing in time',
};

function describeFeatures(features: XmppFeatures | undefined): string {
  if (!features) return 'none';
  return features.names.join(' ') || '(empty)';
}

/** The stream header, the features before and after TLS, and the bytes after <proceed/>. */
function streamEvidence(listener: Listener, facts: XmppProbeFacts): string[] {
  const header = Object.entries(facts.streamHeader ?? {})
    .map(([name, value]) => `${name}='${value}'`)
    .join(' ');
  return [
    `${listener.subject} via ${listener.endpoint.via}: to='${facts.domain}' from='${facts.fromDomain}' (${facts.mode})`,
    `stream header: ${header || 'none received'}`,
    ...(facts.mode === 'starttls' ? [`features before TLS: ${describeFeatures(facts.preTlsFeatures)}`] : []),
    ...(facts.bytesAfterProceed !== undefined ? [`bytes after <proceed/>: ${facts.bytesAfterProceed}`] : []),
    ...(facts.tls ? [`TLS: ${facts.tls.protocol} ${facts.tls.cipher}`, `features after TLS: ${describeFeatures(facts.postTlsFeatures)}`] : []),
  ];
}
