// `fedcheck demo`: the full check against the embedded lab, so a new user sees passes, failures and fixes offline.

import { EXIT } from '../model/finding.js';
import { runLive } from '../engine/run.js';
import { startLab } from '../lab/lab.js';
import { hanging } from '../report/wrap.js';
import { parseOutputOptions } from './options.js';
import { DEFAULTS } from '../util/defaults.js';
import type { OutputFlags } from './options.js';
import { checkOutputPaths, emitReport } from './output.js';
import { progressWanted, startProgress } from './progress.js';

export async function runDemo(flags: OutputFlags): Promise<number> {
  const output = parseOutputOptions(flags);
  checkOutputPaths(output);
  const progress = startProgress(progressWanted(output.format, process.stderr, process.env), 'starting the lab');
  let result: Awaited<ReturnType<typeof runLive>>;
  try {
    const lab = await startLab();
    try {
      progress.text('probing the lab');
      result = await runLive({
        targets: lab.targets,
        resolvers: [lab.resolver],
        authoritativePort: lab.authoritativePort,
        vantage: DEFAULTS.vantage,
        allowPrivate: lab.allowPrivate,
        timeoutMs: lab.timeoutMs,
        caPem: [lab.caPem],
        deadlineMs: DEFAULTS.deadlineMs,
        concurrency: DEFAULTS.concurrency,
        onProgress: progress.probes,
      });
    } finally {
      await lab.close();
    }
  } finally {
    progress.stop();
  }
  await emitReport(result.report, result.saved, output);
  if (output.format === 'terminal') {
    const { exitCode } = result.report.summary;
    const closing =
      `This was the demo: ${result.report.domains.length} fixture domains served by the embedded lab on loopback, ` +
      `no internet used. A real fedcheck check with these findings would exit with code ${exitCode}. ` +
      'Check a real domain with: fedcheck check <domain>';
    process.stderr.write(`\n${hanging('', closing).join('\n')}\n`);
  }
  return EXIT.ok;
}
