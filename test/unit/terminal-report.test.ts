import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { domainReport, summarize } from '../../src/model/report.js';
import type { Report } from '../../src/model/report.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { sampleReport } from '../support/sample-report.js';

const ANSI = /\u001b\[/;
const plain = renderTerminal(sampleReport, { color: false });
const lines = plain.split('\n');
const indexOf = (text: string) => lines.findIndex((line) => line.includes(text));

describe('terminal report', () => {
  it('has no colour codes when colour is off, and colours the status tags when it is on', () => {
    expect(plain).not.toMatch(ANSI);
    const coloured = renderTerminal(sampleReport, { color: true });
    expect(coloured).toContain('\u001b[31mFAIL\u001b[39m');
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

  it('puts the worst domain first, with its worst status and counts', () => {
    expect(indexOf('contoso.com  (sip, xmpp)')).toBeLessThan(indexOf('fabrikam.com  (sip)'));
    expect(lines[indexOf('contoso.com  (sip, xmpp)')]).toBe('FAIL  contoso.com  (sip, xmpp)  1 fail, 1 warn, 1 pass');
  });

  it('groups findings by area, worst area and worst finding first', () => {
    const dns = lines.indexOf('  dns');
    expect(dns).toBeGreaterThan(0);
    expect(dns).toBeLessThan(lines.indexOf('  net'));
    expect(indexOf('FAIL  _sipfederationtls')).toBeLessThan(indexOf('PASS  _xmpp-server'));

    const passingDns = { ...sampleReport.domains[1]!.findings.find((f) => f.status === 'pass')! };
    const failingNet: Finding = { ...sampleReport.domains[1]!.findings.find((f) => f.area === 'net')!, status: 'fail' };
    const text = renderTerminal(reportOf([passingDns, failingNet]), { color: false }).split('\n');
    expect(text.indexOf('  net')).toBeLessThan(text.indexOf('  dns'));
  });

  it('shows a passing finding as one line', () => {
    const pass = indexOf('PASS  _xmpp-server._tcp.contoso.com');
    expect(lines[pass]).toBe('    PASS  _xmpp-server._tcp.contoso.com — published: xmpp.contoso.com port 5269');
    expect(lines[pass + 1]).toBe('  net');

    const wordy: Finding = { ...sampleReport.domains[1]!.findings.find((f) => f.status === 'pass')!, message: 'word '.repeat(40) };
    const text = renderTerminal(reportOf([wordy]), { color: false }).split('\n');
    const line = text.find((l) => l.startsWith('    PASS'))!;
    expect(line.length).toBe(100);
    expect(line.endsWith('…')).toBe(true);
    expect(text[text.indexOf(line) + 1]).toBe('');
  });

  it('shows the evidence, the fix, numbered steps and labelled snippets under a failure', () => {
    const fail = indexOf('FAIL  _sipfederationtls._tcp.contoso.com');
    const block = lines.slice(fail, indexOf('PASS  _xmpp-server')).join('\n');
    expect(block).toContain('          Evidence: 127.0.0.53:53 answered NXDOMAIN');
    expect(block).toContain('          Fix: Publish the SIP federation SRV record');
    expect(block).toContain('            1. Add the record below to the contoso.com zone');
    expect(block).toContain('            2. Wait for the TTL');
    expect(block).toContain(
      '            zone:\n              _sipfederationtls._tcp.contoso.com. 3600 IN SRV 0 0 5061 sip.contoso.com.',
    );
    expect(block).toContain('fedcheck explain dns.sip-federation-srv');
  });

  it('ends with a summary: counts, worst status and exit code', () => {
    expect(lines.at(-2)).toBe('Summary: 2 domains · 1 fail, 1 warn, 1 pass, 1 skip · worst FAIL · exit code 2');
  });

  it('says when the run deadline cut probes short', () => {
    const report: Report = { ...sampleReport, summary: { ...sampleReport.summary, deadlineReached: true } };
    expect(renderTerminal(report, { color: false })).toContain('The run deadline was reached');
  });

  it('fits in 100 columns', () => {
    const long = 'a very long message '.repeat(20);
    const finding: Finding = { ...sampleReport.domains[1]!.findings[0]!, message: long, evidence: [long] };
    const text = renderTerminal(reportOf([finding]), { color: false });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

function reportOf(findings: Finding[]): Report {
  const domains = [domainReport({ domain: 'contoso.com', input: 'contoso.com', services: ['sip'] }, findings)];
  return { ...sampleReport, domains, summary: summarize(domains, false) };
}
