// At one address:port, the TLS version probes never overlap a session. Kamailio 5.6 lets a refused TLS 1.0
// handshake in one worker reset the healthy session beside it (seen in the interop test), which would blame the
// partner for our own probing; and one Edge serves many domains (Microsoft 365's sipfed.online.lync.com, a shared
// Edge), each with a session of its own, so the version probes wait for every session at that address and port,
// and a session that comes later waits for them. Sessions run side by side.

import { perRun } from './per-run.js';

export class EndpointGates {
  private readonly sessions = new Map<string, Set<Promise<void>>>();
  private readonly versions = new Map<string, Promise<void>>();

  /** Runs a session at `endpoint` once no version probe is under way there. */
  async session<T>(endpoint: string, run: () => Promise<T>): Promise<T> {
    for (let busy = this.versions.get(endpoint); busy; busy = this.versions.get(endpoint)) await busy;
    const running = run();
    const settled = running.then(ignore, ignore);
    const open = this.sessions.get(endpoint) ?? new Set<Promise<void>>();
    this.sessions.set(endpoint, open);
    open.add(settled);
    // Registered before any waiter's, so a waiter resuming on `settled` finds it gone.
    void settled.then(() => {
      open.delete(settled);
      if (open.size === 0 && this.sessions.get(endpoint) === open) this.sessions.delete(endpoint);
    });
    return running;
  }

  /** Runs version probes at `endpoint` once no session and no other version probe is under way there. */
  async versionProbe<T>(endpoint: string, run: () => Promise<T>): Promise<T> {
    for (;;) {
      const open = this.sessions.get(endpoint);
      const busy = open && open.size > 0 ? Promise.all(open) : this.versions.get(endpoint);
      if (busy === undefined) break;
      await busy;
    }
    const running = run();
    const settled = running.then(ignore, ignore);
    this.versions.set(endpoint, settled);
    void settled.then(() => {
      if (this.versions.get(endpoint) === settled) this.versions.delete(endpoint);
    });
    return running;
  }
}

const ignore = (): void => {};

/** The run's gates: every target of the run probes through one scheduler, and may share an Edge. */
export const endpointGatesOf = perRun(() => new EndpointGates());
