// `fedcheck run` as its resolver sees it: the domains' checks and the policy's partner lookups share one scheduler,
// so each question is asked once per run, and nothing is asked in front of the work.

import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatServer } from '../../src/probes/resolvers.js';
import type { Report } from '../../src/model/report.js';
import { startCountingResolver } from '../support/counting-resolver.js';
import type { CountingResolver } from '../support/counting-resolver.js';
import { fedcheck } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { writeNightlyConfig } from '../support/nightly-config.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

let lab: SharedLab;
let resolver: CountingResolver;
let dir: string;
let config: string;
let result: CliResult;

beforeAll(async () => {
  lab = sharedLab();
  // An address of the lab's block that no scenario uses, at the lab's port: its name servers are asked as before.
  resolver = await startCountingResolver(lab.resolver, lab.block.replace(/0\.0\/16$/, '250.53'));
  ({ config, dir } = writeNightlyConfig(lab, {
    timeoutMs: 5000,
    edit: (yaml) => yaml.replace(/resolvers: \['[^']+'\]/, `resolvers: ['${formatServer(resolver.server)}']`),
  }));
  // The trace says which probes the scheduler retried: on a busy machine a timeout is asked once more, and says so.
  result = await fedcheck(['run', '--config', config, '--format', 'json'], { FEDCHECK_TRACE: 'json' });
});

/** How many times the run itself tried each question of the resolver ("SRV name"), from its trace on stderr. */
function attemptsByQuestion(): Map<string, number> {
  const trace = JSON.parse(result.stderr) as { probes: { key: string; attempts: number }[] };
  const attempts = new Map<string, number>();
  for (const probe of trace.probes) {
    const question = /^dns:([A-Z]+):(.+)$/.exec(probe.key);
    if (question) attempts.set(`${question[1]} ${question[2]}`, probe.attempts);
  }
  return attempts;
}
afterAll(async () => {
  await resolver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fedcheck run: the questions its resolver is asked', () => {
  it('judges the run as usual through the counting resolver', () => {
    expect(result.stderr).toMatch(/^\{.*"probes":.*\}\n$/);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as Report;
    const srv = (domain: string) => report.domains.find((d) => d.domain === domain)?.findings.find((f) => f.checkId === 'dns.sip-federation-srv');
    expect(srv('healthy.test')?.status).toBe('pass');
    expect(srv('expired-cert.test')?.status).toBe('pass');
  });

  it('asks every question once, the partners\' SIP federation SRV records the policy reads included', () => {
    const attempts = attemptsByQuestion();
    const repeated = [...resolver.questions].filter(([question, times]) => times > (attempts.get(question) ?? 1));
    expect(repeated).toEqual([]);
    // SIP partners the policy lint looks up (m365.test for its hosting provider) and the run checks.
    for (const partner of ['m365.test', 'expired-cert.test', 'wildcard-cert.test', 'no-srv.test']) {
      expect(resolver.questions.get(`SRV _sipfederationtls._tcp.${partner}`), partner).toBe(1);
    }
  });

  it('asks no SOA question of the resolver in front of the work', () => {
    expect([...resolver.questions.keys()].filter((question) => question.startsWith('SOA '))).toEqual([]);
  });
});
