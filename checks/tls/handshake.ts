// Whether a partner on current software can complete a TLS handshake with each federation address.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import type { SessionFailure } from '../../src/model/protocol-facts.js';
import {
  ENABLE_TLS12_FIX,
  PROBE_OWNER_MESSAGES,
  clientCertificateRequestText,
  describeFailure,
  judgeListeners,
  listVersions,
  listenerVersions,
  nonTlsEvidence,
  nonTlsKind,
  sessionEvidence,
  versionSupport,
} from '../../src/judge/tls-evidence.js';
import type { Listener } from '../../src/model/listener.js';
import { REFERENCES } from '../../src/judge/references.js';

export default defineCheck({
  meta: {
    id: 'tls.handshake',
    area: 'tls',
    title: 'Federation listeners complete a TLS handshake',
    failureTitle: 'A federation listener does not complete a TLS handshake',
    description:
      'SIP federation runs over TLS on 5061 and XMPP server-to-server over TLS after STARTTLS (or direct TLS); a listener that ' +
      'a partner on current software cannot finish a handshake with (no TLS 1.2, no common cipher) cannot federate at all. A port ' +
      'that answers without TLS (plain SIP, a web server, an XMPP stream) is named from the first bytes it sends back.',
    services: ['sip', 'xmpp'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'tls-versions', 'sip', 'xmpp', 'local-certificate'],
    references: [REFERENCES.rfc8446Tls13, REFERENCES.rfc8996OldTls, REFERENCES.tlsRegistrySettings, REFERENCES.sfbEncryption, REFERENCES.kamailioTls],
    messages: {
      ...PROBE_OWNER_MESSAGES,
      completed: '{{subject}}: TLS handshake completed: {{protocol}} with {{cipher}}',
      oldProtocolOnly:
        '{{subject}}: the TLS handshake failed because the server accepts only {{accepted}}, which partners on current software ' +
        'refuse (an Office Communications Server 2007 R2 / Lync 2010 era Edge, or TLS 1.2 disabled): {{detail}}',
      notTls: '{{subject}}: the peer did not answer with TLS: something other than a TLS listener answers on port {{port}}',
      answersWithoutTls: '{{subject}}: port {{port}} answers without TLS ({{answer}}): partners cannot federate with it',
      peerRejected:
        '{{subject}}: the peer rejected the TLS handshake ({{detail}}): it shares no protocol version or cipher suite with a ' +
        'current client, or it wants something fedcheck did not send',
      handshakeFailed: '{{subject}}: the TLS handshake failed ({{detail}}): no protocol version or cipher suite in common with a current client',
      clientCertificateDemanded:
        '{{subject}}: the server demands a client certificate (mutual TLS) before it completes the handshake; ' +
        'run fedcheck again with --client-cert to test this listener',
      incomplete: '{{subject}}: could not complete a TLS handshake to judge it: {{reason}}',
      notAttempted: '{{subject}}: TLS was not attempted ({{why}}); see xmpp.starttls and xmpp.stream-negotiation',
    },
    fixes: {
      enableTls12: ENABLE_TLS12_FIX,
      tlsListener: {
        summary: 'Make port {{port}} on {{address}} the TLS listener partners expect for {{host}}',
        steps: [
          'SIP: the Access Edge external interface listens with TLS on 5061; check that NAT or the load balancer forwards {{port}} ' +
            'to it and not to another service (Get-CsService -EdgeServer shows AccessEdgeExternalSipPort).',
          'XMPP: _xmpp-server points at a port that starts in plain text and upgrades with STARTTLS (5269); _xmpps-server points ' +
            'at a direct TLS port (Prosody: s2s_direct_tls_ports = { 5270 }).',
          'Check what answers: `openssl s_client -connect {{endpoint}} {{sniAndStarttls}} </dev/null`.',
        ],
        snippets: [
          { lang: 'shell', text: 'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} </dev/null' },
          { lang: 'prosody', text: 's2s_direct_tls_ports = { 5270 }' },
        ],
      },
      sipWithoutTls: {
        summary: 'Serve SIP over TLS on port {{port}} of {{address}}: enable TLS on that listener, or forward the port to the TLS listener',
        steps: [
          'Skype for Business / Lync Edge: federation partners connect to the Access Edge external interface, which speaks only ' +
            'TLS on its federation port (Get-CsService -EdgeServer | Select-Object Identity, AccessEdgeExternalSipPort): point the ' +
            'NAT or firewall rule for {{port}} at that interface, not at a Front End, a Mediation Server or a PBX that listens in plain SIP.',
          'Kamailio: load the tls module and listen with TLS on the address the port reaches, as below, with a [server:default] ' +
            'section in tls.cfg naming the certificate and its key (method = TLSv1.2+); then restart kamailio.',
          'Check that TLS answers: `openssl s_client -connect {{endpoint}} -servername {{servername}} </dev/null` shows the certificate.',
        ],
        snippets: [
          { lang: 'kamailio', text: 'enable_tls=yes\nlisten=tls:{{address}}:{{port}}\nloadmodule "tls.so"\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")' },
          { lang: 'kamailio', text: '[server:default]\nmethod = TLSv1.2+\ncertificate = /etc/kamailio/edge.crt\nprivate_key = /etc/kamailio/edge.key' },
          { lang: 'shell', text: 'openssl s_client -connect {{endpoint}} -servername {{servername}} </dev/null' },
        ],
      },
      acceptHandshake: {
        summary: 'Let {{host}} negotiate TLS 1.2 or 1.3 with a current cipher suite (ECDHE with AES-GCM)',
        steps: [
          'Test by version: `openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -tls1_2 </dev/null` and again with -tls1_3.',
          'Windows (Lync / Skype for Business Edge): list the enabled suites with Get-TlsCipherSuite and enable ' +
            'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 and TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (Enable-TlsCipherSuite), or ' +
            'the ECDSA ones for an ECDSA certificate.',
          'Prosody / ejabberd / Kamailio: do not restrict the cipher list below OpenSSL\'s defaults for TLS 1.2.',
          'If the server aborts because it wants a client certificate, run fedcheck with --client-cert to see the rest.',
        ],
        snippets: [
          { lang: 'powershell', text: 'Enable-TlsCipherSuite -Name TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 -Position 0' },
          { lang: 'shell', text: 'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -tls1_2 </dev/null' },
        ],
      },
    },
  },

  evaluate(context) {
    return judgeListeners(context, ['sip', 'xmpp-starttls', 'xmpp-direct-tls'], (listener, state): FindingDraft[] => {
      const { subject, data } = listener;
      if (state.state === 'secured') {
        const { session } = state;
        return [
          {
            status: 'pass',
            subject,
            messageId: 'completed',
            data: { ...data, protocol: session.protocol, cipher: session.cipher },
            evidence: [sessionEvidence(listener, session)],
          },
        ];
      }
      const { failure } = state.probe.facts;
      if (!failure || failure.stage === 'preamble') {
        return [{ status: 'skip', subject, messageId: 'notAttempted', data: { ...data, why: state.why } }];
      }
      return [judgeFailure(listener, failure, context)];
    }, { ownsProbe: true });
  },
});

function judgeFailure(listener: Listener, failure: SessionFailure, context: Parameters<typeof listenerVersions>[1]): FindingDraft {
  const { subject, data } = listener;
  const versions = versionSupport(listenerVersions(listener, context));
  const evidence = [
    `${subject} via ${listener.endpoint.via}: ${describeFailure(failure)}`,
    ...(failure.clientCertificateRequest ? [`before it failed, the server's handshake: ${clientCertificateRequestText(failure.clientCertificateRequest)}`] : []),
    ...(versions?.lines ?? []),
  ];
  // The probe's detail repeats "the TLS handshake failed"; the messages say it already.
  const detail = failure.detail.replace(/^the TLS handshake failed: /, '');
  const modernAccepted = versions?.accepted.some((v) => v === 'TLSv1.2' || v === 'TLSv1.3') ?? false;
  const oldAccepted = versions?.accepted.filter((v) => v === 'TLSv1' || v === 'TLSv1.1') ?? [];

  if (failure.stage === 'connect') {
    return { status: 'error', subject, messageId: 'incomplete', data: { ...data, reason: describeFailure(failure) }, evidence };
  }
  // What the port said instead of TLS, to our ClientHello or to a SIP OPTIONS in plain text: a listener without TLS.
  if (failure.nonTlsAnswer) {
    const { service } = listener.endpoint;
    const withBytes = [...evidence, ...nonTlsEvidence(failure.nonTlsAnswer)];
    const answer = nonTlsKind(failure.nonTlsAnswer);
    if (answer === undefined) return { status: 'fail', service, subject, messageId: 'notTls', data, evidence: withBytes, fixId: 'tlsListener' };
    const fixId = failure.nonTlsAnswer.looksLike === 'sip' ? 'sipWithoutTls' : 'tlsListener';
    return { status: 'fail', service, subject, messageId: 'answersWithoutTls', data: { ...data, answer }, evidence: withBytes, fixId };
  }
  // SChannel hangs up on a ClientHello it cannot serve, so a close is a refusal when the versions probe says why.
  if (oldAccepted.length > 0 && !modernAccepted && (failure.reason === 'tls-alert' || failure.reason === 'tls-error' || failure.reason === 'closed' || failure.reason === 'reset')) {
    return { status: 'fail', subject, messageId: 'oldProtocolOnly', data: { ...data, accepted: listVersions(oldAccepted), detail }, evidence, fixId: 'enableTls12' };
  }
  // A TLS 1.2 server that asked for a certificate and then ended the handshake without one demands it, whatever its alert.
  const offered = context.facts.localCertificate('client')?.status === 'ok';
  const demanded = !offered && failure.clientCertificateRequest?.requested === true && ['tls-alert', 'tls-error', 'closed', 'reset'].includes(failure.reason);
  if (demanded || /CERTIFICATE_REQUIRED/i.test(failure.code ?? '') || /certificate required/i.test(detail)) {
    return { status: 'error', subject, messageId: 'clientCertificateDemanded', data, evidence };
  }
  if (failure.code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return { status: 'fail', subject, messageId: 'notTls', data, evidence, fixId: 'tlsListener' };
  }
  if (failure.reason === 'tls-alert') {
    return { status: 'fail', subject, messageId: 'peerRejected', data: { ...data, detail }, evidence, fixId: 'acceptHandshake' };
  }
  if (failure.reason === 'tls-error') {
    return { status: 'fail', subject, messageId: 'handshakeFailed', data: { ...data, detail }, evidence, fixId: 'acceptHandshake' };
  }
  // A timeout, a hang-up or garbage tells nothing about what the peer supports: could not measure.
  return { status: 'error', subject, messageId: 'incomplete', data: { ...data, reason: describeFailure(failure) }, evidence };
}
