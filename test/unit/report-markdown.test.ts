import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/history/diff.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { finding, hostileRun, labRun, reportOf } from '../support/report-runs.js';

const lab = labRun();
const md = renderMarkdown(lab.report);
const lines = md.split('\n');

describe('Markdown report', () => {
  it('opens with a summary table, one row per domain, worst first', () => {
    const { domains } = labRun().report;
    const problems = domains.filter((d) => d.worst === 'fail' || d.worst === 'error' || d.worst === 'warn').length;
    expect(lines[0]).toBe(`# fedcheck: ${problems} of ${domains.length} domains with problems`);
    const header = lines.indexOf('| Domain | Services | Worst | Fail | Error | Warn | Skip | Pass |');
    expect(header).toBeGreaterThan(0);
    const rows = lines.slice(header + 2, header + 2 + domains.length);
    expect(rows.find((row) => row.startsWith('| sip-only.test'))).toContain('| SIP PASS, XMPP not published | **PASS** |');
    expect(rows.every((row) => row.startsWith('| ') && row.split(' | ').length === 8)).toBe(true);
    expect(rows[0]).toMatch(/^\| expired-cert\.test \| SIP FAIL, XMPP FAIL \| \*\*FAIL\*\* \| 4 \| 0 \| 0 \| \d+ \| \d+ \|$/);
    // Healthy domains last, and a healthy domain's headline is PASS, never SKIP.
    expect(rows.at(-1)).toMatch(/\*\*PASS\*\*/);
  });

  it('gives every problem a heading with its evidence and fix, and lists passes compactly', () => {
    const problems = lab.report.domains.flatMap((d) => d.findings).filter((f) => ['fail', 'error', 'warn'].includes(f.status));
    expect(lines.filter((line) => /^### (FAIL|ERROR|WARN) /.test(line))).toHaveLength(problems.length);
    const section = md.slice(md.indexOf('### FAIL `tls.certificate-expiry` `sip.expired-cert.test 127.77.21.1:5061`'));
    const next = section.indexOf('\n### ', 5);
    const block = section.slice(0, next);
    expect(block).toContain('Evidence:\n\n```text\n');
    expect(block).toContain('**Fix:** ');
    expect(block).toMatch(/\n1\. /);
    expect(md).toContain('Passed (32):\n\n- `dns.');
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
});
