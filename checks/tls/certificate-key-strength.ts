// Whether the keys and signatures of each listener's chain are ones partners still accept, and whether a SIP Edge
// certificate has what Lync / Skype for Business need beyond that (PKCS#1 v1.5 signatures, a CRL distribution point).

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import {
  SESSION_MESSAGES,
  certificateLocation,
  chainEvidence,
  chainSourceEvidence,
  readLeaf,
  readableChain,
} from '../../src/judge/tls-evidence.js';
import type { CertificateInfo } from '../../src/judge/tls-evidence.js';
import { judgePresentedChains } from '../../src/judge/presented-chains.js';
import { REFERENCES } from '../../src/judge/references.js';

const BROKEN_HASHES = new Set(['MD2', 'MD5', 'SHA-1']);
const MIN_RSA_BITS = 2048;
const MIN_EC_BITS = 256;

export default defineCheck({
  meta: {
    id: 'tls.certificate-key-strength',
    area: 'tls',
    title: 'Federation certificates use strong keys and signatures',
    failureTitle: 'A federation certificate uses a weak key or signature, or one Lync cannot use',
    description:
      'Current TLS stacks refuse RSA keys under 2048 bits and SHA-1 or MD5 signatures; Lync and Skype for Business Edges also ' +
      'cannot verify RSASSA-PSS signatures and check revocation through the certificate\'s CRL distribution point.',
    services: ['sip', 'xmpp'],
    requires: ['presented-certificate'],
    references: [
      REFERENCES.nist800131a, REFERENCES.rfc9155Sha1, REFERENCES.edgeCertificatePlanning,
      REFERENCES.lyncCertificateInfrastructure,
    ],
    messages: {
      ...SESSION_MESSAGES,
      strong: '{{subject}}: {{key}} key, {{signature}} signatures along the chain',
      weakKey: '{{subject}}: {{which}} {{certificate}} has a {{bits}}-bit {{keyType}} key: current TLS stacks refuse it',
      weakSignature: '{{subject}}: {{which}} {{certificate}} is signed with {{algorithm}}: current TLS stacks refuse {{hash}} signatures',
      pssSignature:
        '{{subject}}: {{which}} {{certificate}} is signed with RSASSA-PSS: Lync and Skype for Business cannot verify it, so ' +
        'their Edges refuse the chain',
      noCrl:
        '{{subject}}: the Edge certificate has no CRL distribution point: Lync and Skype for Business partners check revocation ' +
        'and can refuse a certificate they cannot check',
    },
    fixes: {
      strongerKey: {
        summary: 'Reissue the certificate of {{host}} with an RSA key of 2048 bits or more (or ECDSA P-256)',
        steps: [
          'Lync / Skype for Business: Request-CsCertificate -KeySize 2048 (or more), then Import-CsCertificate and Set-CsCertificate.',
          'Others: generate a new key and request (below), install the new certificate as a full chain.',
          'An intermediate with a weak key belongs to an old hierarchy: take the CA\'s current one.',
        ],
        snippets: [
          {
            lang: 'powershell',
            text:
              'Request-CsCertificate -New -Type AccessEdgeExternal -Output C:\\AccessEdgeExternal.req -ClientEku $true ' +
              '-DomainName "{{host}},{{domain}}" -KeySize 2048 -PrivateKeyExportable $true',
          },
          { lang: 'shell', text: 'openssl req -new -newkey rsa:3072 -nodes -keyout {{host}}.key -out {{host}}.csr -subj "/CN={{host}}"' },
        ],
      },
      sha256Signature: {
        summary: 'Have {{certificate}} reissued with a SHA-256 signature, by the CA\'s current (SHA-256) hierarchy',
        steps: [
          'Public CAs no longer sign with SHA-1: a SHA-1 certificate or intermediate is from a retired hierarchy; request a new ' +
            'certificate and install the intermediate it comes with.',
          'Active Directory Certificate Services: set the CA\'s hash to SHA-256 and restart it (below), then reissue.',
        ],
        snippets: [{ lang: 'cmd', text: 'certutil -setreg ca\\csp\\CNGHashAlgorithm SHA256\nnet stop certsvc && net start certsvc' }],
      },
      pkcs1Signature: {
        summary: 'Have {{certificate}} reissued with a PKCS#1 v1.5 signature (sha256WithRSAEncryption) instead of RSASSA-PSS',
        steps: [
          'Active Directory Certificate Services signs with PSS when AlternateSignatureAlgorithm is 1: set it to 0, restart the CA, reissue.',
          'Public CAs sign with PKCS#1 v1.5; ask for it explicitly if your CA offers PSS.',
        ],
        snippets: [{ lang: 'cmd', text: 'certutil -setreg ca\\csp\\AlternateSignatureAlgorithm 0\nnet stop certsvc && net start certsvc' }],
      },
      crlDistributionPoint: {
        summary: 'Use an Edge certificate for {{host}} with an HTTP CRL distribution point partners can reach',
        steps: [
          'Certificates from public CAs carry one; a private CA (AD CS) must publish its CRL at an HTTP URL reachable from the ' +
            'internet and include it in the CDP extension of the certificates it issues.',
          'Reissue the Edge certificate after the CA is configured, then Import-CsCertificate and Set-CsCertificate.',
        ],
        snippets: [
          {
            lang: 'cmd',
            text: 'certutil -setreg CA\\CRLPublicationURLs "1:%WINDIR%\\system32\\CertSrv\\CertEnroll\\%3%8%9.crl\\n2:http://pki.{{domain}}/%3%8%9.crl"\nnet stop certsvc && net start certsvc',
          },
        ],
      },
    },
  },

  evaluate(context) {
    return judgePresentedChains(context, ['sip', 'xmpp-starttls', 'xmpp-direct-tls'], (listener, chain): FindingDraft[] => {
      const read = readLeaf(listener, chain);
      if ('finding' in read) return [read.finding];
      const { leaf } = read;
      const { subject } = listener;
      const leafLocation = certificateLocation(listener, leaf.der);
      const sip = listener.endpoint.service === 'sip';
      const evidence = [chainSourceEvidence(listener, chain), ...chainEvidence(chain.peerChain, context.now), ...algorithmEvidence(readableChain(chain.peerChain))];
      const findings: FindingDraft[] = [];
      // A root's own signature is never verified, and a root sent along is the partner's trust decision, not ours.
      const judged = readableChain(chain.peerChain).filter((info, index) => index === 0 || !info.selfSigned);
      for (const [index, info] of judged.entries()) {
        const which = index === 0 ? 'the certificate' : 'the intermediate';
        const data = { ...listener.data, which, certificate: info.subject || info.fingerprints.sha256 };
        // Each certificate's fault is its own: an intermediate's stays one finding across renewals of the leaf.
        const location = certificateLocation(listener, info.der);
        const { publicKey, signatureAlgorithm } = info;
        const minimum = publicKey.type === 'EC' ? MIN_EC_BITS : MIN_RSA_BITS;
        if ((publicKey.type === 'RSA' || publicKey.type === 'RSA-PSS' || publicKey.type === 'EC') && publicKey.bits !== undefined && publicKey.bits < minimum) {
          findings.push({ status: 'fail', subject, location, messageId: 'weakKey', data: { ...data, bits: publicKey.bits, keyType: publicKey.type }, evidence, fixId: 'strongerKey' });
        }
        if (signatureAlgorithm.hash !== null && BROKEN_HASHES.has(signatureAlgorithm.hash)) {
          const algorithm = signatureAlgorithm.name;
          findings.push({ status: 'fail', subject, location, messageId: 'weakSignature', data: { ...data, algorithm, hash: signatureAlgorithm.hash }, evidence, fixId: 'sha256Signature' });
        } else if (sip && signatureAlgorithm.pss) {
          findings.push({ status: 'warn', subject, location, messageId: 'pssSignature', data, evidence, fixId: 'pkcs1Signature' });
        }
      }
      if (sip && leaf.crlDistributionPoints.length === 0) {
        findings.push({ status: 'warn', subject, location: leafLocation, messageId: 'noCrl', data: listener.data, evidence, fixId: 'crlDistributionPoint' });
      }
      if (findings.length > 0) return findings;
      return [{ status: 'pass', subject, location: leafLocation, messageId: 'strong', data: { ...listener.data, key: describeKey(leaf), signature: signatures(judged) }, evidence }];
    });
  },
});

function describeKey(info: CertificateInfo): string {
  const { publicKey } = info;
  if (publicKey.curve) return `${publicKey.type} ${publicKey.curve}`;
  return publicKey.bits === undefined ? publicKey.type : `${publicKey.type} ${publicKey.bits}-bit`;
}

function signatures(chain: CertificateInfo[]): string {
  return [...new Set(chain.map((info) => info.signatureAlgorithm.name))].join(', ');
}

function algorithmEvidence(chain: CertificateInfo[]): string[] {
  return chain.map(
    (info, index) =>
      `certificate ${index}: ${describeKey(info)} key, signed with ${info.signatureAlgorithm.name}` +
      (index === 0 ? `, CRL distribution points: ${info.crlDistributionPoints.join(', ') || 'none'}` : ''),
  );
}
