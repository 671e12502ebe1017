// How a webhook is posted by default, apart from the poster so `fedcheck run --help` can say it without loading the
// HTTP client.

export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, retries: 3, backoffMs: 1000 } as const;
