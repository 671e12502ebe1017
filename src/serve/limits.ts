// How many probes `fedcheck serve` runs: a probe costs DNS questions and TLS handshakes toward a third party, so
// neither one client nor all of them together may start more than the limits allow, at once or in a minute.
// A refusal says when to come back (429 with Retry-After).

import type { ServeLimits } from '../model/config.js';

const WINDOW_MS = 60_000;
/** Clients tracked at once: beyond it the quietest are forgotten, so many addresses cannot grow the table. */
const MAX_CLIENTS = 10_000;

export type Admission = { admitted: true; release: () => void } | { admitted: false; retryAfterSeconds: number; reason: string };

interface Usage {
  inFlight: number;
  /** Start times within the last minute, oldest first. */
  starts: number[];
}

export class ProbeLimiter {
  private readonly all: Usage = { inFlight: 0, starts: [] };
  private readonly clients = new Map<string, Usage>();

  constructor(
    private limits: ServeLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** A config reload's new limits apply to the probes admitted from then on. */
  update(limits: ServeLimits): void {
    this.limits = limits;
  }

  get inFlight(): number {
    return this.all.inFlight;
  }

  admit(client: string): Admission {
    const now = this.now();
    const usage = this.clients.get(client) ?? { inFlight: 0, starts: [] };
    forget(this.all, now);
    forget(usage, now);
    const { probesInFlight, probesInFlightPerClient, probesPerMinute, probesPerMinutePerClient } = this.limits;
    if (usage.inFlight >= probesInFlightPerClient) return refused(1, `${probesInFlightPerClient} probes of this client already running`);
    if (this.all.inFlight >= probesInFlight) return refused(1, `${probesInFlight} probes already running`);
    if (usage.starts.length >= probesPerMinutePerClient) return refused(secondsUntilFree(usage, now), `${probesPerMinutePerClient} probes of this client in the last minute`);
    if (this.all.starts.length >= probesPerMinute) return refused(secondsUntilFree(this.all, now), `${probesPerMinute} probes in the last minute`);
    for (const entry of [this.all, usage]) {
      entry.inFlight += 1;
      entry.starts.push(now);
    }
    this.remember(client, usage);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.all.inFlight -= 1;
        usage.inFlight -= 1;
      },
    };
  }

  private remember(client: string, usage: Usage): void {
    // Re-inserted, so the map's order is least recently admitted first.
    this.clients.delete(client);
    this.clients.set(client, usage);
    if (this.clients.size <= MAX_CLIENTS) return;
    for (const [name, entry] of this.clients) {
      if (this.clients.size <= MAX_CLIENTS) break;
      if (entry.inFlight === 0) this.clients.delete(name);
    }
  }
}

function forget(usage: Usage, now: number): void {
  let stale = 0;
  while (stale < usage.starts.length && (usage.starts[stale] as number) <= now - WINDOW_MS) stale += 1;
  if (stale > 0) usage.starts.splice(0, stale);
}

function secondsUntilFree(usage: Usage, now: number): number {
  const oldest = usage.starts[0] ?? now;
  return Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
}

function refused(retryAfterSeconds: number, reason: string): Admission {
  return { admitted: false, retryAfterSeconds, reason };
}
