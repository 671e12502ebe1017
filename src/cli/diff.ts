// `fedcheck diff OLD NEW`: what changed between two runs, from report files or --history files.

import { diffExitCode, diffReports } from '../history/diff.js';
import { readRunFile } from '../history/run-file.js';
import { renderDiffJson, renderDiffTerminal } from '../report/diff.js';
import { renderDiffMarkdown } from '../report/markdown.js';
import { parseChoice } from '../util/choices.js';

const FORMATS = ['terminal', 'json', 'md'] as const;

export function runDiff(olderPath: string, newerPath: string, flags: { format?: string }): number {
  const format = parseChoice(flags.format, '--format', FORMATS, 'terminal');
  const diff = diffReports(readRunFile(olderPath), readRunFile(newerPath));
  const text = format === 'json' ? renderDiffJson(diff) : format === 'md' ? renderDiffMarkdown(diff) : renderDiffTerminal(diff);
  process.stdout.write(text);
  return diffExitCode(diff);
}
