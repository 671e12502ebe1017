// `fedcheck check` against the lab, run as an admin would, for the options the demo does not exercise.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/finding.js';
import type { Report } from '../../src/engine/report.js';
import { startLab } from '../../src/lab/lab.js';
import type { Lab } from '../../src/lab/lab.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { fedcheck } from '../support/fedcheck.js';

let lab: Lab;
let caFile: string;
beforeAll(async () => {
  lab = await startLab();
  caFile = join(mkdtempSync(join(tmpdir(), 'fedcheck-ca-')), 'lab-root.pem');
  writeFileSync(caFile, lab.caPem);
});
afterAll(async () => {
  await lab.close();
});

async function check(args: string[], allowPrivate = lab.allowPrivate.join(',')): Promise<{ code: number | null; report: Report }> {
  const result = await fedcheck([
    'check',
    ...args,
    '--resolver',
    formatServer(lab.resolver),
    '--timeout',
    String(lab.timeoutMs),
    `--allow-private=${allowPrivate}`,
    '--ca-file',
    caFile,
    '--format',
    'json',
  ]);
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

const findingsOf = (report: Report, domain: string, checkId: string): Finding[] =>
  report.domains.find((d) => d.domain === domain)?.findings.filter((f) => f.checkId === checkId) ?? [];

/** The lab's addresses are written for 127.77.x.y; a busy block moves them. */
const inLab = (address: string) => address.replace(/^127\.77\./, `${lab.block.split('.').slice(0, 2).join('.')}.`);

describe('fedcheck check against the lab', () => {
  it('from inside the Edge, checks the internal listeners: all there on healthy.test, missing on multi-edge.test', async () => {
    const { report } = await check(['healthy.test', 'multi-edge.test', '--vantage', 'internal']);
    const healthy = findingsOf(report, 'healthy.test', 'net.internal-listeners');
    expect(healthy.map((f) => f.subject).sort()).toEqual(
      [`${inLab('127.77.1.1')}:23456`, `${inLab('127.77.1.1')}:4443`, `${inLab('127.77.1.1')}:5061`].sort(),
    );
    expect(healthy.every((f) => f.status === 'pass')).toBe(true);
    const multi = findingsOf(report, 'multi-edge.test', 'net.internal-listeners');
    // multi-edge.test is SIP only: its three Edge addresses must have 5061 and 4443, not the XMPP gateway.
    expect(multi.filter((f) => f.subject.endsWith(':4443')).map((f) => f.status)).toEqual(['fail', 'fail', 'fail']);
    expect(multi.some((f) => f.subject.endsWith(':23456'))).toBe(false);
    expect(multi.find((f) => f.status === 'fail')?.fix?.summary).toBeTruthy();
  });

  it('from outside, never probes the internal ports', async () => {
    const { report } = await check(['healthy.test']);
    const internal = findingsOf(report, 'healthy.test', 'net.internal-listeners');
    expect(internal.map((f) => f.status)).toEqual(['skip']);
    expect(internal[0]?.message).toContain('--vantage internal');
  });

  it('--sip leaves the XMPP checks out', async () => {
    const { report } = await check(['healthy.test', '--sip']);
    const ids = new Set(report.domains[0]?.findings.map((f) => f.checkId));
    expect(ids.has('dns.sip-federation-srv')).toBe(true);
    expect(ids.has('dns.xmpp-server-srv')).toBe(false);
    expect(report.domains[0]?.services).toEqual(['sip']);
  });

  it('--edge probes a configured Access Edge although the domain publishes no SRV record', async () => {
    const { code, report } = await check(['no-srv.test', '--sip', '--edge', 'sip.healthy.test']);
    const srv = findingsOf(report, 'no-srv.test', 'dns.sip-federation-srv');
    expect(srv.map((f) => [f.status, f.messageId])).toEqual([['warn', 'missingWithEdge']]);
    const port = findingsOf(report, 'no-srv.test', 'net.federation-port');
    expect(port.map((f) => [f.subject, f.status])).toEqual([[`${inLab('127.77.1.1')}:5061`, 'pass']]);
    expect(code).toBe(1);
  });

  it('reports a private Edge address without connecting to it, and tells IPv4 from IPv6', async () => {
    const { report } = await check(['private-edge.test', 'dual-stack.test']);
    const scope = findingsOf(report, 'private-edge.test', 'net.address-scope');
    expect(scope.map((f) => [f.subject, f.status])).toEqual([['10.20.30.40', 'warn']]);
    const privatePort = findingsOf(report, 'private-edge.test', 'net.federation-port');
    expect(privatePort.map((f) => f.status)).toEqual(['skip']);
    const dual = findingsOf(report, 'dual-stack.test', 'net.federation-port');
    expect(dual.map((f) => [f.subject, f.status]).sort()).toEqual(
      [
        [`${inLab('127.77.9.1')}:5061`, 'pass'],
        ['[::1]:5061', 'fail'],
      ].sort(),
    );
    expect(dual.find((f) => f.status === 'fail')?.message).toContain('IPv6');
  });

  it('without --allow-private, does not connect to the lab at all: every address is reported instead', async () => {
    const { report } = await check(['healthy.test', '--sip'], '192.0.2.0/24');
    const ports = findingsOf(report, 'healthy.test', 'net.federation-port');
    expect(ports.map((f) => f.status)).toEqual(['skip']);
    expect(findingsOf(report, 'healthy.test', 'net.address-scope').map((f) => f.status)).toEqual(['warn']);
  });

  it('names the stale name server when the authoritative servers disagree', async () => {
    const { report } = await check(['ns-disagree.test', '--sip']);
    const consistency = findingsOf(report, 'ns-disagree.test', 'dns.authoritative-consistency');
    const warn = consistency.find((f) => f.status === 'warn');
    expect(warn?.message).toContain('edge-old.ns-disagree.test');
    expect(warn?.message).toContain(inLab('127.77.53.2'));
  });

  it('tells SERVFAIL and no answer apart from a missing record: could not measure, not a failure', async () => {
    const { report } = await check(['dns-broken.test']);
    const sip = findingsOf(report, 'dns-broken.test', 'dns.sip-federation-srv');
    const xmpp = findingsOf(report, 'dns-broken.test', 'dns.xmpp-server-srv');
    expect(sip.map((f) => f.status)).toEqual(['error']);
    expect(sip[0]?.message).toContain('SERVFAIL');
    expect(xmpp.map((f) => f.status)).toEqual(['error']);
    expect(xmpp[0]?.message).toContain('timeout');
  });
});
