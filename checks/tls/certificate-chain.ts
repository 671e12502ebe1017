// Whether each listener sends a chain partners can verify: trusted, complete up to a root they hold, in order,
// with no expired intermediate. The leaf's own dates are tls.certificate-expiry's subject.

import { defineCheck } from '../../src/model/check.js';
import type { CheckContext, FindingDraft } from '../../src/model/check.js';
import {
  SESSION_MESSAGES,
  analyzeChain,
  certificateLocation,
  chainEvidence,
  chainSourceEvidence,
  extensionDefectOnPath,
  issuerFromDownload,
  trustAnchors,
} from '../../src/judge/tls-evidence.js';
import type { ChainAnalysis, TrustStore } from '../../src/judge/tls-evidence.js';
import type { CertificateChain, Listener } from '../../src/model/listener.js';
import { judgePresentedChains } from '../../src/judge/presented-chains.js';
import { REFERENCES } from '../../src/judge/references.js';

/** OpenSSL's verification codes (Node's authorizationError) in an admin's words. */
const VERIFY_ERRORS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'a certificate of the chain has expired',
  CERT_NOT_YET_VALID: 'a certificate of the chain is not valid yet',
  CERT_REVOKED: 'a certificate of the chain is revoked',
  CERT_SIGNATURE_FAILURE: 'a signature in the chain does not verify',
  CERT_UNTRUSTED: 'the root is not trusted for server authentication',
  CERT_REJECTED: 'the root is marked to reject this purpose',
  INVALID_CA: 'an intermediate is not a valid CA certificate',
  INVALID_PURPOSE: 'a certificate of the chain is not allowed for server authentication',
  PATH_LENGTH_EXCEEDED: 'the chain is longer than a CA allows',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer is neither sent nor a trusted root',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the issuer of the certificate is unknown',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends at a root that is not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
};

export default defineCheck({
  meta: {
    id: 'tls.certificate-chain',
    area: 'tls',
    title: 'Federation certificates chain to a trusted root',
    failureTitle: 'A federation certificate does not chain to a trusted root',
    description:
      'Partners verify the Edge certificate against their own trusted roots using only what the Edge sends: a self-signed ' +
      'certificate, a private CA or a missing intermediate makes their Edge drop the connection (Lync reports ms-diagnostics 1047 or 1010).',
    services: ['sip', 'xmpp'],
    requires: ['presented-certificate', 'http'],
    references: [
      REFERENCES.rfc5280PathValidation, REFERENCES.rfc8446Certificate, REFERENCES.edgeCertificatePlanning,
      REFERENCES.prosodyCertificates,
    ],
    messages: {
      ...SESSION_MESSAGES,
      trusted: '{{subject}}: the chain of {{count}} sent is complete up to {{anchor}} and trusted',
      selfSigned: '{{subject}}: self-signed certificate {{leaf}}: partners will not trust it',
      untrustedRoot:
        '{{subject}}: issued by a private or unknown root, {{root}}: the server sends the whole chain up to that self-signed ' +
        'root, which is not in the trust store ({{trustStore}}): partners will not trust it unless they chose to trust this CA',
      untrustedCa:
        '{{subject}}: issued by a private or unknown root, {{root}} (fetched from {{url}}), which is not in the trust store ' +
        '({{trustStore}}): partners will not trust it unless they chose to trust this CA',
      missingIntermediate:
        '{{subject}}: the server does not send the intermediate certificate {{issuer}} ({{url}} serves it, issued by {{issuerIssuer}}): ' +
        'partners cannot build the chain',
      incompleteOrUntrusted:
        '{{subject}}: the chain stops at {{top}}: its issuer {{issuer}} is neither sent nor a trusted root ({{aia}}): the server ' +
        'omits an intermediate certificate, or the certificate comes from a private CA partners do not trust',
      intermediateNotSent:
        '{{subject}}: the server does not send the intermediate certificate {{issuer}}; this machine has it from --ca-file, ' +
        'partners will not: they cannot build the chain',
      untrusted: '{{subject}}: the chain is not trusted: {{error}} ({{meaning}})',
      invalidExtension: '{{subject}}: the chain is not trusted: {{certificate}} has {{defect}}, which OpenSSL rejects (its verify code: {{error}})',
      misordered: '{{subject}}: the chain is not sent in order (each certificate followed by its issuer): {{order}}',
      expiredIntermediate: '{{subject}}: certificate {{index}} of the chain, {{certificate}}, {{state}}: partners reject the chain',
    },
    fixes: {
      installIntermediate: {
        summary: 'Install the intermediate certificate {{issuer}} on {{host}} so the server sends the whole chain',
        steps: [
          'Download the intermediate from your CA (its AIA URL: {{url}}) and check it: `openssl x509 -inform DER -in intermediate.cer -noout -subject -issuer`.',
          'Lync / Skype for Business Edge: import it into the computer\'s Intermediate Certification Authorities store ' +
            '(certlm.msc) on every Edge of the pool, then restart the Edge services; SChannel sends what that store holds.',
          'Prosody, ejabberd, Kamailio: serve a full-chain file: the certificate, then the intermediate (as below).',
          'Check: `openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -showcerts </dev/null` lists both.',
        ],
        snippets: [
          { lang: 'powershell', text: 'Import-Certificate -FilePath C:\\intermediate.cer -CertStoreLocation Cert:\\LocalMachine\\CA\nStop-CsWindowsService\nStart-CsWindowsService' },
          {
            lang: 'shell',
            text:
              'curl -o intermediate.cer {{url}}\nopenssl x509 -inform DER -in intermediate.cer -out intermediate.pem\n' +
              'cat {{host}}.pem intermediate.pem > fullchain.pem',
          },
          { lang: 'prosody', text: 'ssl = { certificate = "/etc/prosody/certs/fullchain.pem"; key = "/etc/prosody/certs/{{host}}.key" }' },
          { lang: 'ejabberd', text: 'certfiles:\n  - "/etc/ejabberd/fullchain.pem"' },
          { lang: 'kamailio', text: '[server:default]\ncertificate = /etc/kamailio/fullchain.pem\nprivate_key = /etc/kamailio/{{host}}.key' },
        ],
      },
      publicCertificate: {
        summary: 'Replace the certificate on {{host}} with one from a public CA that partners trust',
        steps: [
          'Lync / Skype for Business: request the Access Edge external certificate from a public CA (Request-CsCertificate, ' +
            'below), import it with its key exportable and assign it with Set-CsCertificate on every Edge of the pool.',
          'Prosody, ejabberd, Kamailio: get a certificate for the names partners check (see tls.sip-certificate-names and ' +
            'tls.xmpp-certificate-names) from a public CA, for example with an ACME client.',
          'Only partners who agreed to a private CA can use one: each must import its root into the Trusted Root ' +
            'Certification Authorities store of the computer (Edge) or its CA file (Prosody: cafile in the ssl table).',
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
            text:
              'openssl req -new -newkey rsa:2048 -nodes -keyout {{host}}.key -out {{host}}.csr -subj "/CN={{host}}" ' +
              '-addext "subjectAltName=DNS:{{host}},DNS:{{domain}}"',
          },
        ],
      },
      privateRoot: {
        summary:
          'Use a certificate from a public CA on {{host}}; or, if you and your partners chose to trust the CA {{root}}, ' +
          'give fedcheck its root with --ca-file <root.pem> (check.caFiles in a config file)',
        steps: [
          'If {{root}} is not a CA your partners agreed to trust, use a certificate from a public CA: on a Lync / Skype for ' +
            'Business Edge request it with Request-CsCertificate and assign it with Set-CsCertificate (see tls.sip-certificate-names ' +
            'for the names); elsewhere use an ACME client or your CA\'s portal. Install it with its intermediates.',
          'If you do trust it (an in-house CA whose root your partners imported): save that root as PEM (the shell lines below take ' +
            'the last certificate the server sends; compare its fingerprint with the one your CA\'s administrator gives you, ' +
            'never trust a root only because a server sent it) and run fedcheck with `--ca-file root.pem`, or list the file ' +
            'under check.caFiles in the config file.',
          'Every partner must then have imported that root: the computer\'s Trusted Root Certification Authorities store on a ' +
            'Lync / Skype for Business Edge, the CA file elsewhere (Prosody: cafile in the ssl table).',
        ],
        snippets: [
          {
            lang: 'shell',
            text:
              'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -showcerts </dev/null 2>/dev/null | ' +
              'awk \'/-BEGIN CERTIFICATE-/ { pem = "" } { pem = pem $0 "\\n" } /-END CERTIFICATE-/ { last = pem } END { printf "%s", last }\' > root.pem\n' +
              'openssl x509 -in root.pem -noout -subject -fingerprint -sha256\n' +
              'fedcheck check {{domain}} --ca-file root.pem',
          },
          { lang: 'yaml', text: 'check:\n  caFiles:\n    - root.pem' },
        ],
      },
      chainOrder: {
        summary: 'Send the chain in order on {{host}}: the certificate first, then the CA that issued it, and so on up',
        steps: [
          'Rebuild the full-chain file in issuing order and reload the server; strict TLS stacks reject a chain out of order.',
          'List what is sent: `openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -showcerts </dev/null`.',
        ],
        snippets: [{ lang: 'shell', text: 'cat {{host}}.pem intermediate.pem > fullchain.pem' }],
      },
      replaceIntermediate: {
        summary: 'Replace {{certificate}} on {{host}} with the CA\'s current intermediate certificate',
        steps: [
          'Get the current intermediate from your CA\'s repository (the AIA URL of a freshly issued certificate points to it).',
          'Lync / Skype for Business Edge: delete the old one from the computer\'s Intermediate Certification Authorities store ' +
            '(certlm.msc), import the new one, restart the Edge services.',
          'Prosody, ejabberd, Kamailio: rebuild the full-chain file with the new intermediate and reload.',
        ],
        snippets: [{ lang: 'shell', text: 'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -showcerts </dev/null' }],
      },
      reissueCertificate: {
        summary: 'Have {{certificate}} reissued without {{defect}}, and install it on {{host}}',
        steps: [
          'List the extensions the server sends: the command below prints them under "X509v3 extensions" (a critical one is marked "critical").',
          'Request a new certificate from the CA: a public CA\'s standard profile has none of these faults; with a private CA, fix its certificate template first.',
          'Install the new certificate as for a renewal, then run the command again.',
        ],
        snippets: [{ lang: 'shell', text: 'openssl s_client -connect {{endpoint}} -servername {{servername}} </dev/null | openssl x509 -noout -text' }],
      },
      trustChain: {
        summary: 'Serve a certificate chain on {{host}} that verifies: {{meaning}}',
        steps: [
          'Inspect the chain: `openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -showcerts </dev/null` and look at ' +
            'the "Verify return code" line.',
          'An expired or not yet valid certificate: see tls.certificate-expiry. A revoked one: request a new certificate.',
          'Install a chain from a public CA, every intermediate included, as for a new certificate.',
        ],
        snippets: [{ lang: 'shell', text: 'openssl s_client -connect {{endpoint}} {{sniAndStarttls}} -showcerts </dev/null' }],
      },
    },
  },

  evaluate(context) {
    const anchors = trustAnchors(context.options.extraTrustAnchors);
    return judgePresentedChains(context, ['sip', 'xmpp-starttls', 'xmpp-direct-tls'], (listener, chain) =>
      judgeChain(listener, chain, anchors, context),
    );
  },
});

function judgeChain(listener: Listener, chain: CertificateChain, anchors: TrustStore, context: CheckContext): FindingDraft[] {
  const { subject, data } = listener;
  const { now } = context;
  // The chain is judged as the leaf's: a renewed certificate is a new finding, whatever intermediates it comes with.
  const location = certificateLocation(listener, chain.peerChain[0]);
  const evidence = [chainSourceEvidence(listener, chain), ...chainEvidence(chain.peerChain, now)];
  let analysis: ChainAnalysis;
  try {
    analysis = analyzeChain(chain.peerChain, now, { anchors });
  } catch (error) {
    const reason = chain.peerChain.length === 0 ? 'the server sent no certificate' : error instanceof Error ? error.message : String(error);
    return [{ status: 'error', subject, location, messageId: 'unreadableCertificate', data: { ...data, reason }, evidence }];
  }
  const findings: FindingDraft[] = [];
  const fail = (messageId: string, fixId: string, extra: Record<string, string | number>) =>
    findings.push({ status: 'fail', subject, location, messageId, data: { ...data, ...extra }, evidence, fixId });
  const leaf = analysis.certificates[0];
  const top = analysis.certificates[analysis.path[analysis.path.length - 1] ?? 0];
  const error = chain.authorizationError ?? 'not trusted';
  const defect = extensionDefectOnPath(analysis);

  if (leaf?.selfSigned && !chain.authorized) {
    fail('selfSigned', 'publicCertificate', { leaf: leaf.subject || leaf.fingerprints.sha256 });
  } else if (!analysis.complete && analysis.missingIssuer) {
    judgeMissingIssuer(analysis, top?.subject ?? '', context, fail);
  } else if (analysis.end === 'anchor' && analysis.anchor !== undefined && !anchorIsRoot(analysis.anchor, anchors)) {
    // Trusted here only because --ca-file holds the intermediate itself; partners have roots, not that intermediate.
    fail('intermediateNotSent', 'installIntermediate', { issuer: analysis.anchor, url: top?.aia.caIssuers[0] ?? 'your CA\'s repository' });
  } else if (!chain.authorized && analysis.end === 'root' && analysis.rootTrusted === false) {
    // Sent in full up to a root nobody here trusts: a private or unknown CA, which no intermediate would fix.
    fail('untrustedRoot', 'privateRoot', { root: top?.subject ?? '', trustStore: trustStoreText(context) });
  } else if (!chain.authorized && defect !== undefined) {
    // Node names these UNSPECIFIED or an unknown issuer; the certificate itself says what OpenSSL refused.
    fail('invalidExtension', 'reissueCertificate', { certificate: defect.certificate, defect: defect.defect, error });
  } else if (!chain.authorized) {
    fail('untrusted', 'trustChain', { error, meaning: VERIFY_ERRORS[error] ?? 'OpenSSL rejected the chain' });
  }

  if (!analysis.ordered) {
    const order = analysis.certificates.map((info, index) => `${index}: ${info.subject}`).join('; ');
    findings.push({ status: 'warn', subject, location, messageId: 'misordered', data: { ...data, order }, evidence, fixId: 'chainOrder' });
  }
  for (const problem of [...analysis.expired, ...analysis.notYetValid]) {
    if (problem.index === 0) continue;
    const expired = analysis.expired.includes(problem);
    fail('expiredIntermediate', 'replaceIntermediate', {
      index: problem.index,
      certificate: problem.subject,
      state: expired ? `expired on ${problem.notAfter}` : `is not valid before ${problem.notBefore}`,
    });
  }
  if (findings.length === 0) {
    const anchor = analysis.anchor ?? top?.subject ?? '';
    findings.push({ status: 'pass', subject, location, messageId: 'trusted', data: { ...data, count: chain.peerChain.length, anchor }, evidence });
  }
  return findings;
}

/** Names the certificate a server failed to send, from its AIA download when there is one. */
function judgeMissingIssuer(
  analysis: ChainAnalysis,
  top: string,
  context: CheckContext,
  fail: (messageId: string, fixId: string, extra: Record<string, string | number>) => void,
): void {
  const missing = analysis.missingIssuer;
  if (!missing) return;
  const [url] = missing.aiaCaIssuers;
  const download = url === undefined ? { state: 'absent' as const, why: 'the certificate has no AIA caIssuers URL' } : issuerFromDownload(url, context.facts.http(url));
  if (url !== undefined && download.state === 'found' && sameName(download.certificate.subject, missing.name)) {
    const issuer = download.certificate;
    if (issuer.selfSigned) fail('untrustedCa', 'privateRoot', { root: issuer.subject, url, trustStore: trustStoreText(context) });
    else fail('missingIntermediate', 'installIntermediate', { issuer: issuer.subject, issuerIssuer: issuer.issuer, url });
    return;
  }
  const aia =
    download.state === 'found' ? `${url ?? ''} serves ${download.certificate.subject} instead` : download.why;
  fail('incompleteOrUntrusted', 'installIntermediate', { top, issuer: missing.name, aia, url: url ?? 'your CA\'s repository' });
}

/** What the chain was judged against, so an admin sees whether their --ca-file was read. */
function trustStoreText(context: CheckContext): string {
  const extra = context.options.extraTrustAnchors.length;
  return extra === 0 ? "Node's public roots" : `Node's public roots and ${extra} certificate${extra === 1 ? '' : 's'} from --ca-file / check.caFiles`;
}

function anchorIsRoot(subject: string, anchors: TrustStore): boolean {
  // analyzeChain names the anchor by subject; the bundled roots and most --ca-file entries are self-signed roots.
  return anchors.withSubject(subject)[0]?.info.selfSigned ?? true;
}

function sameName(a: string, b: string): boolean {
  const prepare = (name: string): string => name.toLowerCase().replace(/\s+/g, ' ');
  return prepare(a) === prepare(b);
}
