import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { policyChecks } from '../../checks/policy/index.js';
import { REFERENCES } from '../../src/judge/references.js';

const registered = [...allChecks, ...policyChecks];
const entries = Object.values(REFERENCES);

describe('the reference registry', () => {
  it('holds https URLs only, each under one title, each title with one URL', () => {
    for (const reference of entries) expect(reference.url, reference.title).toMatch(/^https:\/\/[^\s]+$/);
    const titleByUrl = new Map<string, string>();
    const urlByTitle = new Map<string, string>();
    for (const { title, url } of entries) {
      expect(titleByUrl.get(url) ?? title, `${url} is cited under two titles`).toBe(title);
      expect(urlByTitle.get(title) ?? url, `"${title}" has two URLs`).toBe(url);
      titleByUrl.set(url, title);
      urlByTitle.set(title, url);
    }
  });

  it('has no entry that no check cites', () => {
    const cited = new Set(registered.flatMap((check) => check.meta.references));
    expect(entries.filter((reference) => !cited.has(reference)).map((reference) => reference.title)).toEqual([]);
  });
});

describe.each(registered.map((check) => [check.meta.id, check] as const))('%s', (_, check) => {
  it('cites at least one reference, each an entry of the registry', () => {
    expect(check.meta.references.length).toBeGreaterThan(0);
    for (const reference of check.meta.references) expect(entries, reference.title).toContain(reference);
  });

  it('cites each reference once', () => {
    expect(new Set(check.meta.references).size).toBe(check.meta.references.length);
  });
});
