// FactView answers dnsAtEveryServer from an index built once per record; these tests hold the index to what a scan of
// every key would answer, over the lab's saved facts and over arbitrary keys (servers and names holding colons and
// type names), and show the views a run derives per domain and per check keep the declaration check.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UndeclaredFactError } from '../../src/model/fact-kinds.js';
import type { SavedFacts } from '../../src/model/facts-file.js';
import { FactView, factKey } from '../../src/model/facts.js';
import type { DnsAnswer, DnsType, FactRecord, ProbeOutcome } from '../../src/model/facts.js';
import { ROOT } from '../support/fedcheck.js';

const TYPES: DnsType[] = ['A', 'AAAA', 'CNAME', 'SRV', 'NS', 'SOA', 'TXT'];

/** The straightforward answer: every `dns@` key ending in `:<type>:<name>`, sorted by server. */
function scan(facts: FactRecord, name: string, type: DnsType): { server: string; outcome: ProbeOutcome<DnsAnswer> }[] {
  const suffix = `:${type}:${name}`;
  return Object.entries(facts)
    .filter(([key]) => key.startsWith('dns@') && key.endsWith(suffix) && key.length - suffix.length >= 4)
    .map(([key, outcome]) => ({ server: key.slice(4, key.length - suffix.length), outcome: outcome as ProbeOutcome<DnsAnswer> }))
    .sort((a, b) => a.server.localeCompare(b.server));
}

const lab = JSON.parse(readFileSync(join(ROOT, 'fixtures/facts/lab-demo.json'), 'utf8')) as SavedFacts;

describe('FactView.dnsAtEveryServer', () => {
  it("answers as a scan for every question the lab's facts hold", () => {
    const view = new FactView(lab.facts);
    const questions = new Set(
      Object.keys(lab.facts).flatMap((key) => {
        const match = /^dns@.+?:\d+:([A-Z]+):(.*)$/.exec(key);
        return match ? [`${match[1]} ${match[2]}`] : [];
      }),
    );
    expect(questions.size).toBeGreaterThan(40);
    for (const question of questions) {
      const [type, name] = question.split(' ') as [DnsType, string];
      const answers = view.dnsAtEveryServer(name, type);
      expect(answers.length, question).toBeGreaterThan(0);
      expect(answers, question).toEqual(scan(lab.facts, name, type));
    }
    expect(view.dnsAtEveryServer('nowhere.test', 'SRV')).toEqual([]);
  });

  it('answers as a scan for arbitrary keys', () => {
    const fragment = fc.stringMatching(/^[a-z0-9.:[\]_-]{0,12}$/);
    const piece = fc.oneof(fragment, fc.constantFrom(...TYPES.map((type) => `:${type}:`)));
    const text = fc.array(piece, { maxLength: 4 }).map((pieces) => pieces.join(''));
    const key = fc.oneof(
      fc.tuple(text, fc.constantFrom(...TYPES), text).map(([server, type, name]) => factKey.dnsAt(server, name, type)),
      fc.tuple(text, fc.constantFrom(...TYPES)).map(([name, type]) => factKey.dns(name, type)),
      text.map((rest) => `dns@${rest}`),
    );
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 20 }), text, fc.constantFrom(...TYPES), (keys, name, type) => {
        const facts: FactRecord = Object.fromEntries(keys.map((k, i) => [k, { status: 'skipped', because: `probe ${i}` }]));
        const view = new FactView(facts);
        // Every name a key could end in, and one it may not.
        const names = [name, ...keys.flatMap((k) => [...k].map((_, at) => k.slice(at)))];
        for (const asked of names) {
          for (const t of [type, ...TYPES]) expect(view.dnsAtEveryServer(asked, t)).toEqual(scan(facts, asked, t));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('is shared by the views made for checks, which still refuse an undeclared kind', () => {
    const server = '127.0.0.1:53';
    const facts: FactRecord = { [factKey.dnsAt(server, 'example.test', 'SOA')]: { status: 'skipped', because: 'not asked' } };
    const run = new FactView(facts);
    const declaring = run.forCheck({ meta: { id: 'dns.declaring', requires: ['dns@:SOA'] } });
    expect(declaring.dnsAtEveryServer('example.test', 'SOA').map((answer) => answer.server)).toEqual([server]);
    expect(run.whole().dnsAtEveryServer('example.test', 'SOA')).toHaveLength(1);
    const forgetful = run.forCheck({ meta: { id: 'dns.forgetful', requires: ['dns@:SRV'] } });
    expect(() => forgetful.dnsAtEveryServer('example.test', 'SOA')).toThrow(UndeclaredFactError);
  });
});
