// The run deadline bounds judging too: a domain whose turn comes after it is reported as not judged, an error,
// never a pass or a fail, in a report marked partial.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { fedcheck } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

let lab: SharedLab;
let dir: string;
let caFile: string;

beforeAll(async () => {
  lab = sharedLab();
  dir = mkdtempSync(join(tmpdir(), 'fedcheck-deadline-'));
  caFile = join(dir, 'lab-root.pem');
  writeFileSync(caFile, lab.caPem);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

describe('fedcheck check with a deadline that ends the run before judging', () => {
  it('reports every domain unjudged, as an error, in a partial report with exit code 3', async () => {
    // 1 ms: over before the first probe starts, so long before judging.
    const result = await fedcheck(['check', 'healthy.test', 'expired-cert.test', ...labArgs(lab, [caFile]), '--deadline', '1', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary).toMatchObject({ deadlineReached: true, partial: true, exitCode: 3 });
    expect(report.domains.map((d) => d.domain)).toEqual(['healthy.test', 'expired-cert.test']);
    for (const domain of report.domains) {
      expect(domain.worst).toBe('error');
      expect(domain.findings).toHaveLength(1);
      expect(domain.findings[0]).toMatchObject({
        status: 'error',
        messageId: 'not-judged',
        location: { domain: domain.domain },
        message: expect.stringMatching(/^the run deadline was reached before this domain was judged/),
      });
    }
  });

  it('says so in the terminal report too', async () => {
    const result = await fedcheck(['check', 'healthy.test', ...labArgs(lab, [caFile]), '--deadline', '1']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('the run deadline was reached before this domain was judged');
  });
});
