// How late this process's event loop runs: a timer that should tick every TICK_MS measures how much later it
// actually ran. The scheduler reads it to tell a peer's silence from our own saturation (hundreds of TLS
// handshakes and chain checks on two cores delay every timer and every socket read alike).

const TICK_MS = 50;

export class LoopDelaySampler {
  /** Milliseconds the loop ran late since start, summed over the ticks so far. */
  private stalledMs = 0;
  private lastTick = performance.now();
  private readonly timer: NodeJS.Timeout;

  /** `onTick` hears each tick's lateness, to admit fewer probes while the loop is saturated. */
  constructor(private readonly onTick: (lateMs: number) => void = () => {}) {
    this.timer = setInterval(() => this.tick(), TICK_MS);
    // Sampling must never keep the process alive on its own.
    this.timer.unref();
  }

  /**
   * Milliseconds the loop has run late since the sampler started, up to now: includes a stall still in
   * progress whose tick has not run yet, so a probe ending right after a long block sees that block.
   */
  stalled(): number {
    return this.stalledMs + lateness(performance.now() - this.lastTick);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = performance.now();
    const lateMs = lateness(now - this.lastTick);
    this.stalledMs += lateMs;
    this.lastTick = now;
    this.onTick(lateMs);
  }
}

function lateness(sinceLastTickMs: number): number {
  return Math.max(0, sinceLastTickMs - TICK_MS);
}
