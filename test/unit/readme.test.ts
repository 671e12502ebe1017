import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { policyChecks } from '../../checks/policy/index.js';
import { createProgram } from '../../src/cli/main.js';
import { STATUSES } from '../../src/model/finding.js';
import { renderScenariosMarkdown } from '../../src/lab/scenario-docs.js';
import { renderChecksMarkdown } from '../../src/report/check-docs.js';
import { ROOT } from '../support/fedcheck.js';
import { labRun } from '../support/report-runs.js';
import { sampleReport } from '../support/sample-report.js';

const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
const START = '<!-- checks:start -->';
const END = '<!-- checks:end -->';
const LAB_START = '<!-- lab:start -->';
const LAB_END = '<!-- lab:end -->';

describe('README.md', () => {
  it('lists the checks exactly as their metadata renders them', () => {
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, `README.md needs the markers ${START} and ${END}`).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const section = readme.slice(start + START.length, end).trim();
    expect(
      section,
      `README.md's Checks section is out of date: run \`npm run build && npx fedcheck checks --format markdown\` and paste its output between ${START} and ${END}`,
    ).toBe(renderChecksMarkdown([...allChecks, ...policyChecks]).trim());
  });

  it('lists the lab scenarios exactly as the lab defines them', () => {
    const start = readme.indexOf(LAB_START);
    const end = readme.indexOf(LAB_END);
    expect(start, `README.md needs the markers ${LAB_START} and ${LAB_END}`).toBeGreaterThan(-1);
    expect(readme.slice(start + LAB_START.length, end).trim(), 'README.md lists other lab scenarios than src/lab/scenarios.ts').toBe(
      renderScenariosMarkdown(),
    );
  });

  it('documents every command and every option commander knows', () => {
    const program = createProgram(() => {});
    for (const option of program.options) expect(readme, `fedcheck ${option.flags}`).toContain(`\`${option.long}\``);
    for (const command of program.commands) {
      expect(readme, `command ${command.name()}`).toContain(`### \`fedcheck ${command.name()}`);
      for (const option of command.options) {
        expect(readme, `fedcheck ${command.name()} ${option.flags}`).toContain(`\`${option.long}`);
      }
    }
  });

  it('documents every field of the JSON report', () => {
    const live = { ...sampleReport, source: { kind: 'live' as const } };
    // The lab's report carries the observations of every kind of endpoint (SIP, XMPP, refused, unreadable).
    const lab = new Set(fieldPaths(labRun().report));
    // An empty list (a domain with no endpoint) is documented as the list of its elements.
    const observed = [...lab].filter((path) => (path.startsWith('domains[].observations') || path.startsWith('options.')) && !lab.has(`${path}[]`));
    for (const path of new Set([...fieldPaths(sampleReport), ...fieldPaths(live), ...observed])) {
      expect(readme, `JSON field ${path}`).toContain(`| \`${path}\` |`);
    }
  });

  it('names only example files that are shipped', () => {
    const named = [...readme.matchAll(/\bexamples\/[\w./-]*\w/g)].map((match) => match[0]);
    expect(named.length).toBeGreaterThan(0);
    for (const path of new Set(named)) expect(existsSync(`${ROOT}/${path}`), path).toBe(true);
  });

  it('explains every status and exit code', () => {
    for (const status of STATUSES) expect(readme).toContain(`| \`${status}\` |`);
    for (const code of [0, 1, 2, 3]) expect(readme).toContain(`| ${code} |`);
  });
});

/** Dotted paths of every leaf field, `[]` for array elements; the per-status count maps are one field each. */
function fieldPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    const objects = value.filter((element) => typeof element === 'object' && element !== null);
    if (objects.length === 0) return [prefix];
    return [`${prefix}[]`, ...objects.flatMap((element) => fieldPaths(element, `${prefix}[]`))];
  }
  if (value !== null && typeof value === 'object' && !prefix.endsWith('counts')) {
    return Object.entries(value).flatMap(([key, child]) => fieldPaths(child, prefix === '' ? key : `${prefix}.${key}`));
  }
  return [prefix];
}
