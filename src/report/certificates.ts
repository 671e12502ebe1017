// Every certificate a run was shown, per domain and endpoint: for the expiry timeline, the metrics and the diff.
// Pure: read from the saved facts, judged against the clock the run's checks used.

import type { SavedFacts } from '../engine/facts-file.js';
import { FactView } from '../engine/facts.js';
import type { Report } from '../engine/report.js';
import { endpoints } from '../engine/services.js';
import type { Endpoint } from '../engine/services.js';
import type { Service } from '../engine/target.js';
import { listenerOf, probeOutcome } from '../engine/tls-evidence.js';
import { daysUntilExpiry, parseCertificate } from '../pki/certificate.js';

export interface SeenCertificate {
  /** RFC 4514, as the peer's certificate states it: partner-controlled text. */
  subject: string;
  /** The first common name, else the whole subject: what a person calls the certificate. */
  name: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** Whole days from the run's start; negative once expired. */
  daysLeft: number;
  /** Upper-case colon-separated hex. */
  sha256: string;
}

export interface EndpointCertificates {
  domain: string;
  /** `<host> <address:port>`, exactly as the findings about the endpoint name it. */
  endpoint: string;
  host: string;
  address: string;
  port: number;
  service: Service;
  /** Leaf first, as the peer sent them; issuers that cannot be parsed are left out (the checks report them). */
  chain: SeenCertificate[];
}

/** Every endpoint of the report's domains that completed a TLS handshake, with the chain it sent. */
export function seenCertificates(report: Report, saved: SavedFacts): EndpointCertificates[] {
  const facts = new FactView(saved.facts);
  const now = new Date(saved.startedAt);
  const seen: EndpointCertificates[] = [];
  for (const { domain } of report.domains) {
    const target = saved.targets.find((t) => t.domain === domain);
    if (target === undefined) continue;
    for (const endpoint of endpoints(target, facts)) {
      const [leaf, ...issuers] = peerChain(endpoint, domain, facts).map((der) => readable(der, now));
      // Without a readable leaf there is no certificate to show for the endpoint; tls.certificate-chain says why.
      if (leaf === undefined || leaf === null) continue;
      seen.push({
        domain,
        endpoint: listenerOf(endpoint, domain).subject,
        host: endpoint.host,
        address: endpoint.address,
        port: endpoint.port,
        service: endpoint.service,
        chain: [leaf, ...issuers.filter((issuer): issuer is SeenCertificate => issuer !== null)],
      });
    }
  }
  return seen;
}

/** The certificate of the chain that expires first: what breaks the endpoint first. */
export function earliestExpiring(entry: EndpointCertificates): SeenCertificate {
  return entry.chain.reduce((earliest, certificate) =>
    Date.parse(certificate.notAfter) < Date.parse(earliest.notAfter) ? certificate : earliest,
  );
}

/** The leaf: seenCertificates keeps only endpoints whose leaf could be read. */
export function leafOf(entry: EndpointCertificates): SeenCertificate {
  return entry.chain[0] as SeenCertificate;
}

function peerChain(endpoint: Endpoint, domain: string, facts: FactView): string[] {
  const outcome = probeOutcome(endpoint, domain, { facts });
  if (outcome?.status !== 'ok') return [];
  return outcome.facts.facts.tls?.peerChain ?? [];
}

function readable(der: string, now: Date): SeenCertificate | null {
  try {
    const info = parseCertificate(der);
    return {
      subject: info.subject,
      name: info.subjectCommonNames[0] ?? (info.subject || '(empty subject)'),
      issuer: info.issuer,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      daysLeft: daysUntilExpiry(info, now),
      sha256: info.fingerprints.sha256,
    };
  } catch {
    return null;
  }
}
