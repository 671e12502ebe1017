// Which TLS protocol versions each federation address accepts, each tried on its own connection: no TLS 1.2 or 1.3
// ends federation with current partners, TLS 1.0 / 1.1 still on is a leftover worth retiring.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import type { TlsVersion } from '../../src/model/protocol-facts.js';
import {
  ENABLE_TLS12_FIX,
  PROBE_OWNER_MESSAGES,
  eachListener,
  listVersions,
  listenerVersions,
  nonTlsAnswerOf,
  portNotOpen,
  readListener,
  versionSupport,
} from '../../src/judge/tls-evidence.js';
import { REFERENCES } from '../../src/judge/references.js';

const MODERN: readonly TlsVersion[] = ['TLSv1.2', 'TLSv1.3'];
const OLD: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1'];

export default defineCheck({
  meta: {
    id: 'tls.protocol-versions',
    area: 'tls',
    title: 'Federation listeners accept TLS 1.2 or 1.3 and nothing older',
    failureTitle: 'A federation listener does not accept TLS 1.2 or 1.3',
    description:
      'Current servers and Microsoft 365 refuse TLS 1.0 and 1.1 (RFC 8996); an Edge of the Office Communications Server 2007 R2 ' +
      'or Lync 2010 era that speaks only those cannot federate with them. Each version is reported separately.',
    services: ['sip', 'xmpp'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'tls-versions', 'sip', 'xmpp'],
    references: [REFERENCES.rfc8996OldTls, REFERENCES.rfc7590XmppTls, REFERENCES.tlsRegistrySettings, REFERENCES.prosodyAdvancedTls],
    messages: {
      ...PROBE_OWNER_MESSAGES,
      modernOnly: '{{subject}}: accepts {{accepted}}, refuses TLS 1.0 and 1.1{{untested}}',
      oldOnly:
        '{{subject}}: accepts only {{accepted}}, which partners on current software (and Microsoft 365) refuse: an Office ' +
        'Communications Server 2007 R2 / Lync 2010 era Edge, or TLS 1.2 disabled',
      noModernVersion: '{{subject}}: refuses TLS 1.2 and TLS 1.3{{untested}}: partners on current software cannot connect',
      oldStillAccepted:
        '{{subject}}: accepts {{accepted}}, and still {{old}}: retire {{old}} once no partner needs it (RFC 8996)',
      couldNotMeasure: '{{subject}}: could not tell which TLS versions are accepted: {{reason}}',
      noTlsListener: '{{subject}}: no TLS versions to tell: the port answers without TLS; see tls.handshake',
      noTlsReached:
        '{{subject}}: no TLS version could be tried, because no connection got as far as TLS ({{why}}); ' +
        'tls.handshake or the XMPP checks report why, once',
    },
    fixes: {
      enableTls12: ENABLE_TLS12_FIX,
      disableOldTls: {
        summary: 'Turn off {{old}} on {{host}}, keeping TLS 1.2 and 1.3',
        steps: [
          'First make sure no partner still needs them (an Office Communications Server 2007 R2 or Lync 2010 Edge): it loses federation.',
          'Windows (Lync / Skype for Business Edge, with a current cumulative update): disable the protocols in SCHANNEL as below ' +
            'and restart the Edge.',
          'Prosody: ssl = { protocol = "tlsv1_2+" }; ejabberd: no_tlsv1 and no_tlsv1_1 in s2s_protocol_options; Kamailio: method = TLSv1.2+.',
        ],
        snippets: [
          {
            lang: 'powershell',
            text:
              "foreach ($version in 'TLS 1.0','TLS 1.1') {\n" +
              "  $key = \"HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\$version\\Server\"\n" +
              '  New-Item $key -Force | Out-Null\n' +
              "  New-ItemProperty -Path $key -Name 'Enabled' -Value 0 -PropertyType DWord -Force\n" +
              "  New-ItemProperty -Path $key -Name 'DisabledByDefault' -Value 1 -PropertyType DWord -Force\n" +
              '}\nRestart-Computer',
          },
          { lang: 'prosody', text: 'ssl = { protocol = "tlsv1_2+" }' },
          { lang: 'ejabberd', text: 's2s_protocol_options:\n  - "no_sslv3"\n  - "no_tlsv1"\n  - "no_tlsv1_1"' },
          { lang: 'kamailio', text: '[server:default]\nmethod = TLSv1.2+' },
        ],
      },
    },
  },

  evaluate(context) {
    return eachListener(context, ['sip', 'xmpp-starttls', 'xmpp-direct-tls'], (listener): FindingDraft[] => {
      const { subject, data } = listener;
      const tcp = portNotOpen(listener, context);
      if (tcp !== undefined) return [{ status: 'skip', subject, messageId: 'portNotOpen', data: { ...data, tcp } }];
      const outcome = listenerVersions(listener, context);
      if (outcome === undefined) return [{ status: 'skip', subject, messageId: 'notGathered', data }];
      if (outcome.status === 'skipped') return [{ status: 'skip', subject, messageId: 'notProbed', data: { ...data, because: outcome.because } }];
      if (outcome.status === 'error') {
        const reason = `${outcome.reason}: ${outcome.detail}`;
        return [{ status: 'error', subject, messageId: 'probeError', data: { ...data, reason }, evidence: [`${subject}: TLS versions probe error ${reason}`] }];
      }
      const support = versionSupport(outcome);
      if (!support) return [];
      const evidence = [`${subject} via ${listener.endpoint.via}, SNI ${outcome.facts.servername}:`, ...support.lines.map((line) => `  ${line}`)];
      const modern = support.accepted.filter((v) => MODERN.includes(v));
      const old = support.accepted.filter((v) => OLD.includes(v));
      // Versions this machine's OpenSSL cannot offer are reported, never held against the server.
      const untested = support.untestable.length > 0 ? ` (${listVersions(support.untestable)} not tested: this machine cannot offer ${support.untestable.length === 1 ? 'it' : 'them'})` : '';
      const facts = { ...data, accepted: listVersions(modern.length > 0 ? modern : old), old: listVersions(old), untested };

      if (modern.length > 0 && old.length > 0) return [{ status: 'warn', subject, messageId: 'oldStillAccepted', data: facts, evidence, fixId: 'disableOldTls' }];
      if (modern.length > 0) return [{ status: 'pass', subject, messageId: 'modernOnly', data: facts, evidence }];
      if (old.length > 0) return [{ status: 'fail', subject, messageId: 'oldOnly', data: facts, evidence, fixId: 'enableTls12' }];
      const modernRefused = MODERN.every((v) => support.rejected.includes(v));
      if (modernRefused) return [{ status: 'fail', subject, messageId: 'noModernVersion', data: { ...facts, accepted: 'no version' }, evidence, fixId: 'enableTls12' }];
      // A port that answers without TLS has no versions to tell; tls.handshake fails it with what it answered.
      if (nonTlsAnswerOf(listener, context)) return [{ status: 'skip', service: listener.endpoint.service, subject, messageId: 'noTlsListener', data, evidence }];
      // When the main probe reached no TLS session either, its own check reports why: one error per dead peer.
      const state = readListener(listener, context);
      if (state.state === 'no-session' && support.accepted.length === 0 && support.rejected.length === 0) {
        return [{ status: 'skip', subject, messageId: 'noTlsReached', data: { ...data, why: state.why }, evidence }];
      }
      const reason = support.lines.filter((line) => line.includes(': error')).join('; ');
      return [{ status: 'error', subject, messageId: 'couldNotMeasure', data: { ...data, reason }, evidence }];
    });
  },
});
