// Whether each XMPP server-to-server listener's certificate identifies the XMPP domain (RFC 6120 / RFC 9525):
// the domain, never the SRV target host, as DNS-ID, SRV-ID or XmppAddr.

import { defineCheck } from '../../src/model/check.js';
import type { FindingDraft } from '../../src/model/check.js';
import {
  SESSION_MESSAGES,
  certificateEvidence,
  certificateLocation,
  chainSourceEvidence,
  readLeaf,
  subjectAltNameList,
  xmppIdentities,
} from '../../src/judge/tls-evidence.js';
import type { XmppMatch } from '../../src/judge/tls-evidence.js';
import { judgePresentedChains } from '../../src/judge/presented-chains.js';
import { REFERENCES } from '../../src/judge/references.js';

const MATCH_WORDS: Record<XmppMatch, string> = {
  dns: 'DNS-ID (dNSName)',
  'dns-wildcard': 'DNS-ID by wildcard',
  'srv-id': 'SRV-ID (_xmpp-server)',
  xmppaddr: 'XmppAddr',
  cn: 'subject CN only',
};

export default defineCheck({
  meta: {
    id: 'tls.xmpp-certificate-names',
    area: 'tls',
    title: 'XMPP certificates identify the XMPP domain',
    failureTitle: 'An XMPP certificate does not identify the XMPP domain',
    description:
      'XMPP servers match the certificate against the XMPP domain they asked for (not the SRV target host) as a DNS-ID, SRV-ID ' +
      'or XmppAddr; without one, peers fall back to dialback or refuse the stream. A name only in the CN is a fallback RFC 6125 ' +
      'allowed for certificates without SANs and RFC 9525 removed.',
    services: ['xmpp'],
    requires: ['presented-certificate'],
    references: [
      REFERENCES.rfc6120ServerCertificates, REFERENCES.rfc9525ServiceIdentity, REFERENCES.rfc6125CommonNames,
      REFERENCES.rfc6125Wildcards, REFERENCES.rfc7590XmppTls, REFERENCES.prosodyCertificates, REFERENCES.xmppFederation,
    ],
    messages: {
      ...SESSION_MESSAGES,
      named: '{{subject}}: the certificate identifies the XMPP domain {{domain}} by {{how}}',
      // Prosody 0.12 accepting it is what test/interop/prosody.test.ts shows; keep the two in step.
      cnOnly:
        '{{subject}}: the certificate names {{domain}} only in its subject CN, with no DNS-ID, SRV-ID or XmppAddr: RFC 6125 allowed ' +
        'that fallback, RFC 9525 dropped it, so peers that follow RFC 9525 do not accept it (Prosody 0.12 still does); add ' +
        'DNS:{{domain}} as a subject alternative name',
      hostNotDomain:
        '{{subject}}: the certificate names the SRV target host {{host}} ({{names}}) but not the XMPP domain {{domain}}: XMPP ' +
        'peers check the domain, never the SRV target',
      notNamed: '{{subject}}: the certificate does not identify the XMPP domain {{domain}} (it names {{names}}; CN {{cn}})',
    },
    fixes: {
      reissueXmpp: {
        summary: 'Reissue the certificate with the XMPP domain {{domain}} as a subject alternative name (DNS:{{domain}}), besides {{host}}',
        steps: [
          'Prosody: get a certificate for the VirtualHost {{domain}} (for example `certbot certonly -d {{domain}} -d {{host}}`), ' +
            'then `prosodyctl --root cert import /etc/letsencrypt/live` and `prosodyctl reload`.',
          'ejabberd: list {{domain}} in hosts and let its ACME client (acme: auto: true) or certfiles provide a certificate for it.',
          'Lync / Skype for Business XMPP gateway: add {{domain}} as a subject alternative name of the Edge external certificate ' +
            '(Request-CsCertificate -DomainName) and assign it again with Set-CsCertificate -Type AccessEdgeExternal.',
          'An SRV-ID (_xmpp-server.{{domain}}) is welcome but optional; a DNS-ID is what every peer checks.',
        ],
        snippets: [
          { lang: 'shell', text: 'certbot certonly -d {{domain}} -d {{host}} && prosodyctl --root cert import /etc/letsencrypt/live && prosodyctl reload' },
          {
            lang: 'shell',
            text: 'openssl req -new -newkey rsa:2048 -nodes -keyout {{domain}}.key -out {{domain}}.csr -subj "/CN={{domain}}" -addext "subjectAltName=DNS:{{domain}},DNS:{{host}}"',
          },
          { lang: 'ejabberd', text: 'hosts:\n  - "{{domain}}"\nacme:\n  auto: true' },
        ],
      },
    },
  },

  evaluate(context) {
    const { target } = context;
    return judgePresentedChains(context, ['xmpp-starttls', 'xmpp-direct-tls'], (listener, chain): FindingDraft[] => {
      const read = readLeaf(listener, chain);
      if ('finding' in read) return [read.finding];
      const { leaf } = read;
      const { subject } = listener;
      const location = certificateLocation(listener, leaf.der);
      const identity = xmppIdentities(leaf, target.domain);
      const data = {
        ...listener.data,
        how: identity.matchedBy.map((kind) => MATCH_WORDS[kind]).join(', '),
        names: subjectAltNameList(leaf),
        cn: leaf.subjectCommonNames.join(', ') || 'none',
      };
      const evidence = [chainSourceEvidence(listener, chain), ...certificateEvidence(leaf, context.now, 'leaf')];
      if (identity.matchedBy.includes('cn')) return [{ status: 'warn', subject, location, messageId: 'cnOnly', data, evidence, fixId: 'reissueXmpp' }];
      if (identity.matchedBy.length > 0) return [{ status: 'pass', subject, location, messageId: 'named', data, evidence }];
      // The classic mistake: the certificate of the machine the SRV record points to, not of the domain it serves.
      const namesHost = xmppIdentities(leaf, listener.endpoint.host).matchedBy.length > 0;
      return [{ status: 'fail', subject, location, messageId: namesHost ? 'hostNotDomain' : 'notNamed', data, evidence, fixId: 'reissueXmpp' }];
    });
  },
});
