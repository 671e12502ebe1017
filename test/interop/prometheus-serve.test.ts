// Interop: `fedcheck serve` as the real Prometheus and the real blackbox_exporter meet it, against the embedded lab.
// The README and examples/prometheus/ promise that serve is scraped exactly as blackbox_exporter is: this runs the
// shipped scrape config's own relabelling and alert rules in a real Prometheus, and proves that its series land under
// instance=<domain> with the vantage label, that a healthy and a failing domain read 1 and 0, that the certificate
// expiry is the one the Edge really sends (read here with node:tls, not from fedcheck), and that a probe of a silent
// Edge ends within a short scrape timeout with an answer (up 1, probe_success 0) instead of being cut off (up 0).
// Beside it, blackbox_exporter's own tls_connect probe of the same Edge must report the same expiry: a dashboard or
// alert written for one reads the other's series alike.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { parse, stringify } from 'yaml';
import { startLab, type Lab } from '../../src/lab/lab.js';
import type { DnsRecord } from '../../src/model/facts.js';
import { queryDns } from '../../src/probes/dns.js';
import { LOOPBACK_EGRESS } from '../support/egress.js';
import { ROOT } from '../support/fedcheck.js';
import { freePort, makeWorkDir, removeWorkDir, requireBinary, startServer, withLog, type RunningServer } from '../support/interop.js';

const HEALTHY = 'healthy.test';
const FAILING = 'expired-cert.test';
/** Accepts connections and never speaks: only the scrape timeout ends its probe. */
const SILENT = 'silent-edge.test';
const VANTAGE = 'lab';
const ADDRESS = '127.0.0.1';
const BIN = path.join(ROOT, 'bin', 'fedcheck.js');
const EXAMPLE_CONFIG = path.join(ROOT, 'examples', 'prometheus', 'prometheus.yml');
const EXAMPLE_RULES = path.join(ROOT, 'examples', 'prometheus', 'fedcheck-alerts.yml');
/** Below 1.5 s, where the scrape margin of 0.5 s leaves less than a second for the probe. */
const SHORT_SCRAPE_TIMEOUT_S = 0.9;
const WAIT_MS = 30000;

const prometheus = requireBinary('prometheus', 'prometheus', 'prometheus-serve');
const blackbox = requireBinary('prometheus-blackbox-exporter', 'prometheus-blackbox-exporter', 'prometheus-serve');

interface Endpoint {
  host: string;
  address: string;
  port: number;
}

/** One certificate as the peer sent it. */
interface SentCertificate {
  subject: string;
  /** notAfter in Unix seconds, as both exporters write it. */
  notAfter: number;
  fingerprint256: string;
}

describe.skipIf(!prometheus && !blackbox)('fedcheck serve with Prometheus and blackbox_exporter', () => {
  let workDir: string | undefined;
  let lab: Lab | undefined;
  let serve: RunningServer | undefined;
  let serveAddress: string;
  let caFile: string;
  let sipEdge: Endpoint;
  let sipChain: SentCertificate[];
  let xmppChain: SentCertificate[];

  beforeAll(async () => {
    workDir = makeWorkDir('prometheus-serve');
    lab = await startLab();
    caFile = writeFile(workDir, 'lab-root.pem', lab.caPem);
    // What a partner would find and be sent, looked up and read here without fedcheck: the expected expiry.
    sipEdge = await srvEndpoint(lab, `_sipfederationtls._tcp.${HEALTHY}`);
    const xmppServer = await srvEndpoint(lab, `_xmpp-server._tcp.${HEALTHY}`);
    [sipChain, xmppChain] = await Promise.all([directTlsChain(sipEdge), xmppStarttlsChain(xmppServer, HEALTHY)]);

    const config = writeFile(
      workDir,
      'fedcheck.yaml',
      stringify({
        own: { sipDomains: [HEALTHY], xmppDomains: [HEALTHY] },
        check: { resolvers: [`${lab.resolver.address}:${lab.resolver.port}`], allowPrivate: lab.allowPrivate, caFiles: [caFile] },
        serve: {
          targets: ['*.test'],
          vantage: VANTAGE,
          // Prometheus is one client, and here it scrapes every 1 or 2 s: far above any real interval, so the
          // per-minute limits are lifted well clear of it (past them serve answers 429 and the scrape is up 0).
          limits: { probesPerMinute: 6000, probesPerMinutePerClient: 6000 },
        },
      }),
    );
    serve = await startServe(config);
    serveAddress = /listening on http:\/\/(\S+)/.exec(serve.log())?.[1] as string;
  }, 60000);

  afterAll(async () => {
    await serve?.stop();
    // SIGTERM is serve's documented way to stop: the probes in flight finish, then it exits 0.
    if (serve) expect(serve.child.exitCode, withLog(serve, 'fedcheck serve did not exit 0 on SIGTERM')).toBe(0);
    await lab?.close();
    removeWorkDir(workDir);
  });

  it('the Edge the lab serves healthy.test from sends a chain of its own, leaf first (what the expiry is compared to)', () => {
    // Two certificates that expire apart, so the earliest is a choice an exporter can get wrong; XMPP sends the same.
    expect(sipChain.map((c) => c.subject)).toEqual([expect.stringContaining('sip.healthy.test'), expect.stringContaining('Intermediate')]);
    expect(xmppChain.map((c) => c.fingerprint256)).toEqual(sipChain.map((c) => c.fingerprint256));
    expect(new Set(sipChain.map((c) => c.notAfter)).size, 'leaf and intermediate expire apart, so that the earliest is a choice').toBe(2);
  });

  describe.skipIf(!prometheus)('Prometheus scraping with examples/prometheus/prometheus.yml', () => {
    let server: RunningServer | undefined;
    let api: string;

    beforeAll(async () => {
      const dir = path.join(workDir as string, 'prometheus');
      fs.mkdirSync(dir);
      const port = await freePort(ADDRESS);
      api = `http://${ADDRESS}:${port}`;
      const config = writeFile(dir, 'prometheus.yml', prometheusConfig(serveAddress));
      server = await startServer({
        name: 'prometheus',
        command: prometheus as string,
        args: [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=${ADDRESS}:${port}`],
        cwd: dir,
        listeners: [{ address: ADDRESS, port }],
      });
      // Prometheus spreads its targets' first scrapes over the interval: wait until every target has been scraped.
      await waitFor('every target scraped', async () => {
        const targets = await prometheusApi<{ activeTargets: { labels: Record<string, string>; lastScrape: string }[] }>(api, '/api/v1/targets');
        const scraped = targets.activeTargets.filter((t) => !t.lastScrape.startsWith('0001-')).map((t) => t.labels.instance);
        return [HEALTHY, FAILING, SILENT, serveAddress].every((instance) => scraped.includes(instance));
      });
      await waitFor('probe_success of both domains', async () => (await query(api, 'probe_success{job="fedcheck"}')).length === 2);
    }, 60000);

    afterAll(async () => {
      await server?.stop();
      if (server) expect(server.child.exitCode, withLog(server, 'prometheus did not exit 0 on SIGTERM')).toBe(0);
    });

    const scraped = (what: string) => withLog(server, withLog(serve, what));

    it('the scrapes succeed: up is 1 for each domain of the probe jobs and for serve itself', async () => {
      const up = await query(api, 'up');
      expect(byInstance(up, 'job'), scraped(await targetErrors(api))).toEqual({
        [HEALTHY]: 'fedcheck',
        [FAILING]: 'fedcheck',
        [SILENT]: 'fedcheck_short_timeout',
        [serveAddress]: 'fedcheck_exporter',
      });
      expect(byInstance(up), scraped(await targetErrors(api))).toEqual({ [HEALTHY]: '1', [FAILING]: '1', [SILENT]: '1', [serveAddress]: '1' });
    });

    it('probe_success is 1 for healthy.test and 0 for expired-cert.test, under instance=<domain> with vantage="lab"', async () => {
      const success = await query(api, 'probe_success{job="fedcheck"}');
      expect(success.map((sample) => sample.metric).sort(byInstanceLabel), scraped('probe_success')).toEqual([
        { __name__: 'probe_success', instance: FAILING, job: 'fedcheck', vantage: VANTAGE },
        { __name__: 'probe_success', instance: HEALTHY, job: 'fedcheck', vantage: VANTAGE },
      ]);
      expect(byInstance(success)).toEqual({ [HEALTHY]: '1', [FAILING]: '0' });
    });

    it("probe_ssl_earliest_cert_expiry of healthy.test is the earliest notAfter of the chains its Edge sends", async () => {
      const expiry = await query(api, `probe_ssl_earliest_cert_expiry{instance="${HEALTHY}"}`);
      const earliest = Math.min(...sipChain.map((c) => c.notAfter), ...xmppChain.map((c) => c.notAfter));
      expect(expiry.map((sample) => [sample.metric.job, sample.metric.vantage, Number(sample.value[1])])).toEqual([['fedcheck', VANTAGE, earliest]]);
    });

    it('a silent Edge under a 0.9 s scrape timeout: an answer in time (up 1) saying the probe failed (probe_success 0)', async () => {
      // Not "context deadline exceeded": the probe is given less than the scrape timeout, not a floor past it.
      expect(byInstance(await query(api, `up{instance="${SILENT}"}`)), scraped(await targetErrors(api))).toEqual({ [SILENT]: '1' });
      const [duration] = await query(api, `scrape_duration_seconds{instance="${SILENT}"}`);
      expect(Number(duration?.value[1])).toBeLessThan(SHORT_SCRAPE_TIMEOUT_S);
      expect(byInstance(await query(api, `probe_success{instance="${SILENT}"}`))).toEqual({ [SILENT]: '0' });
      // serve counts the probe it cut short, on its own /metrics, as scraped by the example's exporter job.
      await waitFor('a deadline error counted', async () => (await query(api, 'fedcheck_serve_probe_errors_total{cause="deadline"} > 0')).length === 1);
    });

    it("the example's fedcheck_exporter job reads serve's own metrics, fedcheck_serve_probes_in_flight among them", async () => {
      const inFlight = await query(api, 'fedcheck_serve_probes_in_flight');
      expect(inFlight.map((sample) => sample.metric), scraped('fedcheck_serve_probes_in_flight')).toEqual([
        { __name__: 'fedcheck_serve_probes_in_flight', instance: serveAddress, job: 'fedcheck_exporter', vantage: VANTAGE },
      ]);
      expect(Number(inFlight[0]?.value[1])).toBeGreaterThanOrEqual(0);
    });

    it('the shipped alert rules load and see the series: FedcheckFederationDown pending for the failing domains only', async () => {
      const rules = await prometheusApi<{ groups: { file: string; rules: { name: string; health: string }[] }[] }>(api, '/api/v1/rules');
      expect(rules.groups.map((group) => group.file)).toEqual([EXAMPLE_RULES]);
      expect(rules.groups.flatMap((group) => group.rules.map((rule) => rule.health))).not.toContain('err');
      let down: string[] = [];
      await waitFor('FedcheckFederationDown pending', async () => {
        const { alerts } = await prometheusApi<{ alerts: { labels: Record<string, string> }[] }>(api, '/api/v1/alerts');
        down = alerts.filter((alert) => alert.labels.alertname === 'FedcheckFederationDown').map((alert) => `${alert.labels.instance} ${alert.labels.vantage}`);
        return down.length === 2;
      });
      expect(down.sort()).toEqual([`${FAILING} ${VANTAGE}`, `${SILENT} ${VANTAGE}`]);
    });
  });

  describe.skipIf(!blackbox)("blackbox_exporter's tls_connect beside serve's sip module, on healthy.test's Edge", () => {
    let server: RunningServer | undefined;
    let exporter: string;

    beforeAll(async () => {
      const dir = path.join(workDir as string, 'blackbox');
      fs.mkdirSync(dir);
      const port = await freePort(ADDRESS);
      exporter = `http://${ADDRESS}:${port}`;
      const config = writeFile(
        dir,
        'blackbox.yml',
        stringify({
          modules: {
            tls_connect: { prober: 'tcp', timeout: '10s', tcp: { tls: true, tls_config: { ca_file: caFile, server_name: sipEdge.host } } },
          },
        }),
      );
      server = await startServer({
        name: 'blackbox_exporter',
        command: blackbox as string,
        args: [`--config.file=${config}`, `--web.listen-address=${ADDRESS}:${port}`],
        cwd: dir,
        listeners: [{ address: ADDRESS, port }],
      });
    }, 30000);

    afterAll(async () => {
      await server?.stop();
      if (server) expect(server.child.signalCode ?? server.child.exitCode, withLog(server, 'blackbox_exporter did not exit')).not.toBeNull();
    });

    it('both succeed, and report the same probe_ssl_earliest_cert_expiry: the earliest notAfter the Edge sent', async () => {
      const target = `${sipEdge.address}:${sipEdge.port}`;
      const theirs = await fetchText(`${exporter}/probe?target=${encodeURIComponent(target)}&module=tls_connect`);
      const ours = await fetchText(`http://${serveAddress}/probe?target=${HEALTHY}&module=sip`);
      const seen = withLog(server, withLog(serve, `blackbox_exporter:\n${theirs}\nfedcheck serve:\n${ours}`));
      expect(samples(theirs, 'probe_success'), seen).toEqual([{ labels: '', value: 1 }]);
      expect(samples(ours, 'probe_success'), seen).toEqual([{ labels: `vantage="${VANTAGE}"`, value: 1 }]);
      const [theirExpiry] = samples(theirs, 'probe_ssl_earliest_cert_expiry');
      const [ourExpiry] = samples(ours, 'probe_ssl_earliest_cert_expiry');
      expect(ourExpiry?.value, seen).toBe(theirExpiry?.value);
      expect(theirExpiry?.value).toBe(Math.min(...sipChain.map((c) => c.notAfter)));
    });

    it('they name the same leaf: blackbox_exporter by its fingerprint, fedcheck by its certificate label', async () => {
      const theirs = await fetchText(`${exporter}/probe?target=${encodeURIComponent(`${sipEdge.address}:${sipEdge.port}`)}&module=tls_connect`);
      const ours = await fetchText(`http://${serveAddress}/probe?target=${HEALTHY}&module=sip`);
      const leaf = sipChain[0]?.fingerprint256.replaceAll(':', '').toLowerCase();
      expect(samples(theirs, 'probe_ssl_last_chain_info').map((s) => /fingerprint_sha256="([0-9a-f]+)"/.exec(s.labels)?.[1])).toEqual([leaf]);
      const ourChecks = samples(ours, 'fedcheck_check_status').filter((s) => s.labels.includes('check="tls.certificate-chain"'));
      expect(ourChecks.map((s) => /certificate="([0-9a-f]+)"/.exec(s.labels)?.[1])).toEqual([leaf]);
    });
  });
});

/**
 * The shipped scrape config made to run here: its fedcheck job, relabelling untouched, pointed at this serve with the
 * two lab domains, scraped every 2 s; a copy of that job for the silent Edge under a short timeout; its exporter job
 * at this serve; its alert rules by absolute path; no Alertmanager and no second vantage point.
 */
function prometheusConfig(serveAddress: string): string {
  const example = parse(fs.readFileSync(EXAMPLE_CONFIG, 'utf8')) as { scrape_configs: Record<string, unknown>[] };
  const job = (name: string) => {
    const found = example.scrape_configs.find((entry) => entry.job_name === name);
    if (!found) throw new Error(`${EXAMPLE_CONFIG} has no job ${name}`);
    return found;
  };
  const probes = job('fedcheck') as { relabel_configs: { target_label: string; replacement?: string }[] } & Record<string, unknown>;
  const toServe = probes.relabel_configs.filter((rule) => rule.target_label === '__address__');
  expect(toServe, 'the fedcheck job relabels __address__ to serve once').toHaveLength(1);
  (toServe[0] as { replacement: string }).replacement = serveAddress;
  const exporter = job('fedcheck_exporter');
  return stringify({
    global: { scrape_interval: '2s', evaluation_interval: '1s' },
    rule_files: [EXAMPLE_RULES],
    scrape_configs: [
      { ...probes, scrape_interval: '2s', scrape_timeout: '2s', static_configs: [{ targets: [HEALTHY, FAILING] }] },
      {
        ...probes,
        job_name: 'fedcheck_short_timeout',
        scrape_interval: '1s',
        scrape_timeout: `${SHORT_SCRAPE_TIMEOUT_S * 1000}ms`,
        static_configs: [{ targets: [SILENT] }],
      },
      { ...exporter, scrape_interval: '1s', scrape_timeout: '1s', static_configs: [{ targets: [serveAddress] }] },
    ],
  });
}

/** `fedcheck serve --listen 127.0.0.1:0`, once it has said where it listens. */
async function startServe(config: string): Promise<RunningServer> {
  const server = await startServer({ name: 'fedcheck serve', command: process.execPath, args: [BIN, 'serve', '--config', config, '--listen', `${ADDRESS}:0`], listeners: [] });
  const started = Date.now();
  while (!/listening on http:\/\/\S+ \(vantage /.test(server.log())) {
    if (server.child.exitCode !== null || Date.now() - started > WAIT_MS) {
      await server.stop();
      throw new Error(withLog(server, 'fedcheck serve did not say where it listens'));
    }
    await delay(50);
  }
  return server;
}

/** Where the SRV record sends a partner: the target's name, its address (A) and the port. */
async function srvEndpoint(lab: Lab, name: string): Promise<Endpoint> {
  const [srv] = await records(lab, name, 'SRV');
  if (srv?.type !== 'SRV') throw new Error(`no SRV record at ${name}`);
  const host = srv.target.replace(/\.$/, '');
  const [a] = await records(lab, host, 'A');
  if (a?.type !== 'A') throw new Error(`no A record at ${host}`);
  return { host, address: a.address, port: srv.port };
}

async function records(lab: Lab, name: string, type: 'SRV' | 'A'): Promise<DnsRecord[]> {
  const outcome = await queryDns({ name, type, recursive: true }, [lab.resolver], { signal: AbortSignal.timeout(6000), timeoutMs: 5000, egress: LOOPBACK_EGRESS });
  if (outcome.status !== 'ok') throw new Error(`${type} ${name}: ${JSON.stringify(outcome)}`);
  return outcome.facts.records;
}

/** The chain a direct-TLS listener (SIP on 5061) sends. */
function directTlsChain(endpoint: Endpoint): Promise<SentCertificate[]> {
  return sentChain(tls.connect({ host: endpoint.address, port: endpoint.port, servername: endpoint.host, rejectUnauthorized: false }));
}

/** The chain an XMPP server sends after STARTTLS on its s2s port, for a stream to `domain`. */
async function xmppStarttlsChain(endpoint: Endpoint, domain: string): Promise<SentCertificate[]> {
  const socket = net.connect({ host: endpoint.address, port: endpoint.port });
  socket.setTimeout(10000, () => socket.destroy(new Error(`no STARTTLS from ${endpoint.address}:${endpoint.port}`)));
  await new Promise<void>((resolve, reject) => {
    let text = '';
    let asked = false;
    socket.once('error', reject);
    socket.once('connect', () =>
      socket.write(`<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' to='${domain}' version='1.0'>`),
    );
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (/<proceed\b/.test(text)) {
        socket.off('data', onData);
        socket.off('error', reject);
        resolve();
      } else if (!asked && /<starttls\b/.test(text)) {
        asked = true;
        socket.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
      }
    };
    socket.on('data', onData);
  });
  socket.setTimeout(0);
  return sentChain(tls.connect({ socket, servername: domain, rejectUnauthorized: false }));
}

/**
 * Every certificate the peer sent, leaf first. No CA is given, so Node's chain holds only what was sent: the lab's
 * root is in no store Node reads, and cannot be added from one.
 */
function sentChain(socket: tls.TLSSocket): Promise<SentCertificate[]> {
  return new Promise((resolve, reject) => {
    socket.setTimeout(10000, () => socket.destroy(new Error('TLS handshake timed out')));
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const chain: SentCertificate[] = [];
      const seen = new Set<string>();
      for (let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true); cert?.raw && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
        seen.add(cert.fingerprint256);
        const notAfter = Date.parse(cert.valid_to);
        if (!Number.isFinite(notAfter)) throw new Error(`unreadable notAfter: ${cert.valid_to}`);
        chain.push({ subject: Object.entries(cert.subject).map(([key, value]) => `${key}=${String(value)}`).join(','), notAfter: Math.floor(notAfter / 1000), fingerprint256: cert.fingerprint256 });
      }
      socket.destroy();
      resolve(chain);
    });
  });
}

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(api: string, expression: string): Promise<PromSample[]> {
  return (await prometheusApi<{ result: PromSample[] }>(api, `/api/v1/query?query=${encodeURIComponent(expression)}`)).result;
}

async function prometheusApi<T>(api: string, pathAndQuery: string): Promise<T> {
  const body = JSON.parse(await fetchText(`${api}${pathAndQuery}`)) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${pathAndQuery}: ${body.error ?? body.status}`);
  return body.data;
}

/** Each target's health and last error, for a failure message. */
async function targetErrors(api: string): Promise<string> {
  const targets = await prometheusApi<{ activeTargets: { scrapeUrl: string; health: string; lastError: string; lastScrapeDuration: number }[] }>(api, '/api/v1/targets');
  return targets.activeTargets.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastScrapeDuration}s ${t.lastError}`).join('\n');
}

/** instance → the sample's value, or another of its labels. */
function byInstance(samples: PromSample[], label?: string): Record<string, string | undefined> {
  return Object.fromEntries(samples.map((sample) => [sample.metric.instance, label === undefined ? sample.value[1] : sample.metric[label]]));
}

function byInstanceLabel(a: Record<string, string>, b: Record<string, string>): number {
  return (a.instance ?? '').localeCompare(b.instance ?? '');
}

/** The samples of one metric in a Prometheus text answer: its labels as written, and its value. */
function samples(text: string, name: string): { labels: string; value: number }[] {
  return text
    .split('\n')
    .map((line) => /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match?.[1] === name)
    .map((match) => ({ labels: match[2] ?? '', value: Number(match[3]) }));
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${text}`);
  return text;
}

async function waitFor(what: string, condition: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > WAIT_MS) throw new Error(`waited ${WAIT_MS} ms for ${what}${last ? `: ${String(last)}` : ''}`);
    await delay(250);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}
