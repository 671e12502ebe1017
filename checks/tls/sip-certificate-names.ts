// Whether each SIP federation listener's certificate names the Edge FQDN partners connect to and the SIP domain,
// the way Lync / Skype for Business partners (Edge FQDN) and RFC 5922 partners (domain) check it.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import { hostingProvider } from '../../src/judge/services.js';
import {
  SESSION_MESSAGES,
  certificateEvidence,
  certificateLocation,
  chainSourceEvidence,
  readLeaf,
  sipIdentities,
  subjectAltNameList,
} from '../../src/judge/tls-evidence.js';
import type { NameMatch, SipMatch } from '../../src/judge/tls-evidence.js';
import { judgePresentedChains } from '../../src/judge/presented-chains.js';
import { REFERENCES } from '../../src/judge/references.js';

const MATCH_WORDS: Record<SipMatch, string> = {
  dns: 'dNSName',
  'dns-wildcard': 'wildcard dNSName',
  uri: 'sip: URI',
  cn: 'subject CN only',
};

export default defineCheck({
  meta: {
    id: 'tls.sip-certificate-names',
    area: 'tls',
    title: 'SIP federation certificates name the Edge FQDN and the SIP domain',
    failureTitle: 'A SIP federation certificate does not name the Edge FQDN or the SIP domain',
    description:
      'Lync and Skype for Business partners check the Access Edge FQDN from your SRV record (or their ProxyFqdn) against the ' +
      'certificate\'s subject alternative names, RFC 5922 partners check the SIP domain; a certificate naming neither ends federation.',
    services: ['sip'],
    requires: ['presented-certificate'],
    references: [
      REFERENCES.rfc5922SipCertificates, REFERENCES.edgeCertificatePlanning, REFERENCES.lyncEdgeCertificates,
      REFERENCES.rfc6125CommonNames, REFERENCES.rfc9525ServiceIdentity, REFERENCES.requestCertificate,
    ],
    messages: {
      ...SESSION_MESSAGES,
      named: '{{subject}}: the certificate names the Edge FQDN {{edge}} ({{edgeMatch}}); the SIP domain {{domain}}: {{domainMatch}}',
      neitherNamed:
        '{{subject}}: the certificate names neither the Edge FQDN {{edge}} nor the SIP domain {{domain}} (it names {{names}}; ' +
        'CN {{cn}}): partners drop the connection',
      edgeNotNamed:
        '{{subject}}: the certificate names the SIP domain {{domain}} ({{domainMatch}}) but not the Edge FQDN {{edge}}: Lync and ' +
        'Skype for Business partners, which check the SRV target, refuse it',
      cnNotEdge:
        '{{subject}}: the subject CN is {{cn}}, not the Access Edge FQDN {{edge}}: Lync and Skype for Business expect the Access ' +
        'Edge FQDN as the subject name',
      edgeNotFirstSan:
        '{{subject}}: {{edge}} is not the first subject alternative name ({{names}}): Lync and Skype for Business expect the Access ' +
        'Edge FQDN repeated as the first SAN',
      wildcardEdge:
        '{{subject}}: {{edge}} is named only by a wildcard ({{names}}): Microsoft does not support wildcard certificates on the ' +
        'Lync / Skype for Business Edge (only for the Simple URLs behind the reverse proxy), so the Access Edge FQDN needs a SAN of its own',
      cnOnly:
        '{{subject}}: {{edge}} is named only in the subject CN, with no dNSName or URI subject alternative name: RFC 6125 ' +
        'allowed that only in a certificate without such SANs and RFC 9525 dropped it, so RFC 9525 clients do not accept it; ' +
        'Lync and Skype for Business expect the Access Edge FQDN as the first SAN',
    },
    fixes: {
      reissueSip: {
        summary: 'Reissue the Edge certificate with subject CN={{edge}} and the subject alternative names {{sanList}} (the Edge FQDN first)',
        steps: [
          'Lync / Skype for Business: run the request below on the Edge (the Access Edge FQDN becomes the subject and first SAN; ' +
            '-DomainName adds the others), have a public CA issue it with Server and Client Authentication, then ' +
            'Import-CsCertificate and Set-CsCertificate -Type AccessEdgeExternal on every Edge of the pool.',
          'Name every SIP domain you federate as sip.<domain> (and the domain itself for RFC 5922 partners); no wildcard for the Access Edge.',
          'Prosody, Kamailio or another SIP server: request the same names with openssl (below) and install the result as a full chain.',
        ],
        snippets: [
          {
            lang: 'powershell',
            text:
              'Request-CsCertificate -New -Type AccessEdgeExternal -Output C:\\AccessEdgeExternal.req -ClientEku $true ' +
              '-DomainName "{{sanList}}" -FriendlyName "Access Edge {{edge}}" -KeySize 2048 -PrivateKeyExportable $true',
          },
          {
            lang: 'shell',
            text: 'openssl req -new -newkey rsa:2048 -nodes -keyout {{edge}}.key -out {{edge}}.csr -subj "/CN={{edge}}" -addext "subjectAltName={{opensslSans}}"',
          },
        ],
      },
    },
  },

  evaluate(context) {
    const { target } = context;
    return judgePresentedChains(context, ['sip'], (listener, chain): FindingDraft[] => {
      const read = readLeaf(listener, chain);
      if ('finding' in read) return [read.finding];
      const { leaf } = read;
      const { subject } = listener;
      const location = certificateLocation(listener, leaf.der);
      const edge = listener.endpoint.host;
      const identities = sipIdentities(leaf, { domain: target.domain, edgeFqdn: edge });
      const sans = [...new Set([edge, `sip.${target.domain}`, target.domain])];
      const data = {
        ...listener.data,
        edge,
        names: subjectAltNameList(leaf),
        cn: leaf.subjectCommonNames.join(', ') || 'none',
        edgeMatch: describeMatch(identities.edge),
        domainMatch: describeMatch(identities.domain),
        sanList: sans.join(','),
        opensslSans: sans.map((name) => `DNS:${name}`).join(','),
      };
      const evidence = [chainSourceEvidence(listener, chain), ...certificateEvidence(leaf, context.now, 'leaf')];
      const finding = (status: 'pass' | 'warn' | 'fail', messageId: string): FindingDraft =>
        status === 'pass' ? { status, subject, location, messageId, data, evidence } : { status, subject, location, messageId, data, evidence, fixId: 'reissueSip' };

      const edgeNamed = identities.edge.matchedBy.length > 0;
      const domainNamed = identities.domain.matchedBy.length > 0;
      if (!edgeNamed && !domainNamed) return [finding('fail', 'neitherNamed')];
      if (!edgeNamed) return [finding('warn', 'edgeNotNamed')];
      // A hosting provider's certificate (Microsoft 365) is theirs to shape; its Lync layout is not the customer's to fix.
      if (hostingProvider(edge)) return [finding('pass', 'named')];
      const faults: FindingDraft[] = [];
      if (identities.edge.matchedBy.includes('cn')) faults.push(finding('warn', 'cnOnly'));
      // Microsoft's rule, not a name-matching one: the wildcard does match, but the Edge does not support it.
      else if (identities.wildcardForEdge) faults.push(finding('fail', 'wildcardEdge'));
      else if (!identities.edgeIsFirstSan) faults.push(finding('warn', 'edgeNotFirstSan'));
      if (!identities.cnIsEdge) faults.push(finding('warn', 'cnNotEdge'));
      return faults.length > 0 ? faults : [finding('pass', 'named')];
    });
  },
});

function describeMatch(match: NameMatch<SipMatch>): string {
  return match.matchedBy.length === 0 ? 'not named' : match.matchedBy.map((kind) => MATCH_WORDS[kind]).join(', ');
}
