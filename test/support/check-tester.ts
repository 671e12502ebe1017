// A small RuleTester for checks: facts in, expected findings out, each case one row of a table.

import { describe, expect, it } from 'vitest';
import { renderFinding } from '../../src/model/check.js';
import type { Check, CheckOptions, FindingData, FindingDraft } from '../../src/model/check.js';
import { DEFAULT_CHECK_OPTIONS } from '../../src/model/check.js';
import type { FactKind } from '../../src/model/fact-kinds.js';
import { FactView } from '../../src/model/facts.js';
import { evaluateCheck } from '../../src/engine/evaluate.js';
import type { CheckInputs } from '../../src/engine/evaluate.js';
import { presentedCertificateInputs } from '../../src/engine/certificate-facts.js';
import type { PresentedCertificate } from '../../src/engine/certificate-facts.js';
import { servicePresence } from '../../src/judge/presence.js';
import type { FactRecord } from '../../src/model/facts.js';
import type { Finding, Location, SkipReason, Status } from '../../src/model/finding.js';
import type { Target } from '../../src/model/target.js';
import type { PolicyFacts } from '../../src/model/policy-facts.js';

export interface ExpectedFinding {
  status: Status;
  /** A skip's reason; absent: the finding's is not compared. */
  skipReason?: SkipReason;
  messageId: string;
  subject?: string;
  /** The domain the finding is filed under (a policy finding names our own domain or a partner). */
  domain?: string;
  /** Each key must equal the draft's data (compared as strings); other keys are ignored. */
  data?: Partial<FindingData>;
  /** `true`: a fix is rendered; a string: it appears in the rendered summary, steps or snippets. */
  fix?: true | string;
  /** The rendered message, word for word. */
  message?: string;
  /** Each key must equal the finding's location (the domain included, when given); other keys are ignored. */
  location?: Partial<Location>;
  /** The finding's first evidence line, word for word (where the chain or session came from, for most tls checks). */
  evidence?: string;
}

export interface Case {
  name: string;
  /** The probes' outcomes; a policy check's case has none. */
  facts?: FactRecord;
  /** What a policy check judges: the config, and the partners' DNS and the next hops when its case needs them. */
  policy?: PolicyFacts;
  /**
   * A chain handed over as `cert inspect --role` hands it (read from a file, say), judged with what it gives the
   * checks instead of `facts` and `target`: the chain, its issuer downloads, and the domain it is judged for.
   */
  presented?: PresentedCertificate;
  target?: Partial<Target>;
  options?: Partial<CheckOptions>;
  now?: Date;
  /** Required for invalid cases; for valid ones, only when the case yields skips or nothing on purpose. */
  expect?: ExpectedFinding[];
}

export interface CheckCases {
  valid: Case[];
  invalid: Case[];
}

export const TEST_DOMAIN = 'example.com';
export const TEST_NOW = new Date('2026-01-15T12:00:00Z');

export interface CaseResult {
  drafts: FindingDraft[];
  findings: Finding[];
}

/**
 * Runs the check on a case as the engine would, and renders every draft so template errors surface. `observe` is
 * told each kind of fact the check reads (not the engine's own reads, such as presence).
 */
export function evaluateCase(check: Check, testCase: Case, observe?: (kind: FactKind) => void): CaseResult {
  const options: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...testCase.options };
  const now = testCase.now ?? TEST_NOW;
  const inputs: CheckInputs = testCase.presented ? presentedCertificateInputs(testCase.presented, options, now) : factInputs(check, testCase, options, now);
  const facts = observe === undefined ? inputs.facts : inputs.facts.observed(observe);
  const drafts = evaluateCheck(check, { ...inputs, facts });
  return { drafts, findings: drafts.map((draft) => renderFinding(check, inputs.target.domain, draft)) };
}

/** A case's facts as a run gathers them, for its target (by default the test domain, for the check's services). */
function factInputs(check: Check, testCase: Case, options: CheckOptions, now: Date): CheckInputs {
  const domain = testCase.target?.domain ?? TEST_DOMAIN;
  const target: Target = { domain, input: domain, services: [...check.meta.services], ...testCase.target };
  const facts = new FactView(testCase.facts ?? {}, testCase.policy);
  return { target, presence: servicePresence(target, facts), facts, options, now };
}

/** Everything wrong with a case's outcome, as readable lines; empty when the case holds. */
export function caseProblems(check: Check, testCase: Case, kind: 'valid' | 'invalid'): string[] {
  let result: CaseResult;
  try {
    result = evaluateCase(check, testCase);
  } catch (error) {
    return [`evaluating or rendering threw: ${error instanceof Error ? error.message : String(error)}`];
  }
  const problems = result.drafts.flatMap((draft) => draftProblems(draft, check));
  if (testCase.presented && (testCase.facts || testCase.target)) problems.push('a case with `presented` is judged on it alone: give no `facts` or `target`');
  const { findings } = result;

  if (kind === 'invalid') {
    if (!testCase.expect || testCase.expect.length === 0) problems.push('an invalid case must list the findings it expects');
    if (!findings.some((f) => f.status === 'warn' || f.status === 'fail' || f.status === 'error')) {
      problems.push(`an invalid case must yield a warn, fail or error; got ${describeAll(findings)}`);
    }
  } else if (testCase.expect) {
    const unexpected = findings.filter((f) => f.status !== 'pass' && f.status !== 'skip' && f.status !== 'info');
    if (unexpected.length > 0) problems.push(`a valid case may only pass, skip or inform; got ${describeAll(unexpected)}`);
  } else {
    if (findings.length === 0) problems.push('a valid case without `expect` must yield at least one finding');
    const notPassing = findings.filter((f) => f.status !== 'pass');
    if (notPassing.length > 0) {
      problems.push(`a valid case without \`expect\` must only pass (list skips in \`expect\`); got ${describeAll(notPassing)}`);
    }
  }

  if (testCase.expect && !matchesExactly(testCase.expect, result)) {
    problems.push(`expected ${testCase.expect.map(describeExpected).join('; ') || 'no findings'}\n  got ${describeAll(findings)}`);
  }
  return problems;
}

/** Registers one vitest test per case, under `<check id>` › valid / invalid; a test fails with the case's problems. */
function registerCaseTests<C extends { name: string }>(
  id: string,
  cases: { valid: C[]; invalid: C[] },
  problemsOf: (testCase: C, kind: 'valid' | 'invalid') => string[],
): void {
  describe(id, () => {
    for (const kind of ['valid', 'invalid'] as const) {
      describe(kind, () => {
        for (const testCase of cases[kind]) {
          it(testCase.name, () => {
            expect(problemsOf(testCase, kind)).toEqual([]);
          });
        }
      });
    }
  });
}

export function runCheckCases(check: Check, cases: CheckCases): void {
  registerCaseTests(check.meta.id, cases, (testCase, kind) => caseProblems(check, testCase, kind));
}

/**
 * What every draft must hold, whatever the check: a subject, a fix for warn and fail, evidence for an error; and for
 * a policy check, which judges no one domain, the domain the finding belongs to.
 */
function draftProblems(draft: FindingDraft, check: Check): string[] {
  const problems: string[] = [];
  const where = `${draft.status} ${draft.messageId} (${draft.subject})`;
  if (draft.subject.trim() === '') problems.push(`${where}: empty subject`);
  if (check.meta.judgedPer === 'config' && (draft.domain ?? '').trim() === '') problems.push(`${where}: no domain`);
  if ((draft.status === 'warn' || draft.status === 'fail') && draft.fixId === undefined) problems.push(`${where}: a warn or fail needs a fixId`);
  if (draft.status === 'error' && (draft.evidence ?? []).length === 0) problems.push(`${where}: an error needs evidence of what was seen`);
  return problems;
}

function matches(expected: ExpectedFinding, finding: Finding, draft: FindingDraft | undefined): boolean {
  if (expected.status !== finding.status || expected.messageId !== finding.messageId) return false;
  if (expected.subject !== undefined && expected.subject !== finding.subject) return false;
  if (expected.skipReason !== undefined && expected.skipReason !== finding.skipReason) return false;
  if (expected.domain !== undefined && expected.domain !== finding.domain) return false;
  if (expected.message !== undefined && expected.message !== finding.message) return false;
  if (expected.evidence !== undefined && expected.evidence !== finding.evidence[0]) return false;
  for (const [key, value] of Object.entries(expected.data ?? {})) {
    if (String(draft?.data?.[key]) !== String(value)) return false;
  }
  for (const [key, value] of Object.entries(expected.location ?? {})) {
    if (finding.location[key as keyof Location] !== value) return false;
  }
  if (expected.fix === true && finding.fix === undefined) return false;
  if (typeof expected.fix === 'string') {
    const fix = finding.fix;
    const text = fix ? [fix.summary, ...fix.steps, ...fix.snippets.map((s) => s.text)].join('\n') : '';
    if (!text.includes(expected.fix)) return false;
  }
  return true;
}

/** One expected finding per actual finding, in any order: a small bipartite matching by backtracking. */
function matchesExactly(expected: ExpectedFinding[], result: CaseResult): boolean {
  const { findings, drafts } = result;
  if (expected.length !== findings.length) return false;
  const used = new Array<boolean>(findings.length).fill(false);
  const assign = (index: number): boolean => {
    const wanted = expected[index];
    if (wanted === undefined) return true;
    for (let i = 0; i < findings.length; i += 1) {
      const finding = findings[i];
      if (used[i] || finding === undefined || !matches(wanted, finding, drafts[i])) continue;
      used[i] = true;
      if (assign(index + 1)) return true;
      used[i] = false;
    }
    return false;
  };
  return assign(0);
}

function describeAll(findings: Finding[]): string {
  if (findings.length === 0) return 'no findings';
  return findings
    .map((f) => `${f.status} ${f.messageId} (${f.subject}) at ${JSON.stringify(f.location)}: ${f.message}${f.evidence[0] === undefined ? '' : `\n      evidence: ${f.evidence[0]}`}`)
    .join('\n    ');
}

function describeExpected(expected: ExpectedFinding): string {
  const location = expected.location === undefined ? '' : ` at ${JSON.stringify(expected.location)}`;
  return `${expected.status} ${expected.messageId}${expected.subject === undefined ? '' : ` (${expected.subject})`}${location}`;
}
