// Hostile partners in one `fedcheck check` run against the lab: each gets error findings that name what it did,
// the run goes on, the healthy domain beside them is judged right, and the run ends inside its deadline.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { XML_CAPS } from '../../src/probes/xml-stream.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { fedcheck } from '../support/fedcheck.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

// A loaded test machine stretches every handshake: a roomier probe timeout than the lab's keeps the healthy
// domain's verdict about the domain. The silent names each cost one timeout, far inside the deadline.
const TIMEOUT_MS = 5000;
const DEADLINE_MS = 40_000;

let lab: SharedLab;
let dir: string;
let caFile: string;

beforeAll(async () => {
  lab = sharedLab();
  dir = mkdtempSync(join(tmpdir(), 'fedcheck-hostile-'));
  caFile = join(dir, 'lab-root.pem');
  writeFileSync(caFile, lab.caPem);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

/** The lab's allow list, plus the link-local name server of hostile-dns.test, so it is asked (and fails). */
const labArgs = (resolver = formatServer(lab.resolver)) => [
  '--resolver',
  resolver,
  `--allow-private=${[...lab.allowPrivate, 'fe80::1/128'].join(',')}`,
  '--timeout',
  String(TIMEOUT_MS),
  '--deadline',
  String(DEADLINE_MS),
  '--ca-file',
  caFile,
  '--format',
  'json',
];

const problems = (report: Report, domain: string): Finding[] =>
  report.domains.find((d) => d.domain === domain)?.findings.filter((f) => ['fail', 'error', 'warn'].includes(f.status)) ?? [];

const evidenceOf = (findings: Finding[], checkId: string): string =>
  findings
    .filter((f) => f.checkId === checkId)
    .flatMap((f) => [f.message, ...f.evidence])
    .join('\n');

describe('hostile partners in one run', () => {
  let report: Report;
  let code: number | null;
  let stderr: string;

  beforeAll(async () => {
    // The silent domain first: the resolver check before the run asked only the first domain, and stopped there.
    const result = await fedcheck(['check', 'silent-dns.test', 'hostile-dns.test', 'deep-xml.test', 'healthy.test', ...labArgs()]);
    ({ code, stderr } = result);
    report = JSON.parse(result.stdout) as Report;
  });

  it('judges every domain, inside the deadline, with the failures as exit code 2', () => {
    expect(stderr).toBe('');
    expect(report.domains.map((d) => d.domain)).toEqual(['silent-dns.test', 'hostile-dns.test', 'deep-xml.test', 'healthy.test']);
    expect(report.summary.deadlineReached).toBe(false);
    expect(code).toBe(2);
  });

  it('judges the healthy domain beside them healthy', () => {
    expect(problems(report, 'healthy.test')).toEqual([]);
  });

  it('gives the domain whose DNS is silent its own error findings', () => {
    const silent = problems(report, 'silent-dns.test');
    expect(silent.find((f) => f.checkId === 'dns.sip-federation-srv')).toMatchObject({ status: 'error', service: 'sip' });
    expect(silent.find((f) => f.checkId === 'dns.xmpp-server-srv')).toMatchObject({ status: 'error', service: 'xmpp' });
    expect(evidenceOf(silent, 'dns.sip-federation-srv')).toMatch(/timeout/);
  });

  it('names too many records with the count seen and the cap, and an answer truncated over TCP too', () => {
    const hostile = problems(report, 'hostile-dns.test');
    expect(hostile.find((f) => f.checkId === 'dns.sip-federation-srv')?.status).toBe('error');
    expect(evidenceOf(hostile, 'dns.sip-federation-srv')).toContain('the answer holds 150 records; fedcheck reads at most 100 per answer');
    expect(hostile.find((f) => f.checkId === 'dns.xmpp-server-srv')?.status).toBe('error');
    expect(evidenceOf(hostile, 'dns.xmpp-server-srv')).toContain('truncated twice');
    expect(evidenceOf(hostile, 'dns.xmpp-server-srv')).not.toMatch(/NODATA/);
  });

  it('reports the name server it cannot send to as giving no answer, instead of crashing', () => {
    const consistency = evidenceOf(problems(report, 'hostile-dns.test'), 'dns.authoritative-consistency');
    expect(consistency).toMatch(/ns\.hostile-dns\.test \(\[fe80::1\]:\d+\) gave no usable answer .*EINVAL/);
  });

  it('ends the deeply nested XMPP features at the nesting cap, as an error naming the cap', () => {
    const deep = problems(report, 'deep-xml.test');
    expect(deep.map((f) => `${f.checkId} ${f.status}`)).toEqual(['xmpp.stream-negotiation error']);
    expect(evidenceOf(deep, 'xmpp.stream-negotiation')).toContain(`elements nested deeper than ${XML_CAPS.depth} levels`);
  });
});

describe('the resolver check before a run', () => {
  it('lets a nightly run go on when its first own domain\'s DNS is silent, and judges the partner after it', async () => {
    const config = join(dir, 'silent-first.yaml');
    writeFileSync(
      config,
      [
        'own:',
        '  sipDomains: [silent-dns.test]',
        '  xmppDomains: []',
        'partners:',
        '  - healthy.test',
        'check:',
        `  resolvers: ['${formatServer(lab.resolver)}']`,
        `  allowPrivate: [${lab.allowPrivate.join(', ')}]`,
        `  timeoutMs: ${TIMEOUT_MS}`,
        `  caFiles: ['${caFile}']`,
        '',
      ].join('\n'),
    );
    const result = await fedcheck(['run', '--config', config, '--format', 'json']);
    expect(result.stderr).toBe('');
    const nightly = JSON.parse(result.stdout) as Report;
    expect(problems(nightly, 'silent-dns.test').find((f) => f.checkId === 'dns.sip-federation-srv')?.status).toBe('error');
    expect(problems(nightly, 'healthy.test')).toEqual([]);
    expect(result.code).toBe(2);
  });

  it('stops the run (exit 3) only when the resolver answers for none of the domains', async () => {
    const result = await fedcheck(['check', 'silent-dns.test', 'healthy.test', ...labArgs('127.0.0.1:9')]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('fedcheck: resolver 127.0.0.1:9 did not answer (network) for any of the 2 domains: check --resolver\n');
  });
});
