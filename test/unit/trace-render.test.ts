// The --trace timeline: one line a probe sorted by start, the run's totals, and the longest chain of probes
// that waited on one another, derived from a real scheduler's records.

import { describe, expect, it } from 'vitest';
import type { ProbeOutcome } from '../../src/model/facts.js';
import { Scheduler } from '../../src/gather/scheduler.js';
import type { RunTrace } from '../../src/gather/scheduler.js';
import { longestChain, renderTraceJson, renderTraceText } from '../../src/report/trace.js';

const answerAfter = (ms: number) => () => new Promise<ProbeOutcome<unknown>>((resolve) => setTimeout(() => resolve({ status: 'ok', facts: {} }), ms));

describe('the trace', () => {
  it('prints one line a probe, sorted by start, with how it ended, then the totals and the longest chain', () => {
    const trace: RunTrace = {
      wallMs: 3120.44,
      loopDelayMs: 812,
      probes: [
        { key: 'tcp:192.0.2.1:5061', queuedMs: 48.1, startedMs: 48.2, endedMs: 3050, status: 'ok', timedOut: true, attempts: 2, loopDelayMs: 800 },
        { key: 'dns:SRV:_sipfederationtls._tcp.example.com', queuedMs: 12.1, startedMs: 12.3, endedMs: 48, status: 'ok', timedOut: false, attempts: 1, loopDelayMs: 0 },
        { key: 'dns@192.0.2.53:53:NS:example.com', queuedMs: 13, startedMs: 13.5, endedMs: 20.25, status: 'error', reason: 'timeout', timedOut: true, attempts: 1, loopDelayMs: 2 },
        { key: 'sip:192.0.2.1:5061', queuedMs: 3050, startedMs: 3050, endedMs: 3050, status: 'skipped', timedOut: false, attempts: 0, loopDelayMs: 0 },
      ],
    };
    expect(renderTraceText(trace)).toBe(
      [
        '    12.3 →     48.0 ms  dns SRV _sipfederationtls._tcp.example.com  ok',
        '    13.5 →     20.3 ms  dns@192.0.2.53:53 NS example.com  error timeout',
        '    48.2 →   3050.0 ms  tcp 192.0.2.1:5061  ok, timed out, retried (event loop late 800 ms)',
        '  3050.0 →   3050.0 ms  sip 192.0.2.1:5061  skipped',
        '4 probes, 3120.4 ms wall, 3044.3 ms of probe time, event loop late 812.0 ms in all',
        'longest chain: 3 probes, 3037.5 ms of probe time: dns SRV _sipfederationtls._tcp.example.com → tcp 192.0.2.1:5061 → sip 192.0.2.1:5061',
        '',
      ].join('\n'),
    );
  });

  it('follows each probe back to the one that ended last before it was asked for', async () => {
    const s = new Scheduler({ concurrency: 4, probeTimeoutMs: 5000, deadlineMs: 30_000 });
    await Promise.all([
      (async () => {
        await s.probe('dns:SRV:_sipfederationtls._tcp.example.com', answerAfter(40));
        await Promise.all([s.probe('dns:A:sip.example.com', answerAfter(10)), s.probe('dns:AAAA:sip.example.com', answerAfter(30))]);
        await s.probe('tcp:192.0.2.1:5061', answerAfter(10));
      })(),
      s.probe('dns:SRV:_xmpp-server._tcp.example.com', answerAfter(1)),
    ]);
    s.close();
    const trace = s.trace();

    expect(longestChain(trace.probes).keys).toEqual(['dns:SRV:_sipfederationtls._tcp.example.com', 'dns:AAAA:sip.example.com', 'tcp:192.0.2.1:5061']);
    const json = JSON.parse(renderTraceJson(trace)) as RunTrace & { longestChain: { keys: string[] } };
    expect(json.probes.map((probe) => probe.key).sort()).toEqual(trace.probes.map((probe) => probe.key).sort());
    expect(json.longestChain.keys).toHaveLength(3);
  });

  it('has no chain when nothing ran', () => {
    expect(renderTraceText({ wallMs: 0, loopDelayMs: 0, probes: [] })).toBe(
      '0 probes, 0.0 ms wall, 0.0 ms of probe time, event loop late 0.0 ms in all\nlongest chain: 0 probes, 0.0 ms of probe time\n',
    );
  });
});
