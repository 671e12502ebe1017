// The RuleTester of policy checks: a config (and the partners' DNS, the next-hop probes) in, expected findings out.

import type { Finding } from '../../src/engine/finding.js';
import type { PolicyFacts } from '../../src/policy/facts.js';
import { renderPolicyFinding } from '../../src/policy/policy-check.js';
import type { PolicyCheck, PolicyDraft } from '../../src/policy/policy-check.js';
import { draftProblems, registerCaseTests } from './check-tester.js';
import type { ExpectedFinding } from './check-tester.js';

export interface ExpectedPolicyFinding extends ExpectedFinding {
  /** The domain the finding is filed under. */
  domain?: string;
}

export interface PolicyCase {
  name: string;
  facts: PolicyFacts;
  /** Required for invalid cases; for valid ones when the case yields skips or nothing on purpose. */
  expect?: ExpectedPolicyFinding[];
}

export interface PolicyCheckCases {
  valid: PolicyCase[];
  invalid: PolicyCase[];
}

export function evaluatePolicyCase(check: PolicyCheck, testCase: PolicyCase): { drafts: PolicyDraft[]; findings: Finding[] } {
  const drafts = check.evaluate(testCase.facts);
  return { drafts, findings: drafts.map((draft) => renderPolicyFinding(check, draft)) };
}

export function policyCaseProblems(check: PolicyCheck, testCase: PolicyCase, kind: 'valid' | 'invalid'): string[] {
  let result: ReturnType<typeof evaluatePolicyCase>;
  try {
    result = evaluatePolicyCase(check, testCase);
  } catch (error) {
    return [`evaluating or rendering threw: ${error instanceof Error ? error.message : String(error)}`];
  }
  const { drafts, findings } = result;
  const problems = drafts.flatMap(policyDraftProblems);
  if (kind === 'invalid') {
    if (!testCase.expect || testCase.expect.length === 0) problems.push('an invalid case must list the findings it expects');
    if (!findings.some((f) => f.status === 'warn' || f.status === 'fail' || f.status === 'error')) {
      problems.push(`an invalid case must yield a warn, fail or error; got ${describeAll(findings)}`);
    }
  } else {
    const notPassing = findings.filter((f) => f.status !== 'pass' && (testCase.expect === undefined || f.status !== 'skip'));
    if (notPassing.length > 0) problems.push(`a valid case may only pass (or skip, when listed in expect); got ${describeAll(notPassing)}`);
    if (testCase.expect === undefined && findings.length === 0) problems.push('a valid case without `expect` must yield at least one finding');
  }
  if (testCase.expect && !matchesExactly(testCase.expect, findings, drafts)) {
    problems.push(`expected ${testCase.expect.map((e) => `${e.status} ${e.messageId}`).join('; ') || 'no findings'}\n  got ${describeAll(findings)}`);
  }
  return problems;
}

export function runPolicyCheckCases(check: PolicyCheck, cases: PolicyCheckCases): void {
  registerCaseTests(check.meta.id, cases, (testCase, kind) => policyCaseProblems(check, testCase, kind));
}

/** The shared draft rules, plus the domain every policy finding must name. */
function policyDraftProblems(draft: PolicyDraft): string[] {
  const problems = draftProblems(draft);
  if (draft.domain.trim() === '') problems.push(`${draft.status} ${draft.messageId} (${draft.subject}): no domain`);
  return problems;
}

function matches(expected: ExpectedPolicyFinding, finding: Finding, draft: PolicyDraft | undefined): boolean {
  if (expected.status !== finding.status || expected.messageId !== finding.messageId) return false;
  if (expected.subject !== undefined && expected.subject !== finding.subject) return false;
  if (expected.domain !== undefined && expected.domain !== finding.domain) return false;
  for (const [key, value] of Object.entries(expected.data ?? {})) {
    if (String(draft?.data?.[key]) !== String(value)) return false;
  }
  if (expected.fix === true && finding.fix === undefined) return false;
  if (typeof expected.fix === 'string') {
    const fix = finding.fix;
    const text = fix ? [fix.summary, ...fix.steps, ...fix.snippets.map((s) => s.text)].join('\n') : '';
    if (!text.includes(expected.fix)) return false;
  }
  return true;
}

/** One expected finding per actual finding, in any order. */
function matchesExactly(expected: ExpectedPolicyFinding[], findings: Finding[], drafts: PolicyDraft[]): boolean {
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
  return findings.map((f) => `${f.status} ${f.messageId} (${f.domain}: ${f.subject}): ${f.message}`).join('\n    ');
}
