// With --client-cert: whether each partner listener accepted our certificate for mutual TLS (SIP answered after we
// offered it) or for SASL EXTERNAL (XMPP offered EXTERNAL on the secured stream). Without it, there is nothing to judge.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { endedWithNothingToOffer } from '../../src/model/protocol-facts.js';
import type { SessionFailure, XmppSaslExternal } from '../../src/model/protocol-facts.js';
import { LISTENER_MESSAGES, describeFailure, judgeListeners, sessionEvidence } from '../../src/judge/tls-evidence.js';
import { REFERENCES } from '../../src/judge/references.js';

/** Alerts a server sends when it refuses the client's certificate (RFC 8446 section 6.2). */
const CERTIFICATE_REFUSED = /bad certificate|unsupported certificate|certificate revoked|certificate expired|certificate unknown|unknown ca|access denied|certificate required/i;

function refusedOurCertificate(failure: SessionFailure | undefined): boolean {
  return failure !== undefined && (failure.reason === 'tls-alert' || failure.reason === 'tls-error') && CERTIFICATE_REFUSED.test(`${failure.detail} ${failure.code ?? ''}`.replaceAll('_', ' '));
}

export default defineCheck({
  meta: {
    id: 'tls.client-certificate-accepted',
    area: 'tls',
    title: 'Partners accept our client certificate',
    failureTitle: 'A partner refuses our client certificate',
    description:
      'Server-to-server federation is mutual: Lync / Skype for Business and Cisco Expressway Edges demand the calling Edge\'s ' +
      'certificate (mutual TLS), and XMPP servers offer SASL EXTERNAL only for a certificate they accept. Run with --client-cert ' +
      'to test the certificate your Edge presents.',
    services: ['sip', 'xmpp'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'sip', 'xmpp', 'local-certificate'],
    references: [REFERENCES.rfc8446Certificate, REFERENCES.xep0178SaslExternal, REFERENCES.ciscoFieldNotice74362, REFERENCES.tlsAndMtls],
    messages: {
      ...LISTENER_MESSAGES,
      sipAccepted: '{{subject}}: accepted our client certificate ({{source}}) and answered the OPTIONS: {{status}}',
      sipRejected: '{{subject}}: refused our client certificate ({{source}}): {{detail}}: it does not trust it, or it lacks Client Authentication',
      xmppExternalOffered: '{{subject}}: accepted our client certificate ({{source}}): SASL EXTERNAL is offered after TLS{{exchange}}',
      xmppExternalRefused:
        '{{subject}}: offered SASL EXTERNAL for our client certificate ({{source}}) but refused it when fedcheck authenticated as ' +
        '{{asDomain}}: <{{condition}}/>{{text}}{{fallback}}',
      xmppNothingOffered:
        '{{subject}}: did not accept our client certificate ({{source}}) for SASL EXTERNAL, and offers no dialback either: after ' +
        'TLS it ended the stream ("{{text}}")',
      xmppExternalNotOffered:
        '{{subject}}: did not accept our client certificate ({{source}}) for SASL EXTERNAL (offered: {{mechanisms}}); server ' +
        'dialback may still authenticate us',
      xmppRejected: '{{subject}}: refused our client certificate ({{source}}) during TLS: {{detail}}',
      notJudged: '{{subject}}: cannot tell whether our certificate was accepted: {{why}}',
    },
    fixes: {
      trustOurCertificate: {
        summary: 'Present a client certificate {{host}} trusts, with Client Authentication, or have its operator trust ours',
        steps: [
          'Our certificate must chain to a root the partner trusts (a public CA, or a private root they imported into the ' +
            'computer\'s Trusted Root Certification Authorities store / Expressway trusted CA list) and carry Client ' +
            'Authentication, which public CAs removed in 2026 (see tls.certificate-key-usage).',
          'It must name our Edge FQDN or SIP domain ({{fromDomain}}), which the partner allows: a Lync / Skype for Business partner ' +
            'lists us with New-CsAllowedDomain (direct federation: with our Edge as -ProxyFqdn).',
          'Check what we present: `openssl x509 -in {{source}} -noout -subject -issuer -ext extendedKeyUsage,subjectAltName`.',
        ],
        snippets: [
          { lang: 'powershell', text: 'New-CsAllowedDomain -Identity {{fromDomain}} -ProxyFqdn <our Access Edge FQDN>' },
          { lang: 'shell', text: 'openssl x509 -in {{source}} -noout -subject -issuer -ext extendedKeyUsage,subjectAltName' },
        ],
      },
      saslExternal: {
        summary: 'Let {{host}} accept our certificate for SASL EXTERNAL: Client Authentication, our XMPP domain {{fromDomain}} named, a CA it trusts',
        steps: [
          'Our certificate must name our XMPP domain ({{fromDomain}}, as DNS-ID or XmppAddr), carry Client Authentication and ' +
            'chain to a root the partner trusts; ejabberd refuses a certificate without clientAuth ("unsupported certificate purpose").',
          'Until then server dialback authenticates us where both sides enable it (Prosody: "dialback" in modules_enabled; ' +
            'ejabberd: mod_s2s_dialback).',
        ],
        snippets: [
          { lang: 'shell', text: 'openssl x509 -in {{source}} -noout -subject -ext extendedKeyUsage,subjectAltName' },
          { lang: 'prosody', text: 'modules_enabled = { "dialback" }' },
        ],
      },
    },
  },

  evaluate(context) {
    const local = context.facts.localCertificate('client');
    // Without --client-cert we offered nothing, so there is no acceptance to report.
    if (local?.status !== 'ok') return [];
    const { source } = local.facts;
    const fromDomain = context.options.fromDomain ?? 'our domain (--from-domain)';
    return judgeListeners(context, ['sip', 'xmpp-starttls', 'xmpp-direct-tls'], (listener, state): FindingDraft[] => {
      const { subject } = listener;
      const data = { ...listener.data, source, fromDomain };
      const failure = state.probe.facts.failure;
      const evidence = [
        ...(state.state === 'secured' ? [sessionEvidence(listener, state.session)] : []),
        ...(failure ? [`${subject}: ${describeFailure(failure)}`] : []),
      ];
      const skip = (why: string): FindingDraft[] => [{ status: 'skip', subject, messageId: 'notJudged', data: { ...data, why }, evidence }];
      const sip = state.probe.protocol === 'sip';

      if (refusedOurCertificate(failure)) {
        const detail = failure?.detail ?? '';
        return [{ status: 'fail', subject, messageId: sip ? 'sipRejected' : 'xmppRejected', data: { ...data, detail }, evidence, fixId: 'trustOurCertificate' }];
      }
      if (state.state === 'no-session') return skip(`no TLS session (${state.why}); see tls.handshake`);
      if (!state.session.clientCertificateOffered) return skip('the probe did not offer our certificate');
      // TLS sends a client certificate only when asked: a server that never asked has not judged ours.
      if (state.session.clientCertificateRequest?.requested === false) return skip('the server did not ask for a client certificate, so ours was never sent');
      if (state.probe.protocol === 'sip') {
        const { response } = state.probe.facts;
        if (!response) return skip(`no SIP answer (${failure ? describeFailure(failure) : 'none recorded'}); see sip.options-response`);
        return [{ status: 'pass', subject, messageId: 'sipAccepted', data: { ...data, status: response.statusLine }, evidence: [...evidence, response.statusLine] }];
      }
      const xmpp = state.probe.facts;
      if (endedWithNothingToOffer(xmpp)) {
        const text = xmpp.streamError?.text ?? '';
        const withError = [...evidence, `after TLS, in place of the features: <undefined-condition/> "${text}"`];
        return [{ status: 'fail', service: 'xmpp', subject, messageId: 'xmppNothingOffered', data: { ...data, text }, evidence: withError, fixId: 'saslExternal' }];
      }
      const features = xmpp.postTlsFeatures;
      if (!features) return skip('no stream features after TLS; see xmpp.stream-negotiation');
      const mechanisms = features.saslMechanisms.join(', ') || 'no SASL mechanism';
      const withFeatures = [...evidence, `features after TLS: ${features.names.join(' ') || 'none'}`];
      if (features.saslMechanisms.some((mechanism) => mechanism.toUpperCase() === 'EXTERNAL')) {
        const external = xmpp.saslExternal;
        const withExchange = [...withFeatures, ...(external ? [`SASL EXTERNAL as ${xmpp.fromDomain}: ${JSON.stringify(external)}`] : [])];
        if (external?.outcome === 'failure') {
          const text = external.text ? ` "${external.text}"` : '';
          // Server dialback, where offered, can still authenticate us.
          const status = features.dialback ? 'warn' : 'fail';
          const fallback = features.dialback ? '; server dialback may still authenticate us' : '; no dialback is offered either';
          const values = { ...data, asDomain: xmpp.fromDomain, condition: external.condition, text, fallback };
          return [{ status, service: 'xmpp', subject, messageId: 'xmppExternalRefused', data: values, evidence: withExchange, fixId: 'saslExternal' }];
        }
        const offered = { ...data, mechanisms, exchange: exchangeText(external) };
        return [{ status: 'pass', service: 'xmpp', subject, messageId: 'xmppExternalOffered', data: offered, evidence: withExchange }];
      }
      return [{ status: 'warn', subject, messageId: 'xmppExternalNotOffered', data: { ...data, mechanisms }, evidence: withFeatures, fixId: 'saslExternal' }];
    });
  },
});

/** What the SASL EXTERNAL exchange adds to an offer: it succeeded, or fedcheck could not tell. */
function exchangeText(external: XmppSaslExternal | undefined): string {
  if (external?.outcome === 'success') return ', and authenticating with it succeeded';
  if (external?.outcome === 'no-answer') return `; fedcheck got no answer when it authenticated with it (${external.detail})`;
  return '';
}
