import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { parseRunFile, readRunFile } from '../../src/history/run-file.js';
import { latestRuns, pruneRuns, saveRun } from '../../src/history/store.js';
import { finding, labRun, reportOf, savedOf } from '../support/report-runs.js';
import { tempFolders } from '../support/temp-folders.js';
import { ROOT } from '../support/fedcheck.js';
import { diffReports } from '../../src/history/diff.js';
import { reportToJson } from '../../src/model/report-json.js';
import { renderJson } from '../../src/report/json.js';

const tempFolder = tempFolders();

const fresh = () => tempFolder('history');
const saved = savedOf({}, []);
const runAt = (startedAt: string) => reportOf([finding('dns.sip-federation-srv', '_sipfederationtls._tcp.example.com', 'pass')], startedAt);

describe('saveRun', () => {
  it('writes <dir>/<start time>.json with the report and its facts, creating the directory', () => {
    const dir = join(fresh(), 'nested', 'history');
    const lab = labRun();
    const file = saveRun(dir, lab.report, lab.saved);
    expect(file).toBe(join(dir, `${lab.report.startedAt.replace(/:/g, '-')}.json`));
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { report: unknown; facts: unknown };
    // Stored as report.json is: each check's references once, in the checks table.
    expect(stored.report).toEqual(reportToJson(lab.report));
    expect(stored.facts).toEqual(lab.saved);
    expect(readRunFile(file)).toEqual({ report: lab.report, facts: lab.saved });
  });

  it('leaves only whole run files: no temp file behind', () => {
    const dir = fresh();
    for (const day of ['01', '02', '03']) saveRun(dir, runAt(`2026-03-${day}T02:00:00.000Z`), saved);
    expect(readdirSync(dir).sort()).toEqual(['2026-03-01T02-00-00.000Z.json', '2026-03-02T02-00-00.000Z.json', '2026-03-03T02-00-00.000Z.json']);
    for (const name of readdirSync(dir)) expect(() => JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown).not.toThrow();
  });

  it('never overwrites a run that started in the same millisecond', () => {
    const dir = fresh();
    const first = saveRun(dir, runAt('2026-03-01T02:00:00.000Z'), saved);
    const second = saveRun(dir, runAt('2026-03-01T02:00:00.000Z'), saved);
    expect(second).not.toBe(first);
    expect(second.endsWith('2026-03-01T02-00-00.000Z-1.json')).toBe(true);
    expect(latestRuns(dir, 2).map((run) => run.file)).toEqual([second, first]);
  });

  it('says which directory it cannot write, as a usage error', () => {
    const file = join(fresh(), 'plain-file');
    writeFileSync(file, 'x');
    expect(() => saveRun(file, runAt('2026-03-01T02:00:00.000Z'), saved)).toThrow(UsageError);
    expect(() => saveRun(file, runAt('2026-03-01T02:00:00.000Z'), saved)).toThrow(`cannot write to the history directory "${file}"`);
  });
});

describe('latestRuns', () => {
  it('returns the newest n runs, newest first, passing over temp files, junk and unreadable runs', () => {
    const dir = fresh();
    for (const day of ['03', '01', '04', '02']) saveRun(dir, runAt(`2026-03-${day}T02:00:00.000Z`), saved);
    writeFileSync(join(dir, '2026-03-05T02-00-00.000Z.json.123.abcd.tmp'), '{"half');
    writeFileSync(join(dir, '2026-03-06T02-00-00.000Z.json'), 'not json');
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(latestRuns(dir, 3).map((run) => run.report.startedAt)).toEqual([
      '2026-03-04T02:00:00.000Z',
      '2026-03-03T02:00:00.000Z',
      '2026-03-02T02:00:00.000Z',
    ]);
    expect(latestRuns(dir, 10)).toHaveLength(4);
    expect(latestRuns(dir, 1)[0]?.facts).toEqual(saved);
  });

  it('has no runs before the first one: the directory does not exist yet', () => {
    expect(latestRuns(join(fresh(), 'never-made'), 5)).toEqual([]);
  });
});

describe('pruneRuns', () => {
  it('keeps the newest n runs, clashes by their number, and deletes the older ones with nothing else in the folder', () => {
    const dir = fresh();
    for (const day of ['03', '01', '04', '02']) saveRun(dir, runAt(`2026-03-${day}T02:00:00.000Z`), saved);
    saveRun(dir, runAt('2026-03-04T02:00:00.000Z'), saved);
    writeFileSync(join(dir, '.2026-03-05T02-00-00.000Z.json.123.abcd.tmp'), '{"half');
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const deleted = pruneRuns(dir, 3);
    expect(deleted.map((file) => file.slice(dir.length + 1))).toEqual(['2026-03-02T02-00-00.000Z.json', '2026-03-01T02-00-00.000Z.json']);
    expect(readdirSync(dir).sort()).toEqual([
      '.2026-03-05T02-00-00.000Z.json.123.abcd.tmp',
      '2026-03-03T02-00-00.000Z.json',
      '2026-03-04T02-00-00.000Z-1.json',
      '2026-03-04T02-00-00.000Z.json',
      'notes.txt',
    ]);
    // What is left still reads as the history: the next run compares with the newest.
    expect(latestRuns(dir, 5).map((run) => run.file.slice(dir.length + 1))).toEqual([
      '2026-03-04T02-00-00.000Z-1.json',
      '2026-03-04T02-00-00.000Z.json',
      '2026-03-03T02-00-00.000Z.json',
    ]);
  });

  it('deletes nothing while there are no more runs than it keeps', () => {
    const dir = fresh();
    for (const day of ['01', '02']) saveRun(dir, runAt(`2026-03-${day}T02:00:00.000Z`), saved);
    expect(pruneRuns(dir, 2)).toEqual([]);
    expect(pruneRuns(dir, 30)).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('says which directory it cannot clean, as a usage error', () => {
    const missing = join(fresh(), 'gone');
    expect(() => pruneRuns(missing, 3)).toThrow(UsageError);
    expect(() => pruneRuns(missing, 3)).toThrow(`cannot delete old runs from the history directory "${missing}"`);
  });
});

describe('reading a run file', () => {
  const report = runAt('2026-03-01T02:00:00.000Z');

  it('reads report.json back as the report it was written from', () => {
    const lab = labRun();
    expect(parseRunFile(renderJson(lab.report), 'report.json')).toEqual({ report: lab.report });
  });

  it('reads a version 1 report, whose findings each carry their references, and compares it with a version 2 one', () => {
    const lab = labRun();
    const older = parseRunFile(JSON.stringify({ ...lab.report, schemaVersion: 1 }), 'old.json');
    expect(older).toEqual({ report: { ...lab.report, schemaVersion: 1 } });
    const fixture = readRunFile(join(ROOT, 'fixtures/facts/lab-demo-report.json'));
    expect(fixture.report.schemaVersion).toBe(1);
    // The fixture is a report of the lab's saved facts, written before version 2: the same findings, nothing changed.
    const diff = diffReports(fixture, parseRunFile(renderJson(lab.report), 'report.json'));
    expect([diff.newFailures, diff.fixed, diff.domainsAdded, diff.domainsRemoved]).toEqual([[], [], [], []]);
    expect(diff.stillFailing.length).toBeGreaterThan(10);
    expect(diff.stillFailing.every((change) => change.finding.references.length > 0)).toBe(true);
  });

  it('accepts a JSON report (no facts) and a history file (with facts)', () => {
    expect(parseRunFile(JSON.stringify(report), 'r.json')).toEqual({ report });
    expect(parseRunFile(JSON.stringify({ report, facts: saved }), 'h.json')).toEqual({ report, facts: saved });
  });

  it('accepts a report written before findings had a location (the diff matches those by subject)', () => {
    const before = { ...report, domains: report.domains.map((d) => ({ ...d, findings: d.findings.map(({ location: _location, ...f }) => f) })) };
    expect(parseRunFile(JSON.stringify(before), 'old.json')).toEqual({ report: before });
  });

  it.each([
    ['not json', '"bad.json" is not JSON'],
    ['[]', '"bad.json" is not a fedcheck report'],
    ['{"tool":{"name":"other"}}', 'no tool.name "fedcheck"'],
    [JSON.stringify({ ...report, schemaVersion: 99 }), 'schemaVersion 99, this fedcheck reads 1 and 2'],
    [JSON.stringify({ ...report, domains: [{ domain: 'x', findings: [{ checkId: 'a' }] }] }), 'a finding of x without checkId'],
    [JSON.stringify({ report, facts: { format: 'other' } }), 'holds facts fedcheck cannot read'],
    [
      JSON.stringify({ report, facts: { ...saved, schemaVersion: 2 } }),
      'holds facts fedcheck cannot read (its "facts" field was written by a newer fedcheck: schemaVersion: expected 1, got 2: upgrade fedcheck to replay it)',
    ],
    [
      JSON.stringify({ ...report, domains: [{ domain: 'x', findings: [{ checkId: 'a', subject: 's', domain: 'x', message: 'm', status: 'pass', location: 'x' }] }] }),
      'a finding of x whose location is not an object with a domain',
    ],
  ])('rejects %s with one clear line', (text, message) => {
    expect(() => parseRunFile(text, 'bad.json')).toThrow(UsageError);
    expect(() => parseRunFile(text, 'bad.json')).toThrow(message);
  });

  it('names a file it cannot read', () => {
    expect(() => readRunFile('/nonexistent/run.json')).toThrow('cannot read report file "/nonexistent/run.json"');
  });
});
