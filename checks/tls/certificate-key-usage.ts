// Whether each listener's certificate may be used as federation needs it: Server Authentication always, Client
// Authentication wherever a peer authenticates us by certificate, which public CAs stop issuing on the dates in
// src/pki/client-auth-deadlines.ts.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import {
  SESSION_MESSAGES,
  allowsPurpose,
  certificateEvidence,
  certificateLocation,
  chainSourceEvidence,
  readLeaf,
  readableChain,
} from '../../src/judge/tls-evidence.js';
import type { CertificateInfo } from '../../src/judge/tls-evidence.js';
import { certificateFingerprint } from '../../src/model/location.js';
import { clientAuthOutlook } from '../../src/judge/client-auth-outlook.js';
import { judgePresentedChains } from '../../src/judge/presented-chains.js';
import { REFERENCES } from '../../src/judge/references.js';

const clientAuthSteps = [
  'Public CAs are removing Client Authentication from server certificates: {{outlook}}. A renewal can silently lose it.',
  'Ask your CA for a certificate with both Server Authentication and Client Authentication while it still issues one ' +
    '(Lync / Skype for Business: Request-CsCertificate -ClientEku $true), or issue the federation certificate from a private ' +
    'CA whose root your partners agree to trust (direct federation).',
  'A Lync / Skype for Business Edge presents this certificate as the TLS client of its outbound federation (mutual TLS): ' +
    'fedcheck connects to the Edge as a client and sees that side only when you run it with --client-cert and the Edge\'s certificate.',
  'Cisco Expressway, yours or a partner\'s, has the same problem with its own certificate: up to X15.3.2 it needs Client ' +
    'Authentication in the one certificate (field notice FN74362); X15.4 can only upload a serverAuth-only certificate, with ' +
    '`xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On`; X15.5 has separate server and client certificate stores (CSCwr73373).',
  'XMPP: keep server dialback enabled (Prosody: "dialback" in modules_enabled; ejabberd: mod_s2s_dialback) so peers can still ' +
    'authenticate you without SASL EXTERNAL.',
];

const clientAuthSnippets = [
  {
    lang: 'powershell',
    text:
      'Request-CsCertificate -New -Type AccessEdgeExternal -Output C:\\AccessEdgeExternal.req -ClientEku $true ' +
      '-DomainName "{{host}},{{domain}}" -FriendlyName "Access Edge external" -KeySize 2048 -PrivateKeyExportable $true',
  },
  {
    lang: 'shell',
    text:
      'openssl req -new -newkey rsa:2048 -nodes -keyout {{host}}.key -out {{host}}.csr -subj "/CN={{host}}" ' +
      '-addext "subjectAltName=DNS:{{host}},DNS:{{domain}}" -addext "extendedKeyUsage=serverAuth,clientAuth"',
  },
  { lang: 'prosody', text: 'modules_enabled = { "dialback" }' },
];

export default defineCheck({
  meta: {
    id: 'tls.certificate-key-usage',
    area: 'tls',
    title: 'Federation certificates allow server and client authentication',
    failureTitle: 'A federation certificate lacks Server or Client Authentication',
    description:
      'Federation is mutual: the Edge certificate authenticates the server, and the same certificate authenticates you to peers ' +
      'that demand a client certificate (SIP mutual TLS, XMPP SASL EXTERNAL). Public CAs are removing Client Authentication ' +
      '(a Chrome Root Program rule), so a renewal can break federation without any other change.',
    services: ['sip', 'xmpp'],
    requires: ['presented-certificate', 'local-certificate'],
    references: [
      REFERENCES.rfc5280ExtendedKeyUsage, REFERENCES.chromeRootProgram, REFERENCES.letsEncryptClientAuth,
      REFERENCES.digiCertClientAuth, REFERENCES.sectigoClientAuth, REFERENCES.googleTrustServicesClientAuth,
      REFERENCES.ciscoFieldNotice74362, REFERENCES.ciscoExpresswayClientEku, REFERENCES.tlsAndMtls,
      REFERENCES.xep0178SaslExternal, REFERENCES.edgeCertificatePlanning,
    ],
    messages: {
      ...SESSION_MESSAGES,
      usages: '{{subject}}: the certificate allows server and client authentication ({{usages}})',
      noServerAuth: '{{subject}}: the certificate does not allow Server Authentication ({{usages}}): partners refuse it as a server certificate',
      noClientAuthSip:
        '{{subject}}: the certificate lacks Client Authentication ({{usages}}): the Edge presents it as the TLS client of its ' +
        'outbound federation (mutual TLS), and peers that demand a client certificate, such as other Lync / Skype for Business ' +
        'Edges, refuse it; {{outlook}}',
      noClientAuthXmpp:
        '{{subject}}: the certificate lacks Client Authentication ({{usages}}): peers cannot accept it for SASL EXTERNAL (ejabberd: ' +
        '"unsupported certificate purpose"), only dialback still works; {{outlook}}',
      clientAuthEnding:
        '{{subject}}: the certificate allows server and client authentication ({{usages}}) until it expires on {{notAfter}}, but ' +
        '{{outlook}}; a renewal without Client Authentication breaks mutual-TLS federation',
      localUsages: '{{subject}}: our client certificate allows client authentication ({{usages}})',
      localNoClientAuth:
        '{{subject}}: our client certificate does not allow Client Authentication ({{usages}}): partners refuse it for mutual TLS ' +
        'and SASL EXTERNAL',
    },
    fixes: {
      serverAuth: {
        summary: 'Reissue the certificate of {{host}} with the Extended Key Usage Server Authentication (1.3.6.1.5.5.7.3.1), and Client Authentication',
        steps: [
          'Request it from a public CA as a TLS server certificate (Lync / Skype for Business: Request-CsCertificate with the WebServer template).',
          ...clientAuthSteps.slice(1, 2),
        ],
        snippets: clientAuthSnippets.slice(0, 2),
      },
      clientAuth: {
        summary: 'Use a certificate on {{host}} with both Server Authentication and Client Authentication, from a CA that still issues them or a private CA for federation',
        steps: clientAuthSteps,
        snippets: clientAuthSnippets,
      },
      localClientAuth: {
        summary: 'Give --client-cert a certificate with Client Authentication (1.3.6.1.5.5.7.3.2) instead of {{source}}',
        steps: [
          'Use the certificate your own Edge presents to partners, if it still has Client Authentication, or one from a private CA ' +
            'your partners trust for mutual TLS.',
          'Check a file: `openssl x509 -in {{source}} -noout -ext extendedKeyUsage`.',
        ],
        snippets: [{ lang: 'shell', text: 'openssl x509 -in {{source}} -noout -ext extendedKeyUsage' }],
      },
    },
  },

  evaluate(context) {
    const findings = judgePresentedChains(context, ['sip', 'xmpp-starttls', 'xmpp-direct-tls'], (listener, chain): FindingDraft[] => {
      const read = readLeaf(listener, chain);
      if ('finding' in read) return [read.finding];
      const { leaf } = read;
      const { subject } = listener;
      const location = certificateLocation(listener, leaf.der);
      const data = { ...listener.data, usages: describeUsages(leaf) };
      const evidence = [chainSourceEvidence(listener, chain), ...certificateEvidence(leaf, context.now, 'leaf'), `  extended key usage: ${describeUsages(leaf)}`];
      if (!allowsPurpose(leaf, 'serverAuth')) return [{ status: 'fail', subject, location, messageId: 'noServerAuth', data, evidence, fixId: 'serverAuth' }];
      const service = listener.endpoint.service;
      const outlook = clientAuthOutlook(leaf.issuer, context.now);
      if (!allowsPurpose(leaf, 'clientAuth')) {
        const messageId = service === 'sip' ? 'noClientAuthSip' : 'noClientAuthXmpp';
        return [{ status: 'warn', service, subject, location, messageId, data: { ...data, outlook: outlook.text }, evidence, fixId: 'clientAuth' }];
      }
      // Before the renewal: a known public CA's next certificate may lack clientAuth; a private CA's is not ours to judge.
      if (outlook.ca !== undefined && leaf.extendedKeyUsage !== null) {
        const ending = { ...data, outlook: outlook.text, notAfter: leaf.notAfter.slice(0, 10) };
        return [{ status: 'warn', service, subject, location, messageId: 'clientAuthEnding', data: ending, evidence, fixId: 'clientAuth' }];
      }
      return [{ status: 'pass', subject, location, messageId: 'usages', data, evidence }];
    });
    const local = context.facts.localCertificate('client');
    if (local?.status === 'ok') {
      const [leaf] = readableChain(local.facts.chain);
      const subject = `our client certificate (${local.facts.source})`;
      if (leaf) {
        const location = { certificate: certificateFingerprint(leaf.der) };
        const data = { subject, source: local.facts.source, usages: describeUsages(leaf) };
        const evidence = [...certificateEvidence(leaf, context.now, 'our client certificate'), `  extended key usage: ${describeUsages(leaf)}`];
        // We would present it for mutual TLS: without clientAuth it is useless there, so a failure, not a warning.
        findings.push(
          allowsPurpose(leaf, 'clientAuth')
            ? { status: 'pass', subject, location, messageId: 'localUsages', data, evidence }
            : { status: 'fail', subject, location, messageId: 'localNoClientAuth', data, evidence, fixId: 'localClientAuth' },
        );
      }
    }
    return findings;
  },
});

function describeUsages(info: CertificateInfo): string {
  return info.extendedKeyUsage === null ? 'no Extended Key Usage extension: any purpose' : `Extended Key Usage: ${info.extendedKeyUsage.names.join(', ') || 'empty'}`;
}
