// With --revocation: whether each listener's certificate has been revoked, by its CA's OCSP responder or CRL.
// Without --revocation nothing was fetched and this check says nothing.

import { defineCheck } from '../../src/model/check.js';
import type { CheckContext, FindingData, FindingDraft } from '../../src/model/check.js';
import type { RevocationFacts, TlsSession } from '../../src/model/protocol-facts.js';
import { readCrl, readOcsp } from '../../src/judge/revocation.js';
import type { CrlReading, OcspReading } from '../../src/judge/revocation.js';
import { endpoints } from '../../src/judge/services.js';
import { certificateEvidence, certificateLocation, listenerOf, parseCertificate, readListener, sessionEvidence } from '../../src/judge/tls-evidence.js';
import type { CertificateInfo } from '../../src/judge/tls-evidence.js';
import type { Listener } from '../../src/model/listener.js';
import { REFERENCES } from '../../src/judge/references.js';

/** Why an unreadable revocation status matters, by protocol: a Lync Edge fails closed on the CRL. */
const IMPACT = {
  sip:
    'a Lync / Skype for Business Edge checks a partner certificate against its CRL and drops the federation connection ' +
    'when it cannot fetch or verify it',
  xmpp: 'XMPP servers configured to check revocation refuse a certificate whose status they cannot read',
} as const;

export default defineCheck({
  meta: {
    id: 'tls.certificate-revocation',
    area: 'tls',
    title: 'Federation certificates are not revoked',
    failureTitle: 'A federation certificate is revoked, or its revocation status cannot be read',
    description:
      'With --revocation, fedcheck asks the certificate\'s OCSP responder, or fetches its CRL, as partners do: a revoked ' +
      'certificate is refused, and a Lync / Skype for Business Edge that cannot fetch a partner\'s CRL refuses the connection too.',
    services: ['sip', 'xmpp'],
    requires: ['dns:SRV', 'dns:A', 'dns:AAAA', 'tcp', 'sip', 'xmpp', 'http', 'ocsp', 'revocation'],
    references: [REFERENCES.rfc6960Ocsp, REFERENCES.rfc5280Crl, REFERENCES.lyncCertificateInfrastructure, REFERENCES.adcsCdpAndAia],
    messages: {
      notChecked: '{{subject}}: revocation not checked: {{because}}',
      good: '{{subject}}: the certificate (serial {{serial}}) is not revoked according to {{how}}',
      revoked:
        '{{subject}}: the certificate {{leaf}} (serial {{serial}}) was revoked on {{date}} ({{reason}}) according to {{source}}: ' +
        'partners refuse it',
      listedUnverified:
        '{{subject}}: the CRL {{url}} lists the certificate (serial {{serial}}) as revoked on {{date}}, but the CRL could not be ' +
        'verified: {{why}}',
      staleCrl: '{{subject}}: the CRL {{url}} is out of date: its next update was due {{nextUpdate}}; {{impact}}',
      unverifiable: '{{subject}}: could not tell whether the certificate (serial {{serial}}) is revoked: {{problems}}; {{impact}}',
    },
    fixes: {
      replaceCertificate: {
        summary: 'Replace the revoked certificate on {{host}} with a newly issued one, on a new key',
        steps: [
          'A revoked certificate stays revoked: request a new certificate from the CA (with a new key if the reason was a key ' +
            'compromise) for the same names.',
          'Lync / Skype for Business Edge: Request-CsCertificate for the Access Edge external interface, Import-CsCertificate on ' +
            'every Edge of the pool, then Set-CsCertificate with the new thumbprint (below).',
          'Prosody, ejabberd, Kamailio: install the new certificate and key with the full chain and reload the server.',
          'Check what partners see: `openssl s_client -connect {{endpoint}} {{sniAndStarttls}} </dev/null 2>/dev/null | openssl x509 -noout -serial`.',
        ],
        snippets: [
          {
            lang: 'powershell',
            text:
              'Request-CsCertificate -New -Type AccessEdgeExternal -Output C:\\AccessEdgeExternal.req -ClientEku $true ' +
              '-DomainName "{{host}},{{domain}}" -FriendlyName "Access Edge external" -KeySize 2048 -PrivateKeyExportable $true\n' +
              'Import-CsCertificate -Path C:\\AccessEdgeExternal.cer -PrivateKeyExportable $true\n' +
              'Set-CsCertificate -Type AccessEdgeExternal -Thumbprint <thumbprint of the new certificate>',
          },
          {
            lang: 'shell',
            text: 'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} </dev/null 2>/dev/null | openssl x509 -noout -serial -dates',
          },
        ],
      },
      publishRevocation: {
        summary: 'Publish a current CRL (and OCSP) for the certificate on {{host}} at a URL partners can reach over HTTP',
        steps: [
          'The CA that issued the certificate must keep its CRL current (nextUpdate in the future) and reachable from the internet ' +
            'over plain HTTP at the URL in the certificate\'s CRL distribution point; OCSP responders likewise.',
          'A public CA does this for you: if its CRL or OCSP responder is down or stale, open a case with the CA.',
          'A private CA (AD CS): publish the CRL to an HTTP location reachable from outside, make sure the CA renews it before ' +
            'nextUpdate, and re-issue certificates whose CRL distribution point names only an internal or LDAP URL (below).',
          'Check as a partner does: `curl -o ca.crl <CRL URL> && openssl crl -inform DER -in ca.crl -noout -lastupdate -nextupdate`.',
        ],
        snippets: [
          {
            lang: 'powershell',
            text:
              'certutil -setreg CA\\CRLPublicationURLs "1:%WINDIR%\\system32\\CertSrv\\CertEnroll\\%3%8%9.crl\\n2:http://pki.{{domain}}/%3%8%9.crl"\n' +
              // Windows PowerShell 5.1 has no `&&` (PowerShell 7 added it): Restart-Service runs on both.
              'Restart-Service certsvc\ncertutil -CRL',
          },
          { lang: 'shell', text: 'curl -o ca.crl <CRL URL> && openssl crl -inform DER -in ca.crl -noout -lastupdate -nextupdate' },
        ],
      },
    },
  },

  evaluate(context) {
    const { target } = context;
    return endpoints(target, context.facts).flatMap((endpoint) => {
      const listener = listenerOf(endpoint, target.domain);
      const state = readListener(listener, context);
      // Only secured listeners whose leaf --revocation looked at: everything else is other checks' to report.
      return state.state === 'secured' ? judgeRevocation(listener, state.session, context) : [];
    });
  },
});

function judgeRevocation(listener: Listener, session: TlsSession, context: CheckContext): FindingDraft[] {
  const [leafDer] = session.peerChain;
  if (leafDer === undefined) return [];
  let leaf: CertificateInfo;
  try {
    leaf = parseCertificate(leafDer);
  } catch {
    return []; // tls.certificate-chain reports an unreadable certificate
  }
  const outcome = context.facts.revocation(leaf.fingerprints.sha256);
  if (outcome === undefined) return [];
  const { subject } = listener;
  const location = certificateLocation(listener, leafDer);
  const data: FindingData = { ...listener.data, serial: leaf.serialNumber };
  const evidence = [sessionEvidence(listener, session), ...certificateEvidence(leaf, context.now, 'certificate 0 (leaf)')];
  if (outcome.status === 'skipped') {
    return [{ status: 'skip', subject, location, messageId: 'notChecked', data: { ...data, because: outcome.because }, evidence }];
  }
  if (outcome.status === 'error') {
    return [{ status: 'skip', subject, location, messageId: 'notChecked', data: { ...data, because: `${outcome.reason}: ${outcome.detail}` }, evidence }];
  }
  return [verdict(listener, leaf, leafDer, outcome.facts, data, evidence, context)];
}

function verdict(
  listener: Listener,
  leaf: CertificateInfo,
  leafDer: string,
  plan: RevocationFacts,
  data: FindingData,
  evidence: string[],
  context: CheckContext,
): FindingDraft {
  const { subject } = listener;
  const { facts, now } = context;
  const ocsp: OcspReading | undefined =
    plan.ocspUrl !== undefined && plan.issuer !== undefined
      ? readOcsp(plan.ocspUrl, facts.ocsp(plan.ocspUrl, plan.serialNumber), leafDer, plan.issuer, now)
      : undefined;
  const crl: CrlReading | undefined =
    plan.crlUrl !== undefined ? readCrl(plan.crlUrl, facts.http(plan.crlUrl), leaf.serialNumber, plan.issuer, now) : undefined;
  const issuer = plan.issuer ? `issuer from ${plan.issuerSource ?? 'the chain'}: ${parseIssuerSubject(plan.issuer)}` : 'issuer not found';
  const lines = [
    ...evidence,
    `revocation: ${issuer}${plan.notes.length > 0 ? `; ${plan.notes.join('; ')}` : ''}`,
    ...(ocsp && ocsp.state !== 'not-asked' ? ocsp.evidence.map((line) => `OCSP ${line}`) : []),
    ...(crl && crl.state !== 'not-asked' ? crl.evidence.map((line) => (line.startsWith(' ') ? line : `CRL ${line}`)) : []),
  ];
  const impact = IMPACT[listener.endpoint.service];
  const finding = (status: FindingDraft['status'], messageId: string, extra: FindingData, fixId?: string): FindingDraft => ({
    status,
    subject,
    location: certificateLocation(listener, leafDer),
    messageId,
    data: { ...data, ...extra },
    evidence: lines,
    ...(fixId ? { fixId } : {}),
  });

  if (ocsp?.state === 'answer' && ocsp.single.status === 'revoked') {
    return finding(
      'fail',
      'revoked',
      {
        leaf: leaf.subject || leaf.fingerprints.sha256,
        date: ocsp.single.revocationTime ?? 'an unstated date',
        reason: ocsp.single.revocationReason ?? 'no reason given',
        source: `the OCSP responder ${plan.ocspUrl ?? ''}`,
      },
      'replaceCertificate',
    );
  }
  if (crl?.state === 'read' && crl.entry) {
    const revokedData = { date: crl.entry.revocationDate, reason: crl.entry.reason ?? 'no reason given', url: plan.crlUrl ?? '' };
    if (crl.signature === 'verified') {
      return finding('fail', 'revoked', { ...revokedData, leaf: leaf.subject || leaf.fingerprints.sha256, source: `the CRL ${plan.crlUrl ?? ''}` }, 'replaceCertificate');
    }
    const why = crl.signature === 'invalid' ? `its signature does not verify with the issuer ${crl.crl.issuer}` : 'the issuer certificate is not known';
    return finding('error', 'listedUnverified', { ...revokedData, why });
  }
  const ocspFailure = ocsp && ocsp.state !== 'answer' ? ocsp.why : undefined;
  if (ocsp?.state === 'answer' && ocsp.single.status === 'good') {
    const times = `answer of ${ocsp.single.thisUpdate}${ocsp.single.nextUpdate ? `, next update ${ocsp.single.nextUpdate}` : ''}`;
    return finding('pass', 'good', { how: `the OCSP responder ${plan.ocspUrl ?? ''} (${times}, signed by ${ocsp.signer})` });
  }
  if (crl?.state === 'read' && crl.signature === 'verified') {
    if (crl.stale) return finding('warn', 'staleCrl', { url: plan.crlUrl ?? '', nextUpdate: crl.crl.nextUpdate ?? '', impact }, 'publishRevocation');
    const unknown = ocsp?.state === 'answer' ? ` after the OCSP responder answered "${ocsp.single.status}"` : '';
    const failed = ocspFailure ? ` (OCSP failed: ${ocspFailure})` : '';
    const how = `the CRL ${plan.crlUrl ?? ''} (issued ${crl.crl.thisUpdate}, next update ${crl.crl.nextUpdate ?? 'none'}, signed by the issuer)${unknown}${failed}`;
    return finding('pass', 'good', { how });
  }

  const problems = [
    ...(ocsp?.state === 'answer' ? [`the OCSP responder ${plan.ocspUrl ?? ''} does not know the certificate ("unknown")`] : []),
    ...(ocspFailure ? [ocspFailure] : []),
    ...(crl?.state === 'read'
      ? [crl.signature === 'invalid' ? `the CRL ${plan.crlUrl ?? ''} is not signed by the issuer ${crl.crl.issuer}` : `the CRL ${plan.crlUrl ?? ''} cannot be verified: the issuer certificate is not known`]
      : crl
        ? [crl.why]
        : []),
    ...plan.notes,
  ];
  const asked = [ocsp, crl].filter((reading) => reading !== undefined);
  if (asked.length > 0 && asked.every((reading) => reading.state === 'not-asked')) {
    // Deliberately not fetched (a private address without --allow-private): nothing was measured, nothing failed.
    return finding('skip', 'notChecked', { because: problems.join('; ') });
  }
  return finding('error', 'unverifiable', { problems: problems.join('; ') || 'no revocation source was asked', impact }, 'publishRevocation');
}

function parseIssuerSubject(der: string): string {
  try {
    return parseCertificate(der).subject;
  } catch {
    return 'an unreadable certificate';
  }
}
