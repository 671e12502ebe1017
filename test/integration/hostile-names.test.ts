// A partner's DNS names an SRV target with terminal escapes and markup in it. Replayed through `fedcheck check`,
// no format lets them act: no ESC, BEL or CR reaches the terminal or the Nagios line, the Markdown shows them as
// text, and each control character is shown as its escape.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, fedcheck } from '../support/fedcheck.js';

const HOSTILE = 'sip.\u001b]0;owned\u0007\u001b[2J\r<img src=x onerror=alert(1)>.healthy.test';
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const dir = mkdtempSync(join(tmpdir(), 'fedcheck-hostile-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The recorded lab run, with healthy.test's SIP federation SRV record pointing at the hostile name, at `port`: 5061
 * as recorded, or another, so that the record is a problem, which the Markdown summary lists (it names no pass).
 */
function hostileFacts(port = 5061): string {
  const saved = JSON.parse(readFileSync(join(ROOT, 'fixtures/facts/lab-demo.json'), 'utf8')) as {
    targets: { domain: string }[];
    facts: Record<string, { facts: { records: { target: string; port: number }[] } }>;
  };
  saved.targets = saved.targets.filter((target) => target.domain === 'healthy.test');
  const srv = saved.facts['dns:SRV:_sipfederationtls._tcp.healthy.test'];
  const [record] = srv?.facts.records ?? [];
  if (record === undefined) throw new Error('the recorded run has no SRV record for healthy.test');
  record.target = HOSTILE;
  record.port = port;
  const path = join(dir, `hostile-${port}.json`);
  writeFileSync(path, JSON.stringify(saved));
  return path;
}

describe('a hostile SRV target name, replayed', () => {
  const facts = hostileFacts();
  const wrongPort = hostileFacts(5060);

  for (const format of ['terminal', 'md', 'nagios', 'prom'] as const) {
    it(`--format ${format}: no control character from the name is sent, the name is shown escaped`, async () => {
      // -v: the name is only in passing and skipped checks, which the terminal report lists with -v.
      const replayed = format === 'md' ? wrongPort : facts;
      const result = await fedcheck(['check', '--replay', replayed, '--format', format, ...(format === 'terminal' ? ['-v'] : [])]);
      expect(result.stderr).toBe('');
      // The name was never looked up in the recorded run: its checks are skipped, the rest pass (but for the port).
      expect(result.code).toBe(format === 'md' ? 1 : 0);
      expect(result.stdout).not.toMatch(CONTROL);
      if (format === 'terminal') expect(result.stdout).toContain('sip.\\x1b]0;owned\\x07\\x1b[2J\\x0d<img');
      if (format === 'prom') expect(result.stdout).toContain('sip.\\\\x1b]0;owned\\\\x07');
      if (format === 'md') {
        // Outside code spans and fenced blocks (where CommonMark shows markup as text) the tag arrives escaped.
        const prose = result.stdout.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
        expect(result.stdout).toContain('\\x1b]0;owned\\x07');
        expect(prose).not.toMatch(/<img/);
        expect(prose).toContain('&lt;img src=x onerror=alert(1)&gt;');
      }
    });
  }
});
