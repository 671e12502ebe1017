// `fedcheck serve`'s HTTP server: /probe for Prometheus, /metrics, the page (/ and /check), /api/check and the page's
// downloads. A probe endpoint is a relay toward third parties, and a long-running one meets slow and hostile
// clients: every request is bounded (head size and time, body size, URL length, connections), a probe is admitted
// only within the limits, and an answer never holds key material (the report and facts hold certificates only).

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError } from '../model/errors.js';
import { renderJson } from '../report/json.js';
import { renderProbeMetrics } from '../report/probe-metrics.js';
import { checkPage, PAGE_CONTENT_SECURITY_POLICY, renderHomePage, renderRefusalPage } from '../report/serve-page.js';
import type { PageContext } from '../report/serve-page.js';
import { renderTerminal } from '../report/terminal.js';
import { serializeSavedFacts } from '../model/facts-file.js';
import { escapeControl } from '../util/control-characters.js';
import { VERSION } from '../util/version.js';
import { AUTH_CHALLENGE, authorized } from './auth.js';
import { ProbeLimiter } from './limits.js';
import { DEFAULT_MODULE } from './modules.js';
import { OwnMetrics } from './own-metrics.js';
import type { ProbeErrorCause } from './own-metrics.js';
import { runProbe } from './probe-run.js';
import type { ProbeRequest, ProbeResult } from './probe-run.js';
import { RecentResults } from './recent-results.js';
import type { ServeSettings } from './settings.js';
import { probeTarget } from './targets.js';

/** Longer URLs are refused (414): a domain and a module name fit many times over. */
const MAX_URL_LENGTH = 2_048;
/** The request head, request line included; Node answers 431 beyond it. */
const MAX_HEADER_BYTES = 8_192;
/** The page's form post: a domain and a module. */
const MAX_BODY_BYTES = 4_096;
/** Beyond the head's time limit (serve.limits.headerTimeoutMs), the time the rest of a request may take: a form. */
const BODY_TIME_MS = 5_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** How often Node looks for connections past those timeouts. */
const CHECK_INTERVAL_MS = 1_000;

const PATHS = ['/', '/check', '/probe', '/metrics', '/api/check', '/report', '/-/healthy'] as const;

export interface ServeServer {
  /** Where it listens, once listening (the port chosen when 0 was asked for). */
  address(): AddressInfo;
  /** A config reload: probes from now on use these settings. */
  update(settings: ServeSettings): void;
  reloadFailed(): void;
  /** Stops accepting, lets probes in flight finish until `graceMs`, then aborts them and closes every connection. */
  stop(graceMs: number): Promise<void>;
}

export interface ServeOptions {
  host: string;
  port: number;
  /** One line per request, and the server's own notices. */
  log: (line: string) => void;
}

export async function startServeServer(initial: ServeSettings, options: ServeOptions): Promise<ServeServer> {
  let settings = initial;
  const metrics = new OwnMetrics(settings.vantage);
  const limiter = new ProbeLimiter(settings.limits);
  const results = new RecentResults();
  const stopping = new AbortController();
  const running = new Set<Promise<unknown>>();

  const server: Server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      // Read once, at start: a reload changes the other limits, not these.
      headersTimeout: initial.limits.headerTimeoutMs,
      requestTimeout: initial.limits.headerTimeoutMs + BODY_TIME_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: CHECK_INTERVAL_MS,
    },
    (request, response) => {
      const started = performance.now();
      const path = knownPath(request.url);
      response.on('finish', () => {
        metrics.request(path, response.statusCode);
        options.log(requestLine(request, response, started));
      });
      const handling = handle(request, response).catch((error: unknown) => {
        metrics.error('internal');
        if (!response.headersSent) answer(response, 500, `internal error: ${describeError(error)}`);
        else response.destroy();
      });
      running.add(handling);
      void handling.finally(() => running.delete(handling));
    },
  );
  server.maxConnections = settings.limits.connections;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const current = settings;
    if ((request.url ?? '').length > MAX_URL_LENGTH) return answer(response, 414, `URL longer than ${MAX_URL_LENGTH} characters: expected /probe?target=DOMAIN&module=MODULE`);
    if (!authorized(request.headers, current.token)) {
      metrics.error('unauthorized');
      return answer(response, 401, 'this server needs its token: Authorization: Bearer <the first line of serve.tokenFile>', { 'www-authenticate': AUTH_CHALLENGE });
    }
    const url = new URL(request.url ?? '/', 'http://fedcheck.invalid');
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    if (route === 'GET /probe') return probe(current, url.searchParams, request, response);
    if (route === 'GET /metrics') return send(response, 200, metrics.contentType, await metrics.render());
    if (route === 'GET /api/check') return apiCheck(current, url.searchParams, request, response);
    if (route === 'GET /') return send(response, 200, 'text/html; charset=utf-8', renderHomePage(pageContext(current)), pageHeaders());
    if (route === 'GET /check') return pageCheck(current, url.searchParams, request, response);
    if (route === 'POST /check') return pageCheck(current, await formBody(request, response), request, response);
    if (route === 'GET /-/healthy') return answer(response, 200, 'fedcheck serve is healthy');
    if (request.method === 'GET' && url.pathname.startsWith('/report/')) return download(url.pathname.slice('/report/'.length), response);
    if (PATHS.includes(url.pathname as (typeof PATHS)[number]) || url.pathname.startsWith('/report/')) {
      return answer(response, 405, `${request.method ?? ''} is not answered on ${url.pathname}`, { allow: url.pathname === '/check' ? 'GET, POST' : 'GET' });
    }
    return answer(response, 404, `no such page: ${url.pathname} (expected /probe, /metrics, /api/check or /)`);
  }

  /** The parts of /probe, /api/check and the page alike: the module, the target, the admission, the run. */
  async function admitAndRun(
    current: ServeSettings,
    params: URLSearchParams,
    request: IncomingMessage,
    response: ServerResponse,
    targetParam: 'target' | 'domain',
    extra: Partial<ProbeRequest> & { onAdmitted?: () => void } = {},
  ): Promise<{ result: ProbeResult; module: string } | { status: number; message: string; headers?: Record<string, string> }> {
    const moduleName = params.get('module') ?? DEFAULT_MODULE;
    const module = current.modules.get(moduleName);
    if (module === undefined) {
      metrics.error('unknown_module');
      return { status: 400, message: `unknown module "${escapeControl(moduleName)}": expected one of ${[...current.modules.keys()].join(', ')}` };
    }
    const answerFor = probeTarget(params.get(targetParam), module, current.rules, targetParam);
    if ('refused' in answerFor) {
      metrics.error(answerFor.refused === 'invalid' ? 'bad_request' : 'forbidden_target');
      return { status: answerFor.refused === 'invalid' ? 400 : 403, message: escapeControl(answerFor.message) };
    }
    const admission = limiter.admit(clientOf(request));
    if (!admission.admitted) {
      metrics.error('rate_limited');
      return { status: 429, message: `too many probes (${admission.reason}): retry after ${admission.retryAfterSeconds} s`, headers: { 'retry-after': String(admission.retryAfterSeconds) } };
    }
    const { onAdmitted, ...probeExtra } = extra;
    onAdmitted?.();
    const gone = new AbortController();
    // The caller hung up: its probe stops and the slot frees at once. (After the answer, the abort finds nothing running.)
    response.once('close', () => gone.abort(new Error('the client went away')));
    const endGauge = metrics.probeStarted();
    const started = performance.now();
    try {
      const callerTimeoutMs = scrapeTimeoutMs(request.headers['x-prometheus-scrape-timeout-seconds']);
      const result = await runProbe(current, {
        target: answerFor.target,
        module,
        signal: AbortSignal.any([gone.signal, stopping.signal]),
        ...(callerTimeoutMs !== undefined ? { callerTimeoutMs } : {}),
        ...probeExtra,
      });
      if (result.report.summary.deadlineReached) metrics.error('deadline');
      return { result, module: moduleName };
    } finally {
      metrics.probeEnded(moduleName, (performance.now() - started) / 1000);
      endGauge();
      admission.release();
    }
  }

  async function probe(current: ServeSettings, params: URLSearchParams, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const ran = await admitAndRun(current, params, request, response, 'target');
    if ('status' in ran) return answer(response, ran.status, ran.message, ran.headers);
    const { report, probes } = ran.result;
    if (params.get('debug') === 'true') return answer(response, 200, renderTerminal(report, { color: false, width: 100, verbose: true }));
    send(response, 200, 'text/plain; version=0.0.4; charset=utf-8', renderProbeMetrics({ report, probes, vantage: current.vantage }));
  }

  async function apiCheck(current: ServeSettings, params: URLSearchParams, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const ran = await admitAndRun(current, params, request, response, 'domain');
    if ('status' in ran) return answer(response, ran.status, ran.message, ran.headers);
    send(response, 200, 'application/json; charset=utf-8', renderJson(ran.result.report));
  }

  async function pageCheck(current: ServeSettings, params: URLSearchParams | undefined, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (params === undefined) return;
    const context = pageContext(current);
    const domain = params.get('domain') ?? '';
    const moduleName = params.get('module') ?? DEFAULT_MODULE;
    // Once admitted, the page starts at once: the browser shows the form and the heading while the first probe runs.
    let ran: Awaited<ReturnType<typeof admitAndRun>>;
    try {
      ran = await admitAndRun(current, params, request, response, 'domain', {
        onAdmitted: () => {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...pageHeaders() });
          response.write(checkPage.start(context, domain, moduleName));
        },
        onProbe: (probeTrace) => response.write(checkPage.probe(probeTrace)),
      });
    } catch (error) {
      if (!response.headersSent) throw error;
      // The page has begun: it says what went wrong where the report would have been.
      metrics.error('internal');
      return void response.end(checkPage.failed(describeError(error)));
    }
    if ('status' in ran) {
      return send(response, ran.status, 'text/html; charset=utf-8', renderRefusalPage(context, domain, moduleName, ran.message), { ...pageHeaders(), ...ran.headers });
    }
    const { report, saved } = ran.result;
    const id = results.add({ domain: report.domains[0]?.domain ?? domain, reportJson: renderJson(report), factsJson: serializeSavedFacts(saved) });
    for (const chunk of checkPage.report(report, { json: `/report/${id}.json`, facts: `/report/${id}.facts.json` })) response.write(chunk);
    response.end();
  }

  function download(name: string, response: ServerResponse): void {
    const match = /^([0-9a-f-]{36})\.(json|facts\.json)$/.exec(name);
    const stored = match === null ? undefined : results.get(match[1] as string);
    if (match === null || stored === undefined) return answer(response, 404, 'no such report: reports are kept for 30 minutes after their check');
    const facts = match[2] === 'facts.json';
    send(response, 200, 'application/json; charset=utf-8', facts ? stored.factsJson : stored.reportJson, {
      'content-disposition': `attachment; filename="fedcheck-${stored.domain}${facts ? '-facts' : ''}.json"`,
    });
  }

  function pageContext(current: ServeSettings): PageContext {
    return { version: VERSION, vantage: current.vantage, modules: [...current.modules.keys()] };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    address: () => server.address() as AddressInfo,
    update(next) {
      settings = next;
      limiter.update(next.limits);
      server.maxConnections = next.limits.connections;
      metrics.vantageChanged(next.vantage);
      metrics.reloaded(true);
    },
    reloadFailed: () => metrics.reloaded(false),
    async stop(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => stopping.abort(new Error('fedcheck serve is stopping')), graceMs);
      await Promise.allSettled([...running]);
      clearTimeout(grace);
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The form post of the page, or undefined when it was refused (too large, another type): the answer is sent. */
async function formBody(request: IncomingMessage, response: ServerResponse): Promise<URLSearchParams | undefined> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    answer(response, 415, 'expected a form post (application/x-www-form-urlencoded) with domain and module');
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      answer(response, 413, `form larger than ${MAX_BODY_BYTES} bytes: expected a domain and a module`, { connection: 'close' });
      request.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** X-Prometheus-Scrape-Timeout-Seconds, in milliseconds, when it is a positive number. */
export function scrapeTimeoutMs(header: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

/** The client a limit counts against: its address, an IPv4 client on a dual-stack socket written as IPv4. */
function clientOf(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

function knownPath(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  if (path.startsWith('/report/')) return '/report';
  return PATHS.includes(path as (typeof PATHS)[number]) ? path : 'other';
}

function pageHeaders(): Record<string, string> {
  return { 'content-security-policy': PAGE_CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
}

/** One line of text: every refusal and error says what was wrong and what was expected. */
function answer(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  send(response, status, 'text/plain; charset=utf-8', message.endsWith('\n') ? message : `${message}\n`, headers);
}

function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  // Set one by one rather than through writeHead, so the request log reads the length back.
  for (const [name, value] of Object.entries({ 'content-type': type, 'content-length': String(Buffer.byteLength(body)), 'x-content-type-options': 'nosniff', ...headers })) {
    response.setHeader(name, value);
  }
  response.writeHead(status);
  response.end(body);
}

/**
 * `2026-12-04T14:00:00.000Z 127.0.0.1 "GET /probe?target=contoso.com" 200 1534 812ms` (the size `-` for the streamed
 * page), the URL cut at 300 characters and its control characters escaped.
 */
function requestLine(request: IncomingMessage, response: ServerResponse, started: number): string {
  const url = escapeControl((request.url ?? '').slice(0, 300));
  const length = response.getHeader('content-length') ?? '-';
  return `${new Date().toISOString()} ${clientOf(request)} "${escapeControl(request.method ?? '')} ${url}" ${response.statusCode} ${String(length)} ${Math.round(performance.now() - started)}ms`;
}
