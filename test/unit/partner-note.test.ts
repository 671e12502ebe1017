// A partner's `note:` from the config is shown beside its results in every format a person reads, each escaped as its
// format needs; Prometheus alone leaves it out (free text is no label value, nor a number).

import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { renderReport } from '../../src/report/index.js';
import { sampleReport } from '../support/sample-report.js';

const NOTE = 'Call the Contoso NOC, +1 555 0100 | ticket <INC-42> & *escalate*';

const noted: Report = {
  ...sampleReport,
  domains: sampleReport.domains.map((domain) => (domain.domain === 'contoso.com' ? { ...domain, role: 'partner' as const, note: NOTE } : domain)),
};

describe("a partner's note", () => {
  it('terminal: under the domain headline', () => {
    const lines = renderReport('terminal', noted, { color: false }).split('\n');
    const headline = lines.findIndex((line) => /^FAIL\s+contoso\.com/.test(line));
    expect(lines[headline + 1]).toBe(`  Note: ${NOTE}`);
    expect(lines.filter((line) => line.includes('Note:'))).toHaveLength(1);
  });

  it('json: the domain\'s note field', () => {
    const report = JSON.parse(renderReport('json', noted)) as Report;
    expect(report.domains.find((d) => d.domain === 'contoso.com')?.note).toBe(NOTE);
    expect(report.domains.find((d) => d.domain === 'fabrikam.com')?.note).toBeUndefined();
  });

  it('md: a line under the domain heading, no markup of its own', () => {
    const markdown = renderReport('md', noted);
    expect(markdown).toContain('Note: Call the Contoso NOC, +1 555 0100 \\| ticket &lt;INC-42&gt; &amp; \\*escalate\\*');
  });

  it('html: a paragraph in the domain section, escaped', () => {
    const html = renderReport('html', noted);
    expect(html).toContain('<p class="note"><strong>Note:</strong> Call the Contoso NOC, +1 555 0100 | ticket &lt;INC-42&gt; &amp; *escalate*</p>');
    expect(html).not.toContain('<INC-42>');
  });

  it('junit: a property of the domain\'s testsuite', () => {
    const properties: Record<string, Record<string, string>> = {};
    let suite = '';
    const parser = new SaxesParser();
    parser.on('opentag', (tag) => {
      const attributes = tag.attributes as Record<string, string>;
      if (tag.name === 'testsuite') suite = attributes.name ?? '';
      if (tag.name === 'property') properties[suite] = { ...properties[suite], [attributes.name ?? '']: attributes.value ?? '' };
    });
    parser.write(renderReport('junit', noted)).close();
    expect(properties['contoso.com']?.note).toBe(NOTE);
    expect(properties['fabrikam.com']?.note).toBeUndefined();
  });

  it('nagios: long text after the status line, without the pipe that would start perfdata', () => {
    const [status, ...longText] = renderReport('nagios', noted, { warnDays: 30, critDays: 7 }).trimEnd().split('\n');
    expect(status).toMatch(/^FEDCHECK CRITICAL: /);
    expect(longText).toHaveLength(1);
    expect(longText[0]).toMatch(/^contoso\.com: FAIL .+ \(note: Call the Contoso NOC, \+1 555 0100 \/ ticket <INC-42> & \*escalate\*\)$/);
  });

  it('nagios: only for a domain with a problem, so an OK check stays one line', () => {
    const healthyNoted: Report = { ...noted, domains: noted.domains.filter((d) => d.domain === 'fabrikam.com').map((d) => ({ ...d, note: NOTE })) };
    expect(renderReport('nagios', healthyNoted, { warnDays: 30, critDays: 7 }).trimEnd().split('\n')).toHaveLength(1);
  });

  it('prom: not exported', () => {
    expect(renderReport('prom', noted)).not.toContain('NOC');
  });
});
