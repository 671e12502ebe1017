// `fedcheck serve` against the embedded lab, as Prometheus and a script use it: /probe answers in the Prometheus text
// format (promtool accepts it) with probe_success 1 for a healthy domain and 0 for a broken one, bounded by the
// scrape timeout header; a partner's DNS never steers it to a private address; every bad request gets its
// documented status and one line saying what was expected; each request is one log line.

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { sharedLab } from '../support/lab.js';
import { startServe, writeServeConfig } from '../support/serve.js';
import type { RunningServe } from '../support/serve.js';
import { tempFolders } from '../support/temp-folders.js';
import { HAVE_PROMTOOL, promtool } from '../support/validators.js';

const tempFolder = tempFolders();
let serve: RunningServe;

beforeAll(async () => {
  serve = await startServe(['--config', writeServeConfig(tempFolder('serve'), sharedLab())]);
});

afterAll(async () => {
  expect(await serve.stop()).toBe(0);
});

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${serve.url}${path}`, { headers, signal: AbortSignal.timeout(30_000) });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** The value of the one sample of `series` (its name and labels as written), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** What one raw request written on a socket gets back, as bytes read until the server closes or `waitMs` passes. */
function raw(request: string, waitMs: number): Promise<string> {
  const { hostname, port } = new URL(serve.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
    setTimeout(() => socket.destroy(), waitMs).unref();
  });
}

describe('/probe', () => {
  it('says probe_success 1 for a healthy domain, with the vantage point on every series, in a format promtool accepts', async () => {
    const { status, text, headers } = await get('/probe?target=healthy.test&module=sip');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'probe_success{vantage="lab"}')).toBe(1);
    expect(sample(text, 'fedcheck_service_success{vantage="lab",service="sip"}')).toBe(1);
    expect(sample(text, 'probe_ssl_earliest_cert_expiry{vantage="lab"}')).toBeGreaterThan(Date.now() / 1000);
    expect(text).toMatch(/^fedcheck_probe_phase_duration_seconds\{vantage="lab",phase="dns"\} [\d.]+$/m);
    // The sip module looks at SIP alone.
    expect(text).not.toContain('service="xmpp"');
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) expect(line).toContain('vantage="lab"');
    if (HAVE_PROMTOOL) expect(promtool(text)).toEqual({ status: 0, output: '' });
  });

  it('says probe_success 0 for a broken domain, with the failing check at 2', async () => {
    const { status, text } = await get('/probe?target=expired-cert.test');
    expect(status).toBe(200);
    expect(sample(text, 'probe_success{vantage="lab"}')).toBe(0);
    expect(text).toMatch(/^fedcheck_check_status\{vantage="lab",service="sip",check="tls\.certificate-expiry",[^}]*\} 2$/m);
  });

  it('answers within the scrape timeout: what the time did not allow is an error, and probe_success 0', async () => {
    // silent-edge.test accepts connections and never speaks: unbounded, its probes would wait for their 3 s timeout.
    const { status, text } = await get('/probe?target=silent-edge.test&module=sip', { 'X-Prometheus-Scrape-Timeout-Seconds': '1.5' });
    expect(status).toBe(200);
    expect(sample(text, 'probe_success{vantage="lab"}')).toBe(0);
    expect(text).toMatch(/^fedcheck_check_status\{[^}]*check="tls\.handshake"[^}]*\} 3$/m);
    expect(sample(text, 'probe_duration_seconds{vantage="lab"}')).toBeLessThan(1.5);
  });

  it('never connects to a private address a partner publishes: the address is judged, no port is probed', async () => {
    // private-edge.test's SRV target has the address 10.20.30.40, outside check.allowPrivate (the lab's loopback).
    const { text } = await get('/probe?target=private-edge.test&module=sip');
    expect(text).toMatch(/^fedcheck_check_status\{[^}]*check="net\.address-scope",host="sip\.private-edge\.test",address="10\.20\.30\.40"[^}]*\} 1$/m);
    expect(text).toMatch(/^fedcheck_check_status\{[^}]*check="net\.federation-port"[^}]*\} -1$/m);
    expect(text).toMatch(/phase="dns"/);
    expect(text).not.toMatch(/phase="(tcp|tls|sip)"/);
  });

  it('returns the terminal report with debug=true', async () => {
    const { status, text } = await get('/probe?target=expired-cert.test&module=sip&debug=true');
    expect(status).toBe(200);
    expect(text).toContain('expired-cert.test');
    expect(text).toContain('tls.certificate-expiry');
  });
});

describe('/api/check', () => {
  it('returns the JSON report of the domain', async () => {
    const { status, text } = await get('/api/check?domain=healthy.test&module=xmpp');
    expect(status).toBe(200);
    const report = JSON.parse(text) as Report;
    expect(report.domains.map((d) => [d.domain, d.services])).toEqual([['healthy.test', ['xmpp']]]);
    expect(report.summary.exitCode).toBe(0);
  });
});

describe('bad requests', () => {
  it.each([
    { what: 'no target', path: '/probe?module=sip', code: 400, message: 'no target given: expected target=DOMAIN' },
    { what: 'not a domain', path: '/probe?target=bad..name', code: 400, message: 'invalid target "bad..name": expected a DNS name such as example.com' },
    { what: 'an address', path: '/api/check?domain=10.0.0.1', code: 400, message: 'invalid domain "10.0.0.1"' },
    { what: 'an unknown module', path: '/probe?target=healthy.test&module=nope', code: 400, message: 'unknown module "nope": expected one of federation, sip, xmpp' },
    { what: 'a target outside serve.targets', path: '/probe?target=contoso.com', code: 403, message: 'contoso.com is not a domain this server probes: add it to serve.targets' },
    { what: 'an unknown path', path: '/nowhere', code: 404, message: 'no such page: /nowhere' },
    { what: 'a URL of 2,100 characters', path: `/probe?target=${'a'.repeat(2100)}`, code: 414, message: 'URL longer than 2048 characters' },
  ])('$what: $code, one line saying what was expected', async ({ path, code, message }) => {
    const { status, text } = await get(path);
    expect(status).toBe(code);
    expect(text).toContain(message);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses another method (405, with Allow) and a form that is not a form (415) or too large (413)', async () => {
    const post = await fetch(`${serve.url}/probe?target=healthy.test`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
    await post.text();
    const json = await fetch(`${serve.url}/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([json.status, await json.text()]).toEqual([415, 'expected a form post (application/x-www-form-urlencoded) with domain and module\n']);
    const big = await fetch(`${serve.url}/check`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `domain=${'a'.repeat(10_000)}` });
    expect(big.status).toBe(413);
  });

  it('answers a request head over 8 KiB with 431', async () => {
    const answer = await raw(`GET /probe?target=healthy.test HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(9000)}\r\n\r\n`, 5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('logs one line per request, with the client, the request, the status and the size', async () => {
    const logged = serve.nextLine(/"GET \/nowhere\?logged" 404 /);
    await get('/nowhere?logged');
    expect(await logged).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z 127\.0\.0\.1 "GET \/nowhere\?logged" 404 \d+ \d+ms$/);
  });
});

describe('/metrics', () => {
  it("counts the server's requests and refusals, with the vantage point, in a format promtool accepts", async () => {
    await get('/probe?target=contoso.com');
    const { status, text } = await get('/metrics');
    expect(status).toBe(200);
    expect(sample(text, 'fedcheck_serve_requests_total{path="/probe",code="403",vantage="lab"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'fedcheck_serve_probe_errors_total{cause="forbidden_target",vantage="lab"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'fedcheck_serve_probes_in_flight{vantage="lab"}')).toBe(0);
    expect(text).toMatch(/^fedcheck_serve_probe_duration_seconds_count\{vantage="lab",module="sip"\} \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes\{vantage="lab"\} \d+$/m);
    if (HAVE_PROMTOOL) {
      // It parses; the only lint problems are prom-client's own names for its Node.js gauges (nodejs_active_*_total).
      const lint = promtool(text).output.trim().split('\n');
      expect(lint.filter((line) => !/^nodejs_active_\w+_total non-counter metrics should not have "_total" suffix$/.test(line))).toEqual([]);
    }
  });
});
