import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { HttpFetchFacts } from '../../src/model/protocol-facts.js';
import type { ProbeOutcome } from '../../src/model/facts.js';
import { VERSION } from '../../src/util/version.js';
import { fetchBounded } from '../../src/probes/http.js';
import { listen, type Listener } from '../support/peers/listener.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import type { NetContext } from '../../src/probes/connector.js';

const context = (timeoutMs = 5000): NetContext => ({ signal: new AbortController().signal, timeoutMs, egress: LOOPBACK_EGRESS });
const requests: http.IncomingHttpHeaders[] = [];
let server: Listener;
let base: string;

function facts(outcome: ProbeOutcome<HttpFetchFacts>): HttpFetchFacts {
  if (outcome.status !== 'ok') throw new Error(`expected facts, got ${JSON.stringify(outcome)}`);
  return outcome.facts;
}

beforeAll(async () => {
  server = await listen(
    http.createServer((request, response) => {
      requests.push(request.headers);
      const [path = '', query = ''] = (request.url ?? '').split('?');
      const hops = Number(new URLSearchParams(query).get('hops') ?? 0);
      if (path === '/issuer.cer') return response.writeHead(200, { 'content-type': 'application/pkix-cert' }).end(Buffer.from([0x30, 0x82, 1, 2]));
      if (path === '/big') return response.writeHead(200).end(Buffer.alloc(100_000, 'x'));
      if (path === '/redirect') return response.writeHead(302, { location: hops > 1 ? `/redirect?hops=${hops - 1}` : '/issuer.cer' }).end();
      if (path === '/to-file') return response.writeHead(301, { location: 'file:///etc/passwd' }).end();
      if (path === '/silent') return;
      response.writeHead(404).end('not here');
    }),
  );
  base = `http://${server.address}:${server.port}`;
});

afterAll(async () => {
  await server.close();
});

describe('fetchBounded', () => {
  it('fetches a body with its status and content type, naming fedcheck in the User-Agent', async () => {
    const result = facts(await fetchBounded(`${base}/issuer.cer`, { accept: 'application/pkix-cert' }, context()));
    expect(result).toMatchObject({ url: `${base}/issuer.cer`, status: 200, contentType: 'application/pkix-cert', truncated: false });
    expect(Buffer.from(result.body, 'base64')).toEqual(Buffer.from([0x30, 0x82, 1, 2]));
    expect(result.failure).toBeUndefined();
    expect(requests.at(-1)).toMatchObject({ 'user-agent': expect.stringContaining(`fedcheck/${VERSION}`), accept: 'application/pkix-cert' });
  });

  it('records a 404 as what the server said', async () => {
    expect(facts(await fetchBounded(`${base}/missing`, {}, context()))).toMatchObject({ status: 404, truncated: false });
  });

  it('stops reading at the byte cap', async () => {
    const result = facts(await fetchBounded(`${base}/big`, { maxBytes: 1000 }, context()));
    expect(result.truncated).toBe(true);
    expect(Buffer.from(result.body, 'base64')).toHaveLength(1000);
  });

  it('follows up to 3 redirects and lists them', async () => {
    const result = facts(await fetchBounded(`${base}/redirect?hops=2`, {}, context()));
    expect(result).toMatchObject({ status: 200, redirects: [`${base}/redirect?hops=1`, `${base}/issuer.cer`] });
  });

  it('stops after 3 redirects', async () => {
    const result = facts(await fetchBounded(`${base}/redirect?hops=4`, {}, context()));
    expect(result).toMatchObject({ status: 302, failure: { stage: 'response', reason: 'error', detail: 'more than 3 redirects' } });
    expect(result.redirects).toHaveLength(3);
  });

  it('does not follow a redirect to another scheme', async () => {
    const result = facts(await fetchBounded(`${base}/to-file`, {}, context()));
    expect(result.failure).toMatchObject({ reason: 'error', detail: expect.stringMatching(/file:/) });
  });

  it('refuses URLs that are not http or https without trying', async () => {
    expect(await fetchBounded('file:///etc/passwd', {}, context())).toMatchObject({ status: 'error', reason: 'unsupported-scheme' });
    expect(await fetchBounded('ldap://example.test/cn=x', {}, context())).toMatchObject({ status: 'error', reason: 'unsupported-scheme' });
    expect(await fetchBounded('not a url', {}, context())).toMatchObject({ status: 'error', reason: 'invalid-url' });
  });

  it('records a server that never answers as a timeout', async () => {
    const result = facts(await fetchBounded(`${base}/silent`, {}, context(500)));
    expect(result).toMatchObject({ status: 0, failure: { stage: 'request', reason: 'timeout' } });
  });

  it('records a refused connection', async () => {
    const closed = await listen(http.createServer());
    await closed.close();
    const result = facts(await fetchBounded(`http://${closed.address}:${closed.port}/`, {}, context()));
    expect(result.failure).toMatchObject({ stage: 'connect', reason: 'refused' });
  });
});
