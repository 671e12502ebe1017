// `fedcheck run --webhook`: the summary posted to a local stand-in for Slack or Teams, retried when the service
// is busy, given up on (and reported) when it never answers, never changing the run's exit code; and what it says
// of an Edge that moved to new addresses since the last run.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { startLab } from '../../src/lab/lab.js';
import type { Lab } from '../../src/lab/lab.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { startConnectProxy } from '../support/connect-proxy.mjs';
import { fedcheck } from '../support/fedcheck.js';
import { sharedLab, type LabFacts, type SharedLab } from '../support/lab.js';

/** The path of a real incoming webhook URL is its credential: it must never reach a report file. */
const SECRET_PATH = '/services/T0000/B0000/not-a-real-secret';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Hook {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A webhook on 127.0.0.1 answering each request with the next status; `null` never answers at all. */
async function startHook(statuses: (number | null)[]): Promise<Hook> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const status = statuses[Math.min(received.length, statuses.length - 1)];
      received.push({ headers: request.headers, body });
      if (status !== null && status !== undefined) response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'busy');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${SECRET_PATH}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let lab: SharedLab;
let dir: string;
let config: string;
beforeAll(async () => {
  lab = sharedLab();
  dir = mkdtempSync(join(tmpdir(), 'fedcheck-webhook-'));
  config = writeConfig(lab, 'fedcheck');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

/** Three domains are enough for a message: one healthy, two broken. */
function writeConfig(labToAsk: LabFacts, name: string): string {
  const caFile = join(dir, `${name}-root.pem`);
  writeFileSync(caFile, labToAsk.caPem);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `own:
  sipDomains: [healthy.test]
  xmppDomains: [healthy.test]
  federation:
    xmppPartners: [expired-cert.test, no-srv.test]
partners:
  - domain: expired-cert.test
    note: "Fabrikam NOC <noc@fabrikam.example> & ticket INC-42"
  - no-srv.test
check:
  resolvers: ['${formatServer(labToAsk.resolver)}']
  allowPrivate: [127.0.0.0/8, '::1/128']
  timeoutMs: 5000
  caFiles: ['${caFile}']
`,
  );
  return file;
}

function runWith(hook: Hook, outDir: string, extra: string[] = [], env: Record<string, string> = {}) {
  return fedcheck(['run', '--config', config, '--out-dir', join(dir, outDir), '--webhook', hook.url, ...extra], env);
}

const reportIn = (outDir: string) => readFileSync(join(dir, outDir, 'report.json'), 'utf8');

describe('fedcheck run --webhook', () => {
  it('retries a busy service (500, 500) and delivers the summary on the third attempt', async () => {
    const hook = await startHook([500, 500, 200]);
    try {
      const result = await runWith(hook, 'busy');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(2);
      expect(hook.received).toHaveLength(3);
      for (const { headers, body } of hook.received) {
        expect(headers['content-type']).toMatch(/^application\/json/);
        expect(body).toBe(hook.received[0]?.body);
      }
      const message = JSON.parse(hook.received[0]?.body ?? '') as { text: string; blocks: { type: string }[]; '@type': string; summary: string };
      // Slack reads text and blocks; a Teams connector reads the MessageCard fields and text.
      expect(message.text).toMatch(/^fedcheck: 2 of 3 domains failing, 0 with warnings\n\nFindings: \d+ failed, \d+ not measured, \d+ warnings, \d+ passed\./);
      expect(message.text).toContain('FAIL expired-cert.test (partner)');
      expect(message.text).toContain('Fix: ');
      // The config's note says whom to call; & < > are markup to both services.
      expect(message.text).toMatch(/^- FAIL expired-cert\.test \(partner\): .* Note: Fabrikam NOC &lt;noc@fabrikam\.example&gt; &amp; ticket INC-42$/m);
      expect(message['@type']).toBe('MessageCard');
      expect(message.summary).toBe('fedcheck: 2 of 3 domains failing, 0 with warnings');
      expect(message.blocks[0]?.type).toBe('header');
      const report = JSON.parse(reportIn('busy')) as Report;
      expect(report.webhook).toEqual({ target: new URL(hook.url).origin, delivered: true, attempts: 3 });
      expect(reportIn('busy')).not.toContain(SECRET_PATH);
    } finally {
      await hook.close();
    }
  });

  it('gives up on a service that never answers: a warning line, the report says so, the exit code stays', async () => {
    const hook = await startHook([null]);
    try {
      const result = await runWith(hook, 'silent', ['--webhook-timeout', '1000']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `fedcheck: warning: webhook post to ${new URL(hook.url).origin} failed after 4 attempts: no answer within 1000 ms\n`,
      );
      expect(hook.received).toHaveLength(4);
      const report = JSON.parse(reportIn('silent')) as Report;
      expect(report.webhook).toEqual({
        target: new URL(hook.url).origin,
        delivered: false,
        attempts: 4,
        error: 'no answer within 1000 ms',
      });
      expect(reportIn('silent')).not.toContain(SECRET_PATH);
    } finally {
      await hook.close();
    }
  });

  it('posts through the proxy HTTP_PROXY names, as a nightly job behind a corporate proxy must', async () => {
    const hook = await startHook([200]);
    const proxy = await startConnectProxy('127.0.0.2');
    try {
      const result = await runWith(hook, 'proxied', [], { HTTP_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: '', no_proxy: '' });
      expect(result.stderr).toBe('');
      expect(proxy.tunnels).toEqual([new URL(hook.url).host]);
      expect(hook.received).toHaveLength(1);
      expect((JSON.parse(reportIn('proxied')) as Report).webhook).toEqual({ target: new URL(hook.url).origin, delivered: true, attempts: 1 });
    } finally {
      await proxy.close();
      await hook.close();
    }
  });

  it('takes an empty --webhook as none, the config\'s outputs.webhookUrl included: a CI secret that is not set', async () => {
    const hook = await startHook([200]);
    try {
      const withUrl = join(dir, 'fedcheck-with-webhook.yaml');
      writeFileSync(withUrl, `${readFileSync(config, 'utf8')}outputs:\n  webhookUrl: '${hook.url}'\n`);
      const result = await fedcheck(['run', '--config', withUrl, '--out-dir', join(dir, 'unset-secret'), '--webhook', '']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(2);
      expect(hook.received).toEqual([]);
      expect(JSON.parse(reportIn('unset-secret'))).not.toHaveProperty('webhook');

      // The config's URL alone is posted to, so the empty value above is what kept it quiet.
      await fedcheck(['run', '--config', withUrl, '--out-dir', join(dir, 'config-webhook')]);
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('does not retry an answer that will not change by itself (404: a wrong or deleted webhook)', async () => {
    const hook = await startHook([404]);
    try {
      const result = await runWith(hook, 'gone', ['--format', 'nagios']);
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/^FEDCHECK CRITICAL: /);
      expect(result.stderr).toBe(`fedcheck: warning: webhook post to ${new URL(hook.url).origin} failed after 1 attempt: HTTP 404\n`);
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });
});

describe('a renumbered Edge between two runs', () => {
  // A second lab serves the same domains from another loopback block, as an Edge moved to new addresses would.
  let moved: Lab;
  beforeAll(async () => {
    moved = await startLab();
  });
  afterAll(async () => {
    await moved.close();
  });

  it('is posted and diffed as changed, old → new address, not as problems fixed and new', async () => {
    expect(moved.block).not.toBe(lab.block);
    const history = join(dir, 'renumbered-history');
    const hook = await startHook([200]);
    try {
      const before = await fedcheck(['run', '--config', config, '--history', history, '--format', 'json']);
      expect(before.stderr).toBe('');
      const after = await fedcheck(['run', '--config', writeConfig(moved, 'moved'), '--history', history, '--webhook', hook.url, '--format', 'json']);
      expect(after.stderr).toBe('');
      const oldAddress = addressOf(JSON.parse(before.stdout) as Report);
      const newAddress = addressOf(JSON.parse(after.stdout) as Report);
      expect(oldAddress).not.toBe(newAddress);

      const message = JSON.parse(hook.received[0]?.body ?? '') as { text: string };
      const changes = message.text.split('\n').filter((line) => /^- (new|fixed|changed): /.test(line));
      expect(changes.length).toBeGreaterThan(0);
      for (const line of changes) expect(line).toMatch(/^- changed: /);
      expect(message.text).toMatch(/Changes since the last run \(.*\): (.*, )?\d+ moved to another address or port/);
      expect(message.text).toContain(
        `- changed: expired-cert.test tls.certificate-expiry (sip.expired-cert.test ${oldAddress}:5061 → sip.expired-cert.test ${newAddress}:5061) fail → fail`,
      );

      const [older, newer] = readdirSync(history).sort();
      const diff = await fedcheck(['diff', join(history, older ?? ''), join(history, newer ?? ''), '--format', 'json']);
      expect(diff.stderr).toBe('');
      expect(diff.code).toBe(0);
      const parsed = JSON.parse(diff.stdout) as { newFailures: unknown[]; fixed: unknown[]; changed: { checkId: string; subjectBefore: string; subject: string }[] };
      expect(parsed.newFailures).toEqual([]);
      expect(parsed.fixed).toEqual([]);
      expect(parsed.changed).toContainEqual(
        expect.objectContaining({
          checkId: 'tls.certificate-expiry',
          subjectBefore: `sip.expired-cert.test ${oldAddress}:5061`,
          subject: `sip.expired-cert.test ${newAddress}:5061`,
        }),
      );
    } finally {
      await hook.close();
    }
  });
});

/** The address expired-cert.test's Edge answered on, from its certificate finding. */
function addressOf(report: Report): string {
  const finding = report.domains.find((d) => d.domain === 'expired-cert.test')?.findings.find((f) => f.checkId === 'tls.certificate-expiry');
  return finding?.location.address ?? 'none';
}
