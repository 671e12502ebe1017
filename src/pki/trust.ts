// The trust anchors chain analysis judges against: Node's bundled roots plus the user's --ca-file certificates.

import { rootCertificates } from 'node:tls';
import { pemBlocks } from './pem.js';

// Node's roots never change within a process; converting ~140 PEM blocks once keeps every check cheap.
let bundledRoots: readonly string[] | undefined;

/** Node's bundled root certificates as base64 DER, followed by `extraBase64` (--ca-file, base64 DER). */
export function trustAnchors(extraBase64: readonly string[]): string[] {
  bundledRoots ??= Object.freeze(rootCertificates.flatMap((pem) => pemBlocks(pem, 'CERTIFICATE').map((der) => der.toString('base64'))));
  return [...bundledRoots, ...extraBase64];
}
