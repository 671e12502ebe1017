// No connection leaves loopback, whatever a partner's DNS and certificates say. Inside a network namespace this test
// creates (only its own loopback exists, so even a bug could reach nothing), the lab serves hostile answers: SRV
// targets at internal addresses in IPv6 clothing, a name server at link-local addresses, AIA, CRL and OCSP URLs that
// lead by redirect or by DNS to 169.254.169.254 and 10.x. fedcheck runs under strace, which records every connect().

import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { ROOT } from '../support/fedcheck.js';

interface Run {
  name: string;
  /** The nightly run only: its report.json, the paths its webhook was posted to, the tunnels its proxy opened. */
  report?: string;
  posts?: string[];
  tunnels?: string[];
  code: number | null;
  stdout: string;
  stderr: string;
  connects: string[];
}

/** Why the test cannot run here, or undefined. */
function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (spawnSync('strace', ['-V']).status !== 0) return 'strace is not installed';
  const unshare = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
  if (unshare.status !== 0) return `unshare -n is not allowed here (${(unshare.stderr || unshare.error?.message || '').trim()})`;
  return undefined;
}

const reason = unavailable();
if (reason !== undefined) console.warn(`egress namespace test skipped: ${reason}`);

/** The address of one strace connect() line; the family says how to read it. */
function destinationOf(line: string): { family: string; address?: string } {
  const family = /sa_family=(AF_\w+)/.exec(line)?.[1] ?? 'unknown';
  const address = /inet_addr\("([^"]+)"\)/.exec(line)?.[1] ?? /inet_pton\(AF_INET6, "([^"]+)"/.exec(line)?.[1];
  return address === undefined ? { family } : { family, address };
}

function leavesLoopback(line: string): boolean {
  const { family, address = '' } = destinationOf(line);
  if (family === 'AF_INET') return !address.startsWith('127.');
  if (family === 'AF_INET6') return address !== '::1' && !/^::ffff:127\./i.test(address);
  // AF_UNSPEC dissolves a UDP socket's association; AF_UNIX stays on the machine.
  return family !== 'AF_UNSPEC' && family !== 'AF_UNIX';
}

(reason === undefined ? describe : describe.skip)(`egress inside a network namespace${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let runs: Run[];
  const run = (name: string) => {
    const found = runs.find((entry) => entry.name === name);
    if (!found) throw new Error(`no run ${name}`);
    return found;
  };
  const findingsOf = (report: Report | undefined, domain: string): Finding[] => report?.domains.find((d) => d.domain === domain)?.findings ?? [];

  beforeAll(async () => {
    const script = join(ROOT, 'test/support/egress-lab-run.mjs');
    const child = spawn('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, script, join(ROOT, 'dist'), join(ROOT, 'bin/fedcheck.js'), ROOT], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`the namespace run failed (${code}): ${stderr}`);
    ({ runs } = JSON.parse(stdout) as { runs: Run[] });
  }, 120_000);

  it('makes no connect() outside loopback, in check, cert inspect host:port, policy lint, cert inspect file and run', () => {
    expect(runs.map((entry) => entry.name)).toEqual(['check', 'inspect-live', 'policy-lint', 'inspect-file', 'run']);
    for (const entry of runs) {
      expect(entry.stderr, entry.name).toBe('');
      expect(entry.connects.filter(leavesLoopback), entry.name).toEqual([]);
    }
    // strace saw the run's connections: to the lab's resolver, its name servers and its Edges.
    const check = run('check').connects.map((line) => destinationOf(line).address);
    expect(check).toContain('127.77.0.53');
    expect(check).toContain('127.77.53.1');
    expect(check).toContain('127.77.1.1');
    expect(check).toContain('127.77.91.1');
    // policy lint reached the config's next hop, the admin's own address.
    expect(run('policy-lint').connects.map((line) => destinationOf(line).address)).toContain('127.77.1.1');
  });

  it('run judges the same domains from a config, writes its report, and posts its summary through the proxy', () => {
    const nightly = run('run');
    expect(nightly.code).toBe(2);
    const report = JSON.parse(nightly.report ?? '') as Report;
    expect(report.domains.map((d) => [d.domain, d.worst])).toEqual([
      ['healthy.test', 'pass'],
      ['egress-mapped.test', 'fail'],
      ['egress-aia.test', 'fail'],
    ]);
    const refused = findingsOf(report, 'egress-mapped.test').filter((f) => f.checkId === 'net.federation-port');
    expect(refused.map((f) => f.status)).toEqual(Array(6).fill('skip'));
    expect(report.webhook).toMatchObject({ delivered: true, attempts: 1 });
    expect(nightly.posts).toEqual(['/services/egress']);
    expect(nightly.tunnels).toHaveLength(1);
    // The webhook's only connection went to the proxy, which opened the tunnel to the hook.
    expect(nightly.connects.map((line) => destinationOf(line).address)).toContain('127.0.0.2');
  });

  it('judges the healthy domain right in the same run, and ends inside its deadline', () => {
    const { stdout } = run('check');
    const report = JSON.parse(stdout) as Report;
    expect(report.domains.find((d) => d.domain === 'healthy.test')?.worst).toBe('pass');
    expect(findingsOf(report, 'healthy.test').filter((f) => f.checkId === 'tls.certificate-revocation').map((f) => f.status)).toEqual(['pass', 'pass']);
    // The report says whether the run deadline cut probes short: nothing was.
    expect(report.summary.deadlineReached).toBe(false);
  });

  it('warns about every internal address in IPv6 clothing and connects to none of them', () => {
    const findings = findingsOf(JSON.parse(run('check').stdout) as Report, 'egress-mapped.test');
    const scopes = Object.fromEntries(findings.filter((f) => f.checkId === 'net.address-scope').map((f) => [f.subject, `${f.status} ${/ is a (\S+) address/.exec(f.message)?.[1]}`]));
    expect(scopes).toEqual({
      '::ffff:a00:1': 'warn private',
      '::ffff:a9fe:a9fe': 'warn link-local',
      '::c0a8:1': 'warn private',
      '64:ff9b::a9fe:a9fe': 'warn link-local',
      '2002:a00:1::1': 'warn private',
      '100.64.0.1': 'warn shared',
    });
    const ports = findings.filter((f) => f.checkId === 'net.federation-port');
    expect(ports).toHaveLength(6);
    for (const port of ports) {
      expect(port.status).toBe('skip');
      expect(port.message).toMatch(/was not probed: \S+ is a (private|link-local|shared) address; not connected to without --allow-private/);
    }
    // The name server at link-local addresses is not asked; the one that answered is judged alone, with no error.
    const authoritative = findings.filter((f) => f.checkId === 'dns.authoritative-consistency');
    expect(authoritative.length).toBeGreaterThan(0);
    for (const finding of authoritative) {
      expect(finding.status).toBe('pass');
      expect(finding.message).toContain('ns1.lab.test');
      expect(finding.message).not.toContain('ns.egress-mapped.test');
    }
  });

  it('follows no AIA, CRL or OCSP URL into the metadata service or the internal network, and says so', () => {
    const findings = findingsOf(JSON.parse(run('check').stdout) as Report, 'egress-aia.test');
    const sipChain = findings.find((f) => f.checkId === 'tls.certificate-chain' && f.subject.includes(':5061'));
    expect(sipChain?.status).toBe('fail');
    expect(sipChain?.message).toMatch(/a redirect to http:\/\/169\.254\.169\.254\/latest\/meta-data\/iam\/security-credentials\/, not followed: 169\.254\.169\.254 is a link-local address/);
    const revocation = Object.fromEntries(findings.filter((f) => f.checkId === 'tls.certificate-revocation').map((f) => [f.subject.split(':').pop(), f]));
    expect(revocation['5061']?.status).toBe('error');
    expect(revocation['5061']?.message).toMatch(/a redirect to http:\/\/10\.0\.0\.1\/intermediate\.crl, not followed: 10\.0\.0\.1 is a private address/);
    expect(revocation['5269']?.status).toBe('skip');
    expect(revocation['5269']?.message).toMatch(/ocsp\.egress-aia\.test resolves to 10\.0\.0\.2, a private address; not connected to without --allow-private/);
    expect(revocation['5269']?.message).toMatch(/169\.254\.169\.254 is a link-local address/);
  });

  it('cert inspect refuses the same URLs check refuses, live and from a file', () => {
    const chainOf = (name: string) => {
      const { report } = JSON.parse(run(name).stdout) as { report?: Report };
      return report?.domains[0]?.findings.find((f) => f.checkId === 'tls.certificate-chain');
    };
    expect(chainOf('inspect-live')?.message).toMatch(/a redirect to http:\/\/169\.254\.169\.254\/\S+, not followed: 169\.254\.169\.254 is a link-local address/);
    expect(chainOf('inspect-file')?.message).toMatch(/http:\/\/169\.254\.169\.254\/latest\/meta-data\/ was not fetched: .*169\.254\.169\.254 is a link-local address; not connected to without --allow-private/);
  });
});
