import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Status } from '../../src/model/finding.js';
import { isHealthy } from '../../src/model/finding.js';
import { REPORT_SCHEMA_VERSION } from '../../src/model/report.js';
import type { Report } from '../../src/model/report.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { ANSI_ESCAPE, fedcheck, fedcheckOnTerminal } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

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
/** The status tags of the terminal report, five columns wide. */
const TAGS: Record<Status, string> = { pass: 'PASS ', info: 'INFO ', warn: 'WARN ', fail: 'FAIL ', error: 'ERROR', skip: 'SKIP ' };

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
  let terminal: CliResult;
  beforeAll(async () => {
    terminal = await fedcheck(['demo']);
  });

  it('reads at a glance: about 150 lines of at most 80 columns, no colour, problems only', () => {
    const { code, stdout, stderr } = terminal;
    expect(code).toBe(0);
    expect(stdout).not.toMatch(ANSI_ESCAPE);
    expect(stderr).not.toMatch(ANSI_ESCAPE);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(150);
    // A line may pass the width only as one word that cannot break (a URL).
    expect(lines.filter((line) => [...line].length > 80 && !/^\s*\S+$/.test(line))).toEqual([]);
    expect(stdout).not.toMatch(/^\s*(PASS|SKIP|INFO)\b/m);
    expect(stdout).not.toContain('Evidence:');
    expect(stderr).toContain('This was the demo');
    expect(stderr).toContain('would exit with code 2');
  });

  it('names every domain that is not healthy with its worst problem, the healthy ones together, then the exit code', () => {
    const { stdout } = terminal;
    const lines = stdout.split('\n');
    const unhealthy = report.domains.filter((d) => !isHealthy(d.worst));
    expect(unhealthy.length).toBeGreaterThan(40);
    expect(lines).toContain(`Not healthy: ${unhealthy.length} of ${report.domains.length} domains, worst first, with their problems:`);
    for (const domain of unhealthy) {
      const headline = lines.findIndex((line) => line.startsWith(`${TAGS[domain.worst]} ${domain.domain}  `));
      expect(headline, domain.domain).toBeGreaterThan(0);
      const worst = domain.findings[0]!;
      expect(lines[headline + 1], domain.domain).toMatch(new RegExp(`^ {2}${TAGS[worst.status]} ${worst.checkId.replaceAll('.', '\\.')}( ×\\d+)? {2}\\S`));
    }
    const healthy = report.domains.filter((d) => isHealthy(d.worst)).map((d) => d.domain);
    expect(stdout.replace(/\s+/g, ' ')).toContain(`Healthy (${healthy.length}): ${[...healthy].sort().join(', ')}`);
    expect(stdout).toMatch(/^Result: worst FAIL · exit code 2$/m);
    const first = lines[lines.findIndex((line) => line.startsWith('Not healthy: ')) + 1]!.split(/\s+/)[1];
    expect(stdout.replace(/\s+/g, ' ')).toContain(`Evidence and fix of one domain: fedcheck demo --domain ${first}; of every domain: --details.`);
  });

  it('-v lists the passes, and the internal listeners, which cannot be judged from outside, as n/a', async () => {
    // Four domains: more than are shown in full, so each finding takes one line.
    const some = ['healthy.test', 'expired-cert.test', 'm365.test', 'no-srv.test'].flatMap((domain) => ['--domain', domain]);
    const { stdout } = await fedcheck(['demo', '-v', ...some]);
    expect(stdout).not.toContain('Evidence:');
    expect(stdout).toMatch(/^PASS {2}healthy\.test {2}SIP PASS · XMPP PASS {2}\d+ pass, 2 n\/a here$/m);
    expect(stdout).toMatch(/^ {2}PASS {2}dns\.sip-federation-srv {2}/m);
    expect(stdout).toMatch(/^ {2}n\/a {3}net\.internal-listeners( ×2)? {2}internal listeners/m);
    expect(stdout).not.toMatch(/^\S+ +\S+ .*SKIP/m);
  });

  it('--domain shows the chosen domains in full: evidence and fix; an unknown one is one line and exit code 3', async () => {
    const { code, stdout } = await fedcheck(['demo', '--domain', 'expired-cert.test', '--domain', 'healthy.test']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^FAIL {2}expired-cert\.test {2}SIP FAIL · XMPP FAIL {2}4 fail, \d+ pass, 2 n\/a here$/m);
    expect(stdout).toMatch(/^PASS {2}healthy\.test {2}SIP PASS · XMPP PASS {2}\d+ pass, 2 n\/a here$/m);
    expect(stdout).toMatch(/^ {2}FAIL {2}tls\.certificate-expiry · sip\.expired-cert\.test 127\.[\d.]+:5061$/m);
    expect(stdout).toContain('        Evidence: ');
    expect(stdout).toContain('        Fix: ');
    expect(stdout).not.toMatch(/^\s*PASS {2}dns\./m);
    expect(stdout).toMatch(/^ {2}FAIL {2}expired-cert\.test {2}tls\.certificate-chain {2}/m);

    const wrong = await fedcheck(['demo', '--domain', 'expired-cert.tset']);
    expect(wrong.code).toBe(3);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toBe('fedcheck: --domain "expired-cert.tset" is not a lab domain: did you mean expired-cert.test? fedcheck lab lists them\n');
  });
});

describe('fedcheck demo on a terminal', () => {
  const demoOf = ['demo', '--domain', 'expired-cert.test'];

  it.each([
    ['in colour by default', [], {}, true],
    ['without colour with NO_COLOR', [], { NO_COLOR: '1' }, false],
    ['without colour with --no-color', ['--no-color'], {}, false],
  ] as const)('%s', async (_, args, env, coloured) => {
    const { stdout } = await fedcheckOnTerminal([...demoOf, ...args], 120, env);
    expect(stdout).toContain('expired-cert.test');
    if (coloured) expect(stdout).toContain('\u001b[31mFAIL \u001b[39m');
    else expect(stdout).not.toMatch(ANSI_ESCAPE);
  });

  it('takes the width of the terminal, and COLUMNS over it', async () => {
    // Not counted: the snippets (at column 12), pasted as they are so never wrapped, and a word that cannot break.
    const widths = (text: string) =>
      text
        .split(/\r?\n/)
        .filter((line) => !/^\s*\S+$/.test(line) && !/^ {12}\S/.test(line))
        .map((line) => [...line].length);
    const wide = widths((await fedcheckOnTerminal([...demoOf, '--no-color'], 120)).stdout);
    expect(Math.max(...wide)).toBeLessThanOrEqual(120);
    expect(Math.max(...wide)).toBeGreaterThan(100);
    const narrow = widths((await fedcheckOnTerminal([...demoOf, '--no-color'], 120, { COLUMNS: '60' })).stdout);
    expect(Math.max(...narrow)).toBeLessThanOrEqual(60);
  });
});

describe('fedcheck check against a lab through --resolver', () => {
  let lab: SharedLab;
  beforeAll(async () => {
    lab = sharedLab();
  });
  afterAll(async () => {
  });

  it('gives the same findings as the demo', async () => {
    const caFile = lab.caFile;
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
