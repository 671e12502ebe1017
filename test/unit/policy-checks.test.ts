/// <reference types="vite/client" />
// What a policy check owes beyond every check's registry lint (checks.test.ts, which also runs its cases): it judges
// once over the config, reads only pure modules, and its fixes name a cmdlet or an admin-UI step.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { policyChecks } from '../../checks/policy/index.js';
import type { Check } from '../../src/model/check.js';
import { partnerLocation } from '../../src/policy/config-views.js';
import { casesById } from '../support/case-tables.js';
import { evaluateCase } from '../support/check-tester.js';

const checkModules = import.meta.glob<{ default: Check }>(['../../checks/policy/*.ts', '!../../checks/policy/index.ts'], { eager: true });
const pathOf = new Map(Object.entries(checkModules).map(([path, module]) => [module.default, path]));

/** Pure modules a policy check may read: the engine's, the config model, and the policy model (no I/O). */
const ALLOWED_IMPORT = /^\.\.\/\.\.\/src\/((model|judge|util)\/[a-z0-9-]+|policy\/(cisco-routes|config-views|decision|explain))\.js$/;

/** The value at a policy entry path such as `own.federation.allowedDomains[2]`; undefined when the config has none. */
function entryAt(config: unknown, path: string): unknown {
  const steps = path.split(/\.|(?=\[)/).map((step) => (step.startsWith('[') ? Number(step.slice(1, -1)) : step));
  return steps.reduce<unknown>((value, step) => (value === null || typeof value !== 'object' ? undefined : (value as Record<string | number, unknown>)[step]), config);
}

describe('policy check registry', () => {
  it('holds every check of area policy, and the domain registry none', () => {
    expect(allChecks.filter((check) => check.meta.area === 'policy').map((check) => check.meta.id)).toEqual([]);
    expect(policyChecks.filter((check) => check.meta.area !== 'policy').map((check) => check.meta.id)).toEqual([]);
  });
});

for (const check of policyChecks) {
  describe(`${check.meta.id}: policy contract`, () => {
    it('judges once over the config and reads the policy facts', () => {
      expect(check.meta.judgedPer).toBe('config');
      expect(check.meta.requires).toContain('policy');
    });

    it('imports only pure modules: the model, the judging helpers, the pure views of the policy', () => {
      const path = pathOf.get(check) ?? '';
      const source = readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
      // Import statements only: message texts may well say "from" before a quote.
      const specifiers = [...source.matchAll(/^(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
      expect(specifiers.length).toBeGreaterThan(0);
      expect(specifiers.filter((s) => !ALLOWED_IMPORT.test(s))).toEqual([]);
    });

    it('locates every draft at the config entry it judges, one the config holds', () => {
      const cases = casesById.get(check.meta.id);
      const unlocated: string[] = [];
      const dangling: string[] = [];
      for (const testCase of [...(cases?.valid ?? []), ...(cases?.invalid ?? [])]) {
        const config = testCase.policy?.config;
        if (config === undefined) continue;
        for (const draft of evaluateCase(check, testCase).drafts) {
          const entry = draft.location?.policyEntry;
          const where = `${testCase.name}: ${draft.messageId} (${draft.subject})`;
          // Only a whole-config pass, or a partner the config does not name (policy explain), has no one entry.
          const noEntry = draft.messageId === 'unique' || (draft.domain !== undefined && partnerLocation(config, draft.domain).policyEntry === undefined && check.meta.id === 'policy.partner-allowed');
          if (entry === undefined && !noEntry) unlocated.push(where);
          if (entry !== undefined && entryAt(config, entry) === undefined) dangling.push(`${where}: ${entry}`);
        }
      }
      expect(unlocated).toEqual([]);
      expect(dangling).toEqual([]);
    });

    it('declares fixes naming a cmdlet or an admin-UI step', () => {
      const fixes = Object.values(check.meta.fixes);
      expect(fixes.length).toBeGreaterThan(0);
      for (const fix of fixes) {
        const text = [fix.summary, ...fix.steps, ...(fix.snippets ?? []).map((s) => s.text)].join('\n');
        expect(text).toMatch(/\b(?:New|Set|Remove|Get|Grant)-Cs[A-Za-z]+|Presence > |Teams admin center/);
      }
    });
  });
}
