// The `fedcheck diff` command: its name, options and help. Its implementation (./diff.ts) is imported only when it
// runs, so `--version`, `--help` and the other commands never load it.

import type { Command } from 'commander';

const HELP = `
Each file is a report written by --format json, or a history file written by --history
(the latter also holds the facts, so certificates renewed and expiry countdowns are shown).

Exit codes: 0 nothing got worse, 1 new warnings, 2 new failures or errors,
3 a file could not be read or is not a fedcheck report.`;

export function defineDiffCommand(program: Command, finish: (exitCode: number) => void): void {
  program
    .command('diff')
    .description('show what changed between two runs: new failures, fixed ones, certificates renewed, expiry countdowns')
    .argument('<old>', 'the earlier run: a JSON report or a history file')
    .argument('<new>', 'the later run')
    .option('--format <format>', 'terminal, json or md (default: terminal)')
    .addHelpText('after', HELP)
    .action(async (older: string, newer: string, flags: { format?: string }) => {
      const { runDiff } = await import('./diff.js');
      finish(runDiff(older, newer, flags));
    });
}
