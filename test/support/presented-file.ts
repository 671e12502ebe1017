// A chain read from a file, as `fedcheck cert inspect <file> --role` hands it to the certificate checks: for the
// case tables' file-source cases (Case.presented), which judge it with no DNS, TCP or TLS session fact at all.

import { ROLE_PORTS, fileChain } from '../../src/engine/certificate-facts.js';
import type { CertificateRole, PresentedCertificate } from '../../src/engine/certificate-facts.js';
import type { ProbeOutcome } from '../../src/model/facts.js';
import type { HttpFetchFacts } from '../../src/model/protocol-facts.js';
import { protocolFactKey } from '../../src/model/protocol-facts.js';
import { trustAnchors } from '../../src/pki/trust.js';
import { TEST_DOMAIN } from './check-tester.js';
import { protocolFacts } from './protocol-fact-builder.js';

export const FILE_PATH = './edge.pem';

/**
 * Where cert inspect judges a file's chain: at the host partners connect to (--edge for SIP, the domain for XMPP
 * without --edge), which stands for the address too, on the role's port.
 */
export const FILE_EDGE = { host: `sip.${TEST_DOMAIN}`, address: `sip.${TEST_DOMAIN}`, port: ROLE_PORTS['sip-edge'], subject: `sip.${TEST_DOMAIN} sip.${TEST_DOMAIN}:5061` } as const;
export const FILE_XMPP = { host: TEST_DOMAIN, address: TEST_DOMAIN, port: ROLE_PORTS['xmpp-server'], subject: `${TEST_DOMAIN} ${TEST_DOMAIN}:5269` } as const;

/** The evidence line every finding on a file's chain starts with, as the user reads it. */
export function fileEvidence(role: CertificateRole, count: number, trust: string): string {
  const [at, via] = role === 'sip-edge' ? [FILE_EDGE, `_sipfederationtls._tcp.${TEST_DOMAIN}`] : [FILE_XMPP, `_xmpp-server._tcp.${TEST_DOMAIN}`];
  return `${at.subject} via ${via}: certificate read from ${FILE_PATH}, ${count} certificate${count === 1 ? '' : 's'}, ${trust}`;
}

/** `peerChain` (base64 DER, leaf first) in FILE_PATH, verified against `anchors` (give the case the same --ca-file). */
export function fromFile(
  role: CertificateRole,
  peerChain: string[],
  options: { now: Date; anchors?: string[]; issuerDownloads?: Record<string, ProbeOutcome<HttpFetchFacts>> },
): PresentedCertificate {
  const at = role === 'sip-edge' ? FILE_EDGE : FILE_XMPP;
  const chain = fileChain(FILE_PATH, peerChain, trustAnchors(options.anchors ?? []), options.now);
  return { role, domain: TEST_DOMAIN, host: at.host, address: at.address, port: at.port, chain, ...(options.issuerDownloads ? { issuerDownloads: options.issuerDownloads } : {}) };
}

/** The AIA download of `url` answering 200 with `body`, as the live run records it. */
export function issuerDownload(url: string, body: string): Record<string, ProbeOutcome<HttpFetchFacts>> {
  const outcome = protocolFacts().http(url, { body }).build()[protocolFactKey.http(url)] as ProbeOutcome<HttpFetchFacts>;
  return { [url]: outcome };
}
