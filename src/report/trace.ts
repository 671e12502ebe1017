// The per-probe timeline of `--trace` / FEDCHECK_TRACE: when each probe ran, how it ended, and how the run's
// wall time compares with its longest chain of probes waiting on one another (what no concurrency can shorten).

import type { ProbeTrace, RunTrace } from '../gather/scheduler.js';

/** The probes one after another, each asked for as the one before it ended, and their summed run time. */
export interface ProbeChain {
  keys: string[];
  probeMs: number;
}

/**
 * The longest chain by probe time. A probe's input is taken to be the probe that ended last before it was
 * asked for: gathering asks for the next probes in the same turn as the answer they wait on arrives, and
 * when it waits on several at once, the last of them is the one that held it up.
 */
export function longestChain(probes: readonly ProbeTrace[]): ProbeChain {
  const byEnd = [...probes].sort((a, b) => a.endedMs - b.endedMs);
  const best = new Map<ProbeTrace, { probeMs: number; previous?: ProbeTrace }>();
  let longest: ProbeTrace | undefined;
  for (const probe of [...probes].sort((a, b) => a.queuedMs - b.queuedMs)) {
    const previous = lastEndedBy(byEnd, probe.queuedMs, (candidate) => candidate !== probe && best.has(candidate));
    const probeMs = probe.endedMs - probe.startedMs + (previous === undefined ? 0 : (best.get(previous)?.probeMs ?? 0));
    best.set(probe, previous === undefined ? { probeMs } : { probeMs, previous });
    // On a tie the later one wins: it extends the chain with a probe that took no time (one skipped at the deadline).
    if (longest === undefined || probeMs >= (best.get(longest)?.probeMs ?? 0)) longest = probe;
  }
  const keys: string[] = [];
  for (let probe = longest; probe !== undefined; probe = best.get(probe)?.previous) keys.unshift(probe.key);
  return { keys, probeMs: longest === undefined ? 0 : (best.get(longest)?.probeMs ?? 0) };
}

/** The trace for a person: one line a probe, sorted by start, then the summary. */
export function renderTraceText(trace: RunTrace): string {
  const probes = [...trace.probes].sort((a, b) => a.startedMs - b.startedMs || a.endedMs - b.endedMs);
  const lines = probes.map((probe) => `${ms(probe.startedMs)} → ${ms(probe.endedMs)} ms  ${readableKey(probe.key)}  ${statusText(probe)}`);
  const probeMs = probes.reduce((sum, probe) => sum + probe.endedMs - probe.startedMs, 0);
  const chain = longestChain(probes);
  lines.push(
    `${probes.length} probes, ${fixed(trace.wallMs)} ms wall, ${fixed(probeMs)} ms of probe time, event loop late ${fixed(trace.loopDelayMs)} ms in all`,
    `longest chain: ${chain.keys.length} probes, ${fixed(chain.probeMs)} ms of probe time${chain.keys.length > 0 ? `: ${chain.keys.map(readableKey).join(' → ')}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The trace for a script (the benchmarks): one line of JSON, the longest chain included. */
export function renderTraceJson(trace: RunTrace): string {
  return `${JSON.stringify({ ...trace, longestChain: longestChain(trace.probes) })}\n`;
}

/** The last of `byEnd` (sorted by end) to end by `timeMs` that `eligible` accepts (a probe asked for earlier, not itself). */
function lastEndedBy(byEnd: readonly ProbeTrace[], timeMs: number, eligible: (probe: ProbeTrace) => boolean): ProbeTrace | undefined {
  let low = 0;
  let high = byEnd.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((byEnd[middle] as ProbeTrace).endedMs <= timeMs) low = middle + 1;
    else high = middle;
  }
  for (let index = low - 1; index >= 0; index -= 1) {
    const candidate = byEnd[index] as ProbeTrace;
    if (eligible(candidate)) return candidate;
  }
  return undefined;
}

/** `dns:SRV:_sip._tls.example.com` as `dns SRV _sip._tls.example.com`, `tcp:192.0.2.1:5061` as `tcp 192.0.2.1:5061`. */
export function readableKey(key: string): string {
  const dns = /^(dns(?:@.+?:\d+)?):([A-Z]+):(.*)$/.exec(key);
  if (dns) return `${dns[1]} ${dns[2]} ${dns[3]}`;
  const colon = key.indexOf(':');
  return colon < 0 ? key : `${key.slice(0, colon)} ${key.slice(colon + 1)}`;
}

function statusText(probe: ProbeTrace): string {
  const status = probe.status === 'error' ? `error ${probe.reason ?? ''}`.trimEnd() : probe.timedOut ? `${probe.status}, timed out` : probe.status;
  return probe.attempts > 1 ? `${status}, retried (event loop late ${probe.loopDelayMs} ms)` : status;
}

function ms(value: number): string {
  return fixed(value).padStart(8);
}

function fixed(value: number): string {
  return value.toFixed(1);
}
