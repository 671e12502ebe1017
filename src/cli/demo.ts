// `fedcheck demo`: the full check against the embedded lab, so a new user sees passes, failures and fixes offline.

import type { Command } from 'commander';
import { EXIT } from '../model/finding.js';
import { runLive } from '../engine/run.js';
import { startLab } from '../lab/lab.js';
import { hanging } from '../report/wrap.js';
import { FORMAT_HELP, parseOutputOptions } from './options.js';
import { DEFAULTS } from '../util/defaults.js';
import type { OutputFlags } from './options.js';
import { checkOutputPaths, emitReport } from './output.js';
import { progressWanted, startProgress } from './progress.js';

export function defineDemoCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('demo')
    .description(
      'run the full check against the embedded lab: fixture domains served on loopback, with passing and failing setups; no internet needed',
    )
    .option('--format <format>', FORMAT_HELP)
    .option('--out <file>', 'write the report to this file instead of stdout (the terminal format then has no colour)')
    .option('--save-facts <file>', 'also write every fact gathered, to try fedcheck check --replay on it')
    .option('--no-color', 'no colour in the terminal report (colour is also off when NO_COLOR is set or stdout is not a terminal)')
    .addHelpText('after', '\nThe demo exits 0 when it ran; its closing line says the exit code a real check would have had.')
    .action(async (flags: OutputFlags) => finish(await runDemo(flags)));
}

async function runDemo(flags: OutputFlags): Promise<number> {
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
  emitReport(result.report, result.saved, output);
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
