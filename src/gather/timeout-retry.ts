// When a probe's timeout may be our own fault: the event loop was delayed for a large share of the probe's
// window, so an answer that came in time may have sat unread until the timer fired. Such a probe is run
// once more before its timeout is blamed on the peer, and its outcome says so.

import type { ProbeOutcome } from '../model/facts.js';

/**
 * A quarter of the timeout. Below it the peer still had three quarters of its time with us listening, far
 * more than a healthy server needs to answer, so the timeout is the peer's; above it our own stall may
 * have turned a slow but valid answer into a timeout. Timer jitter on an idle loop stays near 1 ms a tick,
 * a few percent of the window, well under the share.
 */
const RETRY_SHARE = 0.25;
/** Stalls shorter than this are ordinary (a garbage collection, a large parse) and no probe timeout is that short. */
const ORDINARY_STALL_MS = 100;

export function delayedTooLong(loopDelayMs: number, timeoutMs: number): boolean {
  return loopDelayMs >= Math.max(timeoutMs * RETRY_SHARE, ORDINARY_STALL_MS);
}

/**
 * Whether the probe gave up waiting: an error outcome for a timeout, or facts that record one (a TCP connect
 * that got no answer, a session that stopped at a timeout, a TLS version whose attempt did).
 */
export function endedInTimeout(outcome: ProbeOutcome<unknown>): boolean {
  if (outcome.status === 'error') return outcome.reason === 'timeout';
  if (outcome.status !== 'ok' || typeof outcome.facts !== 'object' || outcome.facts === null) return false;
  const facts = outcome.facts as { result?: unknown; failure?: { reason?: unknown }; versions?: { reason?: unknown }[] };
  return facts.result === 'timeout' || facts.failure?.reason === 'timeout' || (facts.versions?.some((version) => version.reason === 'timeout') ?? false);
}

/** "retried once: this machine's event loop was delayed 1.8 s during the first attempt". */
export function retriedNote(loopDelayMs: number): string {
  return `retried once: this machine's event loop was delayed ${formatDelay(loopDelayMs)} during the first attempt`;
}

/** For a timeout that could not be retried before the run's deadline. */
export function notRetriedNote(loopDelayMs: number): string {
  return `not retried, the run deadline being too near: this machine's event loop was delayed ${formatDelay(loopDelayMs)} during the attempt`;
}

/**
 * The outcome with `note` as its `retried` field and, where it has one, in the detail a finding quotes: the
 * error's detail, or each timeout's in the facts (a session's failure, a TLS version's attempt).
 */
export function withRetryNote(outcome: ProbeOutcome<unknown>, note: string): ProbeOutcome<unknown> {
  if (outcome.status === 'error') return { ...outcome, detail: `${outcome.detail}; ${note}`, retried: note };
  if (outcome.status !== 'ok') return outcome;
  type Stopped = { reason?: string; detail?: string };
  const facts = outcome.facts as { failure?: Stopped; versions?: Stopped[] } | null;
  const noted = (stopped: Stopped): Stopped => (stopped.reason === 'timeout' ? { ...stopped, detail: `${stopped.detail ?? 'timeout'}; ${note}` } : stopped);
  if (facts?.failure !== undefined) return { ...outcome, facts: { ...facts, failure: noted(facts.failure) }, retried: note };
  if (facts?.versions !== undefined) return { ...outcome, facts: { ...facts, versions: facts.versions.map(noted) }, retried: note };
  return { ...outcome, retried: note };
}

function formatDelay(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
