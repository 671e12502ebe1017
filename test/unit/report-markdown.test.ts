import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/history/diff.js';
import { summarize } from '../../src/model/report.js';
import { MARKDOWN_MAX_BYTES, renderDiffMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { rankDomains } from '../../src/report/rank.js';
import { manyDomainReport } from '../support/many-domain-report.js';
import { finding, hostileRun, labRun, reportOf } from '../support/report-runs.js';

const lab = labRun();
const md = renderMarkdown(lab.report);
const lines = md.split('\n');

/** The lab's report cut to its first domains, as a ticket about a few domains is: small enough to show in full. */
function fewDomains(count: number) {
  const { report } = labRun();
  const domains = rankDomains(report.domains).slice(0, count);
  return { ...report, domains, summary: summarize(domains, false) };
}

describe('Markdown report', () => {
  it('opens with the count of domains with problems and names only those, worst first', () => {
    const { domains } = lab.report;
    const problems = rankDomains(domains).filter((d) => d.worst === 'fail' || d.worst === 'error' || d.worst === 'warn');
    expect(lines[0]).toBe(`# fedcheck: ${problems.length} of ${domains.length} domains with problems`);
    expect(md).toContain(`${domains.length - problems.length} domains are healthy and not listed here.`);
    const headings = lines.filter((line) => line.startsWith('## '));
    expect(headings[0]).toBe('## expired-cert.test: FAIL (SIP FAIL, XMPP FAIL)');
    // Worst first, as rankDomains orders them, and never a healthy one.
    expect(headings.map((line) => line.slice(3).split(/[: ]/)[0])).toEqual(problems.slice(0, headings.length).map((d) => d.domain));
    expect(md).not.toContain('healthy.test');
    expect(md).not.toMatch(/^- \*\*(PASS|SKIP|INFO)\*\*/m);
  });

  it('a report too long in full: each problem one line with its fix, and how many domains more', () => {
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    const section = md.slice(md.indexOf('## wrong-port.test'));
    expect(section).toMatch(/^## wrong-port\.test: FAIL \(SIP FAIL, XMPP FAIL\)\n\n- \*\*FAIL\*\* `net\.federation-port` `127\.77\.5\.1:5062`: .+\n {2}\*\*Fix:\*\* Make SIP federation listen on TCP 5062/);
    const shown = lines.filter((line) => line.startsWith('## ')).length;
    const problems = lab.report.domains.filter((d) => ['fail', 'error', 'warn'].includes(d.worst)).length;
    expect(shown).toBeLessThan(problems);
    expect(md).toContain(`The ${shown} worst of them, each with its first problems and their fixes:`);
    expect(md).toMatch(new RegExp(`\\*\\*… and ${problems - shown} more domains with problems\\*\\* \\(\\d+ .*\\): see report\\.html`));
  });

  it('a ticket about one domain: a table of it, and every problem with its evidence, fix steps and references', () => {
    const report = fewDomains(1);
    const text = renderMarkdown(report);
    expect(text).toContain('| Domain | Services | Worst | Fail | Error | Warn |\n|---|---|---|--:|--:|--:|\n| expired-cert.test | SIP FAIL, XMPP FAIL | **FAIL** | 4 | 0 | 0 |');
    const problems = report.domains.flatMap((d) => d.findings).filter((f) => ['fail', 'error', 'warn'].includes(f.status));
    expect(text.split('\n').filter((line) => /^### (FAIL|ERROR|WARN) /.test(line))).toHaveLength(problems.length);
    const section = text.slice(text.indexOf('### FAIL `tls.certificate-expiry` `sip.expired-cert.test 127.77.21.1:5061`'));
    const block = section.slice(0, section.indexOf('\n### ', 5));
    expect(block).toContain('Evidence:\n\n```text\n');
    expect(block).toContain('**Fix:** ');
    expect(block).toMatch(/\n1\. /);
    expect(block).toContain('References: [');
    expect(text).not.toContain('Passed (');
  });

  it('stays under 20 KB for a thousand domains, most of them failing, the worst first', () => {
    const report = manyDomainReport(1000);
    const text = renderMarkdown(report);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    const problems = report.domains.filter((d) => ['fail', 'error', 'warn'].includes(d.worst)).length;
    expect(problems).toBeGreaterThan(800);
    expect(text.startsWith(`# fedcheck: ${problems} of 1000 domains with problems\n`)).toBe(true);
    const shown = text.split('\n').filter((line) => line.startsWith('## ')).length;
    expect(shown).toBeGreaterThan(10);
    expect(text).toContain(`**… and ${problems - shown} more domains with problems**`);
    expect(text).toContain('## expired-cert-000.test: FAIL');
  });

  it('escapes markup from the network, and fences code that holds backticks', async () => {
    const hostile = await hostileRun();
    const tricky = finding('sip.options-response', 'x', 'fail', {
      message: 'a | pipe, *stars*, [link](javascript:alert(1)) and <b>bold</b>',
      evidence: ['```', 'Server: ``` breakout'],
    });
    const text = renderMarkdown(reportOf([...hostile.report.domains[0]!.findings, tricky]));
    // Code spans and fenced blocks show markup as text; everywhere else it must arrive escaped.
    const prose = text.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    expect(prose).not.toMatch(/<script|<img|<b>/i);
    expect(text).toContain('&lt;script&gt;');
    expect(text).toContain('a \\| pipe, \\*stars\\*, \\[link\\](javascript:alert(1)) and &lt;b&gt;bold&lt;/b&gt;');
    expect(text).toContain('````text\n```\nServer: ``` breakout\n````');
  });

  it('rendered as GitHub renders it, links only to the references: no tag, image or autolink from the network', async () => {
    const hostile = await hostileRun();
    const bait = finding('tls.certificate-chain', 'www.evil.example', 'fail', {
      message: 'issuer at http://169.254.169.254/latest/ and https://evil.example/x, ask admin@evil.example or xmpp:a@evil.example, see www.evil.example',
      fix: { summary: 'go to www.evil.example', steps: ['mail root@evil.example'], snippets: [] },
    });
    const report = reportOf([...hostile.report.domains[0]!.findings, bait]);
    const html = micromark(renderMarkdown(report), { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    const references = new Set(report.domains.flatMap((d) => d.findings).flatMap((f) => f.references.map((r) => r.url)));
    const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((match) => match[1]?.replace(/&amp;/g, '&'));
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((url) => !references.has(url ?? ''))).toEqual([]);
    expect(html).not.toMatch(/<(img|script|iframe|b)\b/i);
    expect(html).toContain('http://169.254.169.254/latest/');
  });

  it('adds what changed when given a diff', () => {
    const before = reportOf([finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'fail')]);
    const after = reportOf([finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'pass')], '2026-03-02T02:00:00.000Z');
    const text = renderMarkdown(after, { diff: diffReports({ report: before }, { report: after }) });
    expect(text).toContain('## What changed since 2026-03-01 02:00 UTC');
    expect(text).toContain('### Fixed (1)\n\n- **FAIL → PASS** `example.com` `dns.sip-federation-srv` `_sipfederationtls._tcp.example.com`');
  });

  it('a night that broke a thousand domains: the new problems cut short, and still under 20 KB with the domains', () => {
    const after = manyDomainReport(1000);
    const domains = after.domains.map((d) => ({ ...d, findings: d.findings.map((f) => ({ ...f, status: 'pass' as const })) }));
    const before = { ...after, startedAt: '2026-03-01T02:00:00.000Z', domains, summary: summarize(domains, false) };
    const diff = diffReports({ report: before }, { report: after });
    expect(diff.newFailures.length).toBeGreaterThan(1000);
    const text = renderMarkdown(after, { diff });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    const listed = text.split('\n').filter((line) => line.startsWith('- **PASS → ')).length;
    expect(listed).toBeGreaterThan(5);
    expect(text).toContain(`### New problems (${diff.newFailures.length})`);
    expect(text).toContain(`- … and ${diff.newFailures.length - listed} more: see report.html.`);
    // The domains still have their part of the page.
    expect(text.split('\n').filter((line) => line.startsWith('## expired-cert-')).length).toBeGreaterThan(5);
  });

  it('fedcheck diff --format md lists every change: it has no budget', () => {
    const before = reportOf([finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'fail')]);
    const after = reportOf([finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'fail')], '2026-03-02T02:00:00.000Z');
    const diff = diffReports({ report: before }, { report: after });
    expect(renderDiffMarkdown(diff)).toContain('### Still failing (1)\n\n- **FAIL → FAIL** `example.com`');
    expect(renderMarkdown(after, { diff })).toContain('Still failing: 1 problem of the last run.');
  });
});
