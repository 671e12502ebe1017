// `fedcheck check --format prom` and `--format junit` over the whole embedded lab, its hostile domains included,
// read by the tools monitoring and CI run: promtool accepts the metrics with no lint problem, xmllint finds the
// JUnit XML valid against the JUnit schema, and the values are those a user would read off the lab itself.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DetailedPeerCertificate } from 'node:tls';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/lab/scenarios.js';
import { fedcheck } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { tempFolders } from '../support/temp-folders.js';
import { HAVE_PROMTOOL, HAVE_XMLLINT, promtool, xmllintJunit } from '../support/validators.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const tempFolder = tempFolders();
let lab: SharedLab;
let dir: string;
let prom: CliResult;
let junit: CliResult;
/** healthy.test alone: the whole lab at once, on a busy machine, may see one of its probes time out. */
let healthy: CliResult;

beforeAll(async () => {
  lab = sharedLab();
  dir = tempFolder('monitoring');
  const caFile = join(dir, 'lab-root.pem');
  writeFileSync(caFile, lab.caPem);
  const facts = join(dir, 'facts.json');
  prom = await fedcheck(['check', ...SCENARIOS.map((s) => s.domain), ...labArgs(lab, [caFile]), '--format', 'prom', '--save-facts', facts]);
  // The same run's facts, judged again: the JUnit file of that very run, without probing the lab twice.
  junit = await fedcheck(['check', '--replay', facts, '--format', 'junit', '--out', join(dir, 'junit.xml')]);
  healthy = await fedcheck(['check', 'healthy.test', 'no-srv.test', ...labArgs(lab, [caFile]), '--format', 'prom']);
});
afterAll(async () => {
});

/** The value of the one sample of `name` with exactly these labels. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  expect(line, `${name}{${labels}}`).toBeDefined();
  return Number(line?.slice(line.lastIndexOf(' ') + 1));
}

/** The earliest notAfter of the chain a lab listener sends, read over TLS as any client would, in Unix seconds. */
function earliestNotAfter(host: string, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port, servername: host, rejectUnauthorized: false }, () => {
      let certificate: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      let earliest = Infinity;
      while (certificate !== undefined && !seen.has(certificate.fingerprint256)) {
        seen.add(certificate.fingerprint256);
        earliest = Math.min(earliest, Date.parse(certificate.valid_to) / 1000);
        certificate = certificate.issuerCertificate;
      }
      socket.destroy();
      resolve(earliest);
    });
    socket.once('error', reject);
  });
}

describe('fedcheck check --format prom on the lab', () => {
  it.skipIf(!HAVE_PROMTOOL)('passes promtool check metrics: exit 0, no lint problem', () => {
    expect(prom.code).toBe(2);
    expect(promtool(prom.stdout)).toEqual({ status: 0, output: '' });
    expect(promtool(healthy.stdout)).toEqual({ status: 0, output: '' });
  });

  it('says healthy.test succeeds and no-srv.test does not, as a whole and per service', () => {
    expect(sample(healthy.stdout, 'probe_success', 'domain="healthy.test"')).toBe(1);
    expect(sample(healthy.stdout, 'probe_success', 'domain="healthy.test",service="sip"')).toBe(1);
    expect(sample(healthy.stdout, 'probe_success', 'domain="no-srv.test"')).toBe(0);
    expect(sample(healthy.stdout, 'probe_success', 'domain="no-srv.test",service="xmpp"')).toBe(0);
  });

  it("gives healthy.test's earliest certificate expiry as the notAfter its Edge sends, in Unix seconds", async () => {
    const prefix = 'probe_ssl_earliest_cert_expiry{domain="healthy.test",service="sip",endpoint="';
    const line = healthy.stdout.split('\n').find((l) => l.startsWith(prefix)) ?? '';
    const [, host = '', address = '', port = '', value = ''] = /^[^"]+"[^"]+",service="sip",endpoint="(\S+) (\S+):(\d+)"\} (\d+)$/.exec(line) ?? [];
    expect(host, line).toBe('sip.healthy.test');
    expect(Number(value)).toBe(await earliestNotAfter(host, address, Number(port)));
  });
});

describe('fedcheck check --format junit on the lab', () => {
  it.skipIf(!HAVE_XMLLINT)('validates against the JUnit schema', () => {
    expect(xmllintJunit(readFileSync(join(dir, 'junit.xml'), 'utf8'))).toEqual({ status: 0, output: '- validates\n' });
  });

  it('has one test suite per lab domain', () => {
    expect(junit.code).toBe(2);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml.match(/<testsuite /g)).toHaveLength(SCENARIOS.length);
    expect(xml).toContain('<testsuite name="healthy.test" tests="');
  });
});
