// A saved run replays to the same Report: every lab scenario checked once with --save-facts, then --replay'd, and
// the two JSON reports compared in full but for the fields that say when and how the report was made. The replay runs
// with its wall clock moved 400 days ahead, so a check or reporter that reads the clock instead of the run's `now`
// (a certificate's days left, an expiry) shows as a difference.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { SCENARIOS } from '../../src/lab/scenarios.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { ROOT, fedcheck } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { sharedLab } from '../support/lab.js';

/** Generous, for a loaded machine; the deliberately silent lab peers each take it once. */
const TIMEOUT_MS = '5000';
/** Past the lab certificates' year of validity: every expiry judged by the wall clock would change. */
const CLOCK_SHIFT_DAYS = 400;

const dir = mkdtempSync(join(tmpdir(), 'fedcheck-replay-'));
const factsFile = join(dir, 'facts.json');
let live: CliResult;
let replayed: CliResult;

beforeAll(async () => {
  const lab = sharedLab();
  try {
    const caFile = join(dir, 'lab-root.pem');
    writeFileSync(caFile, lab.caPem);
    live = await fedcheck([
      'check',
      ...SCENARIOS.map((scenario) => scenario.domain),
      '--resolver',
      formatServer(lab.resolver),
      `--allow-private=${lab.allowPrivate.join(',')}`,
      '--timeout',
      TIMEOUT_MS,
      '--ca-file',
      caFile,
      '--save-facts',
      factsFile,
      '--format',
      'json',
    ]);
  } finally {
  }
  // The lab is gone: the replay has nothing to reach, and must not need it. A year and more later, as a ticket is read.
  const shiftedClock = pathToFileURL(join(ROOT, 'test/support/shifted-clock.mjs')).href;
  replayed = await fedcheck(['check', '--replay', factsFile, '--format', 'json'], {
    NODE_OPTIONS: `--import ${shiftedClock}`,
    FEDCHECK_TEST_CLOCK_SHIFT_DAYS: String(CLOCK_SHIFT_DAYS),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The report but for when it was made, how long it took, and whether it was live or replayed. */
function judged(result: CliResult): Omit<Report, 'startedAt' | 'finishedAt' | 'durationMs' | 'source'> {
  const { startedAt: _startedAt, finishedAt: _finishedAt, durationMs: _durationMs, source: _source, ...rest } = JSON.parse(result.stdout) as Report;
  return rest;
}

describe('--replay of every lab scenario', () => {
  it('ran live and replayed without a word on stderr', () => {
    expect(live.stderr).toBe('');
    expect(replayed.stderr).toBe('');
    expect((JSON.parse(replayed.stdout) as Report).source).toEqual({ kind: 'replay', file: factsFile });
    expect(JSON.parse(readFileSync(factsFile, 'utf8')).targets.map((target: { domain: string }) => target.domain)).toEqual(
      SCENARIOS.map((scenario) => scenario.domain),
    );
  });

  it.each(SCENARIOS.map((scenario) => scenario.domain))('%s: the replayed report is the live one', (domain) => {
    const domainOf = (result: CliResult) => judged(result).domains.find((entry) => entry.domain === domain);
    expect(domainOf(live)).toBeDefined();
    expect(domainOf(replayed)).toEqual(domainOf(live));
  });

  it('the summary, options and exit code too', () => {
    const { domains: _liveDomains, ...liveRest } = judged(live);
    const { domains: _replayedDomains, ...replayedRest } = judged(replayed);
    expect(replayedRest).toEqual(liveRest);
    expect(replayed.code).toBe(live.code);
  });
});
