// The README's three lines that start `fedcheck serve` and look at it, run as a reader runs them: serve with the
// example config (its own domain played by the lab's healthy.test, the lab's resolver and CA on the command line)
// on the documented address 127.0.0.1:9469, then the curl line, whose answer is a healthy probe. The third line
// opens a browser; test/browser/serve-page.test.ts drives the page in Chromium.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { sharedLab } from '../support/lab.js';
import { readmeBlocks, shellCommands } from '../support/readme-blocks.js';
import { runProcess } from '../support/run-process.js';
import { startServe } from '../support/serve.js';
import { tempFolders } from '../support/temp-folders.js';

const SECTION = '## Prometheus and the browser: `fedcheck serve`';
const tempFolder = tempFolders();

/** The README's own domain, played by the lab's healthy one. */
const asLab = (text: string) => text.replace(/(?<![\w.-])contoso\.com(?![\w-])/g, 'healthy.test');

describe(SECTION.slice(3), () => {
  it('starts on 127.0.0.1:9469 with the example config, and the curl line gets a healthy probe', async () => {
    const block = readmeBlocks().find((candidate) => `## ${candidate.section}` === SECTION && candidate.lang === 'sh');
    // A line's trailing comment is for the reader; the shell drops it too.
    const [serveLine, curlLine, openLine, ...more] = shellCommands(block?.text ?? '').map((line) => line.replace(/\s+#.*$/, ''));
    expect([serveLine, openLine, more]).toEqual(['npx fedcheck serve --config fedcheck.yaml', 'xdg-open http://127.0.0.1:9469/', []]);
    const dir = tempFolder('serve-readme');
    writeFileSync(join(dir, 'fedcheck.yaml'), asLab(readFileSync(join(ROOT, 'examples', 'fedcheck.yaml'), 'utf8')));
    const lab = sharedLab();
    const args = (serveLine as string).split(' ').slice(3).map((word) => (word === 'fedcheck.yaml' ? join(dir, word) : word));
    const serve = await startServe([...args, ...labArgs(lab, [lab.caFile])], { listen: false });
    try {
      expect(serve.url).toBe('http://127.0.0.1:9469');
      const curl = await runProcess('/bin/sh', ['-c', asLab(curlLine as string)], { cwd: dir, timeoutMs: 30_000 });
      expect(curl.code).toBe(0);
      expect(curl.stdout).toMatch(/^probe_success\{vantage="[^"]+"\} 1$/m);
      expect(curl.stdout).toMatch(/^fedcheck_service_success\{vantage="[^"]+",service="sip"\} 1$/m);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});
