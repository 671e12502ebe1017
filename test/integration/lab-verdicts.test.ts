// Every lab scenario's verdict, as `fedcheck check` gives it: each fault found by the check named, each service named,
// and nothing else wrong. A healthy scenario has no fail, error or warning at all, whichever services it runs.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { SCENARIOS } from '../../src/lab/scenarios.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { fedcheck } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

/** `<check id> <status> <service>` for every warning, failure and error the scenario must show; nothing more. */
const VERDICTS: Record<string, string[]> = {
  'healthy.test': [],
  'm365.test': [],
  'sip-only.test': [],
  'xmpp-only.test': [],
  'shared-edge-a.test': [],
  // Its Access Edge FQDN is on the shared certificate, after the first domain's: named, but not as the subject.
  'shared-edge-b.test': ['tls.sip-certificate-names warn sip'],
  'not-offered.test': [],
  'revoked-cert.test': [],
  'no-srv.test': ['dns.jabber-legacy-srv warn xmpp', 'dns.xmpp-server-srv fail xmpp'],
  'cname-target.test': ['dns.srv-target-cname fail none'],
  'wrong-port.test': [
    'dns.sip-federation-srv warn sip',
    'dns.xmpp-server-srv warn xmpp',
    'dns.xmpps-server-srv warn xmpp',
    'net.federation-port fail sip',
    'net.federation-port fail xmpp',
  ],
  'multi-edge.test': ['dns.edge-dns-load-balancing warn sip', 'dns.sip-federation-srv warn sip'],
  'outside-domain.test': ['dns.srv-target-domain fail sip'],
  'closed-port.test': ['net.federation-port fail sip', 'net.federation-port fail xmpp'],
  'dual-stack.test': ['net.federation-port fail sip'],
  'private-edge.test': ['net.address-scope warn sip'],
  'ns-disagree.test': ['dns.authoritative-consistency warn sip'],
  'dns-broken.test': [
    'dns.authoritative-consistency warn sip',
    'dns.authoritative-consistency warn xmpp',
    'dns.sip-federation-srv error sip',
    'dns.srv-target-domain error sip',
    'dns.xmpp-server-srv error xmpp',
  ],
  'client-mismatch.test': ['dns.client-records warn sip'],
  'expired-cert.test': ['tls.certificate-chain fail sip', 'tls.certificate-chain fail xmpp', 'tls.certificate-expiry fail sip', 'tls.certificate-expiry fail xmpp'],
  'future-cert.test': ['tls.certificate-chain fail sip', 'tls.certificate-chain fail xmpp', 'tls.certificate-expiry fail sip', 'tls.certificate-expiry fail xmpp'],
  'expiring-soon.test': ['tls.certificate-expiry warn sip', 'tls.certificate-expiry warn xmpp'],
  'wrong-name.test': ['tls.sip-certificate-names fail sip', 'tls.xmpp-certificate-names fail xmpp'],
  'cn-only.test': ['tls.sip-certificate-names warn sip', 'tls.xmpp-certificate-names warn xmpp'],
  'wildcard-cert.test': ['tls.sip-certificate-names fail sip', 'tls.sip-certificate-names warn sip'],
  'no-clientauth.test': ['tls.certificate-key-usage warn sip', 'tls.certificate-key-usage warn xmpp'],
  'self-signed.test': ['tls.certificate-chain fail sip', 'tls.certificate-chain fail xmpp'],
  'missing-intermediate.test': ['tls.certificate-chain fail sip', 'tls.certificate-chain fail xmpp'],
  'sha1-cert.test': ['tls.certificate-key-strength fail sip', 'tls.certificate-key-strength fail xmpp'],
  'weak-key.test': ['tls.certificate-key-strength fail sip', 'tls.certificate-key-strength fail xmpp'],
  'pss-cert.test': ['tls.certificate-key-strength warn sip'],
  'no-crl.test': ['tls.certificate-key-strength warn sip'],
  'tls10-only.test': ['tls.handshake fail sip', 'tls.handshake fail xmpp', 'tls.protocol-versions fail sip', 'tls.protocol-versions fail xmpp'],
  'no-starttls.test': ['xmpp.starttls fail xmpp'],
  'host-unknown.test': ['xmpp.stream-negotiation fail xmpp'],
  'sip-forbidden.test': ['sip.ms-diagnostics warn sip'],
  'sip-timeout.test': ['sip.ms-diagnostics warn sip', 'sip.options-response warn sip'],
  'silent-edge.test': ['tls.handshake error sip', 'xmpp.stream-negotiation error xmpp'],
  'hostile-edge.test': ['sip.options-response error sip', 'xmpp.stream-negotiation error xmpp'],
  'sip-403-plain.test': ['sip.options-response warn sip'],
  'xmpp-fallback.test': ['dns.xmpp-server-srv warn xmpp'],
  'jabber-contradiction.test': ['dns.xmpp-server-srv fail xmpp'],
  'no-dialback.test': ['xmpp.authentication-methods fail xmpp'],
  'missing-dot.test': ['dns.srv-target-address fail xmpp'],
  'ip-target.test': ['dns.srv-target-address fail sip', 'dns.srv-target-address fail xmpp'],
  'stale-priority.test': ['net.federation-port fail sip', 'net.federation-port fail xmpp'],
  'private-root.test': ['tls.certificate-chain fail sip', 'tls.certificate-chain fail xmpp'],
  'plain-sip.test': ['tls.handshake fail sip'],
  'http-on-5061.test': ['tls.handshake fail sip'],
  'silent-dns.test': [
    'dns.authoritative-consistency error none',
    'dns.jabber-legacy-srv error xmpp',
    'dns.sip-federation-srv error sip',
    'dns.srv-target-domain error sip',
    'dns.xmpp-server-srv error xmpp',
    'dns.xmpps-server-srv error xmpp',
  ],
  'hostile-dns.test': [
    'dns.authoritative-consistency warn sip',
    'dns.authoritative-consistency warn xmpp',
    'dns.sip-federation-srv error sip',
    'dns.srv-target-domain error sip',
    'dns.xmpp-server-srv error xmpp',
  ],
  'deep-xml.test': ['xmpp.stream-negotiation error xmpp'],
  'egress-mapped.test': ['dns.edge-dns-load-balancing warn sip', 'net.address-scope warn sip', 'net.address-scope warn xmpp'],
  'egress-aia.test': ['tls.certificate-chain fail sip'],
};

/** What each scenario's headline says per service, for the shapes real domains have. */
const HEADLINES: Record<string, Record<string, string>> = {
  'healthy.test': { sip: 'pass', xmpp: 'pass' },
  'sip-only.test': { sip: 'pass', xmpp: 'info' },
  'xmpp-only.test': { sip: 'info', xmpp: 'pass' },
  'm365.test': { sip: 'pass', xmpp: 'info' },
  'not-offered.test': { sip: 'pass', xmpp: 'info' },
  'xmpp-fallback.test': { sip: 'info', xmpp: 'warn' },
};

let lab: SharedLab;
let dir: string;
let caFile: string;
let report: Report;
let exitCode: number | null;

const labCheck = () => labArgs(lab, [caFile]);

beforeAll(async () => {
  lab = sharedLab();
  dir = mkdtempSync(join(tmpdir(), 'fedcheck-verdicts-'));
  caFile = join(dir, 'lab-root.pem');
  writeFileSync(caFile, lab.caPem);
  const result = await fedcheck(['check', ...SCENARIOS.map((s) => s.domain), ...labCheck(), '--format', 'json']);
  expect(result.stderr).toBe('');
  exitCode = result.code;
  report = JSON.parse(result.stdout) as Report;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

const problemsOf = (r: Report, domain: string): string[] => {
  const found = r.domains.find((d) => d.domain === domain);
  const problems = (found?.findings ?? []).filter((f) => f.status === 'fail' || f.status === 'error' || f.status === 'warn');
  return [...new Set(problems.map((f) => `${f.checkId} ${f.status} ${f.service}`))].sort();
};

describe('the verdict of every lab scenario', () => {
  it('has an expected verdict for every scenario the lab defines', () => {
    expect(Object.keys(VERDICTS).sort()).toEqual(SCENARIOS.map((s) => s.domain).sort());
  });

  for (const [domain, expected] of Object.entries(VERDICTS)) {
    it(`${domain}: ${expected.length === 0 ? 'healthy, nothing to fix' : expected.join('; ')}`, () => {
      expect(problemsOf(report, domain)).toEqual([...expected].sort());
    });
  }

  it('gives the healthy single-service, Microsoft 365 and dual-service domains a PASS headline per service they run', () => {
    for (const [domain, services] of Object.entries(HEADLINES)) {
      const found = report.domains.find((d) => d.domain === domain);
      const headline = Object.fromEntries((found?.serviceSummaries ?? []).map((s) => [s.service, s.worst]));
      expect(headline, domain).toEqual(services);
    }
    expect(exitCode).toBe(2);
  });
});

describe('services a domain must offer', () => {
  it('a SIP-only domain fails when XMPP is required, with the record to publish', async () => {
    const { code, stdout } = await fedcheck(['check', 'sip-only.test', '--expect', 'xmpp', ...labCheck(), '--format', 'json']);
    const expected = JSON.parse(stdout) as Report;
    const srv = expected.domains[0]?.findings.find((f) => f.checkId === 'dns.xmpp-server-srv');
    expect(srv).toMatchObject({ status: 'fail', service: 'xmpp', messageId: 'missing' });
    expect(srv?.fix?.snippets[0]?.text).toContain('_xmpp-server._tcp.sip-only.test. 3600 IN SRV 10 0 5269');
    expect(code).toBe(2);
  });

  it('an XMPP-only domain checked with --sip fails the SIP record; without it, exit 0', async () => {
    const sip = await fedcheck(['check', 'xmpp-only.test', '--sip', ...labCheck(), '--format', 'json']);
    expect(problemsOf(JSON.parse(sip.stdout) as Report, 'xmpp-only.test')).toEqual(['dns.sip-federation-srv fail sip']);
    expect(sip.code).toBe(2);
    const plain = await fedcheck(['check', 'xmpp-only.test', 'sip-only.test', 'm365.test', ...labCheck()]);
    expect(plain.stdout).toMatch(/^PASS {2}xmpp-only\.test {2}SIP not published · XMPP PASS/m);
    expect(plain.stdout).toMatch(/^PASS {2}sip-only\.test {2}SIP PASS · XMPP not published/m);
    expect(plain.code).toBe(0);
  });

  it('the nightly run of bare partners is green for healthy SIP-only, XMPP-only and Microsoft 365 partners', async () => {
    const config = join(dir, 'fedcheck.yaml');
    writeFileSync(
      config,
      [
        'own:',
        '  sipDomains: [healthy.test]',
        '  xmppDomains: [healthy.test]',
        // Our policy as set up for these partners: Microsoft 365 through the LyncOnline hosting provider, the XMPP
        // partner on the XMPP gateway's list. Nothing is said of XMPP for the partners that publish none.
        '  federation:',
        '    hostingProviders:',
        '      - { name: LyncOnline, proxyFqdn: sipfed.online.lync.com }',
        '    xmppPartners: [xmpp-only.test]',
        'partners: [sip-only.test, xmpp-only.test, m365.test, not-offered.test]',
        'check:',
        `  resolvers: ['${formatServer(lab.resolver)}']`,
        `  allowPrivate: [${lab.allowPrivate.map((cidr) => `'${cidr}'`).join(', ')}]`,
        `  timeoutMs: ${lab.timeoutMs}`,
        '  caFiles: [lab-root.pem]',
        'outputs:',
        `  dir: out`,
        '',
      ].join('\n'),
    );
    const { code, stderr } = await fedcheck(['run', '--config', config]);
    expect(stderr).toBe('');
    const nightly = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
    for (const domain of ['healthy.test', 'sip-only.test', 'xmpp-only.test', 'm365.test', 'not-offered.test']) {
      expect(problemsOf(nightly, domain), domain).toEqual([]);
    }
    expect(code).toBe(0);
  });
});
