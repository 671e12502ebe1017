// `fedcheck lab`: keeps the embedded lab running so its domains can be checked by hand.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../model/finding.js';
import { startLab } from '../lab/lab.js';
import { formatServer } from '../probes/resolvers.js';
import { parsePositiveInteger } from './options.js';

export async function runLab(flags: { delay?: string }): Promise<number> {
  const delayMs = flags.delay === undefined ? 0 : parsePositiveInteger(flags.delay, '--delay', 0, 'milliseconds');
  const lab = await startLab({ delayMs });
  // The lab's CA is made at start; a check against the lab trusts it as a partner trusts its own CA.
  const caDir = mkdtempSync(join(tmpdir(), 'fedcheck-lab-'));
  const caFile = join(caDir, 'lab-root.pem');
  writeFileSync(caFile, lab.caPem);
  const resolver = formatServer(lab.resolver);
  // Run through npx, the command to paste must go through npx too.
  const fedcheck = process.env.npm_command === 'exec' ? 'npx fedcheck' : 'fedcheck';
  const domains = lab.targets.map((target) => target.domain).join(' ');
  process.stdout.write(
    [
      `The lab is running: its DNS resolver is ${resolver}, serving ${lab.targets.length} fixture domains on loopback` +
        (delayMs > 0 ? `, every answer ${delayMs} ms late.` : '.'),
      'Check them from another terminal with:',
      '',
      `  ${fedcheck} check ${domains} --resolver ${resolver} --allow-private ${lab.allowPrivate.join(',')} --timeout ${lab.timeoutMs} --ca-file ${caFile}`,
      '',
      'Press Ctrl+C to stop the lab.',
      '',
    ].join('\n'),
  );
  await untilStopped();
  await lab.close();
  rmSync(caDir, { recursive: true, force: true });
  return EXIT.ok;
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
