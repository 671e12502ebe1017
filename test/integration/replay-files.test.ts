// `fedcheck check --replay` on crafted files, as a user hands them over: a field of the wrong type deep inside a fact,
// a JSON report or some other JSON instead of facts, a file of a newer fedcheck. Each is one line on stderr naming the
// file, the path inside it and what was expected; exit 3; nothing on stdout.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FACTS_SCHEMA_VERSION } from '../../src/model/facts-file.js';
import { ROOT, fedcheck } from '../support/fedcheck.js';

const dir = mkdtempSync(join(tmpdir(), 'fedcheck-replay-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const recorded = () => JSON.parse(readFileSync(join(ROOT, 'fixtures/facts/lab-demo.json'), 'utf8')) as Record<string, any>;

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The replay's one line of stderr, after checking it is the only output and the exit code is 3. */
async function refusal(path: string): Promise<string> {
  const run = await fedcheck(['check', '--replay', path, '--format', 'json']);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(3);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('--replay refuses what it cannot judge, in one line', () => {
  it('a record field of the wrong type, named by its path inside the file', async () => {
    const saved = recorded();
    saved.facts['dns:SRV:_sipfederationtls._tcp.multi-edge.test'].facts.records[1].port = '5061';
    const path = file('srv-port.json', saved);
    expect(await refusal(path)).toBe(
      `fedcheck: facts file "${path}" does not hold saved facts: ` +
        'facts["dns:SRV:_sipfederationtls._tcp.multi-edge.test"].facts.records[1].port: expected number, got a string',
    );
  });

  it('a TLS session without its certificate chain', async () => {
    const saved = recorded();
    const sip = Object.entries(saved.facts).find(([key, outcome]: [string, any]) => key.startsWith('sip:') && outcome.facts?.tls)?.[0] ?? '';
    delete saved.facts[sip].facts.tls.peerChain;
    const path = file('no-chain.json', saved);
    expect(await refusal(path)).toBe(
      `fedcheck: facts file "${path}" does not hold saved facts: facts[${JSON.stringify(sip)}].facts.tls.peerChain: expected array, got nothing`,
    );
  });

  it('a JSON report instead of facts', async () => {
    const path = join(ROOT, 'fixtures/facts/lab-demo-report.json');
    expect(await refusal(path)).toBe(
      `fedcheck: facts file "${path}" is not a fedcheck facts file, it looks like a report (--format json): ` +
        'format: expected "fedcheck-facts" (a file written by --save-facts), got nothing',
    );
  });

  it('other JSON: an object of another format, a list', async () => {
    const other = file('other.json', { format: 'something-else', schemaVersion: 1 });
    expect(await refusal(other)).toBe(
      `fedcheck: facts file "${other}" is not a fedcheck facts file: format: expected "fedcheck-facts" (a file written by --save-facts), got a string`,
    );
    const list = file('list.json', [recorded()]);
    expect(await refusal(list)).toBe(
      `fedcheck: facts file "${list}" is not a fedcheck facts file: (top level): expected an object written by --save-facts, got a list`,
    );
  });

  it('a newer schemaVersion: upgrade, rather than a half-read file', async () => {
    const newer = file('newer.json', { ...recorded(), schemaVersion: FACTS_SCHEMA_VERSION + 1 });
    expect(await refusal(newer)).toBe(
      `fedcheck: facts file "${newer}" was written by a newer fedcheck: schemaVersion: expected ${FACTS_SCHEMA_VERSION}, ` +
        `got ${FACTS_SCHEMA_VERSION + 1}: upgrade fedcheck to replay it`,
    );
    const { schemaVersion: _schemaVersion, ...unversioned } = recorded();
    const missing = file('unversioned.json', unversioned);
    expect(await refusal(missing)).toBe(
      `fedcheck: facts file "${missing}" is not a fedcheck facts file: schemaVersion: expected ${FACTS_SCHEMA_VERSION}, got nothing`,
    );
  });

  it('the recorded file itself replays', async () => {
    const run = await fedcheck(['check', '--replay', join(ROOT, 'fixtures/facts/lab-demo.json'), '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).source.kind).toBe('replay');
  });
});
