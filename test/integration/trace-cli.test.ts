// `fedcheck check --trace` and FEDCHECK_TRACE: the per-probe timeline on stderr, after the report, which
// stays on stdout as it is without a trace.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { fedcheck } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

let lab: SharedLab;
let args: string[];
beforeAll(async () => {
  lab = sharedLab();
  const caFile = lab.caFile;
  args = ['check', 'healthy.test', '--sip', ...labArgs(lab, [caFile]), '--format', 'json'];
});
afterAll(async () => {
});

/** The report without what differs from one run to the next: its times, and how long each exchange took. */
function withoutTimes(stdout: string): unknown {
  const { startedAt: _startedAt, finishedAt: _finishedAt, durationMs: _durationMs, ...rest } = JSON.parse(stdout) as Report;
  return JSON.parse(JSON.stringify(rest).replace(/"elapsedMs":\d+/g, '"elapsedMs":0').replace(/\b\d+ ms\b/g, 'N ms'));
}

const TIMES = String.raw`^ +\d+\.\d → +\d+\.\d ms  `;

describe('fedcheck check --trace', () => {
  it('prints each probe on stderr, the SRV lookup and the TLS session among them, and leaves stdout as it was', async () => {
    const plain = await fedcheck(args);
    const traced = await fedcheck([...args, '--trace']);

    expect(traced.code).toBe(plain.code);
    expect(withoutTimes(traced.stdout)).toEqual(withoutTimes(plain.stdout));
    expect(plain.stderr).toBe('');
    expect(traced.stderr).toMatch(new RegExp(`${TIMES}dns SRV _sipfederationtls\\._tcp\\.healthy\\.test  ok$`, 'm'));
    expect(traced.stderr).toMatch(new RegExp(`${TIMES}sip \\S*:5061\\S*  ok$`, 'm'));
    expect(traced.stderr).toMatch(/^\d+ probes, \d+\.\d ms wall, \d+\.\d ms of probe time, event loop late \d+\.\d ms in all$/m);
    expect(traced.stderr).toMatch(/^longest chain: \d+ probes, \d+\.\d ms of probe time: dns .* → /m);
  });

  it('prints the trace as one line of JSON with FEDCHECK_TRACE=json', async () => {
    const traced = await fedcheck(args, { FEDCHECK_TRACE: 'json' });
    const lines = traced.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const trace = JSON.parse(lines[0] ?? '') as { probes: { key: string; status: string }[]; longestChain: { keys: string[] } };
    expect(trace.probes).toContainEqual(expect.objectContaining({ key: 'dns:SRV:_sipfederationtls._tcp.healthy.test', status: 'ok' }));
    expect(trace.longestChain.keys[0]).toMatch(/^dns/);
    expect(JSON.parse(traced.stdout)).toMatchObject({ domains: [{ domain: 'healthy.test' }] });
  });
});
