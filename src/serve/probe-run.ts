// One probe of `fedcheck serve`: the check of one domain with one module's settings, bounded by what the scraper
// waits (X-Prometheus-Scrape-Timeout-Seconds less a margin, as blackbox_exporter does), judged like `fedcheck check`.

import { gatherOnly, judgeLive, startRun } from '../engine/run.js';
import type { LiveRunOptions } from '../engine/run.js';
import type { ProbeTrace } from '../gather/scheduler.js';
import type { SavedFacts } from '../model/facts-file.js';
import type { ServeModule } from '../model/config.js';
import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import type { ServeSettings } from './settings.js';

/**
 * Taken off the scraper's timeout for judging, rendering and the network, so the answer arrives in time; under a
 * timeout of 1 s, half of it. No floor lifts a probe past the timeout: an answer after it is none at all (up 0),
 * where a probe cut short is an error finding (probe_success 0).
 */
export const SCRAPE_MARGIN_MS = 500;
/** Of a probe's time, what gathering leaves to judging: a domain cut short is judged on what was gathered, not unjudged. */
const JUDGING_SHARE = 0.2;
const JUDGING_MAX_MS = 500;

export interface ProbeResult {
  report: Report;
  saved: SavedFacts;
  probes: ProbeTrace[];
}

export interface ProbeRequest {
  target: Target;
  module: ServeModule;
  /** How long the caller waits, when it says (the scrape timeout header), in milliseconds. */
  callerTimeoutMs?: number;
  /** Aborted when the caller went away or the server is stopping: what was gathered is judged. */
  signal: AbortSignal;
  onProbe?: (probe: ProbeTrace) => void;
}

export async function runProbe(settings: ServeSettings, request: ProbeRequest): Promise<ProbeResult> {
  const options = probeOptions(settings, request);
  const probes: ProbeTrace[] = [];
  const run = startRun({
    ...options,
    onProbe: (probe) => {
      probes.push(probe);
      request.onProbe?.(probe);
    },
  });
  const saved = await gatherOnly(options, run);
  return { report: await judgeLive(saved, run), saved, probes };
}

export function probeOptions(settings: ServeSettings, { target, module, callerTimeoutMs, signal }: ProbeRequest): LiveRunOptions {
  const { live } = settings;
  const deadlineMs =
    callerTimeoutMs === undefined ? live.deadlineMs : Math.min(live.deadlineMs, Math.max(callerTimeoutMs - SCRAPE_MARGIN_MS, callerTimeoutMs / 2));
  const { clientCertificate, ...shared } = live;
  return {
    ...shared,
    targets: [target],
    vantage: module.vantage ?? live.vantage,
    revocation: module.revocation ?? live.revocation ?? false,
    timeoutMs: Math.min(module.timeoutMs ?? live.timeoutMs, deadlineMs),
    deadlineMs,
    gatherDeadlineMs: deadlineMs - Math.min(JUDGING_MAX_MS, deadlineMs * JUDGING_SHARE),
    signal,
    ...(module.clientCertificate && clientCertificate !== undefined ? { clientCertificate } : {}),
  };
}
