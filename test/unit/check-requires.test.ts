// Each check's meta.requires is what it reads: over every case table and the lab's saved facts, a check reads no kind
// of fact it does not declare, and reads every kind it declares somewhere. Evaluation enforces the first half.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { policyChecks } from '../../checks/policy/index.js';
import type { Check } from '../../src/model/check.js';
import { DEFAULT_CHECK_OPTIONS } from '../../src/model/check.js';
import { evaluateCheck, evaluateTarget } from '../../src/engine/evaluate.js';
import { FACT_KINDS } from '../../src/model/fact-kinds.js';
import type { FactKind } from '../../src/model/fact-kinds.js';
import type { SavedFacts } from '../../src/model/facts-file.js';
import { FactView } from '../../src/model/facts.js';
import { servicePresence } from '../../src/judge/presence.js';
import { fromDomainToward } from '../../src/model/target.js';
import { casesById } from '../support/case-tables.js';
import { evaluateCase } from '../support/check-tester.js';
import { ROOT } from '../support/fedcheck.js';

const everyCheck = [...allChecks, ...policyChecks];
const lab = JSON.parse(readFileSync(join(ROOT, 'fixtures/facts/lab-demo.json'), 'utf8')) as SavedFacts;
const labOptions = { ...DEFAULT_CHECK_OPTIONS, ...lab.options };
const labNow = new Date(lab.startedAt);
const labView = new FactView(lab.facts);

/**
 * Every kind of fact the check reads over its case table and, for a domain check, over each lab target. It runs
 * allowed to read anything, so that one test lists every kind it reads undeclared, not only the first.
 */
function kindsRead(declaring: Check): Set<FactKind> {
  const check: Check = { ...declaring, meta: { ...declaring.meta, requires: [...FACT_KINDS] } };
  const read = new Set<FactKind>();
  const observe = (kind: FactKind) => read.add(kind);
  const cases = casesById.get(declaring.meta.id);
  for (const testCase of [...(cases?.valid ?? []), ...(cases?.invalid ?? [])]) {
    try {
      evaluateCase(check, testCase, observe);
    } catch {
      // The case's own test reports it.
    }
  }
  for (const target of check.meta.judgedPer === 'config' ? [] : lab.targets) {
    const facts = new FactView(lab.facts);
    const context = {
      target,
      presence: servicePresence(target, facts),
      facts: facts.observed(observe),
      options: { ...labOptions, fromDomain: fromDomainToward(target, labOptions.fromDomain) },
      now: labNow,
    };
    try {
      evaluateCheck(check, context);
    } catch {
      // evaluateTarget's test below reports it.
    }
  }
  return read;
}

describe('meta.requires', () => {
  for (const check of everyCheck) {
    describe(check.meta.id, () => {
      const declared = check.meta.requires;
      const read = kindsRead(check);

      it('names only kinds of fact that exist, each once', () => {
        expect(declared.filter((kind) => !FACT_KINDS.includes(kind))).toEqual([]);
        expect(declared.filter((kind, index) => declared.indexOf(kind) !== index)).toEqual([]);
      });

      it('declares every kind of fact the check reads', () => {
        expect([...read].filter((kind) => !declared.includes(kind)).sort()).toEqual([]);
      });

      it('reads every kind it declares, in some case or lab target', () => {
        expect(declared.filter((kind) => !read.has(kind))).toEqual([]);
      });
    });
  }
});

describe('evaluation holds a check to its requires', () => {
  it('judges every lab target without a check reading past its declaration', () => {
    const internal = lab.targets.flatMap((target) =>
      evaluateTarget(allChecks, target, labView, labOptions, labNow).filter((finding) => finding.messageId === 'internal-error'),
    );
    expect(internal.map((finding) => `${finding.checkId} ${finding.domain}: ${finding.message}`)).toEqual([]);
  });

  it('turns a read of an undeclared kind into an error finding that names it', () => {
    const [target] = lab.targets;
    if (target === undefined) throw new Error('the lab facts have no target');
    const [srvCheck] = allChecks;
    if (srvCheck === undefined) throw new Error('no checks registered');
    // The first check (dns.sip-federation-srv) as if it had forgotten to declare its SRV lookup.
    const forgetful: Check = { ...srvCheck, meta: { ...srvCheck.meta, requires: [] } };
    const findings = evaluateTarget([forgetful], target, labView, labOptions, labNow);
    expect(findings.map((finding) => [finding.status, finding.messageId, finding.message])).toEqual([
      ['error', 'internal-error', `the check failed to run: ${srvCheck.meta.id} read dns:SRV facts, which its meta.requires does not declare`],
    ]);
  });
});
