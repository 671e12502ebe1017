// Whether a peer can authenticate to each XMPP server after TLS: server dialback (XEP-0220) and/or SASL EXTERNAL (XEP-0178).

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { endedWithNothingToOffer } from '../../src/model/protocol-facts.js';
import type { TlsSession, XmppProbeFacts } from '../../src/model/protocol-facts.js';
import { LISTENER_MESSAGES, judgeListeners, sessionEvidence } from '../../src/judge/tls-evidence.js';
import { REFERENCES } from '../../src/judge/references.js';
import type { Listener } from '../../src/model/listener.js';

const DIALBACK_NAMESPACE = 'jabber:server:dialback';

export default defineCheck({
  meta: {
    id: 'xmpp.authentication-methods',
    area: 'xmpp',
    title: 'XMPP servers let peers authenticate (dialback or SASL EXTERNAL)',
    failureTitle: 'An XMPP server offers peers no way to authenticate',
    description:
      'After TLS a peer proves its domain with SASL EXTERNAL (its certificate, which needs Client Authentication) or with server ' +
      'dialback (a DNS-based check); a server offering neither accepts no federated peer.',
    services: ['xmpp'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'xmpp'],
    references: [
      REFERENCES.xep0220Dialback, REFERENCES.xep0178SaslExternal, REFERENCES.rfc6120Sasl, REFERENCES.letsEncryptClientAuth,
      REFERENCES.xmppNegotiationSettings,
    ],
    messages: {
      ...LISTENER_MESSAGES,
      both: '{{subject}}: peers can authenticate with server dialback or SASL EXTERNAL',
      dialbackOnly:
        '{{subject}}: peers can authenticate with server dialback; SASL EXTERNAL was not offered to fedcheck (it is offered only ' +
        'for a client certificate the server accepts)',
      externalOnly:
        '{{subject}}: peers can authenticate only with SASL EXTERNAL, dialback is off: only peers whose certificate has Client ' +
        'Authentication and is trusted here can federate, and public CAs stopped issuing clientAuth in 2026',
      dialbackUnadvertised:
        '{{subject}}: the stream declares the dialback namespace but advertises neither dialback nor SASL EXTERNAL (features: ' +
        '{{features}}): peers that wait for the dialback feature (XEP-0220) will not try it',
      none: '{{subject}}: after TLS the server offers neither server dialback nor SASL EXTERNAL (features: {{features}}): no peer can authenticate',
      nothingToOffer:
        '{{subject}}: the server offers peers no way to authenticate: after TLS it ended the stream with <{{condition}}/> ' +
        '"{{text}}" instead of offering server dialback or SASL EXTERNAL ({{certificate}}): only a peer whose certificate it ' +
        'trusts could be offered SASL EXTERNAL, every other peer is turned away',
      noSecuredStream: '{{subject}}: no secured stream to read the authentication methods from ({{why}}); see tls.handshake and xmpp.starttls',
      noFeatures: '{{subject}}: no stream features after TLS ({{why}}); see xmpp.stream-negotiation',
    },
    fixes: {
      enableDialbackOrTrust: {
        summary:
          'Let peers authenticate to the XMPP server of {{domain}}: enable server dialback, or have peers present a certificate it ' +
          'trusts so it offers SASL EXTERNAL',
        steps: [
          'Prosody: add "dialback" to modules_enabled (and take it out of modules_disabled, globally and under VirtualHost ' +
            '"{{domain}}"), then restart Prosody.',
          'ejabberd: add mod_s2s_dialback under modules, then restart ejabberd.',
          'Or authenticate by certificate only: a peer is offered SASL EXTERNAL when its certificate chains to a CA the server ' +
            'trusts (Prosody: ssl.cafile or ssl.capath; ejabberd: ca_file) and names the peer\'s domain. Test yours with ' +
            'fedcheck --client-cert (below).',
        ],
        snippets: [
          { lang: 'prosody', text: 'modules_enabled = { "dialback" }' },
          { lang: 'ejabberd', text: 'modules:\n  mod_s2s_dialback: {}' },
          { lang: 'shell', text: 'fedcheck check {{domain}} --client-cert <your certificate> --client-key <its key> --from-domain <your XMPP domain>' },
        ],
      },
      offerDialback: {
        summary: 'Offer server dialback (and SASL EXTERNAL for peers with certificates) on the XMPP server of {{domain}}',
        steps: [
          'Prosody: keep "dialback" in modules_enabled; with s2s_secure_auth = true Prosody accepts only certificate ' +
            'authentication, so list peers that need dialback in s2s_insecure_domains.',
          'ejabberd: enable mod_s2s_dialback.',
          'Lync / Skype for Business XMPP gateway: allow dialback for the partner (-SupportDialbackNegotiation $true).',
        ],
        snippets: [
          { lang: 'prosody', text: 'modules_enabled = { "dialback" }' },
          { lang: 'ejabberd', text: 'modules:\n  mod_s2s_dialback: {}' },
          { lang: 'powershell', text: 'Set-CsXmppAllowedPartner -Identity <partner domain> -SupportDialbackNegotiation $true' },
        ],
      },
    },
  },

  evaluate(context) {
    return judgeListeners(context, ['xmpp-starttls', 'xmpp-direct-tls'], (listener, state): FindingDraft[] => {
      const { subject, data } = listener;
      if (state.state === 'no-session') return [{ status: 'skip', subject, messageId: 'noSecuredStream', data: { ...data, why: state.why } }];
      if (state.probe.protocol !== 'xmpp') return [];
      const facts = state.probe.facts;
      const features = facts.postTlsFeatures;
      if (endedWithNothingToOffer(facts)) return [nothingToOffer(listener, state.session, facts)];
      if (!features) {
        const why = facts.failure?.detail ?? (facts.streamError ? `stream error <${facts.streamError.condition}/>` : 'none received');
        return [{ status: 'skip', subject, messageId: 'noFeatures', data: { ...data, why } }];
      }
      const external = features.saslMechanisms.some((mechanism) => mechanism.toUpperCase() === 'EXTERNAL');
      const values = { ...data, features: features.names.join(' ') || 'none' };
      const evidence = [
        sessionEvidence(listener, state.session),
        `features after TLS: ${features.names.join(' ') || 'none'}`,
        `SASL mechanisms: ${features.saslMechanisms.join(', ') || 'none'}; dialback: ${features.dialback ? 'offered' : 'not offered'}`,
        ...(facts.saslExternal ? [`SASL EXTERNAL with our certificate: ${describeExternal(facts.saslExternal)}`] : []),
      ];
      if (features.dialback && external) return [{ status: 'pass', subject, messageId: 'both', data: values, evidence }];
      if (features.dialback) return [{ status: 'pass', subject, messageId: 'dialbackOnly', data: values, evidence }];
      if (external) return [{ status: 'pass', subject, messageId: 'externalOnly', data: values, evidence }];
      // Servers older than XEP-0220's feature declare the namespace on the stream and expect dialback without advertising it.
      const declaresDialback = Object.entries(facts.streamHeader ?? {}).some(([name, value]) => name.startsWith('xmlns:') && value === DIALBACK_NAMESPACE);
      if (declaresDialback) return [{ status: 'warn', subject, messageId: 'dialbackUnadvertised', data: values, evidence, fixId: 'offerDialback' }];
      return [{ status: 'fail', subject, messageId: 'none', data: values, evidence, fixId: 'offerDialback' }];
    });
  },
});

/** Prosody's way of saying it has no authentication method to offer: the fail, with the stream error as evidence. */
function nothingToOffer(listener: Listener, session: TlsSession, facts: XmppProbeFacts): FindingDraft {
  const error = facts.streamError ?? { condition: 'undefined-condition' };
  const certificate = session.clientCertificateOffered
    ? 'not even for the client certificate fedcheck presented'
    : 'fedcheck presented no client certificate; --client-cert tests yours';
  return {
    status: 'fail',
    subject: listener.subject,
    messageId: 'nothingToOffer',
    data: { ...listener.data, condition: error.condition, text: error.text ?? '', certificate },
    evidence: [
      sessionEvidence(listener, session),
      `features before TLS: ${facts.preTlsFeatures?.names.join(' ') || 'none'}`,
      `after TLS, in place of the features: <stream:error><${error.condition}/>${error.text ? ` "${error.text}"` : ''}`,
    ],
    fixId: 'enableDialbackOrTrust',
  };
}

function describeExternal(result: NonNullable<XmppProbeFacts['saslExternal']>): string {
  if (result.outcome === 'success') return 'succeeded';
  if (result.outcome === 'failure') return `failed, <${result.condition}/>${result.text ? ` "${result.text}"` : ''}`;
  return `no answer (${result.detail})`;
}
