// The defaults of the run settings, one table for the command line, the config file and the help texts.

export const DEFAULTS = {
  vantage: 'external',
  timeoutMs: 5000,
  deadlineMs: 60000,
  concurrency: 32,
  format: 'terminal',
  warnDays: 30,
  /** Certificate days left under which Nagios says CRITICAL and the timeline turns red (thresholds.certificateCriticalDays). */
  criticalDays: 7,
  /** The terminal report's width when stdout is not a terminal and COLUMNS is not set. */
  terminalWidth: 80,
  /** Up to this many domains the terminal report shows each problem's evidence and fix; beyond, one line each (--details: all). */
  fullDetailDomains: 3,
  /** Runs the history folder keeps (history.keep): a month of nights, a certificate's countdown from 30 days. */
  historyKeep: 30,
  /** `fedcheck serve`: loopback only unless told otherwise, on a fixed port (blackbox_exporter's is 9115). */
  serve: {
    listen: '127.0.0.1:9469',
    // One Prometheus is one client: 600 a minute lets it scrape 1,000 domains every 2 minutes, and 16 at once covers
    // its slow partners (a probe that waits out its timeout); a person at the page uses a few.
    probesInFlight: 32,
    probesInFlightPerClient: 16,
    probesPerMinute: 1200,
    probesPerMinutePerClient: 600,
    connections: 64,
    headerTimeoutMs: 10_000,
  },
} as const;
