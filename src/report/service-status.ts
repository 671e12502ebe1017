// How each report names a domain's services in its headline: "SIP PASS", "XMPP not published".

import type { Status } from '../model/finding.js';
import type { DomainReport, ServiceSummary } from '../model/report.js';

export interface ServiceHeadline {
  service: ServiceSummary['service'];
  /** `SIP` or `XMPP`. */
  name: string;
  status: Status;
  /** What to print after the name: the status, or why there is none ("not published"). */
  text: string;
}

const NAMES = { sip: 'SIP', xmpp: 'XMPP' } as const;

/** A service the domain does not offer and nobody expects reads as such; any other reads as its worst status. */
export function serviceHeadline(summary: ServiceSummary): ServiceHeadline {
  const name = NAMES[summary.service];
  if (!summary.expected && summary.worst === 'info') {
    const text = summary.presence === 'not-offered' ? 'declared not offered' : 'not published';
    return { service: summary.service, name, status: 'info', text };
  }
  return { service: summary.service, name, status: summary.worst, text: summary.worst.toUpperCase() };
}

/** Per service looked at, in the domain's order; empty for a section without judged facts (policy only). */
export function serviceHeadlines(domain: DomainReport): ServiceHeadline[] {
  return (domain.serviceSummaries ?? []).map(serviceHeadline);
}
