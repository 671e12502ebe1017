// Reading one run back: a JSON report (`--format json`) or a history file ({report, facts}), checked well enough
// that a wrong file gets one clear line instead of a crash halfway through a diff.

import { UsageError } from '../model/errors.js';
import { readInputText } from '../util/input-file.js';
import { FACTS_FORMAT, savedFactsProblem } from '../model/facts-file.js';
import type { SavedFacts } from '../model/facts-file.js';
import { STATUSES } from '../model/finding.js';
import { REPORT_SCHEMA_VERSION } from '../model/report.js';
import type { Report } from '../model/report.js';
import { reportFromJson } from '../model/report-json.js';
import type { ReportJson } from '../model/report-json.js';
import type { RunRecord } from './diff.js';

/** The report versions a comparison reads: this one, and 1, whose findings each carry their references. */
const READABLE_VERSIONS = [1, REPORT_SCHEMA_VERSION];

const EXPECTED = 'expected a report written by --format json or a history file written by --history';

export function readRunFile(path: string): RunRecord {
  return parseRunFile(readInputText(path, 'report file', 'facts'), path);
}

/** `path` names the file in messages. */
export function parseRunFile(text: string, path: string): RunRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`"${path}" is not JSON: ${EXPECTED}`);
  }
  if (!isObject(parsed)) throw new UsageError(`"${path}" is not a fedcheck report: ${EXPECTED}`);
  if (parsed.format === FACTS_FORMAT) throw new UsageError(`"${path}" is a facts file written by --save-facts, not a report: ${EXPECTED}`);
  const isHistory = 'report' in parsed;
  const report = isHistory ? parsed.report : parsed;
  const problem = reportProblem(report);
  if (problem !== undefined) throw new UsageError(`"${path}" is not a fedcheck report (${problem}): ${EXPECTED}`);
  // Version 1 (references in every finding) reads as version 2 whose findings all carry their own.
  const expanded = reportFromJson(report as ReportJson);
  if (!isHistory || parsed.facts === undefined) return { report: expanded };
  const factsTrouble = savedFactsProblem(parsed.facts);
  if (factsTrouble !== undefined) throw new UsageError(`"${path}" holds facts fedcheck cannot read (its "facts" field ${factsTrouble}): ${EXPECTED}`);
  return { report: expanded, facts: parsed.facts as SavedFacts };
}

function reportProblem(value: unknown): string | undefined {
  if (!isObject(value) || !isObject(value.tool) || value.tool.name !== 'fedcheck') return 'no tool.name "fedcheck"';
  if (!READABLE_VERSIONS.includes(value.schemaVersion as never)) {
    return `schemaVersion ${String(value.schemaVersion)}, this fedcheck reads ${READABLE_VERSIONS.join(' and ')}`;
  }
  if (typeof value.startedAt !== 'string' || Number.isNaN(Date.parse(value.startedAt))) return 'no startedAt time';
  if (!Array.isArray(value.domains)) return 'no domains list';
  for (const domain of value.domains) {
    if (!isObject(domain) || typeof domain.domain !== 'string' || !Array.isArray(domain.findings)) return 'a domain without its name or findings';
    for (const finding of domain.findings) {
      const valid =
        isObject(finding) &&
        typeof finding.checkId === 'string' &&
        typeof finding.subject === 'string' &&
        typeof finding.domain === 'string' &&
        typeof finding.message === 'string' &&
        STATUSES.includes(finding.status as never);
      if (!valid) return `a finding of ${domain.domain} without checkId, subject, message or a known status`;
      // Reports written before findings had a location have none; the diff matches those by subject.
      if (finding.location !== undefined && !(isObject(finding.location) && typeof finding.location.domain === 'string')) {
        return `a finding of ${domain.domain} whose location is not an object with a domain`;
      }
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
