// Runs the CLI as a user does: `node bin/fedcheck.js ...` in a child process, stdout and stderr collected.

import { fileURLToPath } from 'node:url';
import { runProcess } from './run-process.js';
import type { ProcessResult } from './run-process.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/fedcheck.js', import.meta.url));

export type CliResult = ProcessResult;

/** A CLI run that hangs fails its test well inside the test's own time limit. */
const CLI_TIMEOUT_MS = 55000;

/**
 * Asynchronous, so a lab started inside the test process keeps answering while the CLI runs. `input`, when given, is
 * written to the CLI's standard input, which is then closed, as a shell pipe does.
 */
export function fedcheck(args: string[], extraEnv: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(extraEnv), timeoutMs: CLI_TIMEOUT_MS, input });
}

/**
 * The CLI with stdout on a pseudo-terminal of `columns` columns (util-linux `script`), as a person at a terminal runs
 * it: colour and width are then the terminal's. stderr is dropped, as `script` mixes it into the same terminal.
 */
export function fedcheckOnTerminal(args: string[], columns: number, extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  // Set after stty: the shell `script` starts sets COLUMNS anew when the terminal is resized.
  const exports = Object.entries(extraEnv).map(([name, value]) => `export ${name}=${quote(value)}; `).join('');
  const command = `stty cols ${columns} rows 40; ${exports}exec ${[process.execPath, BIN, ...args].map(quote).join(' ')} 2>/dev/null`;
  return runProcess('script', ['--quiet', '--return', '--command', command, '/dev/null'], { cwd: ROOT, env: cleanEnv({}), timeoutMs: CLI_TIMEOUT_MS });
}

export function cleanEnv(extraEnv: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The tests assert what a user sees without a terminal; inherited colour and width settings would change it.
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.COLUMNS;
  delete env.FEDCHECK_DEBUG;
  delete env.FEDCHECK_TRACE;
  return Object.assign(env, extraEnv);
}

export const ANSI_ESCAPE = /\u001b\[/;
