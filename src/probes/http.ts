// HTTP GET for certificate material (AIA issuers, CRLs) and discovery documents, and POST for OCSP: bounded in time,
// bytes and redirects, over a private undici agent that is closed afterwards. Records what the server did.
// Every connection, the first and each redirect's, is made by the connector under the egress rule.

import type { ProbeOutcome } from '../model/facts.js';
import type { HttpFetchFacts, SessionFailure } from '../model/protocol-facts.js';
import { EgressRefused, httpConnector, type NetContext } from './connector.js';
import { VERSION } from '../util/version.js';
import { elapsedSince, failureFromError, startBudget, timeoutFailure, type Budget } from './socket.js';

export interface FetchOptions {
  /** Body bytes kept; the rest is not read. 1 MiB when not given. */
  maxBytes?: number;
  accept?: string;
  /** POST sends `body` as `contentType` (an OCSP request); default GET. */
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SCHEMES = new Set(['http:', 'https:']);

export async function fetchBounded(url: string, options: FetchOptions, context: NetContext): Promise<ProbeOutcome<HttpFetchFacts>> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { status: 'error', reason: 'invalid-url', detail: `"${url}" is not a URL` };
  }
  if (!SCHEMES.has(target.protocol)) {
    return { status: 'error', reason: 'unsupported-scheme', detail: `only http and https URLs are fetched, not ${target.protocol}` };
  }
  // undici is loaded at the first fetch: most runs fetch nothing (an issuer only when one is missing, OCSP and CRLs
  // only with --revocation). Read through the module's default export, its module.exports: the bundle's chunk of a
  // CommonJS package offers nothing else to a dynamic import (named exports came back undefined there).
  const { Agent, request } = (await import('undici')).default;
  const budget = startBudget(context);
  const agent = new Agent({ connect: httpConnector(context.egress, budget.signal) });
  const headers: Record<string, string> = { 'user-agent': `fedcheck/${VERSION} (federation checker)` };
  if (options.accept) headers.accept = options.accept;
  let method = options.method ?? 'GET';
  if (method === 'POST' && options.contentType) headers['content-type'] = options.contentType;
  const facts: HttpFetchFacts = { url, status: 0, body: '', truncated: false, elapsedMs: 0 };
  const redirects: string[] = [];
  let stage: SessionFailure['stage'] = 'request';
  try {
    for (;;) {
      stage = 'request';
      const payload = method === 'POST' ? Buffer.from(options.body ?? new Uint8Array()) : undefined;
      const response = await request(target, { method, headers, body: payload, signal: budget.signal, dispatcher: agent });
      stage = 'response';
      facts.status = response.statusCode;
      const location = [response.headers.location].flat()[0];
      if (REDIRECT_STATUSES.has(response.statusCode) && location !== undefined) {
        // A redirect's body is small or dropped: dump() reads at most this much and never throws on the rest.
        await response.body.dump({ limit: 1024, signal: budget.signal });
        const next = followable(location, target, redirects.length);
        if ('failure' in next) {
          facts.failure = next.failure;
          break;
        }
        redirects.push(next.url.href);
        target = next.url;
        // As browsers do: only 307 and 308 repeat a POST; the others continue with a GET and no body.
        if (response.statusCode !== 307 && response.statusCode !== 308 && method === 'POST') {
          method = 'GET';
          delete headers['content-type'];
        }
        continue;
      }
      const contentType = [response.headers['content-type']].flat()[0];
      if (contentType !== undefined) facts.contentType = contentType;
      const body = await readCapped(response.body, options.maxBytes ?? DEFAULT_MAX_BYTES);
      facts.body = body.bytes.toString('base64');
      facts.truncated = body.truncated;
      break;
    }
  } catch (error) {
    const refused = refusedBy(error);
    // The URL the partner's certificate named goes nowhere the rule forbids: not fetched at all. A redirect there
    // is what the server did, so it is recorded as the fetch's failure.
    if (refused !== undefined && redirects.length === 0) {
      agent.destroy().catch(() => undefined);
      return { status: 'skipped', because: `${url}: ${refused}` };
    }
    facts.failure =
      refused === undefined
        ? describeFetchError(error, stage, budget)
        : { stage: 'response', reason: 'error', detail: `a redirect to ${target.href}, not followed: ${refused}` };
  } finally {
    agent.destroy().catch(() => undefined);
  }
  facts.elapsedMs = elapsedSince(budget.startedAt);
  if (redirects.length > 0) facts.redirects = redirects;
  return { status: 'ok', facts };
}

/** The egress rule's reason when it refused the connection (undici may wrap the connector's error). */
function refusedBy(error: unknown): string | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof EgressRefused) return cause.message;
  }
  return undefined;
}

function followable(location: string, from: URL, followed: number): { url: URL } | { failure: SessionFailure } {
  const refuse = (detail: string) => ({ failure: { stage: 'response' as const, reason: 'error' as const, detail } });
  if (followed >= MAX_REDIRECTS) return refuse(`more than ${MAX_REDIRECTS} redirects`);
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    return refuse(`a redirect to "${location.slice(0, 200)}", which is not a URL`);
  }
  if (!SCHEMES.has(next.protocol)) return refuse(`a redirect to a ${next.protocol} URL, which is not fetched`);
  return { url: next };
}

/** Reads at most `maxBytes`; stopping early destroys the body so the rest is never received. */
async function readCapped(body: AsyncIterable<Buffer>, maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    if (length + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - length));
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    length += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

function describeFetchError(error: unknown, stage: SessionFailure['stage'], budget: Budget): SessionFailure {
  if (budget.signal.aborted) return timeoutFailure(stage, budget, stage === 'request' ? 'HTTP response' : 'complete HTTP body');
  if (!(error instanceof Error)) return { stage, reason: 'error', detail: String(error) };
  const code = (error as NodeJS.ErrnoException).code ?? '';
  // OpenSSL's verification codes (CERT_HAS_EXPIRED...) and Node's name check (ERR_TLS_CERT_ALTNAME_INVALID).
  if (/CERT|SELF_SIGNED|^UNABLE_TO_|^ERR_TLS_/.test(code)) {
    return { stage: 'connect', reason: 'tls-error', detail: `the server's certificate was not accepted: ${error.message}`, code };
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return timeoutFailure('connect', budget, 'TCP connection');
    case 'UND_ERR_SOCKET':
      return { stage, reason: 'closed', detail: `the server closed the connection: ${error.message}` };
    case 'UND_ERR_HEADERS_OVERFLOW':
      return { stage, reason: 'too-large', detail: 'response headers over the size limit' };
    case 'ECONNREFUSED':
      return failureFromError('connect', error);
    default:
      return failureFromError(stage, error);
  }
}
