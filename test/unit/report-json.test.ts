// report.json stores each check's references once: what a script reads of it, and what fedcheck reads back.

import { describe, expect, it } from 'vitest';
import { reportFromJson, reportToJson } from '../../src/model/report-json.js';
import type { ReportJson } from '../../src/model/report-json.js';
import { renderJson } from '../../src/report/json.js';
import { labRun } from '../support/report-runs.js';

const { report } = labRun();
const text = renderJson(report);
const json = JSON.parse(text) as ReportJson;

describe('report.json', () => {
  it('holds each reference of each check once, in the checks table', () => {
    const cited = report.domains.flatMap((domain) => domain.findings.map((finding) => finding.checkId));
    expect(Object.keys(json.checks ?? {}).sort()).toEqual([...new Set(cited)].sort());
    for (const finding of json.domains.flatMap((domain) => domain.findings)) expect(finding.references).toBeUndefined();
    const urls = report.domains.flatMap((domain) => domain.findings.flatMap((finding) => finding.references.map((reference) => reference.url)));
    const tables = Object.values(json.checks ?? {});
    for (const url of new Set(urls)) {
      const occurrences = text.split(`"${url}"`).length - 1;
      expect(occurrences, url).toBe(tables.filter((entry) => entry.references.some((reference) => reference.url === url)).length);
    }
  });

  it('keeps the references of a finding that cites others than its check', () => {
    const [domain] = report.domains;
    if (domain === undefined || domain.findings.length < 2) throw new Error('the lab report has no findings');
    const [first, second, ...rest] = domain.findings;
    if (first === undefined || second === undefined) throw new Error('unreachable');
    const own = { ...second, checkId: first.checkId, references: [{ title: 'Another document', url: 'https://example.com/other' }] };
    const changed = { ...report, domains: [{ ...domain, findings: [first, own, ...rest] }] };
    const stored = reportToJson(changed);
    expect(stored.domains[0]?.findings[1]?.references).toEqual(own.references);
    expect(reportFromJson(stored)).toEqual(changed);
  });

  it('is one line per finding, schemaVersion first', () => {
    expect(text.startsWith('{\n  "schemaVersion": 2,\n')).toBe(true);
    const findings = report.domains.reduce((sum, domain) => sum + domain.findings.length, 0);
    expect(text.split('\n').filter((line) => line.startsWith('      {"checkId":'))).toHaveLength(findings);
    expect(reportFromJson(json)).toEqual(report);
  });
});
