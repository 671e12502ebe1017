import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { domainReport, summarize } from '../../src/model/report.js';
import type { Report } from '../../src/model/report.js';
import type { Target } from '../../src/model/target.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { TerminalOptions } from '../../src/report/terminal.js';
import { sampleReport } from '../support/sample-report.js';

const ANSI = /\u001b\[/;
const render = (report: Report, options: Partial<TerminalOptions> = {}) => renderTerminal(report, { color: false, ...options });
const plain = render(sampleReport);
const lines = plain.split('\n');
const indexOf = (text: string, within = lines) => within.findIndex((line) => line.includes(text));

const contoso = sampleReport.domains.find((d) => d.domain === 'contoso.com')!;
const [missingSrv, closedPort, xmppSrv] = ['fail', 'warn', 'pass'].map((status) => contoso.findings.find((f) => f.status === status)!) as [
  Finding,
  Finding,
  Finding,
];
const LONG_URL = `https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/edge-server-deployments/${'deep-path-'.repeat(8)}end`;
const wordy: Finding = {
  ...missingSrv,
  message: `${'the federation route of this domain cannot be discovered by any partner '.repeat(3)}see ${LONG_URL} for the record`,
  evidence: [`${'127.0.0.53:53 answered NXDOMAIN for the SRV name, and so did the second resolver '.repeat(2)}(${LONG_URL})`],
  fix: { ...missingSrv.fix!, summary: `${'Publish the SIP federation SRV record and wait for the negative TTL '.repeat(2)}`, steps: [`Read ${LONG_URL}`] },
};
const internalListeners: Finding = {
  ...xmppSrv,
  checkId: 'net.internal-listeners',
  area: 'net',
  status: 'skip',
  skipReason: 'vantage',
  subject: 'contoso.com',
  messageId: 'externalVantage',
  message: 'internal listeners (5061 SIP from the Front End pool) are only probed with --vantage internal; never from outside',
  evidence: [],
};

/** A report of `count` domains, the first `failing` of them with the sample's failure and warning. */
function manyDomains(count: number, failing: number): Report {
  const domains = Array.from({ length: count }, (_, i) => {
    const domain = `domain-${String(i + 1).padStart(2, '0')}.example`;
    const target: Target = { domain, input: domain, services: ['sip'] };
    const own = (finding: Finding): Finding => ({ ...finding, domain, location: { ...finding.location, domain } });
    const findings = i < failing ? [missingSrv, closedPort, xmppSrv, internalListeners] : [xmppSrv, internalListeners];
    return domainReport(target, findings.map(own));
  });
  return { ...sampleReport, domains, summary: summarize(domains, false) };
}

function reportOf(findings: Finding[]): Report {
  const domains = [domainReport({ domain: 'contoso.com', input: 'contoso.com', services: ['sip'] }, findings)];
  return { ...sampleReport, domains, summary: summarize(domains, false) };
}

/** Lines passing the width, except one holding a single word that cannot break (a URL) or a snippet pasted as is. */
function tooWide(text: string, width: number, snippets: readonly string[] = []): string[] {
  return text.split('\n').filter((line) => [...line].length > width && !/^\s*\S+$/.test(line) && !snippets.some((s) => line.trim() === s));
}

describe('terminal report', () => {
  it('has no colour codes when colour is off, and colours the status tags when it is on', () => {
    expect(plain).not.toMatch(ANSI);
    const coloured = renderTerminal(sampleReport, { color: true });
    expect(coloured).toContain('\u001b[31mFAIL \u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('starts with the version, when, the resolvers and the vantage', () => {
    const header = lines.slice(0, 2).join('\n');
    expect(header).toContain('fedcheck 0.1.0');
    expect(header).toContain('replay of run.json');
    expect(header).toContain('2025-06-01 08:30:00 UTC');
    expect(header).toContain('resolvers 127.0.0.53:53');
    expect(header).toContain('vantage external');
  });

  it('puts the worst domain first, with its status, its services and its counts', () => {
    expect(indexOf('contoso.com  (sip, xmpp)')).toBeLessThan(indexOf('fabrikam.com  (sip)'));
    expect(lines[indexOf('contoso.com  (sip, xmpp)')]).toBe('FAIL  contoso.com  (sip, xmpp)  1 fail, 1 warn, 1 pass');
  });

  it('lists only the problems, worst first, each with its check id, subject, message, evidence and fix', () => {
    const fail = indexOf('FAIL  dns.sip-federation-srv · _sipfederationtls._tcp.contoso.com');
    const warn = indexOf('WARN  net.federation-port · [2001:db8::5]:5269');
    expect(fail).toBeGreaterThan(0);
    expect(warn).toBeGreaterThan(fail);
    expect(plain).not.toMatch(/^\s*PASS/m);
    expect(plain).not.toContain('published: xmpp.contoso.com port 5269');
    expect(plain).not.toContain('not connected to without --allow-private');

    const wide = render(sampleReport, { width: 120 }).split('\n');
    const block = wide.slice(indexOf('FAIL  dns.sip-federation-srv', wide), indexOf('WARN  net.federation-port', wide)).join('\n');
    expect(block).toContain('        no SRV record is published, so partners cannot discover the Access Edge of contoso.com');
    expect(block).toContain('        Evidence: 127.0.0.53:53 answered NXDOMAIN');
    expect(block).toContain('        Fix: Publish the SIP federation SRV record');
    expect(block).toContain('          1. Add the record below to the contoso.com zone');
    expect(block).toContain('          2. Wait for the TTL');
    expect(block).toContain('          zone:\n            _sipfederationtls._tcp.contoso.com. 3600 IN SRV 0 0 5061 sip.contoso.com.');
  });

  it('with verbose, lists the passes and skips too, one line each, and the checks not judgeable here as n/a', () => {
    const verbose = render(reportOf([missingSrv, xmppSrv, internalListeners]), { verbose: true }).split('\n');
    expect(verbose).toContain('  PASS  dns.xmpp-server-srv  published: xmpp.contoso.com port 5269');
    expect(verbose[indexOf('net.internal-listeners', verbose)]).toMatch(/^ {2}n\/a {3}net\.internal-listeners · contoso\.com: internal listeners/);
    expect(render(sampleReport, { verbose: true })).toContain('  SKIP  net.federation-port · 10.0.0.5:5061: 10.0.0.5 is a private address');
    // Over many domains, each finding takes one line there too.
    expect(render(manyDomains(6, 0), { verbose: true })).toMatch(/^ {2}n\/a {3}net\.internal-listeners {2}internal listeners/m);
  });

  it('gives a domain whose judged results all pass a PASS headline, the check not judgeable from here counted as n/a', () => {
    const text = render(reportOf([xmppSrv, internalListeners])).split('\n');
    expect(text[indexOf('contoso.com', text.slice(2)) + 2]).toBe('PASS  contoso.com  (sip)  1 pass, 1 n/a here');
    expect(text.join('\n')).not.toMatch(/SKIP/);
    expect(text.join('\n')).not.toContain('internal listeners');
  });

  it('over many domains: one line per problem, the healthy named together, the hint to see one in full', () => {
    const text = render(manyDomains(12, 9), { oneDomainCommand: 'fedcheck demo --domain <domain>' });
    const many = text.split('\n');
    expect(many).toContain('Not healthy: 9 of 12 domains, worst first, with their problems:');
    expect(many).toContain('FAIL  domain-01.example  (sip)  1 fail, 1 warn');
    const first = indexOf('FAIL  domain-01.example', many);
    expect(many[first + 1]).toBe('  FAIL  dns.sip-federation-srv  no SRV record is published, so partners cannot…');
    expect(many[first + 2]).toBe('  WARN  net.federation-port  the connection was refused');
    expect(many[first + 3]).toBe('FAIL  domain-02.example  (sip)  1 fail, 1 warn');
    expect(text).not.toContain('Evidence:');
    expect(text).not.toMatch(/^\s*PASS/m);
    expect(text).toMatch(/^Healthy \(3\): domain-10\.example, domain-11\.example, domain-12\.example$/m);
    expect(text.replace(/\s+/g, ' ')).toContain('Evidence and fix of one domain: fedcheck demo --domain domain-01.example; of every domain: --details.');
    // Three lines per domain that is not healthy (its headline, its two problems), and the frame around them.
    expect(many.length).toBeLessThanOrEqual(9 * 3 + 14);

    const detailed = render(manyDomains(12, 9), { details: true });
    expect(detailed.match(/Evidence: /g)).toHaveLength(18);
    expect(detailed).not.toContain('of every domain: --details');
  });

  it('groups the findings of one check and status in a domain into one line, with how many', () => {
    const second = { ...closedPort, subject: '192.0.2.5:5269', location: { ...closedPort.location, address: '192.0.2.5' } };
    const domains = manyDomains(6, 0).domains.slice(1).concat(reportOf([closedPort, second]).domains);
    const text = render({ ...sampleReport, domains, summary: summarize(domains, false) });
    expect(text).toContain('  WARN  net.federation-port ×2  the connection was refused');
  });

  it('ends with the table of the domains that are not healthy and their worst problem, the counts and the exit code', () => {
    const table = indexOf('Not healthy: 1 of 2 domains, each with its worst problem');
    expect(table).toBeGreaterThan(indexOf('WARN  net.federation-port'));
    expect(lines[table + 1]).toBe('  FAIL  contoso.com  dns.sip-federation-srv  no SRV record is published, so…');
    expect(lines).toContain('Summary: 2 domains, 1 not healthy · 1 fail, 1 warn, 1 pass, 1 skip');
    expect(lines).toContain('Result: worst FAIL · exit code 2');
    expect(plain.replace(/\s+/g, ' ')).toContain('The passes, information and checks not run: -v.');
  });

  it('says when the run deadline cut probes short', () => {
    const report: Report = { ...sampleReport, summary: { ...sampleReport.summary, deadlineReached: true } };
    expect(render(report)).toContain('The run deadline was reached');
  });

  it.each([80, 120])('fits in %i columns, a URL longer than that kept whole on a line of its own', (width) => {
    const report = reportOf([wordy, closedPort]);
    for (const options of [{}, { verbose: true }]) {
      const text = render(report, { width, ...options });
      expect(tooWide(text, width, missingSrv.fix!.snippets.map((s) => s.text))).toEqual([]);
      expect(text.split('\n').map((line) => line.trim())).toContain(LONG_URL);
      expect(text.split('\n').map((line) => line.trim())).toContain(`(${LONG_URL})`);
      // Every word of the message is there, in order: wrapping breaks lines at spaces only.
      const message = text.slice(text.indexOf('the federation route')).split('Evidence:')[0]!.split(/\s+/).filter(Boolean).join(' ');
      expect(message).toBe(wordy.message);
    }
    const many = render(manyDomains(30, 25), { width });
    expect(tooWide(many, width)).toEqual([]);
  });

  it('cuts a one-line problem at a word, never inside one', () => {
    const domains = manyDomains(6, 0).domains.slice(1).concat(reportOf([wordy]).domains);
    const line = render({ ...sampleReport, domains, summary: summarize(domains, false) }).split('\n').find((l) => l.includes('FAIL  dns.sip'))!;
    expect([...line].length).toBeLessThanOrEqual(80);
    expect(line).toMatch(/ \S+…$/);
    const shown = line.replace(/^ {2}FAIL {2}dns\.sip-federation-srv {2}/, '').replace('…', '');
    expect(wordy.message.startsWith(shown)).toBe(true);
    expect(wordy.message[shown.length]).toBe(' ');
  });
});
