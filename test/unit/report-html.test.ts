import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/history/diff.js';
import { createHash } from 'node:crypto';
import { summarize } from '../../src/model/report.js';
import { HTML_MAX_BYTES, renderHtml } from '../../src/report/html.js';
import { mostUrgentFix } from '../../src/report/rank.js';
import { manyDomainReport } from '../support/many-domain-report.js';
import { HOSTILE_CN, HOSTILE_HOST, finding, hostileRun, labRun, reportOf } from '../support/report-runs.js';

const lab = labRun();
const html = renderHtml(lab.report);

/** The text a browser shows for an element's content: tags dropped, entities decoded. */
function visibleText(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function sectionOf(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</section>', start));
}

describe('HTML report', () => {
  it('is one self-contained page: nothing fetched, one inline script that the page policy allows by its hash alone', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<[a-z][^>]*\ssrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    expect(html.match(/<script\b/gi)).toHaveLength(1);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`script-src 'sha256-${createHash('sha256').update(scripts[0] ?? '').digest('base64')}'`);
    expect(html).not.toMatch(/@import|url\(/i);
    // Only reference links for a person to follow point outside the page.
    const hrefs = [...html.matchAll(/<(\w+)[^>]*\shref="([^"]*)"/g)];
    for (const [, tag, href] of hrefs) {
      if (href?.startsWith('#')) continue;
      expect(tag, href).toBe('a');
      expect(href).toMatch(/^https:\/\//);
    }
  });

  it('puts a summary on top: counts by status and every domain, worst first', () => {
    const summary = sectionOf(html, 'summary');
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="certificates"'));
    const { counts } = lab.report.summary;
    const domains = lab.report.domains.length;
    expect(visibleText(summary)).toContain(
      `${counts.fail} fail ${counts.error} error ${counts.warn} warn ${counts.pass} pass ${counts.info} info ${counts.skip} skip ${domains} domains`,
    );
    const order = [...summary.matchAll(/<a href="#domain-\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(order).toHaveLength(domains);
    expect(order.indexOf('expired-cert.test')).toBeLessThan(order.indexOf('expiring-soon.test'));
    expect(order.indexOf('expiring-soon.test')).toBeLessThan(order.indexOf('healthy.test'));
  });

  it('lists own domains first, then the partners, each worst first, with the fix to make first', () => {
    const roles = new Map([['healthy.test', 'own'], ['expiring-soon.test', 'own']] as const);
    const domains = lab.report.domains.map((d) => ({ ...d, role: roles.get(d.domain as 'healthy.test') ?? ('partner' as const) }));
    const page = renderHtml({ ...lab.report, domains });
    const order = [...sectionOf(page, 'summary').matchAll(/<a href="#domain-\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(order.slice(0, 3)).toEqual(['expiring-soon.test', 'healthy.test', 'expired-cert.test']);
    const row = /<tr[^>]*><td class="name"><a href="#domain-\d+">expired-cert\.test<\/a>[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
    const fix = mostUrgentFix(domains.find((d) => d.domain === 'expired-cert.test')!);
    expect(fix).toBeDefined();
    expect(visibleText(/<td class="fix-first">([\s\S]*?)<\/td>/.exec(row)?.[1] ?? '').trim()).toBe(visibleText(fix ?? '').trim());
    expect(row).toContain('data-status="fail" data-sip="fail" data-xmpp="fail"');
  });

  it('stays under 2 MB for a thousand domains: the first in full, the others with their problems and fixes', () => {
    const report = manyDomainReport(1000);
    const page = renderHtml(report);
    expect(Buffer.byteLength(page)).toBeLessThanOrEqual(HTML_MAX_BYTES);
    // Every domain has its row and its section; the first ones their path picture.
    expect(page.match(/<tr data-status=/g)).toHaveLength(1000);
    expect(page.match(/<section class="card domain /g)).toHaveLength(1000);
    expect(page.match(/<svg[^>]*class="path"/g)?.length).toBeGreaterThan(0);
    const last = report.domains.filter((d) => d.worst === 'fail').at(-1);
    const short = sectionOf(page, `domain-${report.domains.indexOf(last!)}`);
    expect(short).not.toContain('<svg');
    expect(visibleText(short)).toContain(`Fix: ${visibleText(mostUrgentFix(last!) ?? '')}`);
    expect(visibleText(short)).toMatch(/\d+ more findings.* in report\.json/);
  });

  it('cuts a list of changes at 100: the night everything broke still opens', () => {
    const after = manyDomainReport(300);
    const domains = after.domains.map((d) => ({ ...d, findings: d.findings.map((f) => ({ ...f, status: 'pass' as const })) }));
    const before = { ...after, startedAt: '2026-03-01T02:00:00.000Z', domains, summary: summarize(domains, false) };
    const diff = diffReports({ report: before }, { report: after });
    const changes = sectionOf(renderHtml(after, { diff }), 'changes');
    expect(changes).toContain(`New problems (${diff.newFailures.length})`);
    expect(changes.match(/<li><span class="badge/g)).toHaveLength(100);
    expect(visibleText(changes)).toContain(`… and ${diff.newFailures.length - 100} more: report.json and fedcheck diff list them all.`);
  });

  it('has a section with a path picture for every domain', () => {
    for (const { domain } of lab.report.domains) {
      expect(html, domain).toMatch(new RegExp(`<title id="domain-\\d+-path-title">Federation path of ${domain.replace(/\./g, '\\.')}</title>`));
    }
    expect(html.match(/<svg[^>]*class="path"[^>]*role="img"/g)).toHaveLength(lab.report.domains.length);
  });

  it('colours each path node by the findings about it', () => {
    const expired = lab.report.domains.findIndex((d) => d.domain === 'expired-cert.test');
    const section = sectionOf(html, `domain-${expired}`);
    const svg = section.slice(section.indexOf('<svg'), section.indexOf('</svg>'));
    // The certificate boxes fail, the port boxes before them pass: the picture says where it breaks.
    expect(svg).toMatch(/<title>Certificate: sip\.expired-cert\.test[^<]*status: fail/);
    expect(svg).toMatch(/<title>Port: 127\.77\.21\.1:5061[^<]*status: pass/);
    expect(visibleText(svg)).toContain('expired 11 days ago');
    expect(visibleText(svg)).toContain('FAIL · 5 findings');
  });

  it('draws the expiry timeline with the expired certificate first and the warning threshold', () => {
    const timeline = sectionOf(html, 'certificates');
    expect(timeline).toContain('<svg');
    const labels = [...timeline.matchAll(/class="label">([^<]+)</g)].map((m) => m[1]);
    expect(labels[0]).toBe('expired-cert.test · sip.expired-cert.test');
    expect(visibleText(timeline)).toContain('warning: under 30 days');
    expect(visibleText(timeline)).toContain('expired 11 d ago');
  });

  it('shows every problem with its evidence and fix, and passes folded away', () => {
    const expired = lab.report.domains.find((d) => d.domain === 'expired-cert.test');
    const problem = expired?.findings.find((f) => f.status === 'fail' && f.fix !== undefined);
    expect(problem).toBeDefined();
    if (problem?.fix === undefined) return;
    const text = visibleText(html);
    expect(text).toContain(visibleText(problem.message));
    expect(text).toContain(visibleText(problem.fix.summary));
    expect(html).toMatch(/<details class="quiet"><summary>\d+ passed/);
    expect(html).toContain('<h3>TLS and certificates</h3>');
  });

  it('escapes every string a partner controls', async () => {
    const hostile = await hostileRun();
    const page = renderHtml(hostile.report);
    // Only the filters' own script: none from a name or a certificate.
    expect(page.match(/<script\b/gi)).toHaveLength(1);
    expect(page).not.toMatch(/<img\b/i);
    expect(page).not.toMatch(/<iframe\b/i);
    expect(page).not.toMatch(/<[a-z][^>]*\ssrc\s*=/i);
    // Shown as text, in the picture and the findings alike.
    expect(page).toContain('&lt;script&gt;alert(&quot;srv&quot;)&lt;/script&gt;');
    expect(visibleText(page)).toContain(HOSTILE_HOST);
    expect(visibleText(page)).toContain(`subject: CN=${HOSTILE_CN}`);
    expect(page).toContain('&lt;script&gt;alert(&quot;cn&quot;)&lt;/script&gt;');
  });

  it('shows what changed since the last run when given a diff', () => {
    const before = reportOf([finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'pass')]);
    const after = reportOf([finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'fail')], '2026-03-02T02:00:00.000Z');
    const page = renderHtml(after, { diff: diffReports({ report: before }, { report: after }) });
    const changes = visibleText(sectionOf(page, 'changes'));
    expect(changes).toContain('New problems (1)');
    expect(changes).toContain('_sipfederationtls._tcp.example.com');
    expect(changes).toContain('was pass');
    expect(html).not.toContain('id="changes"');
  });
});
