// Whether each XMPP server-to-server listener offers STARTTLS, requires it, and starts TLS cleanly after <proceed/>.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { LISTENER_MESSAGES, judgeListeners } from '../../src/judge/tls-evidence.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'xmpp.starttls',
    area: 'xmpp',
    title: 'XMPP servers offer and require STARTTLS',
    failureTitle: 'An XMPP server does not offer STARTTLS, or starts TLS unsafely',
    description:
      'RFC 7590 peers refuse unencrypted server-to-server streams: the server must offer STARTTLS (and should require it, so no ' +
      'peer falls back to plain text), and must send nothing after <proceed/> before the TLS handshake.',
    services: ['xmpp'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'xmpp'],
    references: [
      REFERENCES.rfc6120Starttls, REFERENCES.rfc7590XmppTls, REFERENCES.prosodyS2sSecurity, REFERENCES.ejabberdS2sStarttls,
      REFERENCES.xmppNegotiationSettings,
    ],
    messages: {
      ...LISTENER_MESSAGES,
      required: '{{subject}}: STARTTLS offered and required',
      optional: '{{subject}}: STARTTLS offered but not required: a peer that skips it talks to this server in plain text',
      notOffered: '{{subject}}: STARTTLS is not offered (features: {{features}}): RFC 7590 peers refuse to federate without TLS',
      injection:
        '{{subject}}: {{bytes}} bytes arrived after <proceed/> before the TLS handshake: the server (or a middlebox) injects data ' +
        'into the stream (STARTTLS injection); fedcheck discarded them',
      directTls: '{{subject}}: direct TLS (XEP-0368): STARTTLS does not apply',
      noFeatures: '{{subject}}: no stream features to read STARTTLS from ({{why}}); see xmpp.stream-negotiation',
    },
    fixes: {
      requireTls: {
        summary: 'Require TLS on server-to-server streams of {{domain}}',
        steps: [
          'Prosody: s2s_require_encryption = true (and s2s_secure_auth = true to insist on valid certificates).',
          'ejabberd: s2s_use_starttls: required.',
          'Lync / Skype for Business XMPP gateway: set TLS negotiation to Required for the partner (below).',
        ],
        snippets: [
          { lang: 'prosody', text: 's2s_require_encryption = true' },
          { lang: 'ejabberd', text: 's2s_use_starttls: required' },
          { lang: 'powershell', text: 'Set-CsXmppAllowedPartner -Identity <partner domain> -TlsNegotiation Required' },
        ],
      },
      offerStartTls: {
        summary: 'Give the XMPP server of {{domain}} a certificate for {{domain}} and turn STARTTLS on for server-to-server streams',
        steps: [
          'Prosody offers STARTTLS only when it has a certificate for the host: install one for {{domain}} ' +
            '(`prosodyctl --root cert import /etc/letsencrypt/live`), then s2s_require_encryption = true.',
          'ejabberd: certfiles with a certificate for {{domain}} and s2s_use_starttls: required.',
          'Lync / Skype for Business XMPP gateway: TLS negotiation Optional or Required for the partner, and {{domain}} on the ' +
            'Edge external certificate.',
        ],
        snippets: [
          { lang: 'prosody', text: 's2s_require_encryption = true' },
          { lang: 'ejabberd', text: 'certfiles:\n  - "/etc/ejabberd/fullchain.pem"\ns2s_use_starttls: required' },
          { lang: 'powershell', text: 'Set-CsXmppAllowedPartner -Identity <partner domain> -TlsNegotiation Required' },
        ],
      },
      stopInjection: {
        summary: 'Find what sends data after <proceed/> on {{endpoint}} and stop it',
        steps: [
          'A firewall or load balancer with XMPP inspection or an SSL "fixup" can rewrite STARTTLS: turn it off for TCP {{port}}.',
          'Otherwise the XMPP server itself is faulty: update it; a server that writes after <proceed/> lets an attacker inject ' +
            'plain-text commands into the encrypted session.',
        ],
        snippets: [{ lang: 'shell', text: 'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} </dev/null' }],
      },
    },
  },

  evaluate(context) {
    return judgeListeners(context, ['xmpp-starttls', 'xmpp-direct-tls'], (listener, state): FindingDraft[] => {
      const { subject, data } = listener;
      if (listener.endpoint.mode === 'xmpp-direct-tls') return [{ status: 'skip', subject, messageId: 'directTls', data }];
      if (state.probe.protocol !== 'xmpp') return [];
      const facts = state.probe.facts;
      const features = facts.preTlsFeatures;
      if (!features) {
        const why = facts.failure ? facts.failure.detail : facts.streamError ? `stream error <${facts.streamError.condition}/>` : 'none received';
        return [{ status: 'skip', subject, messageId: 'noFeatures', data: { ...data, why } }];
      }
      const evidence = [
        `${subject} via ${listener.endpoint.via}: features before TLS: ${features.names.join(' ') || 'none'}`,
        ...(facts.bytesAfterProceed !== undefined ? [`bytes after <proceed/>: ${facts.bytesAfterProceed}`] : []),
      ];
      const values = { ...data, features: features.names.join(' ') || 'none', bytes: facts.bytesAfterProceed ?? 0 };
      if (!features.starttls.offered) return [{ status: 'fail', subject, messageId: 'notOffered', data: values, evidence, fixId: 'offerStartTls' }];
      if ((facts.bytesAfterProceed ?? 0) > 0) return [{ status: 'fail', subject, messageId: 'injection', data: values, evidence, fixId: 'stopInjection' }];
      if (!features.starttls.required) return [{ status: 'warn', subject, messageId: 'optional', data: values, evidence, fixId: 'requireTls' }];
      return [{ status: 'pass', subject, messageId: 'required', data: values, evidence }];
    });
  },
});
