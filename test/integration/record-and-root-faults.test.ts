// `fedcheck check` against the lab scenarios of a zone written wrong (missing final dot, an address as the SRV
// target), a stale higher-priority SRV target, and a chain sent up to a private root: the verdict and fix an admin reads.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { fedcheck } from '../support/fedcheck.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const tempFolder = tempFolders();

let lab: SharedLab;
let caDir: string;
let report: Report;

beforeAll(async () => {
  lab = sharedLab();
  caDir = tempFolder('faults');
  writeFileSync(join(caDir, 'lab-root.pem'), lab.caPem);
  writeFileSync(join(caDir, 'private-root.pem'), lab.privateCaPem);
  report = await check(['missing-dot.test', 'ip-target.test', 'stale-priority.test', 'private-root.test', 'missing-intermediate.test']);
});
afterAll(async () => {
});

async function check(domains: string[], caFiles = ['lab-root.pem']): Promise<Report> {
  const result = await fedcheck([
    'check',
    ...domains,
    '--resolver',
    formatServer(lab.resolver),
    '--timeout',
    '5000',
    `--allow-private=${lab.allowPrivate.join(',')}`,
    ...caFiles.flatMap((file) => ['--ca-file', join(caDir, file)]),
    '--format',
    'json',
  ]);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

const findingsOf = (from: Report, domain: string, checkId: string): Finding[] =>
  from.domains.find((d) => d.domain === domain)?.findings.filter((f) => f.checkId === checkId) ?? [];
const fixText = (finding: Finding | undefined) =>
  finding?.fix ? [finding.fix.summary, ...finding.fix.steps, ...finding.fix.snippets.map((s) => s.text)].join('\n') : '';
/** The lab's addresses are written for 127.77.x.y; a busy block moves them. */
const inLab = (address: string) => address.replace(/^127\.77\./, `${lab.block.split('.').slice(0, 2).join('.')}.`);

describe('SRV targets written wrong in the zone file', () => {
  it('names the missing final dot of missing-dot.test and gives the corrected SRV line', () => {
    const findings = findingsOf(report, 'missing-dot.test', 'dns.srv-target-address');
    expect(findings.map((f) => `${f.status} ${f.subject}`).sort()).toEqual([
      'fail xmpp.missing-dot.test.missing-dot.test',
      'pass sip.missing-dot.test',
    ]);
    const doubled = findings.find((f) => f.status === 'fail');
    expect(doubled?.message).toContain('the SRV target was written without its final dot');
    expect(doubled?.message).toContain('the host meant is xmpp.missing-dot.test');
    expect(doubled?.service).toBe('xmpp');
    expect(doubled?.fix?.summary).toBe(
      'End the SRV target with a dot: xmpp.missing-dot.test. (a name without the final dot is relative to the zone origin missing-dot.test)',
    );
    expect(doubled?.fix?.snippets).toContainEqual({ lang: 'zone', text: '_xmpp-server._tcp.missing-dot.test. 3600 IN SRV 10 1 5269 xmpp.missing-dot.test.' });
  });

  it('fails the address targets of ip-target.test with RFC 2782\'s reason and the A record plus SRV line to write', () => {
    const findings = findingsOf(report, 'ip-target.test', 'dns.srv-target-address');
    expect(findings.map((f) => `${f.status} ${f.messageId} ${f.subject}`).sort()).toEqual([
      'fail addressTarget 127.77.70.5',
      'fail addressTarget 192.0.2.10',
    ]);
    const sip = findings.find((f) => f.subject === '127.77.70.5');
    expect(sip?.message).toContain('an SRV target must be a host name with A or AAAA records (RFC 2782)');
    expect(sip?.fix?.snippets).toContainEqual({
      lang: 'zone',
      text: 'sip.ip-target.test. 3600 IN A 127.77.70.5\n_sipfederationtls._tcp.ip-target.test. 3600 IN SRV 10 1 5061 sip.ip-target.test.',
    });
    // An address is in no domain: the 1009 advice to move the target inside the domain would mislead.
    expect(findingsOf(report, 'ip-target.test', 'dns.srv-target-domain').map((f) => `${f.status} ${f.messageId}`)).toEqual(['skip addressTarget']);
    // Nor is the resolver's REFUSED for an address-shaped name a measurement to report as an error.
    expect(findingsOf(report, 'ip-target.test', 'dns.srv-target-cname').map((f) => `${f.status} ${f.messageId}`)).toEqual([
      'skip addressTarget',
      'skip addressTarget',
    ]);
    // Nothing is connected to: the address was never resolved, as a partner never resolves it.
    expect(findingsOf(report, 'ip-target.test', 'net.federation-port').every((f) => f.status === 'skip')).toBe(true);
  });
});

describe('a stale SRV target with the higher priority', () => {
  it('asks to remove or repair the stale record, with the line to delete, not to open a firewall', () => {
    const findings = findingsOf(report, 'stale-priority.test', 'net.federation-port');
    expect(findings.map((f) => `${f.status} ${f.messageId} ${f.subject}`).sort()).toEqual(
      [
        `fail staleTarget ${inLab('127.77.71.1')}:5061`,
        `fail staleTarget ${inLab('127.77.71.1')}:5269`,
        `pass open ${inLab('127.77.71.2')}:5061`,
        `pass open ${inLab('127.77.71.2')}:5269`,
      ].sort(),
    );
    const sip = findings.find((f) => f.subject === `${inLab('127.77.71.1')}:5061`);
    expect(sip?.message).toContain('connection refused on 5061, yet its SRV record has priority 10, ahead of sip.stale-priority.test (priority 20)');
    expect(sip?.fix?.summary).toBe(
      'Remove or repair the stale SRV record for edge-old.stale-priority.test (priority 10): partners try it before sip.stale-priority.test, which works',
    );
    expect(sip?.fix?.snippets).toContainEqual({
      lang: 'zone',
      text: '; delete this record:\n; _sipfederationtls._tcp.stale-priority.test. 3600 IN SRV 10 1 5061 edge-old.stale-priority.test.',
    });
    expect(fixText(sip)).not.toContain('New-NetFirewallRule');
  });
});

describe('a chain sent up to a root no trust store holds', () => {
  it('is issued by a private or unknown root, not missing an intermediate, and names --ca-file for a trusted CA', () => {
    const findings = findingsOf(report, 'private-root.test', 'tls.certificate-chain');
    expect(findings.map((f) => `${f.status} ${f.messageId}`)).toEqual(['fail untrustedRoot', 'fail untrustedRoot']);
    expect(findings[0]?.message).toContain('issued by a private or unknown root, CN=fedcheck private Root CA,O=fedcheck private');
    expect(findings[0]?.message).toContain('which is not in the trust store');
    expect(findings[0]?.fix?.summary).toContain('Use a certificate from a public CA on sip.private-root.test');
    expect(findings[0]?.fix?.summary).toContain('--ca-file <root.pem> (check.caFiles in a config file)');
    expect(fixText(findings[0])).not.toMatch(/intermediate certificate/i);
    // The contrast: an Edge that does not send its intermediate is told exactly that.
    expect(findingsOf(report, 'missing-intermediate.test', 'tls.certificate-chain').map((f) => f.messageId)).toEqual([
      'missingIntermediate',
      'missingIntermediate',
    ]);
  });

  it('is trusted once its root is given as --ca-file, as the fix says', async () => {
    const trusting = await check(['private-root.test'], ['lab-root.pem', 'private-root.pem']);
    const findings = findingsOf(trusting, 'private-root.test', 'tls.certificate-chain');
    expect(findings.map((f) => `${f.status} ${f.messageId}`)).toEqual(['pass trusted', 'pass trusted']);
    expect(findings[0]?.message).toContain('complete up to CN=fedcheck private Root CA,O=fedcheck private and trusted');
  });
});
