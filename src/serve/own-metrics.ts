// /metrics: the server's own health, as every Prometheus exporter shows it (prom-client, with its process metrics),
// so an alert can tell "the partner is down" (a probe's probe_success) from "fedcheck serve is struggling".

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Why a request did not become a probe, or how a probe ended badly. */
export type ProbeErrorCause = 'bad_request' | 'unauthorized' | 'forbidden_target' | 'rate_limited' | 'unknown_module' | 'deadline' | 'internal';

export class OwnMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'fedcheck_serve_requests_total',
    help: 'HTTP requests answered, by path and status code.',
    labelNames: ['path', 'code'],
    registers: [this.registry],
  });
  private readonly inFlight = new Gauge({ name: 'fedcheck_serve_probes_in_flight', help: 'Probes running now.', registers: [this.registry] });
  private readonly durations = new Histogram({
    name: 'fedcheck_serve_probe_duration_seconds',
    help: 'How long each probe took, by module.',
    labelNames: ['module'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'fedcheck_serve_probe_errors_total',
    help: 'Probe requests refused or cut short, by cause.',
    labelNames: ['cause'],
    registers: [this.registry],
  });
  private readonly reload = new Gauge({
    name: 'fedcheck_serve_config_last_reload_successful',
    help: '1 when the last config (re)load succeeded, 0 when the previous config was kept.',
    registers: [this.registry],
  });

  constructor(vantage: string) {
    this.registry.setDefaultLabels({ vantage });
    collectDefaultMetrics({ register: this.registry });
    this.reload.set(1);
  }

  /** The paths the server knows, and `other`: a label per path a client invents would be unbounded. */
  request(path: string, code: number): void {
    this.requests.inc({ path, code: String(code) });
  }

  probeStarted(): () => void {
    this.inFlight.inc();
    return () => this.inFlight.dec();
  }

  probeEnded(module: string, seconds: number): void {
    this.durations.observe({ module }, seconds);
  }

  error(cause: ProbeErrorCause): void {
    this.errors.inc({ cause });
  }

  reloaded(successful: boolean): void {
    this.reload.set(successful ? 1 : 0);
  }

  vantageChanged(vantage: string): void {
    this.registry.setDefaultLabels({ vantage });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
