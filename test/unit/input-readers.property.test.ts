// The config and facts readers against arbitrary input: they never crash (every refusal is a UsageError), and a
// refusal is one short line with no control character and nothing long quoted back.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/model/errors.js';
import { FACTS_FORMAT, FACTS_SCHEMA_VERSION, parseSavedFacts, savedFactsProblem } from '../../src/model/facts-file.js';
import { INPUT_FILE_CAPS } from '../../src/util/input-file.js';
import { parseRunFile } from '../../src/history/run-file.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Room for the file's name, the path of the field, the expectation and a 40-character excerpt. */
const MAX_MESSAGE = 400;

function expectCleanRefusal(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const { message } = error as UsageError;
    expect(message).not.toMatch(CONTROL);
    expect(message.length).toBeLessThan(MAX_MESSAGE);
  }
}

/** Text that YAML reads as mappings, lists and scalars, with hostile characters mixed in. */
const yamlish = fc
  .array(fc.oneof(fc.constantFrom('own:', '  sipDomains:', ' - ', '[', ']', '{', '}', ': ', '\n', '&a ', '*a', '"', "'", '\u001b[2J', '#'), fc.string({ maxLength: 12 })), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('config reader', () => {
  it('refuses arbitrary text in one clean line, or reads it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), yamlish), (text) => expectCleanRefusal(() => parseConfig(text, 'fuzz.yaml'))),
      { numRuns: 1500 },
    );
  });

  describe('from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedcheck-config-bytes-'));
    const file = join(dir, 'fedcheck.yaml');
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses arbitrary bytes (not UTF-8, NUL, a PEM block) in one clean line, or reads them', () => {
      const bytes = fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.tuple(yamlish, fc.uint8Array({ maxLength: 8 })).map(([text, tail]) => Buffer.concat([Buffer.from(text), Buffer.from(tail)])),
        fc.string({ maxLength: 40 }).map((text) => `-----BEGIN PRIVATE KEY-----\n${text}\n-----END PRIVATE KEY-----\n`),
      );
      fc.assert(
        fc.property(bytes, (content) => {
          writeFileSync(file, content);
          expectCleanRefusal(() => loadConfig(file));
        }),
        { numRuns: 500 },
      );
    });

    it('refuses a file past the config cap before reading it as YAML', () => {
      writeFileSync(file, Buffer.alloc(INPUT_FILE_CAPS.config + 1, 0x61));
      expect(() => loadConfig(file)).toThrow(UsageError);
      expect(() => loadConfig(file)).toThrow(/fedcheck\.yaml/);
    });
  });

  it('names many unknown keys briefly', () => {
    const text = `own:\n  sipDomains: [contoso.com]\n${Array.from({ length: 50 }, (_, index) => `\u001bkey${index}${'x'.repeat(80)}: 1`).join('\n')}\n`;
    expectCleanRefusal(() => parseConfig(text, 'fuzz.yaml'));
  });
});

describe('facts and report readers', () => {
  it('never throws on an arbitrary value in any field of saved facts', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('tool', 'startedAt', 'targets', 'options', 'facts'), fc.jsonValue({ maxDepth: 4 })), (fields) => {
        const problem = savedFactsProblem({ format: FACTS_FORMAT, schemaVersion: FACTS_SCHEMA_VERSION, ...fields });
        expect(problem === undefined || (typeof problem === 'string' && !CONTROL.test(problem) && problem.length < MAX_MESSAGE)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('refuses arbitrary JSON, or a facts envelope of any version, as saved facts in one clean line', () => {
    const envelope = fc.record({ format: fc.oneof(fc.constant(FACTS_FORMAT), fc.jsonValue()), schemaVersion: fc.jsonValue() }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), envelope), (value) => expectCleanRefusal(() => parseSavedFacts(JSON.stringify(value), 'fuzz.json'))),
      { numRuns: 1500 },
    );
  });

  it('refuses arbitrary JSON as a report in one clean line', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => expectCleanRefusal(() => parseRunFile(JSON.stringify(value), 'fuzz.json'))),
      { numRuns: 1500 },
    );
  });
});
