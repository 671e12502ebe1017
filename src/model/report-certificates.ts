// Every certificate a run was shown, per domain and endpoint, as the report's observations hold them: for the
// expiry timeline, the metrics, the Nagios line and the diff. Pure: nothing is parsed or judged again here.

import type { ObservedCertificate } from './observation.js';
import type { Report } from './report.js';
import type { Service } from './target.js';

export type SeenCertificate = ObservedCertificate;

export interface EndpointCertificates {
  domain: string;
  /** `<host> <address:port>`, exactly as the findings about the endpoint name it. */
  endpoint: string;
  host: string;
  address: string;
  port: number;
  service: Service;
  /** Leaf first, as the peer sent them; those that could not be read are not observed. */
  chain: SeenCertificate[];
}

/** Every endpoint of the report's domains whose leaf certificate was read, with the chain it sent. */
export function seenCertificates(report: Report): EndpointCertificates[] {
  return report.domains.flatMap(({ domain, observations }) =>
    (observations?.endpoints ?? []).flatMap((endpoint) =>
      // Without a readable leaf there is no certificate to show for the endpoint; tls.certificate-chain says why.
      endpoint.certificates[0]?.role !== 'leaf'
        ? []
        : [{ domain, endpoint: endpoint.label, host: endpoint.host, address: endpoint.address, port: endpoint.port, service: endpoint.service, chain: endpoint.certificates }],
    ),
  );
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

/** The certificate of the whole report that expires first, and its domain; undefined when none was seen. */
export function earliestCertificate(report: Report): { domain: string; daysLeft: number; notAfter: string } | undefined {
  let earliest: { domain: string; daysLeft: number; notAfter: string } | undefined;
  for (const entry of seenCertificates(report)) {
    const { daysLeft, notAfter } = earliestExpiring(entry);
    if (earliest === undefined || Date.parse(notAfter) < Date.parse(earliest.notAfter)) earliest = { domain: entry.domain, daysLeft, notAfter };
  }
  return earliest;
}

/** `AB:CD:...`: the fingerprint as openssl and Windows show it. */
export function displayFingerprint(sha256: string): string {
  return (sha256.toUpperCase().match(/../g) ?? []).join(':');
}
