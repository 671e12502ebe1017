import { describe, expect, it } from 'vitest';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { finding, hostileRun, labRun, observedRun, reportOf, savedOf } from '../support/report-runs.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_VALUE = '"((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"';
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)=${LABEL_VALUE}`;
const VALUE = '([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?Inf|NaN)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(${LABEL}(?:,${LABEL})*)?\\})? ${VALUE}$`);
const COMMENT = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`);

/** Parses the text exposition format strictly: every line a HELP, a TYPE or a sample of a declared family. */
function parseExposition(text: string): Sample[] {
  expect(text.endsWith('\n')).toBe(true);
  const declared = new Map<string, { help: boolean; type: boolean }>();
  const series = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = COMMENT.exec(line);
    if (comment) {
      const [, kind, name = '', rest] = comment;
      const family = declared.get(name) ?? { help: false, type: false };
      if (kind === 'TYPE') {
        expect(rest, line).toMatch(/^(counter|gauge|histogram|summary|untyped)$/);
        family.type = true;
      } else family.help = true;
      declared.set(name, family);
      continue;
    }
    const match = SAMPLE.exec(line);
    expect(match, `not a valid sample line: ${line}`).not.toBeNull();
    if (!match) continue;
    const [, name = '', labelText = ''] = match;
    expect(declared.get(name), `${name} has HELP and TYPE before its samples`).toEqual({ help: true, type: true });
    const labels: Record<string, string> = {};
    for (const [, label = '', value = ''] of labelText.matchAll(new RegExp(LABEL, 'g'))) {
      expect(labels[label], `label ${label} repeated in ${line}`).toBeUndefined();
      labels[label] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const key = line.slice(0, line.lastIndexOf(' '));
    expect(series.has(key), `duplicate series ${key}`).toBe(false);
    series.add(key);
    samples.push({ name, labels, value: Number(match[match.length - 1]) });
  }
  return samples;
}

const lab = labRun();
const samples = parseExposition(renderPrometheus(lab.report));
const find = (name: string, labels: Record<string, string>) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('Prometheus metrics', () => {
  it('say healthy.test succeeds as a whole and for both services, and a service a domain does not publish is healthy', () => {
    expect(find('probe_success', { domain: 'healthy.test' }).map((s) => [s.labels.service, s.value])).toEqual([
      [undefined, 1],
      ['sip', 1],
      ['xmpp', 1],
    ]);
    // no-srv.test publishes no SIP (nobody requires it) and only a legacy XMPP record, which fails.
    expect(find('probe_success', { domain: 'no-srv.test' }).map((s) => [s.labels.service, s.value])).toEqual([
      [undefined, 0],
      ['sip', 1],
      ['xmpp', 0],
    ]);
    // m365.test federates over SIP only, as Microsoft 365 does: both are healthy, and XMPP is not offered.
    expect(find('probe_success', { domain: 'm365.test', service: 'sip' })[0]?.value).toBe(1);
    expect(find('probe_success', { domain: 'm365.test', service: 'xmpp' })[0]?.value).toBe(1);
    expect(find('fedcheck_service_offered', { domain: 'm365.test' }).map((s) => [s.labels.service, s.labels.presence, s.value])).toEqual([
      ['sip', 'hosted', 1],
      ['xmpp', 'absent', 0],
    ]);
  });

  it('put the expired certificate in the past and the healthy one about a year ahead', () => {
    const runAt = Date.parse(lab.saved.startedAt) / 1000;
    const expired = find('probe_ssl_earliest_cert_expiry', { domain: 'expired-cert.test' });
    expect(expired).toHaveLength(2);
    for (const sample of expired) expect(sample.value).toBeLessThan(runAt);
    const healthy = find('probe_ssl_earliest_cert_expiry', { domain: 'healthy.test', service: 'sip', endpoint: 'sip.healthy.test 127.77.1.1:5061' });
    expect(healthy[0]?.value).toBeGreaterThan(runAt + 300 * 86400);
    // Each certificate's notAfter as a Unix time: the one the observations hold, in seconds.
    const leaf = lab.report.domains.find((d) => d.domain === 'expired-cert.test')?.observations?.endpoints[0]?.certificates[0];
    const expiry = find('fedcheck_certificate_expiry_timestamp_seconds', { domain: 'expired-cert.test', subject: 'CN=sip.expired-cert.test' });
    expect(expiry.map((s) => s.value)).toEqual([Date.parse(leaf?.notAfter ?? '') / 1000, Date.parse(leaf?.notAfter ?? '') / 1000]);
    expect(expiry[0]?.value).toBeLessThan(runAt - 10 * 86400);
  });

  it('give each check at each location its status as a number, and the counts per domain', () => {
    const values = { pass: 0, info: 0, warn: 1, fail: 2, error: 3, skip: -1 } as Record<string, number>;
    const statuses = samples.filter((s) => s.name === 'fedcheck_check_status');
    expect(statuses.length).toBeGreaterThan(1000);
    const findings = lab.report.domains.flatMap((d) => d.findings);
    for (const sample of statuses) {
      // The value is the status: no status label, so a check that turns from pass to fail stays one series.
      expect(sample.labels.status).toBeUndefined();
      const judged = findings.filter((f) => f.domain === sample.labels.domain && f.checkId === sample.labels.check && f.subject === sample.labels.subject);
      expect(judged.map((f) => values[f.status])).toContain(sample.value);
    }
    const srv = find('fedcheck_check_status', { check: 'dns.xmpp-server-srv', domain: 'no-srv.test' });
    expect(srv.map((s) => [s.labels.subject, s.labels.service, s.value])).toEqual([['_xmpp-server._tcp.no-srv.test', 'xmpp', 2]]);
    expect(srv[0]?.labels.name).toBe('_xmpp-server._tcp.no-srv.test');
    for (const status of ['pass', 'info', 'warn', 'fail', 'skip', 'error'] as const) {
      const total = find('fedcheck_findings', { status }).reduce((sum, s) => sum + s.value, 0);
      expect(total, status).toBe(lab.report.summary.counts[status]);
    }
  });

  it('label each finding with where it applies: host, address, port and the certificate judged', () => {
    const expiry = find('fedcheck_check_status', { check: 'tls.certificate-expiry', domain: 'healthy.test', service: 'sip' });
    expect(expiry).toHaveLength(1);
    expect(expiry[0]?.labels).toMatchObject({ host: 'sip.healthy.test', address: '127.77.1.1', port: '5061', subject: 'sip.healthy.test 127.77.1.1:5061' });
    expect(expiry[0]?.labels.certificate).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keep one series per location when two findings share a subject, and two when one location is judged twice', () => {
    const at = (address: string) => ({ domain: 'example.com', host: 'sip.example.com', address, port: 5061 });
    const report = reportOf([
      finding('net.federation-port', 'the Edge', 'fail', { location: at('203.0.113.5') }),
      finding('net.federation-port', 'the Edge', 'pass', { location: at('203.0.113.6') }),
      finding('net.federation-port', 'the Edge again', 'warn', { location: at('203.0.113.6') }),
    ]);
    const parsed = parseExposition(renderPrometheus(report));
    const statuses = parsed.filter((s) => s.name === 'fedcheck_check_status').map((s) => [s.labels.address, s.value]);
    // Two findings of one check at one location are one series: the worst.
    expect(statuses).toEqual([
      ['203.0.113.5', 2],
      ['203.0.113.6', 1],
    ]);
  });

  it('report what each XMPP server offers, with EXTERNAL always present', () => {
    const endpoint = 'sip.healthy.test 127.77.1.1:5269';
    expect(find('fedcheck_xmpp_dialback_offered', { domain: 'healthy.test', service: 'xmpp', endpoint })[0]?.value).toBe(1);
    expect(find('fedcheck_xmpp_sasl_mechanism_offered', { domain: 'healthy.test', endpoint, mechanism: 'EXTERNAL' })).toHaveLength(1);
  });

  it('stamp the run and its duration, and say it was complete', () => {
    expect(find('fedcheck_run_timestamp_seconds', {})[0]?.value).toBe(Math.floor(Date.parse(lab.report.startedAt) / 1000));
    expect(find('probe_duration_seconds', {})[0]?.value).toBe(lab.report.durationMs / 1000);
    expect(find('fedcheck_run_deadline_reached', {})[0]?.value).toBe(0);
    expect(find('fedcheck_run_partial', {})[0]?.value).toBe(0);
  });

  it('escape label values: quotes and backslashes survive a parse, control characters are shown escaped', async () => {
    const hostile = await hostileRun();
    const awkward = 'C:\\path "quoted"\nsecond line';
    const { report } = observedRun(reportOf([...hostile.report.domains[0]!.findings, finding('dns.client-records', awkward, 'warn')]), hostile.saved);
    const parsed = parseExposition(renderPrometheus(report));
    const subjects = parsed.filter((s) => s.name === 'fedcheck_check_status').map((s) => s.labels.subject);
    // A line break from the network is shown as \x0a: no label value carries a raw control character.
    expect(subjects).toContain('C:\\path "quoted"\\x0asecond line');
    expect(subjects).toContain('<script>alert("srv")</script>.example.com');
  });

  it('is valid with no certificates and no XMPP at all', () => {
    const report = reportOf([finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'fail')]);
    const parsed = parseExposition(renderPrometheus(observedRun(report, savedOf({}, [{ domain: 'example.com', input: 'example.com', services: ['sip'] }])).report));
    expect(parsed.filter((s) => s.name === 'probe_success').map((s) => s.value)).toEqual([0, 0]);
    expect(parsed.some((s) => s.name === 'probe_ssl_earliest_cert_expiry')).toBe(false);
  });
});
