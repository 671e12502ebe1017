import type { CheckCases } from '../../../support/check-tester.js';
import { TEST_DOMAIN } from '../../../support/check-tester.js';
import { AIA_URL, CRL_URL, testCertificates } from '../../../support/certificates.js';
import { EDGE, XMPP, locatedAt, protocolFacts, tlsSession } from '../../../support/protocol-fact-builder.js';
import type { FactRecord, ProbeOutcome } from '../../../../src/model/facts.js';
import { protocolFactKey } from '../../../../src/model/protocol-facts.js';
import type { HttpFetchFacts, RevocationFacts } from '../../../../src/model/protocol-facts.js';
import { answerOcspRequest } from '../../../../src/lab/ocsp-responder.js';
import type { OcspAnswer } from '../../../../src/lab/ocsp-responder.js';
import { parseCertificate } from '../../../../src/pki/certificate.js';
import { ocspRequestDer } from '../../../../src/pki/ocsp.js';

const DAY = 86_400_000;
const OCSP_URL = 'http://ocsp.pki.example.net/';

const certs = await testCertificates();
const { now, pki, intermediate } = certs;
const edgeSpec = { commonName: EDGE.host, dnsNames: [EDGE.host, TEST_DOMAIN], crlUrl: CRL_URL, caIssuersUrl: AIA_URL };
const [withOcsp, stranger] = await Promise.all([
  pki.issue({ ...edgeSpec, ocspUrl: OCSP_URL }),
  pki.issue({ commonName: 'stranger.example.net', dnsNames: ['stranger.example.net'] }),
]);
const ocspLeaf = withOcsp.certDer.toString('base64');
const crlLeaf = certs.leaves.edge;
const xmppLeaf = certs.leaves.xmppDomain;
const info = (der: string) => parseCertificate(der);
const revokedAt = new Date(now.getTime() - 2 * DAY);

const [crlListing, crlEmpty, crlListingXmpp] = await Promise.all([
  pki.crlDer([info(crlLeaf).serialNumber]),
  pki.crlDer([]),
  pki.crlDer([info(xmppLeaf).serialNumber]),
]);
/** The same CRL with its last signature byte changed: it no longer verifies with the issuer. */
const tampered = (der: Buffer) => {
  const copy = Buffer.from(der);
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0xff;
  return copy;
};

function ocspBody(leaf: string, answer: OcspAnswer, signerKeyPem = pki.intermediateKeyPem): string {
  const request = ocspRequestDer(leaf, intermediate);
  return answerOcspRequest(request, { issuerDer: pki.intermediateDer, signerKeyPem, statusOf: () => answer, now: () => now }).toString('base64');
}

const fetched = (url: string, body: Buffer | string, overrides: Partial<HttpFetchFacts> = {}): ProbeOutcome<HttpFetchFacts> => ({
  status: 'ok',
  facts: {
    url,
    status: 200,
    contentType: url === OCSP_URL ? 'application/ocsp-response' : 'application/pkix-crl',
    body: typeof body === 'string' ? body : body.toString('base64'),
    truncated: false,
    elapsedMs: 25,
    ...overrides,
  },
});

interface Revocation {
  plan?: Partial<RevocationFacts>;
  ocsp?: ProbeOutcome<HttpFetchFacts>;
  crl?: ProbeOutcome<HttpFetchFacts>;
}

/** What --revocation recorded for `leaf`: its plan (issuer the test intermediate), the OCSP answer, the CRL. */
function revocation(leaf: string, { plan = {}, ocsp, crl }: Revocation): FactRecord {
  const { serialNumber, fingerprints } = info(leaf);
  const facts: RevocationFacts = { serialNumber, issuer: intermediate, issuerSource: 'chain', notes: [], ...plan };
  return {
    [protocolFactKey.revocation(fingerprints.sha256)]: { status: 'ok', facts },
    ...(ocsp && facts.ocspUrl ? { [protocolFactKey.ocsp(facts.ocspUrl, serialNumber)]: ocsp } : {}),
    ...(crl && facts.crlUrl ? { [protocolFactKey.http(facts.crlUrl)]: crl } : {}),
  };
}

const sipEdge = (leaf: string, extra: FactRecord = {}): FactRecord => ({
  ...protocolFacts().edge().sipSession(EDGE.address, EDGE.port, tlsSession(EDGE.host, [leaf, intermediate])).build(),
  ...extra,
});
const xmppServer = (leaf: string, extra: FactRecord = {}): FactRecord => ({
  ...protocolFacts().xmppServer().xmppSession('starttls', XMPP.address, XMPP.port, tlsSession(TEST_DOMAIN, [leaf, intermediate])).build(),
  ...extra,
});
const sip = { services: ['sip' as const] };
const xmpp = { services: ['xmpp' as const] };
const ocspPlan = { ocspUrl: OCSP_URL };
const crlPlan = { crlUrl: CRL_URL };

export default {
  valid: [
    {
      name: 'OCSP says good, signed by the issuer',
      now,
      target: sip,
      facts: sipEdge(ocspLeaf, revocation(ocspLeaf, { plan: ocspPlan, ocsp: fetched(OCSP_URL, ocspBody(ocspLeaf, { status: 'good' })) })),
      expect: [{ status: 'pass', messageId: 'good', subject: EDGE.subject, location: locatedAt(EDGE, ocspLeaf), data: { serial: info(ocspLeaf).serialNumber } }],
    },
    {
      name: 'no OCSP responder: the CRL does not list the certificate (XMPP)',
      now,
      target: xmpp,
      facts: xmppServer(xmppLeaf, revocation(xmppLeaf, { plan: { ...crlPlan, notes: ['the certificate names no OCSP responder'] }, crl: fetched(CRL_URL, crlEmpty) })),
      expect: [{ status: 'pass', messageId: 'good', subject: XMPP.subject }],
    },
    {
      name: 'the OCSP responder does not know the certificate; the CRL settles it',
      now,
      target: sip,
      facts: sipEdge(
        ocspLeaf,
        revocation(ocspLeaf, { plan: { ...ocspPlan, ...crlPlan }, ocsp: fetched(OCSP_URL, ocspBody(ocspLeaf, { status: 'unknown' })), crl: fetched(CRL_URL, crlEmpty) }),
      ),
      expect: [{ status: 'pass', messageId: 'good' }],
    },
    {
      name: 'the OCSP responder fails with HTTP 500; the CRL settles it',
      now,
      target: sip,
      facts: sipEdge(
        ocspLeaf,
        revocation(ocspLeaf, { plan: { ...ocspPlan, ...crlPlan }, ocsp: fetched(OCSP_URL, '', { status: 500 }), crl: fetched(CRL_URL, crlEmpty) }),
      ),
      expect: [{ status: 'pass', messageId: 'good' }],
    },
    {
      name: 'without --revocation there is nothing to say',
      now,
      target: sip,
      facts: sipEdge(crlLeaf),
      expect: [],
    },
    {
      name: 'a self-signed certificate is not checked',
      now,
      target: sip,
      facts: sipEdge(certs.leaves.selfSigned, {
        [protocolFactKey.revocation(info(certs.leaves.selfSigned).fingerprints.sha256)]: {
          status: 'skipped',
          because: 'the certificate is self-signed: there is no CA to revoke it',
        },
      }),
      expect: [{ status: 'skip', messageId: 'notChecked', data: { because: 'the certificate is self-signed: there is no CA to revoke it' } }],
    },
    {
      name: 'the CRL host is a private address: not fetched, so not checked',
      now,
      target: sip,
      facts: sipEdge(
        crlLeaf,
        revocation(crlLeaf, { plan: crlPlan, crl: { status: 'skipped', because: `${CRL_URL}: 10.0.0.8 is not a public address; not fetched without --allow-private` } }),
      ),
      expect: [{ status: 'skip', messageId: 'notChecked' }],
    },
  ],
  invalid: [
    {
      name: 'OCSP says revoked',
      now,
      target: sip,
      facts: sipEdge(
        ocspLeaf,
        revocation(ocspLeaf, { plan: ocspPlan, ocsp: fetched(OCSP_URL, ocspBody(ocspLeaf, { status: 'revoked', time: revokedAt, reason: 1 })) }),
      ),
      expect: [
        {
          status: 'fail',
          messageId: 'revoked',
          subject: EDGE.subject,
          data: { reason: 'keyCompromise', date: new Date(Math.floor(revokedAt.getTime() / 1000) * 1000).toISOString(), source: `the OCSP responder ${OCSP_URL}` },
          fix: 'Set-CsCertificate -Type AccessEdgeExternal',
        },
      ],
    },
    {
      name: 'the CRL lists the certificate and is signed by the issuer',
      now,
      target: sip,
      facts: sipEdge(crlLeaf, revocation(crlLeaf, { plan: crlPlan, crl: fetched(CRL_URL, crlListing) })),
      expect: [{ status: 'fail', messageId: 'revoked', data: { reason: 'keyCompromise', source: `the CRL ${CRL_URL}` }, fix: true }],
    },
    {
      name: 'the CRL lists the certificate, but its signature does not verify',
      now,
      target: sip,
      facts: sipEdge(crlLeaf, revocation(crlLeaf, { plan: crlPlan, crl: fetched(CRL_URL, tampered(crlListing)) })),
      expect: [{ status: 'error', messageId: 'listedUnverified', data: { url: CRL_URL } }],
    },
    {
      name: 'the CRL is out of date: a Lync Edge refuses the partner',
      now: new Date(now.getTime() + 8 * DAY),
      target: sip,
      facts: sipEdge(crlLeaf, revocation(crlLeaf, { plan: crlPlan, crl: fetched(CRL_URL, crlEmpty) })),
      expect: [{ status: 'warn', messageId: 'staleCrl', fix: 'certutil -CRL' }],
    },
    {
      name: 'the CRL cannot be fetched: a Lync Edge refuses the partner',
      now,
      target: sip,
      facts: sipEdge(
        crlLeaf,
        revocation(crlLeaf, {
          plan: crlPlan,
          crl: fetched(CRL_URL, '', { status: 0, failure: { stage: 'connect', reason: 'timeout', detail: 'no TCP connection within 5000 ms' } }),
        }),
      ),
      expect: [{ status: 'error', messageId: 'unverifiable', fix: 'curl -o ca.crl' }],
    },
    {
      name: 'the CRL URL serves something that is not a CRL',
      now,
      target: sip,
      facts: sipEdge(crlLeaf, revocation(crlLeaf, { plan: crlPlan, crl: fetched(CRL_URL, Buffer.from('<html>moved</html>'), { contentType: 'text/html' }) })),
      expect: [{ status: 'error', messageId: 'unverifiable' }],
    },
    {
      name: 'an OCSP answer signed by a key that is not the issuer\'s, and no CRL',
      now,
      target: sip,
      facts: sipEdge(
        ocspLeaf,
        revocation(ocspLeaf, {
          plan: { ...ocspPlan, notes: ['the certificate names no http CRL distribution point'] },
          ocsp: fetched(OCSP_URL, ocspBody(ocspLeaf, { status: 'good' }, stranger.keyPem)),
        }),
      ),
      expect: [{ status: 'error', messageId: 'unverifiable' }],
    },
    {
      name: 'XMPP: a truncated CRL listing the certificate cannot be read',
      now,
      target: xmpp,
      facts: xmppServer(
        xmppLeaf,
        revocation(xmppLeaf, { plan: crlPlan, crl: fetched(CRL_URL, crlListingXmpp.subarray(0, 100), { truncated: true }) }),
      ),
      expect: [{ status: 'error', messageId: 'unverifiable', subject: XMPP.subject }],
    },
  ],
} satisfies CheckCases;
