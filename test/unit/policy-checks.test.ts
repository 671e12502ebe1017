/// <reference types="vite/client" />
// The policy registry lint: every policy check is registered, pure, documented, and covered by passing and
// failing cases that reach each of its messages and fixes.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { policyChecks } from '../../checks/policy/index.js';
import type { PolicyCheck } from '../../src/policy/policy-check.js';
import { evaluatePolicyCase, runPolicyCheckCases } from '../support/policy-check-tester.js';
import type { PolicyCheckCases } from '../support/policy-check-tester.js';

const caseModules = import.meta.glob<{ default: PolicyCheckCases }>('./policy-checks/*.cases.ts', { eager: true });
const checkModules = import.meta.glob<{ default: PolicyCheck }>(['../../checks/policy/*.ts', '!../../checks/policy/index.ts'], { eager: true });

const casesById = new Map(Object.entries(caseModules).map(([path, module]) => [`policy.${path.replace('./policy-checks/', '').replace(/\.cases\.ts$/, '')}`, module.default]));
const checkFileById = new Map(
  Object.entries(checkModules).map(([path, module]) => [`policy.${path.replace('../../checks/policy/', '').replace(/\.ts$/, '')}`, { path, check: module.default }]),
);

/** Pure modules a policy check may read: the engine's, the config model, and the policy model (no I/O). */
const ALLOWED_IMPORT = /^\.\.\/\.\.\/src\/(engine\/[a-z0-9-]+|config\/types|policy\/(cisco-routes|config-views|decision|explain|facts|policy-check|references))\.js$/;

describe('policy check registry', () => {
  it('has unique ids, none shared with the per-domain checks', () => {
    const ids = policyChecks.map((check) => check.meta.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    const domainIds = new Set(allChecks.map((check) => check.meta.id));
    expect(ids.filter((id) => domainIds.has(id))).toEqual([]);
  });

  it('registers every check file under checks/policy/', () => {
    const registered = new Set(policyChecks);
    expect([...checkFileById].filter(([, { check }]) => !registered.has(check)).map(([id]) => id)).toEqual([]);
  });

  it('has a check for every case file', () => {
    const ids = new Set(policyChecks.map((check) => check.meta.id));
    expect([...casesById.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });
});

for (const check of policyChecks) {
  const { id } = check.meta;
  const cases = casesById.get(id);

  describe(`${id}: registration`, () => {
    it('is the default export of checks/policy/<name>.ts named after its id, in area policy', () => {
      expect(id).toMatch(/^policy\.[a-z0-9-]+$/);
      expect(check.meta.area).toBe('policy');
      expect(checkFileById.get(id)?.check).toBe(check);
    });

    it('imports only pure modules: the engine, the config model, the policy model', () => {
      const path = checkFileById.get(id)?.path ?? '';
      const source = readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
      // Import statements only: message texts may well say "from" before a quote.
      const specifiers = [...source.matchAll(/^(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
      expect(specifiers.length).toBeGreaterThan(0);
      expect(specifiers.filter((s) => !ALLOWED_IMPORT.test(s))).toEqual([]);
    });

    it('documents itself: titles, description, references, services, requires', () => {
      const { meta } = check;
      expect(meta.title.length).toBeGreaterThan(0);
      expect(meta.failureTitle).not.toBe(meta.title);
      expect(meta.description.length).toBeGreaterThan(20);
      expect(meta.references.length).toBeGreaterThan(0);
      for (const reference of meta.references) expect(reference.url).toMatch(/^https:\/\//);
      expect(meta.services.length).toBeGreaterThan(0);
      expect(meta.requires.length).toBeGreaterThan(0);
    });

    it('declares fixes naming a cmdlet or an admin-UI step', () => {
      const fixes = Object.values(check.meta.fixes);
      expect(fixes.length).toBeGreaterThan(0);
      for (const fix of fixes) {
        const text = [fix.summary, ...fix.steps, ...(fix.snippets ?? []).map((s) => s.text)].join('\n');
        expect(text).toMatch(/\b(?:New|Set|Remove|Get|Grant)-Cs[A-Za-z]+|Presence > |Teams admin center/);
      }
    });

    it('has a case file with at least one valid and one invalid case', () => {
      expect(cases, `missing test/unit/policy-checks/${id.replace('policy.', '')}.cases.ts`).toBeDefined();
      expect(cases?.valid.length ?? 0).toBeGreaterThan(0);
      expect(cases?.invalid.length ?? 0).toBeGreaterThan(0);
    });

    it('reaches every message id and every fix from some case', () => {
      const messages = new Set<string>();
      const fixes = new Set<string>();
      for (const testCase of [...(cases?.valid ?? []), ...(cases?.invalid ?? [])]) {
        try {
          for (const draft of evaluatePolicyCase(check, testCase).drafts) {
            messages.add(draft.messageId);
            if (draft.fixId !== undefined) fixes.add(draft.fixId);
          }
        } catch {
          // The case's own test reports the exception.
        }
      }
      expect(Object.keys(check.meta.messages).filter((messageId) => !messages.has(messageId))).toEqual([]);
      expect(Object.keys(check.meta.fixes).filter((fixId) => !fixes.has(fixId))).toEqual([]);
    });
  });

  if (cases) runPolicyCheckCases(check, cases);
}
