// The trust anchors chain analysis judges against: Node's bundled roots plus the user's --ca-file certificates,
// indexed by subject so that finding a chain's anchor parses and verifies only the roots that could have issued it.

import { X509Certificate as NodeCertificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { parseCertificate, type CertificateInfo } from './certificate.js';
import { DER_TAG, childrenOf, readTlv } from './der.js';
import { comparableName } from './distinguished-name.js';
import { nameKey, nameKeyOfDer } from './name-key.js';
import { derFrom, pemBlocks } from './pem.js';

/** One anchor, parsed the first time a chain names it as an issuer. */
export interface TrustAnchor {
  readonly info: CertificateInfo;
  /** Node's object for the signature checks. */
  readonly node: NodeCertificate;
}

export interface TrustStore {
  /** The anchors whose subject is `name` (RFC 5280 7.1: case and runs of spaces aside), in trust-store order. */
  withSubject(name: string): readonly TrustAnchor[];
  /** Whether this certificate (base64 DER) is itself one of the anchors. */
  holds(der: string): boolean;
}

interface Entry {
  der: Buffer;
  anchor?: TrustAnchor;
}

/**
 * Anchors looked up by subject. Parsing a certificate costs milliseconds; reading the key of its subject name from
 * the DER costs microseconds, so the index holds keys and only the anchors a run's chains reach are parsed in full.
 */
class AnchorIndex implements TrustStore {
  private readonly entries: Entry[];
  private bySubject: Map<string, Entry[]> | undefined;
  private encoded: Set<string> | undefined;

  constructor(ders: readonly Buffer[]) {
    this.entries = ders.map((der) => ({ der }));
  }

  withSubject(name: string): readonly TrustAnchor[] {
    this.bySubject ??= this.indexSubjects();
    const wanted = comparableName(name);
    // The key is coarse (it ignores RFC 4514 punctuation); the parsed subject decides.
    return (this.bySubject.get(nameKey(name)) ?? []).map(parsed).filter((anchor) => comparableName(anchor.info.subject) === wanted);
  }

  holds(der: string): boolean {
    this.encoded ??= new Set(this.entries.map((entry) => entry.der.toString('base64')));
    return this.encoded.has(der);
  }

  private indexSubjects(): Map<string, Entry[]> {
    const index = new Map<string, Entry[]>();
    for (const entry of this.entries) {
      const key = subjectKey(entry.der);
      index.set(key, [...(index.get(key) ?? []), entry]);
    }
    return index;
  }
}

function parsed(entry: Entry): TrustAnchor {
  entry.anchor ??= { info: parseCertificate(entry.der), node: new NodeCertificate(entry.der) };
  return entry.anchor;
}

/** The key of a DER certificate's subject, read from its TBSCertificate alone; a certificate that is not one says why. */
function subjectKey(der: Buffer): string {
  try {
    const [tbs] = childrenOf(der, readTlv(der, 0));
    if (!tbs) throw new Error('no TBSCertificate');
    const fields = childrenOf(der, tbs);
    // TBSCertificate: [0] version (absent in v1), serialNumber, signature, issuer, validity, subject, ...
    const subject = fields[fields[0]?.tag === DER_TAG.contextConstructed0 ? 5 : 4];
    if (subject?.tag !== DER_TAG.sequence) throw new Error('no subject name');
    return nameKeyOfDer(der.subarray(subject.start, subject.end));
  } catch {
    // The full parser names the defect, as judging against this anchor always did.
    return nameKey(parseCertificate(der).subject);
  }
}

// Node's roots never change within a process: their names are read once, and only when a chain needs an anchor.
let bundled: AnchorIndex | undefined;
const withExtras = new Map<string, TrustStore>();
const WITH_EXTRAS_LIMIT = 16;

/** Node's bundled roots, then `extraBase64` (--ca-file, base64 DER), in that order of preference. */
export function trustAnchors(extraBase64: readonly string[]): TrustStore {
  bundled ??= new AnchorIndex(rootCertificates.flatMap((pem) => pemBlocks(pem, 'CERTIFICATE')));
  const roots = bundled;
  if (extraBase64.length === 0) return roots;
  // Every check of every domain asks again with the same --ca-file: the index of its few certificates is kept.
  const key = extraBase64.join(',');
  let store = withExtras.get(key);
  if (store === undefined) {
    const extra = new AnchorIndex(extraBase64.map((der) => Buffer.from(der, 'base64')));
    store = {
      withSubject: (name) => [...roots.withSubject(name), ...extra.withSubject(name)],
      holds: (der) => roots.holds(der) || extra.holds(der),
    };
    if (withExtras.size >= WITH_EXTRAS_LIMIT) withExtras.clear();
    withExtras.set(key, store);
  }
  return store;
}

/** A store of exactly these anchors (base64 DER, PEM or DER), not cached: for a caller that names its own. */
export function trustStoreOf(anchors: readonly (string | Uint8Array)[]): TrustStore {
  return new AnchorIndex(anchors.map((anchor) => derFrom(anchor, 'CERTIFICATE')));
}
