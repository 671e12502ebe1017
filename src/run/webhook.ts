// Posts the nightly summary to a chat webhook with undici: each attempt within a timeout, retried with
// backoff when the service is busy or does not answer. A failed post is reported, never thrown: the report
// on disk matters more than the chat message.

import { setTimeout as sleep } from 'node:timers/promises';
import { EnvHttpProxyAgent, Pool, request } from 'undici';
import { UsageError, describeError } from '../model/errors.js';
import { httpConnector } from '../probes/connector.js';
import { systemLookup } from '../probes/dns.js';
import type { Report } from '../model/report.js';

/** Kept in the report; its target is scheme, host and port only, as a webhook URL's path is its secret. */
export type WebhookDelivery = NonNullable<Report['webhook']>;

export interface PostOptions {
  timeoutMs: number;
  /** Attempts after the first one. */
  retries: number;
  /** The wait before the first retry; doubled before each further one. */
  backoffMs: number;
  /** Aborts the post (a second interruption of the run). */
  signal?: AbortSignal;
}

export { WEBHOOK_DEFAULTS } from './webhook-defaults.js';

export function parseWebhookUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`invalid ${what} "${value}": expected an http:// or https:// URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`invalid ${what} "${url.protocol}...": expected an http:// or https:// URL`);
  }
  return url;
}

type Attempt = { ok: true } | { ok: false; retry: boolean; error: string };

export async function postWebhook(url: URL, payload: unknown, options: PostOptions): Promise<WebhookDelivery> {
  const target = url.origin;
  const body = JSON.stringify(payload);
  // HTTPS_PROXY / NO_PROXY are honoured: nightly jobs often reach Slack or Teams only through a proxy. Both the
  // direct connection and the one to the proxy go through the connector, as the admin's own addresses: never
  // refused, resolved by fedcheck's DNS client. undici would dial the proxy itself unless given the client factory.
  const egress = { kind: 'admin', lookup: systemLookup(options.timeoutMs) } as const;
  const connect = httpConnector(egress, options.signal ?? new AbortController().signal, options.timeoutMs);
  const dispatcher = new EnvHttpProxyAgent({ connect, clientFactory: (origin) => new Pool(origin, { connect }) });
  let attempts = 0;
  let last: Attempt = { ok: false, retry: false, error: 'not attempted' };
  try {
    while (attempts <= options.retries) {
      if (attempts > 0) {
        const waited = await sleep(options.backoffMs * 2 ** (attempts - 1), true, { signal: options.signal }).catch(() => false);
        if (!waited) {
          last = { ...last, retry: false, error: `${last.error}; interrupted before the next attempt` };
          break;
        }
      }
      attempts += 1;
      last = await attempt(url, body, dispatcher, options);
      if (last.ok || !last.retry) break;
    }
  } finally {
    await dispatcher.close();
  }
  return last.ok ? { target, delivered: true, attempts } : { target, delivered: false, attempts, error: last.error };
}

async function attempt(url: URL, body: string, dispatcher: EnvHttpProxyAgent, options: PostOptions): Promise<Attempt> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      dispatcher,
      signal,
    });
    await response.body.dump();
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) return { ok: true };
    // A busy or failing service may recover within seconds; any other answer will not change on its own.
    return { ok: false, retry: statusCode >= 500 || statusCode === 429, error: `HTTP ${statusCode}` };
  } catch (error) {
    if (timeout.aborted) return { ok: false, retry: true, error: `no answer within ${options.timeoutMs} ms` };
    if (options.signal?.aborted) return { ok: false, retry: false, error: 'interrupted' };
    return { ok: false, retry: true, error: describeError(error) };
  }
}
