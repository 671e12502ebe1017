import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { REPORT_SCHEMA_VERSION } from '../../src/model/report.js';
import type { Report } from '../../src/model/report.js';
import { startLab } from '../../src/lab/lab.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { ANSI_ESCAPE, fedcheck } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();
const dir = tempFolder('demo');
const factsFile = join(dir, 'facts.json');

let demo: CliResult;
let report: Report;

beforeAll(async () => {
  demo = await fedcheck(['demo', '--format', 'json', '--save-facts', factsFile]);
  report = JSON.parse(demo.stdout) as Report;
});

const findings = (r: Report): Finding[] => r.domains.flatMap((d) => d.findings);

/** What a user compares between two runs, per domain, in a stable order. */
/**
 * What two labs must agree on: the verdicts. Each lab makes its own CA, so certificate dates, serials and
 * fingerprints in messages and evidence differ between them; a replay of one lab's facts compares in full.
 */
function verdicts(r: Report, normalize: (text: string) => string): Record<string, string[]> {
  return Object.fromEntries(
    r.domains.map((domain) => [
      domain.domain,
      domain.findings.map((f) => `${f.checkId} ${f.status} ${normalize(f.subject)} ${f.messageId}`).sort(),
    ]),
  );
}

function comparable(r: Report, normalize: (text: string) => string = (text) => text): Record<string, string[]> {
  return Object.fromEntries(
    r.domains.map((domain) => [
      domain.domain,
      domain.findings
        .map((f) =>
          JSON.stringify({
            checkId: f.checkId,
            status: f.status,
            subject: normalize(f.subject),
            message: normalize(f.message),
            evidence: f.evidence.map(normalize),
          }),
        )
        .sort(),
    ]),
  );
}

describe('fedcheck demo --format json', () => {
  it('runs and exits 0 whatever it found', () => {
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
  });

  it('reports several domains with passes, warnings and failures', () => {
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(Object.keys(report)[0]).toBe('schemaVersion');
    expect(report.source).toEqual({ kind: 'live' });
    expect(report.domains.length).toBeGreaterThanOrEqual(3);
    const statuses = new Set(findings(report).map((f) => f.status));
    expect(statuses).toContain('pass');
    expect(statuses).toContain('warn');
    expect(statuses).toContain('fail');
    expect(report.summary.exitCode).toBe(2);
  });

  it('says in the JSON where each finding applies: the listener and the certificate a certificate check judged', () => {
    expect(findings(report).filter((f) => f.location?.domain !== f.domain).map((f) => `${f.checkId} ${f.subject}`)).toEqual([]);
    const expiry = findings(report).find((f) => f.checkId === 'tls.certificate-expiry' && f.domain === 'healthy.test' && f.service === 'sip');
    expect(expiry?.location).toMatchObject({ domain: 'healthy.test', host: 'sip.healthy.test', port: 5061 });
    expect(expiry?.location.address).toMatch(/^127\./);
    expect(expiry?.location.certificate).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives every warning and failure a fix', () => {
    for (const finding of findings(report).filter((f) => f.status === 'warn' || f.status === 'fail')) {
      expect(finding.fix?.summary, `${finding.checkId} ${finding.subject}`).toBeTruthy();
    }
  });

  it('saves facts that --replay judges to the same findings and exit code', async () => {
    const replayed = await fedcheck(['check', '--replay', factsFile, '--format', 'json']);
    expect(replayed.stderr).toBe('');
    const again = JSON.parse(replayed.stdout) as Report;
    expect(again.source).toEqual({ kind: 'replay', file: factsFile });
    expect(comparable(again)).toEqual(comparable(report));
    expect(replayed.code).toBe(report.summary.exitCode);
  });

  it('carries the observations of the run, and a replay of its facts the very same ones', async () => {
    // What the TLS and protocol probes saw depends on a busy machine's timing (asserted on the recorded run instead).
    const healthy = report.domains.find((d) => d.domain === 'healthy.test')?.observations;
    expect(healthy?.endpoints.map((e) => `${e.service} ${e.host} ${e.port}`)).toEqual(['sip sip.healthy.test 5061', 'xmpp sip.healthy.test 5269']);
    expect(report.domains.every((d) => d.observations !== undefined)).toBe(true);
    const replayed = JSON.parse((await fedcheck(['check', '--replay', factsFile, '--format', 'json'])).stdout) as Report;
    expect(replayed.domains.map((d) => d.observations)).toEqual(report.domains.map((d) => d.observations));
  });

  it('replays only the domains asked for', async () => {
    const [first] = report.domains;
    const replayed = await fedcheck(['check', first!.domain, '--replay', factsFile, '--format', 'json']);
    const again = JSON.parse(replayed.stdout) as Report;
    expect(again.domains.map((d) => d.domain)).toEqual([first!.domain]);
    expect(replayed.code).toBe(again.summary.exitCode);
  });
});

describe('fedcheck demo in the terminal format, without a TTY', () => {
  it('prints fixes without colour codes, and a closing line on stderr', async () => {
    const { code, stdout, stderr } = await fedcheck(['demo']);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(ANSI_ESCAPE);
    expect(stderr).not.toMatch(ANSI_ESCAPE);
    expect(stdout).toContain('Fix: ');
    expect(stdout).toMatch(/^Summary: .* exit code 2$/m);
    expect(stderr).toContain('This was the demo');
    expect(stderr).toContain('would exit with code 2');
  });
});

describe('fedcheck check against a lab through --resolver', () => {
  let lab: Awaited<ReturnType<typeof startLab>>;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab.close();
  });

  it('gives the same findings as the demo', async () => {
    const caFile = join(tempFolder('ca'), 'lab-root.pem');
    writeFileSync(caFile, lab.caPem);
    const resolver = formatServer(lab.resolver);
    const domains = lab.targets.map((t) => t.domain);
    expect(domains).toEqual(report.domains.map((d) => d.domain));
    const { code, stdout, stderr } = await fedcheck([
      'check',
      ...domains,
      '--resolver',
      resolver,
      '--allow-private',
      lab.allowPrivate.join(','),
      '--timeout',
      String(lab.timeoutMs),
      '--ca-file',
      caFile,
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    const checked = JSON.parse(stdout) as Report;
    // Two labs may use different loopback blocks and DNS ports, and timings vary; everything else must match.
    const normalizer = (r: Report) => {
      const dnsPort = r.options.resolvers[0]?.split(':').pop() ?? '';
      return (text: string) =>
        text
          .replaceAll(`:${dnsPort}`, ':<dns-port>')
          .replace(/127\.\d+\.\d+\.\d+/g, '127.*')
          .replace(/\b\d+ ms\b/g, '<n> ms');
    };
    expect(verdicts(checked, normalizer(checked))).toEqual(verdicts(report, normalizer(report)));
    expect(code).toBe(report.summary.exitCode);
  });
});
