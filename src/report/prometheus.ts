// Prometheus textfile-collector metrics (README "Prometheus metrics"), valid for `promtool check metrics`: base units
// (seconds, Unix time), blackbox-exporter names where they fit, so existing dashboards and alerts work, plus
// fedcheck_* for what blackbox has no name for. A partner's `note:` is not exported: free text is no label value (each
// edit would start new series) and no number; alerts link the report.

import type { Finding, Location, Status } from '../model/finding.js';
import { STATUSES, countByStatus, severity } from '../model/finding.js';
import { findingKey } from '../model/location.js';
import type { Report } from '../model/report.js';
import { earliestExpiring, seenCertificates } from '../model/report-certificates.js';
import { defineReporter } from './reporter.js';
import { prometheusLabel } from './sanitize.js';

export const prometheusReporter = defineReporter({ id: 'prom', extension: 'prom', outFile: 'fedcheck.prom', render: (report) => renderPrometheus(report) });

/**
 * fedcheck_check_status values; a skip is -1, so a check that stops applying stays visible rather than vanishing;
 * info is 0 like a pass: healthy.
 */
export const CHECK_STATUS_VALUE: Record<Status, number> = { pass: 0, info: 0, warn: 1, fail: 2, error: 3, skip: -1 };

export type Labels = Record<string, string>;

export interface Family {
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

export function renderPrometheus(report: Report): string {
  const certificates = seenCertificates(report);
  const families: Family[] = [
    {
      name: 'probe_success',
      help: 'With domain alone: 1 when no check of the domain failed or errored, else 0. With service too: the same for that service, the domain as a whole included.',
      samples: probeSuccess(report),
    },
    {
      name: 'probe_ssl_earliest_cert_expiry',
      help: 'Unix time (seconds) of the earliest notAfter in the certificate chain the endpoint sent.',
      samples: certificates.map((entry) => ({
        labels: { domain: entry.domain, service: entry.service, endpoint: entry.endpoint },
        value: unixSeconds(earliestExpiring(entry).notAfter),
      })),
    },
    { name: 'probe_duration_seconds', help: 'How long the whole fedcheck run took, in seconds.', samples: [{ labels: {}, value: report.durationMs / 1000 }] },
    {
      name: 'fedcheck_check_status',
      help: 'Status of each check at each location (subject: the same, for display): 0 pass or info, 1 warn, 2 fail, 3 error, -1 skip.',
      samples: distinctFindings(report).map((f) => ({
        labels: { domain: f.domain, service: f.service, check: f.checkId, ...locationLabels(f.location), subject: f.subject },
        value: CHECK_STATUS_VALUE[f.status],
      })),
    },
    {
      name: 'fedcheck_findings',
      help: 'Number of findings per domain, service (none: the domain as a whole) and status.',
      samples: report.domains.flatMap((d) =>
        [...new Set(d.findings.map((f) => f.service))].flatMap((service) => {
          const counts = countByStatus(d.findings.filter((f) => f.service === service));
          return STATUSES.map((status) => ({ labels: { domain: d.domain, service, status }, value: counts[status] }));
        }),
      ),
    },
    {
      name: 'fedcheck_service_offered',
      help: '1 when the domain offers the service (an SRV record, a hosting provider, a configured server or the XMPP fallback), else 0.',
      samples: report.domains.flatMap((d) =>
        (d.observations?.services ?? []).map((s) => ({
          labels: { domain: d.domain, service: s.service, presence: s.presence },
          value: s.offered ? 1 : 0,
        })),
      ),
    },
    {
      name: 'fedcheck_certificate_expiry_timestamp_seconds',
      help: 'Unix time (seconds) of the notAfter of each certificate of the chain an endpoint sent.',
      samples: certificates.flatMap((entry) => {
        const bySubject = new Map<string, number>();
        // Two certificates with one subject (a cross-signed issuer) would be one series: keep the sooner.
        for (const c of entry.chain) bySubject.set(c.subject, Math.min(bySubject.get(c.subject) ?? Infinity, unixSeconds(c.notAfter)));
        return [...bySubject].map(([subject, notAfter]) => ({ labels: { domain: entry.domain, service: entry.service, endpoint: entry.endpoint, subject }, value: notAfter }));
      }),
    },
    ...xmppFamilies(report),
    { name: 'fedcheck_run_timestamp_seconds', help: 'Unix time (seconds) the run started.', samples: [{ labels: {}, value: unixSeconds(report.startedAt) }] },
    {
      name: 'fedcheck_run_deadline_reached',
      help: '1 when the run deadline cut probes short (their checks say so, as errors), else 0.',
      samples: [{ labels: {}, value: report.summary.deadlineReached ? 1 : 0 }],
    },
    { name: 'fedcheck_run_partial', help: '1 when the run was interrupted (SIGINT, SIGTERM) before every probe finished, else 0.', samples: [{ labels: {}, value: report.summary.partial === true ? 1 : 0 }] },
  ];
  return families.map(renderFamily).join('');
}

/** Per domain, and per domain and service looked at; a failure of the domain as a whole (its name servers, its policy) fails each. */
function probeSuccess(report: Report): Family['samples'] {
  return report.domains.flatMap((domain) => {
    const broken = (finding: Finding) => finding.status === 'fail' || finding.status === 'error';
    const brokenFor = (service: string) => domain.findings.some((f) => (f.service === service || f.service === 'none') && broken(f));
    return [
      { labels: { domain: domain.domain }, value: domain.findings.some(broken) ? 0 : 1 },
      ...domain.services.map((service) => ({ labels: { domain: domain.domain, service }, value: brokenFor(service) ? 0 : 1 })),
    ];
  });
}

/** What each XMPP listener offered after TLS (before it, when the stream never got that far). */
export function xmppFamilies(report: Report): Family[] {
  const dialback: Family['samples'] = [];
  const sasl: Family['samples'] = [];
  for (const { domain, observations } of report.domains) {
    for (const endpoint of observations?.endpoints ?? []) {
      if (endpoint.xmpp === undefined) continue;
      const labels = { domain, service: endpoint.service, endpoint: endpoint.label };
      const { dialback: offered, saslMechanisms } = endpoint.xmpp;
      dialback.push({ labels, value: offered ? 1 : 0 });
      // EXTERNAL always gets a sample, so "no certificate authentication" can be alerted on as == 0.
      for (const mechanism of new Set(['EXTERNAL', ...saslMechanisms])) {
        sasl.push({ labels: { ...labels, mechanism }, value: saslMechanisms.includes(mechanism) ? 1 : 0 });
      }
    }
  }
  return [
    { name: 'fedcheck_xmpp_dialback_offered', help: '1 when the XMPP server offered server dialback (XEP-0220), else 0.', samples: dialback },
    { name: 'fedcheck_xmpp_sasl_mechanism_offered', help: '1 for each SASL mechanism the XMPP server offered; EXTERNAL is always present, 0 when not offered.', samples: sasl },
  ];
}

/** One sample per check, domain, service and location (a series must be unique): the worst when reported twice. */
export function distinctFindings(report: Report): Finding[] {
  const seen = new Map<string, Finding>();
  for (const finding of report.domains.flatMap((d) => d.findings)) {
    const key = findingKey(finding);
    const known = seen.get(key);
    if (known === undefined || severity(finding.status) > severity(known.status)) seen.set(key, finding);
  }
  return [...seen.values()];
}

/** The location fields that apply, as labels (Prometheus names are snake case); the domain has its own label. */
export function locationLabels(location: Location): Labels {
  const labels: Labels = {};
  if (location.name !== undefined) labels.name = location.name;
  if (location.host !== undefined) labels.host = location.host;
  if (location.address !== undefined) labels.address = location.address;
  if (location.port !== undefined) labels.port = String(location.port);
  if (location.certificate !== undefined) labels.certificate = location.certificate;
  if (location.policyEntry !== undefined) labels.policy_entry = location.policyEntry;
  return labels;
}

export function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} gauge`];
  const series = new Set<string>();
  for (const { labels, value } of family.samples) {
    const name = `${family.name}${labelSet(labels)}`;
    // One listener reached by two SRV records would repeat a series, which Prometheus rejects: the first stands.
    if (series.has(name)) continue;
    series.add(name);
    lines.push(`${name} ${formatValue(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function labelSet(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${prometheusLabel(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

export function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
