// The scheduler tells our own saturation from a peer's silence: a timeout while this process's event loop was
// blocked is retried once and says so; a silent peer on an idle loop still times out after one attempt; and a
// saturated loop admits fewer probes until it recovers.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProbeOutcome } from '../../src/model/facts.js';
import type { HttpFetchFacts } from '../../src/model/protocol-facts.js';
import { Scheduler } from '../../src/gather/scheduler.js';
import { fetchBounded } from '../../src/probes/http.js';
import { ADMINS_OWN } from '../../src/probes/connector.js';
import { startHostilePeer } from '../../src/lab/hostile.js';

/** Blocks this process's event loop, as hundreds of TLS handshakes on two cores do. */
function busyLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** An HTTP server on loopback that never answers its first request and answers every later one. */
async function answersOnSecondRequest(): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = http.createServer((_request, response) => {
    requests += 1;
    if (requests > 1) response.end('answered');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests: () => requests };
}

describe('Scheduler under its own load', () => {
  it('retries once a timeout during which the event loop was blocked, and says so in the outcome', async () => {
    const server = await answersOnSecondRequest();
    const s = new Scheduler({ concurrency: 4, probeTimeoutMs: 1000, deadlineMs: 30_000 });
    let attempts = 0;
    const outcome = (await s.probe('http:flaky', (context) => {
      attempts += 1;
      // The first attempt's window holds a 700 ms stall of our own, well over a quarter of its 1000 ms.
      if (attempts === 1) setTimeout(() => busyLoop(700), 20);
      return fetchBounded(server.url, {}, { ...context, egress: ADMINS_OWN });
    })) as ProbeOutcome<HttpFetchFacts> & { status: 'ok' };
    s.close();

    expect(attempts).toBe(2);
    expect(server.requests()).toBe(2);
    expect(outcome.status).toBe('ok');
    expect(outcome.facts.status).toBe(200);
    expect(outcome.facts.failure).toBeUndefined();
    expect(outcome.retried).toMatch(/^retried once: this machine's event loop was delayed (\d{3} ms|\d+\.\d s) during the first attempt$/);
    const [trace] = s.trace().probes;
    expect(trace).toMatchObject({ key: 'http:flaky', status: 'ok', attempts: 2, timedOut: false });
    expect(trace?.loopDelayMs).toBeGreaterThanOrEqual(600);
  });

  it('keeps the timeout of a silent peer after one attempt when the event loop was idle', async () => {
    const peer = await startHostilePeer({ address: '127.0.0.1', port: 0, behaviour: 'silent' });
    closers.push(() => peer.close());
    const s = new Scheduler({ concurrency: 4, probeTimeoutMs: 1500, deadlineMs: 30_000 });
    let attempts = 0;
    const outcome = (await s.probe('http:silent', (context) => {
      attempts += 1;
      return fetchBounded(`http://127.0.0.1:${peer.port}/`, {}, { ...context, egress: ADMINS_OWN });
    })) as ProbeOutcome<HttpFetchFacts> & { status: 'ok' };
    s.close();

    expect(attempts).toBe(1);
    expect(outcome.facts.failure).toMatchObject({ reason: 'timeout' });
    expect(outcome.facts.failure?.detail).not.toMatch(/retried/);
    expect(outcome.retried).toBeUndefined();
    expect(s.trace().probes[0]).toMatchObject({ status: 'ok', timedOut: true, attempts: 1 });
  });

  it('says in the timeout it quotes that it was retried, when the peer stays silent on the second attempt too', async () => {
    const peer = await startHostilePeer({ address: '127.0.0.1', port: 0, behaviour: 'silent' });
    closers.push(() => peer.close());
    const s = new Scheduler({ concurrency: 4, probeTimeoutMs: 1000, deadlineMs: 30_000 });
    let attempts = 0;
    const outcome = (await s.probe('http:silent', (context) => {
      attempts += 1;
      if (attempts === 1) setTimeout(() => busyLoop(700), 20);
      return fetchBounded(`http://127.0.0.1:${peer.port}/`, {}, { ...context, egress: ADMINS_OWN });
    })) as ProbeOutcome<HttpFetchFacts> & { status: 'ok' };
    s.close();

    expect(attempts).toBe(2);
    expect(outcome.facts.failure).toMatchObject({ reason: 'timeout' });
    expect(outcome.facts.failure?.detail).toMatch(/^no HTTP response within the probe's \d+ ms; retried once: this machine's event loop was delayed/);
  });

  it('admits fewer probes while the event loop is saturated, and all of them again once it recovers', async () => {
    const s = new Scheduler({ concurrency: 16, probeTimeoutMs: 5000, deadlineMs: 30_000 });
    await s.probe('cpu:heavy', async () => {
      busyLoop(400);
      return { status: 'ok', facts: {} };
    });
    await vi.waitFor(() => expect(s.admitted).toBeLessThan(16), { timeout: 2000, interval: 10 });
    await vi.waitFor(() => expect(s.admitted).toBe(16), { timeout: 10_000, interval: 20 });
    s.close();
  });
});
