/// <reference types="vite/client" />
// The registry lint: every registered check is well-formed, pure, documented, and covered by passing and failing cases.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { policyChecks } from '../../checks/policy/index.js';
import type { Check, FindingDraft } from '../../src/model/check.js';
import { caseProblems, evaluateCase, runCheckCases } from '../support/check-tester.js';
import { casesById } from '../support/case-tables.js';

const ID_PATTERN = /^(dns|net|tls|sip|xmpp|policy)\.[a-z0-9-]+$/;

const checkModules = import.meta.glob<{ default: Check }>(['../../checks/*/*.ts', '!../../checks/policy/index.ts'], { eager: true });

/** Every check, the domain checks' registry and the policy checks' (run over the config by `policy lint`). */
const everyCheck = [...allChecks, ...policyChecks];

/** `../../checks/dns/sip-federation-srv.ts` → `dns.sip-federation-srv`. */
const checkFileById = new Map<string, { path: string; check: Check }>(
  Object.entries(checkModules).map(([path, module]) => {
    const [area, file] = path.replace('../../checks/', '').split('/');
    return [`${area}.${file?.replace(/\.ts$/, '')}`, { path, check: module.default }];
  }),
);

describe('check registry', () => {
  it('has unique ids', () => {
    const ids = everyCheck.map((check) => check.meta.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it('registers every check file under checks/', () => {
    const registered = new Set(everyCheck);
    const unregistered = [...checkFileById].filter(([, { check }]) => !registered.has(check)).map(([id]) => id);
    expect(unregistered).toEqual([]);
  });

  it('has a check for every case file', () => {
    const ids = new Set(everyCheck.map((check) => check.meta.id));
    expect([...casesById.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });
});

for (const check of everyCheck) {
  const { id } = check.meta;
  const cases = casesById.get(id);

  describe(`${id}: registration`, () => {
    it('has an id of the form <area>.<noun-phrase> whose area is meta.area', () => {
      expect(id).toMatch(ID_PATTERN);
      expect(id.split('.')[0]).toBe(check.meta.area);
    });

    it('is the default export of checks/<area>/<name>.ts named after its id', () => {
      expect(checkFileById.get(id)?.check).toBe(check);
    });

    // A policy check may also read the pure policy model: policy-checks.test.ts holds it to that.
    if (check.meta.area !== 'policy') {
      it('imports only the model, the judging helpers and their utilities, never node: or probes, reporters, the lab', () => {
        const path = checkFileById.get(id)?.path;
        expect(path, `no file for ${id}`).toBeDefined();
        const source = readFileSync(fileURLToPath(new URL(path ?? '', import.meta.url)), 'utf8');
        const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
        expect(specifiers.length).toBeGreaterThan(0);
        expect(specifiers.filter((s) => !/^\.\.\/\.\.\/src\/(model|judge|util)\/[a-z0-9-]+\.js$/.test(s))).toEqual([]);
      });
    }

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

    it('declares fixes', () => {
      expect(Object.keys(check.meta.fixes).length).toBeGreaterThan(0);
    });

    it('has a case file', () => {
      expect(cases, `missing test/unit/checks/${id.replace('.', '/')}.cases.ts`).toBeDefined();
    });

    it('has at least one valid and one invalid case', () => {
      expect(cases?.valid.length ?? 0).toBeGreaterThan(0);
      expect(cases?.invalid.length ?? 0).toBeGreaterThan(0);
    });

    it('reaches every message id and every fix from some case', () => {
      const reachedMessages = new Set<string>();
      const reachedFixes = new Set<string>();
      for (const testCase of [...(cases?.valid ?? []), ...(cases?.invalid ?? [])]) {
        try {
          for (const draft of evaluateCase(check, testCase).drafts) {
            reachedMessages.add(draft.messageId);
            if (draft.fixId !== undefined) reachedFixes.add(draft.fixId);
          }
        } catch {
          // The case's own test reports the exception.
        }
      }
      expect(Object.keys(check.meta.messages).filter((messageId) => !reachedMessages.has(messageId))).toEqual([]);
      expect(Object.keys(check.meta.fixes).filter((fixId) => !reachedFixes.has(fixId))).toEqual([]);
    });
  });

  if (cases) runCheckCases(check, cases);
}

describe('checkTester', () => {
  /** A check whose findings are whatever the case's facts say, to exercise the tester itself. */
  const echo = (drafts: FindingDraft[]): Check => ({
    meta: {
      id: 'dns.echo',
      area: 'dns',
      title: 'echo',
      failureTitle: 'echo failed',
      description: 'returns the drafts it was built with',
      services: ['sip'],
      requires: ['dns:SRV'],
      references: [],
      messages: { fine: '{{name}} is fine', broken: '{{name}} is broken', gone: 'gone' },
      fixes: { repair: { summary: 'repair {{name}}', steps: ['step for {{name}}'], snippets: [{ lang: 'zone', text: '{{name}}. 3600 IN A 203.0.113.5' }] } },
    },
    evaluate: () => drafts,
  });
  const fine: FindingDraft = { status: 'pass', subject: 'a', messageId: 'fine', data: { name: 'a.example.com' } };
  const broken: FindingDraft = { status: 'fail', subject: 'b', messageId: 'broken', data: { name: 'b.example.com' }, fixId: 'repair' };

  it('accepts exact expectations in any order, with partial data and fix text', () => {
    const problems = caseProblems(echo([broken, fine]), {
      name: 'ok',
      facts: {},
      expect: [
        { status: 'pass', messageId: 'fine', subject: 'a' },
        { status: 'fail', messageId: 'broken', data: { name: 'b.example.com' }, fix: 'b.example.com. 3600 IN A' },
      ],
    }, 'invalid');
    expect(problems).toEqual([]);
  });

  it('reports a warn or fail without a fix', () => {
    const problems = caseProblems(echo([{ ...broken, fixId: undefined }]), { name: 'x', facts: {}, expect: [{ status: 'fail', messageId: 'broken' }] }, 'invalid');
    expect(problems.join('\n')).toContain('needs a fixId');
  });

  it('reports an error without evidence', () => {
    const problems = caseProblems(echo([{ status: 'error', subject: 'c', messageId: 'gone' }]), { name: 'x', facts: {}, expect: [{ status: 'error', messageId: 'gone' }] }, 'invalid');
    expect(problems.join('\n')).toContain('needs evidence');
  });

  it('reports a missing, extra or different finding', () => {
    const wrongData = caseProblems(echo([broken]), { name: 'x', facts: {}, expect: [{ status: 'fail', messageId: 'broken', data: { name: 'z' } }] }, 'invalid');
    const extra = caseProblems(echo([broken, fine]), { name: 'x', facts: {}, expect: [{ status: 'fail', messageId: 'broken' }] }, 'invalid');
    const wrongFix = caseProblems(echo([broken]), { name: 'x', facts: {}, expect: [{ status: 'fail', messageId: 'broken', fix: 'nope' }] }, 'invalid');
    for (const problems of [wrongData, extra, wrongFix]) expect(problems.join('\n')).toContain('expected');
  });

  it('reports a valid case that warns and an invalid case that passes', () => {
    expect(caseProblems(echo([broken]), { name: 'x', facts: {} }, 'valid').join('\n')).toContain('must only pass');
    expect(caseProblems(echo([fine]), { name: 'x', facts: {}, expect: [{ status: 'pass', messageId: 'fine' }] }, 'invalid').join('\n')).toContain(
      'must yield a warn, fail or error',
    );
    expect(caseProblems(echo([]), { name: 'x', facts: {} }, 'valid').join('\n')).toContain('at least one finding');
  });

  it('holds a policy check (judged over the config) to naming each draft\'s domain, and compares it', () => {
    const policyEcho = (drafts: FindingDraft[]): Check => ({ ...echo(drafts), meta: { ...echo(drafts).meta, judgedPer: 'config' } });
    const unfiled = caseProblems(policyEcho([broken]), { name: 'x', expect: [{ status: 'fail', messageId: 'broken' }] }, 'invalid');
    expect(unfiled.join('\n')).toContain('no domain');
    const filed = policyEcho([{ ...broken, domain: 'fabrikam.com' }]);
    expect(caseProblems(filed, { name: 'x', expect: [{ status: 'fail', messageId: 'broken', domain: 'fabrikam.com' }] }, 'invalid')).toEqual([]);
    expect(caseProblems(filed, { name: 'x', expect: [{ status: 'fail', messageId: 'broken', domain: 'contoso.com' }] }, 'invalid').join('\n')).toContain('expected');
  });

  it('surfaces template errors', () => {
    const problems = caseProblems(echo([{ ...fine, data: {} }]), { name: 'x', facts: {} }, 'valid');
    expect(problems.join('\n')).toContain('no data for {{name}}');
  });
});
