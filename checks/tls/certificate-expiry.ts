// Whether each listener's certificate is valid now and for long enough, with the days left of every certificate sent.

import { defineCheck } from '../../src/model/check.js';
import type { CheckContext, FindingData, FindingDraft } from '../../src/model/check.js';
import {
  SESSION_MESSAGES,
  chainEvidence,
  chainSourceEvidence,
  daysUntilExpiry,
  readLeaf,
  readableChain,
} from '../../src/judge/tls-evidence.js';
import type { CertificateInfo } from '../../src/judge/tls-evidence.js';
import { judgePresentedChains } from '../../src/judge/presented-chains.js';
import { certificateFingerprint } from '../../src/model/location.js';
import type { DraftLocation } from '../../src/model/location.js';
import { REFERENCES } from '../../src/judge/references.js';

const renewSteps = [
  'Lync / Skype for Business Edge: request the new Access Edge external certificate (Request-CsCertificate), complete it with ' +
    'Import-CsCertificate (key exportable) on every Edge of the pool and assign it with Set-CsCertificate; partners see it at once.',
  'Prosody: renew (certbot renew, or your CA), then `prosodyctl --root cert import /etc/letsencrypt/live` and `prosodyctl reload`; ' +
    'ejabberd: `ejabberdctl reload_config`; Kamailio: `kamcmd tls.reload`.',
  'Public CAs now issue server certificates without Client Authentication: check the renewed one still has it where ' +
    'partners demand it (see tls.certificate-key-usage).',
  'Check the dates partners see: `openssl s_client -connect {{endpoint}} {{sniAndStarttls}} </dev/null 2>/dev/null | openssl x509 -noout -dates`.',
];

const renewSnippets = [
  {
    lang: 'powershell',
    text:
      'Request-CsCertificate -New -Type AccessEdgeExternal -Output C:\\AccessEdgeExternal.req -ClientEku $true ' +
      '-DomainName "{{host}},{{domain}}" -FriendlyName "Access Edge external" -KeySize 2048 -PrivateKeyExportable $true\n' +
      'Import-CsCertificate -Path C:\\AccessEdgeExternal.cer -PrivateKeyExportable $true\n' +
      'Set-CsCertificate -Type AccessEdgeExternal -Thumbprint <thumbprint of the new certificate>',
  },
  { lang: 'shell', text: 'certbot renew && prosodyctl --root cert import /etc/letsencrypt/live && prosodyctl reload' },
  { lang: 'shell', text: 'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} </dev/null 2>/dev/null | openssl x509 -noout -dates' },
];

export default defineCheck({
  meta: {
    id: 'tls.certificate-expiry',
    area: 'tls',
    title: 'Federation certificates are valid and not about to expire',
    failureTitle: 'A federation certificate has expired, is not valid yet, or expires soon',
    description:
      'Partners refuse an expired (or not yet valid) Edge certificate and federation stops at once; renewing in time, and ' +
      'checking the renewal still carries the names and key usages partners need, avoids the outage.',
    services: ['sip', 'xmpp'],
    requires: ['presented-certificate', 'local-certificate'],
    references: [REFERENCES.rfc5280Validity, REFERENCES.requestCertificate, REFERENCES.setCertificate, REFERENCES.prosodyCertificates],
    messages: {
      ...SESSION_MESSAGES,
      valid: '{{subject}}: the certificate is valid until {{notAfter}} ({{days}} days left)',
      expiresSoon: '{{subject}}: the certificate expires on {{notAfter}}, in {{days}} days (warning at {{warningDays}})',
      expiresCritically: '{{subject}}: the certificate expires on {{notAfter}}, in only {{days}} days (critical at {{criticalDays}}): renew it now',
      expired: '{{subject}}: the certificate expired on {{notAfter}}: partners refuse it',
      notYetValid: '{{subject}}: the certificate is not valid before {{notBefore}}: partners refuse it until then',
      intermediateExpiresSoon:
        '{{subject}}: the intermediate {{certificate}} sent with the certificate expires on {{notAfter}}, in {{days}} days: ' +
        'the chain breaks then unless it is replaced',
    },
    fixes: {
      renew: {
        summary: 'Renew the certificate of {{host}} (for {{domain}}) and install it on every server that presents it',
        steps: renewSteps,
        snippets: renewSnippets,
      },
      checkValidity: {
        summary: 'Serve a certificate on {{host}} whose validity has begun (from {{notBefore}}), or correct the clock that made it',
        steps: [
          'A certificate dated in the future was issued by a CA (or on a machine) with a wrong clock, or installed early: ' +
            'keep the previous certificate until {{notBefore}}, or have it reissued.',
          'Check the server\'s own clock too (w32tm /query /status, timedatectl): partners judge by theirs.',
          'Check the dates partners see: `openssl s_client -connect {{endpoint}} {{sniAndStarttls}} </dev/null 2>/dev/null | openssl x509 -noout -dates`.',
        ],
        snippets: [renewSnippets[2] as { lang: string; text: string }],
      },
      replaceIntermediate: {
        summary: 'Install the CA\'s successor to the intermediate {{certificate}} on {{host}} before {{notAfter}}',
        steps: [
          'Your CA publishes the intermediate that replaces it; a certificate renewed now usually chains to it already.',
          'Lync / Skype for Business Edge: import it into the computer\'s Intermediate Certification Authorities store on every ' +
            'Edge; Prosody, ejabberd, Kamailio: rebuild the full-chain file.',
        ],
        snippets: [{ lang: 'shell', text: 'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -showcerts </dev/null' }],
      },
      renewClientCertificate: {
        summary: 'Renew our client certificate ({{source}}), which fedcheck and our own Edge present to partners for mutual TLS',
        steps: [
          'Request it with both Server Authentication and Client Authentication from a CA that still issues both.',
          'Install it where our Edge presents it (Set-CsCertificate -Type AccessEdgeExternal) and give the new file to --client-cert.',
        ],
        snippets: [
          {
            lang: 'shell',
            text: 'openssl x509 -in {{source}} -noout -subject -dates -ext extendedKeyUsage',
          },
        ],
      },
    },
  },

  evaluate(context) {
    const findings = judgePresentedChains(context, ['sip', 'xmpp-starttls', 'xmpp-direct-tls'], (listener, chain) => {
      const read = readLeaf(listener, chain);
      if ('finding' in read) return [read.finding];
      const evidence = [chainSourceEvidence(listener, chain), ...chainEvidence(chain.peerChain, context.now)];
      const intermediates = readableChain(chain.peerChain).slice(1);
      return judgeValidity(read.leaf, intermediates, listener.subject, listener.location, { ...listener.data }, evidence, context, 'renew');
    });
    const local = context.facts.localCertificate('client');
    if (local?.status === 'ok') {
      const subject = `our client certificate (${local.facts.source})`;
      const [leaf, ...rest] = readableChain(local.facts.chain);
      if (leaf) {
        const evidence = chainEvidence(local.facts.chain, context.now);
        findings.push(...judgeValidity(leaf, rest, subject, {}, { subject, source: local.facts.source }, evidence, context, 'renewClientCertificate'));
      }
    }
    return findings;
  },
});

function judgeValidity(
  leaf: CertificateInfo,
  intermediates: CertificateInfo[],
  subject: string,
  /** Where the chain was seen: a listener, or nowhere for our own client certificate. */
  seenAt: DraftLocation,
  data: FindingData,
  evidence: string[],
  context: CheckContext,
  renewFix: 'renew' | 'renewClientCertificate',
): FindingDraft[] {
  const { now } = context;
  const { expiryWarningDays: warningDays, expiryCriticalDays: criticalDays } = context.options;
  const days = daysUntilExpiry(leaf, now);
  const dates = { ...data, notBefore: leaf.notBefore, notAfter: leaf.notAfter, days, warningDays, criticalDays };
  const location = { ...seenAt, certificate: certificateFingerprint(leaf.der) };
  const findings: FindingDraft[] = [];
  if (Date.parse(leaf.notBefore) > now.getTime()) {
    findings.push({ status: 'fail', subject, location, messageId: 'notYetValid', data: dates, evidence, fixId: renewFix === 'renew' ? 'checkValidity' : renewFix });
  } else if (Date.parse(leaf.notAfter) < now.getTime()) {
    findings.push({ status: 'fail', subject, location, messageId: 'expired', data: dates, evidence, fixId: renewFix });
  } else if (days < criticalDays) {
    // --critical-days (thresholds.certificateCriticalDays): too close to wait for, so every format says so alike.
    findings.push({ status: 'fail', subject, location, messageId: 'expiresCritically', data: dates, evidence, fixId: renewFix });
  } else if (days < warningDays) {
    findings.push({ status: 'warn', subject, location, messageId: 'expiresSoon', data: dates, evidence, fixId: renewFix });
  } else {
    findings.push({ status: 'pass', subject, location, messageId: 'valid', data: dates, evidence });
  }
  for (const intermediate of intermediates) {
    // Expired intermediates are tls.certificate-chain's; here only the ones about to break it, and not roots sent along.
    if (intermediate.selfSigned || Date.parse(intermediate.notAfter) < now.getTime()) continue;
    const left = daysUntilExpiry(intermediate, now);
    if (left >= warningDays || left >= days) continue;
    findings.push({
      // Under the critical days the chain breaks as soon as an expiring leaf would: the same verdict.
      status: left < criticalDays ? 'fail' : 'warn',
      subject,
      location: { ...seenAt, certificate: certificateFingerprint(intermediate.der) },
      messageId: 'intermediateExpiresSoon',
      data: { ...data, certificate: intermediate.subject, notAfter: intermediate.notAfter, days: left, warningDays, criticalDays },
      evidence,
      fixId: renewFix === 'renew' ? 'replaceIntermediate' : renewFix,
    });
  }
  return findings;
}
