// What keeps `fedcheck serve` up and honest under load and abuse: the probe limits answer 429 with Retry-After,
// a client that never finishes its request head is cut off, the connection cap holds, two hundred parallel probes
// leave the server answering with bounded memory, and a token is required when configured.

import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLab } from '../support/lab.js';
import { startServe, writeServeConfig } from '../support/serve.js';
import type { RunningServe } from '../support/serve.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();

function address(serve: RunningServe): { host: string; port: number } {
  const { hostname, port } = new URL(serve.url);
  return { host: hostname, port: Number(port) };
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024;
}

describe('probe limits', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    const limits = { probesInFlight: 4, probesInFlightPerClient: 8, probesPerMinute: 1000, probesPerMinutePerClient: 1000, connections: 300 };
    serve = await startServe(['--config', writeServeConfig(tempFolder('serve-limits'), sharedLab(), { limits })]);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('answers 200 parallel probes within the limit and 429 with Retry-After beyond it, then keeps answering, with bounded memory', async () => {
    const pid = serve.child.pid as number;
    const before = rssMiB(pid);
    const answers = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const response = await fetch(`${serve.url}/probe?target=healthy.test&module=sip`, { signal: AbortSignal.timeout(60_000) });
        return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() };
      }),
    );
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(ok.length + refused.length).toBe(200);
    expect(ok.length).toBeGreaterThanOrEqual(4);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of ok) expect(answer.text).toContain('probe_success{vantage="lab"} 1');
    for (const answer of refused) {
      expect(answer.retryAfter).toBe('1');
      expect(answer.text).toBe('too many probes (4 probes already running): retry after 1 s\n');
    }
    const after = await fetch(`${serve.url}/probe?target=healthy.test&module=sip`);
    expect([after.status, (await after.text()).includes('probe_success{vantage="lab"} 1')]).toEqual([200, true]);
    // A burst of refusals costs little: the server grows by far less than a second copy of itself.
    expect(rssMiB(pid) - before).toBeLessThan(100);
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toContain(`fedcheck_serve_probe_errors_total{cause="rate_limited",vantage="lab"} ${refused.length}`);
  });
});

describe('the per-minute limit', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startServe(['--config', writeServeConfig(tempFolder('serve-minute'), sharedLab(), { limits: { probesPerMinutePerClient: 2 } })]);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it("refuses a client's third probe in a minute with 429 and the seconds until one is allowed again", async () => {
    for (let i = 0; i < 2; i += 1) expect((await fetch(`${serve.url}/probe?target=healthy.test&module=sip`)).status).toBe(200);
    const third = await fetch(`${serve.url}/probe?target=healthy.test&module=sip`);
    expect(third.status).toBe(429);
    const seconds = Number(third.headers.get('retry-after'));
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(await third.text()).toBe(`too many probes (2 probes of this client in the last minute): retry after ${seconds} s\n`);
  });
});

describe('slow and greedy clients', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startServe(['--config', writeServeConfig(tempFolder('serve-slow'), sharedLab(), { limits: { headerTimeoutMs: 1000, connections: 5 } })]);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('answers a request head that never ends with 408 and closes the connection, and stays up', async () => {
    const { host, port } = address(serve);
    const socket = connect(port, host);
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.write('GET /probe?target=healthy.test HTTP/1.1\r\nHost: fedcheck\r\n');
    // One more header line every 200 ms, never the blank line that ends the head.
    const drip = setInterval(() => socket.write(`X-Drip: ${Date.now()}\r\n`), 200);
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect((await fetch(`${serve.url}/-/healthy`)).status).toBe(200);
  });

  it('holds at most serve.limits.connections open connections, and answers again once they close', async () => {
    const { host, port } = address(serve);
    const open = (): Promise<Socket> => new Promise((resolve) => {
      const socket = connect(port, host, () => resolve(socket));
      socket.on('error', () => {});
    });
    const sockets = await Promise.all(Array.from({ length: 5 }, open));
    // The sixth is accepted by the kernel and closed by the server at once, with nothing sent.
    const sixth = await open();
    const closed = await new Promise<boolean>((resolve) => {
      sixth.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 3000).unref();
    });
    expect(closed).toBe(true);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${serve.url}/-/healthy`)).status).toBe(200);
  });
});

describe('serve.tokenFile', () => {
  let serve: RunningServe;
  const token = 'fedcheck-test-token-0123456789';
  beforeAll(async () => {
    const dir = tempFolder('serve-token');
    writeFileSync(join(dir, 'token'), `${token}\n`, { mode: 0o600 });
    serve = await startServe(['--config', writeServeConfig(dir, sharedLab(), { tokenFile: 'token' })]);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('refuses a request without the token, or with another, with 401 and both challenges', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` }];
    for (const headers of attempts) {
      const response = await fetch(`${serve.url}/probe?target=healthy.test&module=sip`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="fedcheck", Basic realm="fedcheck", charset="UTF-8"');
      expect(await response.text()).not.toContain(token);
    }
  });

  it('answers with the token as a bearer token (Prometheus) or as the password of basic authentication (a browser)', async () => {
    const bearer = await fetch(`${serve.url}/probe?target=healthy.test&module=sip`, { headers: { authorization: `Bearer ${token}` } });
    expect([bearer.status, (await bearer.text()).includes('probe_success{vantage="lab"} 1')]).toEqual([200, true]);
    const basic = await fetch(`${serve.url}/`, { headers: { authorization: `Basic ${Buffer.from(`anyone:${token}`).toString('base64')}` } });
    expect(basic.status).toBe(200);
    expect(await basic.text()).toContain('<form class="check"');
  });

  it('never logs the token', () => {
    expect(serve.stdout()).not.toContain(token);
  });
});
