import { rootCertificates } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/pki/certificate.js';
import { analyzeChain } from '../../src/pki/chain.js';
import { DER_TAG, childrenOf, readTlv } from '../../src/pki/der.js';
import { formatNameDer } from '../../src/pki/distinguished-name.js';
import { nameKey, nameKeyOfDer } from '../../src/pki/name-key.js';
import { pemBlocks } from '../../src/pki/pem.js';
import { createTestPki, type IssuedCertificate, type TestPki } from '../../src/pki/test-ca.js';
import { trustAnchors, trustStoreOf } from '../../src/pki/trust.js';

const base64 = (der: Buffer): string => der.toString('base64');

function subjectDer(certificate: Buffer): Buffer {
  const [tbs] = childrenOf(certificate, readTlv(certificate, 0));
  const fields = childrenOf(certificate, tbs as ReturnType<typeof readTlv>);
  const subject = fields[fields[0]?.tag === DER_TAG.contextConstructed0 ? 5 : 4] as ReturnType<typeof readTlv>;
  return certificate.subarray(subject.start, subject.end);
}

describe('nameKey', () => {
  it("reads from the DER the same key as from the parsed subject, for every one of Node's roots", () => {
    const roots = rootCertificates.flatMap((pem) => pemBlocks(pem, 'CERTIFICATE'));
    expect(roots.length).toBeGreaterThan(100);
    const mismatches = roots
      .map((der) => ({ subject: parseCertificate(der).subject, key: nameKeyOfDer(subjectDer(der)) }))
      .filter(({ subject, key }) => key !== nameKey(subject));
    expect(mismatches).toEqual([]);
  });

  it('is shared by names that differ only in case, spaces and RFC 4514 escapes', async () => {
    const pki = await createTestPki({ name: 'Acme, Inc. #1 + Ops;  Unit' });
    const subject = parseCertificate(pki.rootDer).subject;
    expect(subject).toContain('\\,');
    expect(nameKeyOfDer(subjectDer(pki.rootDer))).toBe(nameKey(subject));
    expect(nameKeyOfDer(subjectDer(pki.rootDer))).toBe(nameKey(formatNameDer(subjectDer(pki.rootDer))));
    expect(nameKey(subject.toUpperCase().replace(/ /g, '   '))).toBe(nameKey(subject));
  });
});

describe('trust store', () => {
  let pki: TestPki;
  let leaf: IssuedCertificate;
  beforeAll(async () => {
    pki = await createTestPki({ name: 'Trust Index' });
    leaf = await pki.issue({ dnsNames: ['sip.example.com'] });
  });

  it("finds a --ca-file root beside Node's roots by its subject, however the name is cased and spaced", () => {
    const store = trustAnchors([base64(pki.rootDer)]);
    const subject = parseCertificate(pki.rootDer).subject;
    expect(store.withSubject(subject.toUpperCase()).map((anchor) => anchor.info.der)).toEqual([base64(pki.rootDer)]);
    expect(store.holds(base64(pki.rootDer))).toBe(true);
    expect(store.holds(base64(pki.intermediateDer))).toBe(false);
    // Without the --ca-file, Node's roots alone know nothing of this CA.
    expect(trustAnchors([]).withSubject(subject)).toEqual([]);
  });

  it('judges a chain against the index as against the list of anchors it was built from', () => {
    const chain = [base64(leaf.certDer), base64(pki.intermediateDer)];
    const viaIndex = analyzeChain(chain, new Date(), { anchors: trustAnchors([base64(pki.rootDer)]) });
    const viaList = analyzeChain(chain, new Date(), { anchors: [...rootCertificates, pki.rootPem] });
    expect(viaIndex).toEqual(viaList);
    expect(viaIndex).toMatchObject({ end: 'anchor', anchor: 'CN=Trust Index Root CA,O=Trust Index', complete: true });
    expect(analyzeChain(chain, new Date(), { anchors: trustStoreOf([]) })).toMatchObject({ end: 'missing', complete: false });
  });

  it('does not take a root of the same name with another key for the issuer', async () => {
    // A second PKI of the same name: its root has the subject the intermediate names, but not the key that signed it.
    const impostor = await createTestPki({ name: 'Trust Index' });
    const chain = [base64(leaf.certDer), base64(pki.intermediateDer)];
    expect(analyzeChain(chain, new Date(), { anchors: trustStoreOf([impostor.rootPem]) })).toMatchObject({ end: 'missing' });
    expect(analyzeChain(chain, new Date(), { anchors: trustStoreOf([impostor.rootPem, pki.rootPem]) })).toMatchObject({ end: 'anchor' });
  });
});
