// `fedcheck diff OLD NEW`: what changed between two runs, from report files or --history files.

import type { Command } from 'commander';
import { diffExitCode, diffReports } from '../history/diff.js';
import { readRunFile } from '../history/run-file.js';
import { renderDiffJson, renderDiffTerminal } from '../report/diff.js';
import { renderDiffMarkdown } from '../report/markdown.js';
import { parseChoice } from '../util/choices.js';

const FORMATS = ['terminal', 'json', 'md'] as const;

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
    .action((older: string, newer: string, flags: { format?: string }) => finish(runDiff(older, newer, flags)));
}

function runDiff(olderPath: string, newerPath: string, flags: { format?: string }): number {
  const format = parseChoice(flags.format, '--format', FORMATS, 'terminal');
  const diff = diffReports(readRunFile(olderPath), readRunFile(newerPath));
  const text = format === 'json' ? renderDiffJson(diff) : format === 'md' ? renderDiffMarkdown(diff) : renderDiffTerminal(diff);
  process.stdout.write(text);
  return diffExitCode(diff);
}
