// `fedcheck init`, `policy lint` and `policy explain`, spawned as an admin runs them, against the lab.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import type { PolicyDecision } from '../../src/policy/decision.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { ROOT, fedcheck } from '../support/fedcheck.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const tempFolder = tempFolders();

let lab: SharedLab;
let dir: string;
let config: string;
beforeAll(async () => {
  lab = sharedLab();
  dir = tempFolder('policy');
  const caFile = join(dir, 'lab-root.pem');
  writeFileSync(caFile, lab.caPem);
  // 127.N.0.0/16 → "127.N", to write the lab's addresses wherever it runs.
  const block = lab.block.split('.').slice(0, 2).join('.');
  const text = readFileSync(join(ROOT, 'fixtures', 'configs', 'policy-lab.yaml'), 'utf8')
    .replaceAll('{{resolver}}', formatServer(lab.resolver))
    .replaceAll('{{caFile}}', caFile)
    .replaceAll('{{timeoutMs}}', String(lab.timeoutMs))
    .replaceAll('{{block}}', block);
  config = join(dir, 'fedcheck.yaml');
  writeFileSync(config, text);
});
afterAll(async () => {
});

const inLab = (address: string) => address.replace(/^127\.77\./, `${lab.block.split('.').slice(0, 2).join('.')}.`);
const findings = (report: Report, domain: string, checkId: string): Finding[] =>
  report.domains.find((d) => d.domain === domain)?.findings.filter((f) => f.checkId === checkId) ?? [];

describe('fedcheck init, then policy lint', () => {
  it('writes the starter, refuses to overwrite it without --force, and lints it', async () => {
    const path = join(dir, 'starter.yaml');
    const first = await fedcheck(['init', '--out', path]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`fedcheck policy lint --config ${path}`);
    expect(existsSync(path)).toBe(true);

    const again = await fedcheck(['init', '--out', path]);
    expect(again.code).toBe(3);
    expect(again.stderr).toBe(`fedcheck: ${path} already exists: pass --force to overwrite it, or --out to write another file\n`);
    expect((await fedcheck(['init', '--out', path, '--force'])).code).toBe(0);

    // The lab serves none of the starter's example domains, so only their hosting lookups cannot be answered.
    const lint = await fedcheck(['policy', 'lint', '--config', path, '--resolver', formatServer(lab.resolver), '--format', 'json']);
    expect(lint.stderr).toBe('');
    const report = JSON.parse(lint.stdout) as Report;
    const all = report.domains.flatMap((domain) => domain.findings);
    expect(all.length).toBeGreaterThan(5);
    expect(all.every((finding) => finding.area === 'policy')).toBe(true);
    const notPassing = all.filter((finding) => finding.status !== 'pass' && finding.status !== 'skip');
    expect(notPassing.map((f) => `${f.checkId} ${f.status} ${f.messageId} ${f.domain}`).sort()).toEqual([
      'policy.hosted-partner-without-provider error lookupFailed fabrikam.com',
    ]);
    expect(lint.code).toBe(2);
  });
});

describe('fedcheck policy lint against the lab', () => {
  it('reports the policy gaps, judges the Cisco routes and probes their next hops', async () => {
    const result = await fedcheck(['policy', 'lint', '--config', config, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as Report;

    const hosted = findings(report, 'm365.test', 'policy.hosted-partner-without-provider');
    expect(hosted.map((f) => [f.status, f.messageId])).toEqual([['fail', 'missing']]);
    expect(hosted[0]?.fix?.snippets[0]?.text).toBe('New-CsHostingProvider -Identity LyncOnline -ProxyFqdn sipfed.online.lync.com -Enabled $True');

    const nextHops = findings(report, 'healthy.test', 'policy.cisco-next-hop');
    const primary = nextHops.find((f) => f.subject === `next hop ${inLab('127.77.1.1')}:5061/TLS`);
    expect(primary).toMatchObject({ status: 'pass', messageId: 'sipAnswered' });
    expect(primary?.message).toContain('SIP/2.0');
    const backup = nextHops.find((f) => f.subject === `next hop ${inLab('127.77.8.1')}:5061/TLS`);
    expect(backup).toMatchObject({ status: 'fail', messageId: 'unreachable' });

    for (const checkId of ['policy.cisco-static-route-pattern', 'policy.cisco-route-port-protocol', 'policy.cisco-route-priority', 'policy.cisco-route-without-domain']) {
      expect(findings(report, 'healthy.test', checkId).map((f) => f.status), checkId).not.toContain('fail');
    }
    expect(findings(report, 'no-srv.test', 'policy.partner-allowed').map((f) => f.status)).toEqual(['pass']);
  });

  it("probes the next hops the admin's config names whatever --allow-private says: they are the admin's own", async () => {
    const result = await fedcheck(['policy', 'lint', '--config', config, '--allow-private', '::1/128', '--format', 'json']);
    const report = JSON.parse(result.stdout) as Report;
    const nextHops = findings(report, 'healthy.test', 'policy.cisco-next-hop');
    expect(nextHops.map((f) => `${f.subject} ${f.status} ${f.messageId}`).sort()).toEqual([
      `next hop ${inLab('127.77.1.1')}:5061/TLS pass sipAnswered`,
      `next hop ${inLab('127.77.8.1')}:5061/TLS fail unreachable`,
    ]);
  });

  it('prints findings with their fixes in the terminal format', async () => {
    const result = await fedcheck(['policy', 'lint', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('New-CsHostingProvider -Identity LyncOnline -ProxyFqdn sipfed.online.lync.com -Enabled $True');
    expect(result.stdout).toContain('policy');
  });
});

describe('fedcheck policy explain against the lab', () => {
  async function explain(partner: string): Promise<{ code: number | null; decision: PolicyDecision; report: Report }> {
    const result = await fedcheck(['policy', 'explain', partner, '--config', config, '--format', 'json']);
    expect(result.stderr).toBe('');
    const output = JSON.parse(result.stdout) as { decision: PolicyDecision; report: Report };
    return { code: result.code, ...output };
  }

  it('direct federation: no SRV record needed, the configured Edge is probed', async () => {
    const { code, decision, report } = await explain('no-srv.test');
    expect(decision.sip).toMatchObject({ allowed: true, rule: 'allowed-partner-server', type: 'allowed-partner-server', needs: { kind: 'configured-edge', fqdn: 'sip.healthy.test' } });
    const [domain] = report.domains;
    expect(domain?.services).toEqual(['sip']);
    // The SRV record is missing, and that is only a warning with a configured Edge.
    // A partner we reach at its configured Edge needs no SRV record of its own: information, not a warning.
    expect(findings(report, 'no-srv.test', 'dns.sip-federation-srv').map((f) => [f.status, f.messageId])).toEqual([['info', 'reachedAsConfigured']]);
    const sip = findings(report, 'no-srv.test', 'sip.options-response');
    expect(sip.length).toBeGreaterThan(0);
    expect(sip.every((f) => f.status === 'pass' && f.subject.includes(inLab('127.77.1.1')))).toBe(true);
    expect(findings(report, 'no-srv.test', 'policy.partner-allowed').map((f) => `${f.status} ${f.subject}`)).toEqual(['fail no-srv.test XMPP', 'pass no-srv.test SIP']);
    expect(code).toBe(2);
  });

  it('open federation and an XMPP partner: both services checked through their SRV records', async () => {
    const { code, decision, report } = await explain('healthy.test');
    expect([decision.sip.rule, decision.xmpp.rule]).toEqual(['open-federation', 'xmpp-partner']);
    expect(report.domains[0]?.services).toEqual(['sip', 'xmpp']);
    expect(findings(report, 'healthy.test', 'dns.sip-federation-srv').map((f) => f.status)).toEqual(['pass']);
    expect(report.summary.counts.fail).toBe(0);
    expect(code).toBeLessThan(2);
  });

  it('a Microsoft 365 partner without a hosting provider is denied, with the cmdlet that fixes it', async () => {
    const { code, decision, report } = await explain('m365.test');
    expect(decision.sip).toMatchObject({ allowed: false, rule: 'hosted-without-provider', type: 'hosting-provider', needs: { kind: 'provider', fqdn: 'sipfed.online.lync.com' } });
    const [denied] = findings(report, 'm365.test', 'policy.partner-allowed').filter((f) => f.subject === 'm365.test SIP');
    expect(denied?.status).toBe('fail');
    expect(denied?.fix?.snippets[0]?.text).toContain('New-CsHostingProvider -Identity LyncOnline -ProxyFqdn sipfed.online.lync.com -Enabled $True');
    expect(code).toBe(2);
  });

  it('a blocked partner, in the terminal format: the decision first, then the checks', async () => {
    const result = await fedcheck(['policy', 'explain', 'Outside-Domain.test', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^Policy for outside-domain\.test \(from .*fedcheck\.yaml\)\n {2}SIP {3}denied {3}by blocked-domain: outside-domain\.test is on the blocked domains list/);
    expect(result.stdout).toContain('Remove-CsBlockedDomain -Identity outside-domain.test');
  });
});

describe('bad input: one line, exit code 3', () => {
  it('a config with a mistake names the file, the line and the field', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'own:\n  sipDomains: [contoso.com]\n  federation:\n    mode: open\n');
    const result = await fedcheck(['policy', 'lint', '--config', bad]);
    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toBe(`fedcheck: ${bad}:4:5: own.federation.mode: expected allow-all-except-blocked, allow-listed-only or disabled, got "open"\n`);
  });

  it('no --config', async () => {
    const result = await fedcheck(['policy', 'explain', 'fabrikam.com']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("fedcheck: required option '--config <file>' not specified\n");
  });

  it('a partner that is not a domain', async () => {
    const result = await fedcheck(['policy', 'explain', 'not a domain', '--config', config]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^fedcheck: invalid partner domain "not a domain": expected a DNS name/);
  });

  it('a format the policy commands do not offer', async () => {
    const result = await fedcheck(['policy', 'lint', '--config', config, '--format', 'html']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('fedcheck: invalid --format "html": expected terminal or json\n');
  });
});
