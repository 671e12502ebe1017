// The answer of `fedcheck serve`'s /probe: one domain's report in the Prometheus text format, shaped as
// blackbox_exporter answers a probe (probe_success, probe_duration_seconds, probe_ssl_earliest_cert_expiry with no
// target label: Prometheus's relabelling makes the target the instance), plus what only fedcheck knows, per check,
// service and certificate. Every series carries the vantage point's name, so one Prometheus scraping several
// instances compares what each sees.

import type { ProbeTrace } from '../gather/scheduler.js';
import { STATUSES, countByStatus } from '../model/finding.js';
import type { Finding } from '../model/finding.js';
import type { DomainReport } from '../model/report.js';
import type { Report } from '../model/report.js';
import { earliestExpiring, seenCertificates } from '../model/report-certificates.js';
import { CHECK_STATUS_VALUE, distinctFindings, locationLabels, renderFamily, unixSeconds, xmppFamilies } from './prometheus.js';
import type { Family, Labels } from './prometheus.js';

export interface ProbeMetricsInput {
  /** The report of one domain. */
  report: Report;
  /** Every probe the check ran, for the phase durations. */
  probes: readonly ProbeTrace[];
  vantage: string;
}

/** What a probe key's prefix counts toward: `dns:SRV:...` and `dns@ns1:...` are DNS, `xmpp-starttls:` XMPP, ... */
const PHASES: readonly [RegExp, string][] = [
  [/^dns[:@]/, 'dns'],
  [/^tcp:/, 'tcp'],
  [/^tls-versions:/, 'tls'],
  [/^sip:/, 'sip'],
  [/^xmpp-/, 'xmpp'],
  [/^(?:http|ocsp|revocation):/, 'http'],
];

export function renderProbeMetrics({ report, probes, vantage }: ProbeMetricsInput): string {
  const domain: DomainReport | undefined = report.domains[0];
  const findings = domain?.findings ?? [];
  const broken = (finding: Finding) => finding.status === 'fail' || finding.status === 'error';
  const certificates = seenCertificates(report);
  const earliest = certificates.map((entry) => unixSeconds(earliestExpiring(entry).notAfter));
  const families: Family[] = [
    {
      name: 'probe_success',
      help: 'Whether the probe succeeded: 1 when no check of the domain failed or errored, else 0.',
      samples: [{ labels: {}, value: domain !== undefined && !findings.some(broken) ? 1 : 0 }],
    },
    { name: 'probe_duration_seconds', help: 'How long the probe took to complete, in seconds.', samples: [{ labels: {}, value: report.durationMs / 1000 }] },
    {
      name: 'probe_ssl_earliest_cert_expiry',
      help: 'Unix time (seconds) of the earliest notAfter of every certificate chain the endpoints sent.',
      samples: earliest.length === 0 ? [] : [{ labels: {}, value: Math.min(...earliest) }],
    },
    {
      name: 'fedcheck_service_success',
      help: '1 when no check of the service (nor of the domain as a whole) failed or errored, else 0.',
      samples: (domain?.services ?? []).map((service) => ({
        labels: { service },
        value: findings.some((f) => (f.service === service || f.service === 'none') && broken(f)) ? 0 : 1,
      })),
    },
    {
      name: 'fedcheck_check_status',
      help: 'Status of each check at each location (subject: the same, for display): 0 pass or info, 1 warn, 2 fail, 3 error, -1 skip.',
      samples: distinctFindings(report).map((f) => ({
        labels: { service: f.service, check: f.checkId, ...locationLabels(f.location), subject: f.subject },
        value: CHECK_STATUS_VALUE[f.status],
      })),
    },
    {
      name: 'fedcheck_findings',
      help: 'Number of findings per service (none: the domain as a whole) and status.',
      samples: [...new Set(findings.map((f) => f.service))].flatMap((service) => {
        const counts = countByStatus(findings.filter((f) => f.service === service));
        return STATUSES.map((status) => ({ labels: { service, status }, value: counts[status] }));
      }),
    },
    {
      name: 'fedcheck_service_offered',
      help: '1 when the domain offers the service (an SRV record, a hosting provider, a configured server or the XMPP fallback), else 0.',
      samples: (domain?.observations?.services ?? []).map((s) => ({ labels: { service: s.service, presence: s.presence }, value: s.offered ? 1 : 0 })),
    },
    {
      name: 'fedcheck_certificate_expiry_timestamp_seconds',
      help: 'Unix time (seconds) of the notAfter of each certificate of the chain an endpoint sent.',
      samples: certificates.flatMap((entry) => entry.chain.map((c) => ({ labels: { service: entry.service, endpoint: entry.endpoint, subject: c.subject }, value: unixSeconds(c.notAfter) }))),
    },
    {
      name: 'fedcheck_probe_phase_duration_seconds',
      help: 'Seconds from the first probe of the phase starting to the last one ending (dns, tcp, tls, sip, xmpp, http).',
      samples: phaseDurations(probes).map(([phase, seconds]) => ({ labels: { phase }, value: seconds })),
    },
    ...xmppFamilies(report).map((family) => ({ ...family, samples: family.samples.map(({ labels, value }) => ({ labels: withoutDomain(labels), value })) })),
  ];
  return families.map((family) => renderFamily({ ...family, samples: family.samples.map(({ labels, value }) => ({ labels: { vantage, ...labels }, value })) })).join('');
}

function phaseDurations(probes: readonly ProbeTrace[]): [string, number][] {
  const spans = new Map<string, { start: number; end: number }>();
  // A probe decided without I/O (not connected to a private address, skipped at the deadline) took no time on the wire.
  for (const probe of probes.filter((p) => p.status !== 'skipped')) {
    const phase = PHASES.find(([pattern]) => pattern.test(probe.key))?.[1];
    if (phase === undefined) continue;
    const span = spans.get(phase);
    spans.set(phase, { start: Math.min(span?.start ?? Infinity, probe.startedMs), end: Math.max(span?.end ?? -Infinity, probe.endedMs) });
  }
  return PHASES.flatMap(([, phase]) => {
    const span = spans.get(phase);
    return span === undefined ? [] : [[phase, Math.round(span.end - span.start) / 1000] as [string, number]];
  });
}

function withoutDomain({ domain: _domain, ...labels }: Labels): Labels {
  return labels;
}
