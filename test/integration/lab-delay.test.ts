// `fedcheck lab --delay <ms>`: the lab with latency on every exchange, for the benchmarks. What a user sees: it
// starts, says so, and a check through it finds exactly what a check through the undelayed lab finds.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { formatServer } from '../../src/probes/resolvers.js';
import { fedcheck, ROOT } from '../support/fedcheck.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

/** A session each way, TLS versions, the AIA fetch of a missing intermediate, a SIP refusal, STARTTLS not offered. */
const DOMAINS = ['healthy.test', 'tls10-only.test', 'missing-intermediate.test', 'sip-forbidden.test', 'no-starttls.test'];
const GENEROUS_TIMEOUT_MS = 20_000;

let delayed: ChildProcessWithoutNullStreams;
let banner: string;
let lab: SharedLab;
let caFile: string;

beforeAll(async () => {
  delayed = spawn(process.execPath, [join(ROOT, 'bin', 'fedcheck.js'), 'lab', '--delay', '50'], { cwd: ROOT });
  banner = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    delayed.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('Press Ctrl+C')) resolve(stdout);
    });
    delayed.once('close', (code) => reject(new Error(`fedcheck lab --delay 50 ended with ${code}: ${stdout}`)));
  });
  lab = sharedLab();
  caFile = lab.caFile;
}, 60_000);
afterAll(async () => {
  delayed?.kill('SIGTERM');
});

/** Each finding as check, subject and status, with the lab's block written as 127.77 so two labs compare. */
async function findings(args: string[], block: string): Promise<string[]> {
  const result = await fedcheck(['check', ...DOMAINS, ...args, '--format', 'json']);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as Report;
  return report.domains
    .flatMap((domain) => domain.findings.map((f) => `${domain.domain} ${f.checkId} ${f.subject} ${f.status}`))
    .map((line) => line.replaceAll(`127.${block}.`, '127.77.'))
    .sort();
}

describe('fedcheck lab --delay 50', () => {
  it('says every answer is 50 ms late, and a check through it finds what a check without the delay finds', async () => {
    expect(banner).toContain('every answer 50 ms late');
    // The command it prints is the one to paste: its resolver, timeout and CA file.
    const command = /fedcheck check .* --resolver (\S+) --allow-private (\S+) --timeout (\d+) --ca-file (\S+)/.exec(banner);
    expect(command).not.toBeNull();
    const [, resolver = '', allowPrivate = '', , delayedCa = ''] = command ?? [];
    const delayedBlock = resolver.split('.')[1] ?? '';
    // A probe timeout that neither run can reach on a loaded machine, so only the delay differs between them.
    const timeout = ['--timeout', String(GENEROUS_TIMEOUT_MS)];
    const withDelay = await findings(['--resolver', resolver, '--allow-private', allowPrivate, ...timeout, '--ca-file', delayedCa], delayedBlock);
    const withoutDelay = await findings(
      ['--resolver', formatServer(lab.resolver), '--allow-private', lab.allowPrivate.join(','), ...timeout, '--ca-file', caFile],
      lab.block.split('.')[1] ?? '',
    );
    expect(withDelay.length).toBeGreaterThan(50);
    expect(withDelay.filter((line) => line.endsWith(' fail')).length).toBeGreaterThan(0);
    expect(withDelay).toEqual(withoutDelay);
  }, 120_000);
});
